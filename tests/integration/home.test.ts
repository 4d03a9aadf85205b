import { describe, expect, it } from "vitest";
import { addNeed } from "~/models/customer-activity.server";
import * as home from "~/routes/_app._index";
import * as customersIndex from "~/routes/_app.customers._index";
import * as partnersIndex from "~/routes/_app.partners._index";
import * as usersIndex from "~/routes/_app.users._index";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { registerAs, setValueTier } from "../customer-factories";
import { actorFor, createNetwork, createPartner, createUser } from "../factories";
import { hit } from "../routes";

type Home = Awaited<ReturnType<typeof home.loader>>;
type Card = { label: string; value: number; to: string };

/** Every card of the home page as its number and the list it opens, read from the loader's data. */
function cards(d: Home): { groups: { total: Card; parts: Card[] }[] } {
  const customer = (label: string, value: number, query: string) => ({ label, value, to: `/customers${query}` });
  const partner = (label: string, value: number, query: string) => ({ label, value, to: `/partners?status=active${query}` });
  const user = (label: string, value: number, query: string) => ({ label, value, to: `/users${query}` });
  const customersTotal = customer("customers", d.customers.total, "");
  const partnersTotal = partner("partners", d.partnersTotal, "");
  return {
    groups: [
      { total: customersTotal, parts: (["A", "B", "C", "none"] as const).map((t) => customer(t, d.customers.byTier[t], `?valueTier=${t}`)) },
      { total: partnersTotal, parts: (["registered", "silver", "gold", "platinum"] as const).map((t) => partner(t, d.byTier[t], `&tier=${t}`)) },
      { total: partnersTotal, parts: (["distributor", "reseller"] as const).map((t) => partner(t, d.byType[t], `&type=${t}`)) },
      { total: user("users", d.usersTotal, ""), parts: (["active", "invited", "disabled"] as const).map((s) => user(s, d.userCounts[s], `?status=${s}`)) },
    ],
  };
}

const LISTS: Record<string, Parameters<typeof hit>[0]> = { "/customers": customersIndex.loader, "/partners": partnersIndex.loader, "/users": usersIndex.loader };

/** The total the list page shows for a card's link. */
async function listTotal(to: string, as: string): Promise<number> {
  const loader = LISTS[to.split("?")[0]];
  const out = await hit(loader, to, {}, { as });
  expect(out.status).toBe(200);
  return (out.data as { result: { total: number } }).result.total;
}

describe("home page numbers", () => {
  async function network() {
    const net = await createNetwork();
    await createPartner(net.brandId, { tier: "platinum", active: false }); // not counted: inactive
    await createUser(net.brandId, "partner_rep", net.partners.independent, { status: "invited" });
    await createUser(net.brandId, "partner_rep", net.partners.independent, { status: "disabled" });
    const categoryId = newId();
    await db().insertInto("need_categories").values({ id: categoryId, brand_id: net.brandId, name_fa: "یخچال", name_en: "Fridges", sort: 1, active: true }).execute();
    const rep = await actorFor(net.users.independentRep.id);
    const tiers = ["A", "A", "B", "C", "C", "C", null, null] as const;
    const ids: string[] = [];
    for (const tier of tiers) {
      const id = await registerAs(net.users.independentRep.id);
      ids.push(id);
      if (tier) await setValueTier(net.brandId, id, tier);
    }
    await registerAs(net.users.reseller1Rep.id); // another partner's customer
    // Two open needs of one category on one customer count once: the card counts customers.
    await addNeed(rep, ids[0], { categoryId, body: "یخچال دو در", priority: "high", productId: null });
    await addNeed(rep, ids[0], { categoryId, body: "یخچال کوچک", priority: "low", productId: null });
    await addNeed(rep, ids[1], { categoryId, body: "یخچال", priority: "low", productId: null });
    return { net, categoryId };
  }

  it("adds up in every group, and each card's list shows exactly its number", async () => {
    const { net, categoryId } = await network();
    for (const as of [net.users.brandAdmin.id, net.users.independentAdmin.id]) {
      const out = await hit(home.loader, "/", {}, { as });
      const data = out.data as Home;
      for (const group of cards(data).groups) {
        expect(group.parts.reduce((sum, c) => sum + c.value, 0)).toBe(group.total.value);
        if (as === net.users.independentAdmin.id && group.total.to.startsWith("/partners")) continue; // brand only
        for (const card of [group.total, ...group.parts]) expect([card.label, await listTotal(card.to, as)]).toEqual([card.label, card.value]);
      }
      const fridges = data.customers.topNeeds.find((n) => n.id === categoryId)!;
      expect(fridges.n).toBe(2);
      expect(await listTotal(`/customers?needCategory=${categoryId}&needStatus=open`, as)).toBe(2);
    }
    const partnerView = (await hit(home.loader, "/", {}, { as: net.users.independentAdmin.id })).data as Home;
    expect(partnerView.customers.byTier).toEqual({ A: 2, B: 1, C: 3, none: 2 });
    expect(partnerView.links).toEqual({ customers: true, partners: false, users: true });
    const brandView = (await hit(home.loader, "/", {}, { as: net.users.brandAdmin.id })).data as Home;
    expect(brandView.customers.total).toBe(9);
    expect(brandView.partnersTotal).toBe(4);
  });

  it("gives a rep no link to the user list it may not open", async () => {
    const { net } = await network();
    const data = (await hit(home.loader, "/", {}, { as: net.users.independentRep.id })).data as Home;
    expect(data.links).toEqual({ customers: true, partners: false, users: false });
  });
});
