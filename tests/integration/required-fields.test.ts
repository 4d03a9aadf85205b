import { describe, expect, it } from "vitest";
import * as customersImport from "~/routes/_app.customers.import";
import * as customersNew from "~/routes/_app.customers.new";
import * as ideasNew from "~/routes/_app.ideas.new";
import * as login from "~/routes/login";
import * as partnersNew from "~/routes/_app.partners.new";
import * as productsNew from "~/routes/_app.products.new";
import * as segments from "~/routes/_app.segments._index";
import * as serveRequests from "~/routes/_app.serve-requests";
import * as usersNew from "~/routes/_app.users.new";
import { createNetwork } from "../factories";
import { errorKeys, hit } from "../routes";

// Forms no longer leave required fields to the browser (its bubble speaks its own language), so
// the server must answer an empty form with a field error for each required field, and write nothing.
describe("an empty form gets field errors from the server", () => {
  it("on every form with required fields", async () => {
    const net = await createNetwork();
    const admin = net.users.brandAdmin.id;
    const rep = net.users.independentRep.id;
    const cases: { name: string; fn: Parameters<typeof hit>[0]; path: string; as: string | null; form: Record<string, string> | FormData; fields: string[] }[] = [
      { name: "sign-in", fn: login.action, path: "/login", as: null, form: {}, fields: ["email", "password"] },
      { name: "invite user", fn: usersNew.action, path: "/users/new", as: admin, form: {}, fields: ["displayName", "email"] },
      { name: "new partner", fn: partnersNew.action, path: "/partners/new", as: admin, form: {}, fields: ["nameFa", "nameEn", "city"] },
      { name: "new product", fn: productsNew.action, path: "/products/new", as: admin, form: {}, fields: ["sku", "nameFa"] },
      { name: "register customer", fn: customersNew.action, path: "/customers/new", as: rep, form: {}, fields: ["displayName", "phone", "city"] },
      { name: "save segment", fn: segments.action, path: "/segments", as: rep, form: { filters: "province=fars" }, fields: ["name"] },
      { name: "import customers", fn: customersImport.action, path: "/customers/import", as: rep, form: new FormData(), fields: ["file"] },
      { name: "post idea", fn: ideasNew.action, path: "/ideas/new", as: rep, form: {}, fields: ["title", "body", "categoryId"] },
      { name: "request to serve", fn: serveRequests.action, path: "/serve-requests", as: rep, form: {}, fields: [] },
    ];
    for (const c of cases) {
      const out = await hit(c.fn, c.path, {}, { as: c.as, method: "POST", form: c.form });
      expect([c.name, out.status]).toEqual([c.name, 400]);
      const errors = errorKeys(out);
      for (const field of c.fields) expect([c.name, field, errors[field]]).toEqual([c.name, field, expect.stringMatching(/^([a-z]+:)?errors\./)]);
      if (c.fields.length === 0) expect(Object.keys(errors).length, c.name).toBeGreaterThan(0);
    }
  });
});
