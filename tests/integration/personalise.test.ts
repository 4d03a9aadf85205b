// Personalising a co-brand template end to end on the real database and the real Chromium: the
// partner page, its preview, the rendered download with everything it records, and refusals.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MATERIAL_CSP } from "~/domain/material-document";
import { TEMPLATE_FIELDS, type TemplateField } from "~/domain/toolkit-templates";
import { timeline } from "~/models/customer-activity.server";
import { toolkitAnalytics } from "~/models/toolkits/analytics.server";
import { addTemplate, archiveToolkit, createToolkit, publishToolkit, setAudience, updateDetails } from "~/models/toolkits/manage.server";
import { configureRenderer, rendererStats } from "~/models/toolkits/render-browser.server";
import { closeRenderer } from "~/models/toolkits/render.server";
import * as personalisePage from "~/routes/_app.toolkits.$id_.templates.$templateId";
import * as toolkitPage from "~/routes/_app.toolkits.$id";
import * as toolkitEdit from "~/routes/_app.toolkits.manage.$id";
import * as filePage from "~/routes/toolkits.$id.files.$renderId";
import * as previewPage from "~/routes/toolkits.$id.templates.$templateId.preview";
import * as renderPage from "~/routes/toolkits.$id.templates.$templateId.render";
import * as editorPreview from "~/routes/toolkits.manage.$id.preview";
import { db } from "~/utils/db.server";
import { registerAs } from "../customer-factories";
import { actorFor, createNetwork } from "../factories";
import { errorKeys, hit } from "../routes";
import { securityHeaders } from "../../security.mjs";

type Network = Awaited<ReturnType<typeof createNetwork>>;
let net: Network;
const kit = { id: "", templateId: "" };
let ownCustomer = "";
let otherCustomer = "";

const FIELDS: Record<TemplateField, "off" | "optional" | "required"> = { partner_name: "required", partner_logo: "off", partner_phone: "optional", partner_address: "off", partner_website: "off", message: "optional", customer_name: "optional" };
const HTML = "<h1>{{partner_name}}</h1><p>تماس: {{partner_phone}}</p><p>{{message}}</p><p>{{customer_name}} گرامی</p>";

function templateForm(extra: Record<string, string> = {}) {
  const f: Record<string, string> = { nameFa: "کارت هم‌برند", nameEn: "Co-brand card", lang: "fa", html: HTML, css: "h1 { color: #064; }", messageMax: "40", formats: "pdf_a4", ...extra };
  for (const name of TEMPLATE_FIELDS) f[`field_${name}`] = FIELDS[name];
  return f;
}

const paths = () => {
  const base = `/toolkits/${kit.id}/templates/${kit.templateId}`;
  return { page: base, preview: `${base}/preview`, render: `${base}/render`, params: { id: kit.id, templateId: kit.templateId } };
};

async function counts() {
  const n = async (table: "toolkit_renders" | "toolkit_events" | "interactions", where?: [string, string]) => {
    let q = db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("brand_id", "=", net.brandId);
    if (where) q = q.where(where[0] as never, "=", where[1] as never);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  return { renders: await n("toolkit_renders"), renderEvents: await n("toolkit_events", ["kind", "render"]), sent: await n("interactions", ["kind", "material_sent"]) };
}

const render = (as: string, form: Record<string, string>) => hit(renderPage.action, paths().render, paths().params, { as, form });
const text = (o: { response: Response | null }) => o.response!.clone().text();

beforeAll(async () => {
  net = await createNetwork();
  // The distributor is the only gold partner: the audience. Its profile fills the form.
  await db().updateTable("partners").set({ cobrand_name: "فروشگاه نور پارس", phone: "+989121234567" }).where("id", "=", net.partners.distributor).execute();
  const manager = await actorFor(net.users.brandManager.id);
  kit.id = await createToolkit(manager, { titleFa: "کیت بهار", titleEn: "Spring kit", descriptionFa: "", descriptionEn: "", startsOn: null, endsOn: null });
  await setAudience(manager, kit.id, { all: false, tiers: ["gold"], types: [], provinces: [], partnerIds: [] });
  const added = await hit(toolkitEdit.action, `/toolkits/manage/${kit.id}`, { id: kit.id }, { as: net.users.brandManager.id, form: { intent: "template", ...templateForm({ formats: "pdf_a4" }) } });
  expect(added.status).toBe(200);
  // Both output kinds: the form posts formats as repeated names.
  await db().updateTable("toolkit_templates").set({ formats: JSON.stringify(["pdf_a4", "png_square"]) }).where("toolkit_id", "=", kit.id).execute();
  await publishToolkit(manager, kit.id, 1);
  kit.templateId = (await db().selectFrom("toolkit_templates").select("id").where("toolkit_id", "=", kit.id).executeTakeFirstOrThrow()).id;
  ownCustomer = await registerAs(net.users.distributorRep.id, { displayName: "مریم احمدی" });
  otherCustomer = await registerAs(net.users.independentRep.id, { displayName: "سارا کریمی" });
});

afterEach(() => configureRenderer({}));
afterAll(() => closeRenderer());

describe("personalise page", () => {
  it("is prefilled from the partner's profile, offers the rep's own customers only, and is valid as it stands", async () => {
    const page = await hit(personalisePage.loader, paths().page, paths().params, { as: net.users.distributorRep.id });
    expect(page.status).toBe(200);
    const d = page.data as Awaited<ReturnType<typeof personalisePage.loader>>;
    expect(d.values).toMatchObject({ partner_name: "فروشگاه نور پارس", partner_phone: "+989121234567" });
    expect(d.customers.map((c) => c.id)).toContain(ownCustomer);
    expect(d.customers.map((c) => c.id)).not.toContain(otherCustomer);
    expect(d.valid).toBe(true);
    expect(d.formats).toEqual(["pdf_a4", "png_square"]);
    // Edited to empty: the required name is reported in the page.
    const edited = await hit(personalisePage.loader, `${paths().page}?edited=1&partner_name=`, paths().params, { as: net.users.distributorRep.id });
    expect((edited.data as typeof d).errors).toEqual({ partner_name: { key: "errors.required" } });
    expect((edited.data as typeof d).valid).toBe(false);
  });

  it("is a 404 on the page, the preview and the render for partners outside the audience, whatever the URL", async () => {
    const before = await counts();
    for (const as of [net.users.independentRep.id, net.users.reseller1Rep.id]) {
      expect((await hit(personalisePage.loader, paths().page, paths().params, { as })).status).toBe(404);
      expect((await hit(previewPage.loader, paths().preview, paths().params, { as })).status).toBe(404);
      expect((await render(as, { format: "pdf_a4", partner_name: "فروشگاه" })).status).toBe(404);
    }
    // A template id of another toolkit under this toolkit's id is no way in either.
    const wrong = { id: kit.id, templateId: "01ZZZZZZZZZZZZZZZZZZZZZZZZ" };
    expect((await hit(personalisePage.loader, paths().page, wrong, { as: net.users.distributorRep.id })).status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe("preview", () => {
  it("shows values as escaped text in the material document, under the document's own policy", async () => {
    const q = new URLSearchParams({ partner_name: '<b>فروشگاه</b><script>alert(1)</script>', message: "<img src=x onerror=alert(1)>", customerId: ownCustomer });
    const preview = await hit(previewPage.loader, `${paths().preview}?${q}`, paths().params, { as: net.users.distributorRep.id });
    expect(preview.status).toBe(200);
    expect(preview.response!.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const html = await text(preview);
    // Digits follow the template's language (Persian here), in markup as anywhere.
    expect(html.includes("&lt;b&gt;فروشگاه&lt;/b&gt;&lt;script&gt;alert(۱)&lt;/script&gt;")).toBe(true);
    expect(html.includes("&lt;img src=x onerror=alert(۱)&gt;")).toBe(true);
    expect(html.includes("<script") || html.includes("<b>") || html.includes("<img")).toBe(false);
    expect(html.includes("مریم احمدی")).toBe(true);
    expect(html.includes(`content="${MATERIAL_CSP}"`)).toBe(true);
    // server.mjs answers this path with the document's policy and same-origin framing only.
    expect(securityHeaders(paths().preview, "n")).toEqual({ "Content-Security-Policy": `${MATERIAL_CSP}; frame-ancestors 'self'`, "X-Frame-Options": "SAMEORIGIN" });
    expect(securityHeaders(paths().page, "n")["X-Frame-Options"]).toBe("DENY");
  });

  it("leaves out another partner's customer and refused text", async () => {
    const q = new URLSearchParams({ partner_name: "نام\u202Eمعکوس", customerId: otherCustomer });
    const html = await text(await hit(previewPage.loader, `${paths().preview}?${q}`, paths().params, { as: net.users.distributorRep.id }));
    expect(html.includes("سارا کریمی")).toBe(false);
    expect(html.includes("معکوس")).toBe(false);
  });
});

describe("render and download", () => {
  it.each([
    ["a missing required name", { partner_name: "" }, "partner_name", "این خانه را پر کنید."],
    ["a message over its 40 characters (counted in characters)", { message: "😀".repeat(41) }, "message", "حداکثر ۴۰ نویسه مجاز است."],
    ["a bidi override in the name", { partner_name: "فروشگاه\u202Eexe.pdf" }, "partner_name", "نویسه‌های کنترلی یا جهت‌نما مجاز نیستند."],
    ["a format the template does not offer", { format: "png_story" }, "format", "یکی از گزینه‌های فهرست را انتخاب کنید."],
    ["another partner's customer", { customerId: "__other__" }, "customerId", "یکی از گزینه‌های فهرست را انتخاب کنید."],
  ])("refuses %s with 400 and a Persian message, and writes nothing", async (_name, change, _field, message) => {
    const before = await counts();
    const renders = rendererStats().renders;
    const form: Record<string, string> = { format: "pdf_a4", partner_name: "فروشگاه نور پارس", ...change };
    if (form.customerId === "__other__") form.customerId = otherCustomer;
    const refused = await render(net.users.distributorRep.id, form);
    expect(refused.status).toBe(400);
    const body = await text(refused);
    expect(body).toContain('dir="rtl"');
    expect(body).toContain(message);
    expect(await counts()).toEqual(before);
    expect(rendererStats().renders).toBe(renders);
  });

  it("a 40-character message of emoji is within the limit", async () => {
    const page = await hit(personalisePage.loader, `${paths().page}?edited=1&partner_name=x&message=${encodeURIComponent("😀".repeat(40))}`, paths().params, { as: net.users.distributorRep.id });
    expect((page.data as { errors: object }).errors).toEqual({});
  });

  it("stores the file, records one render event and one material_sent on the customer's timeline; a repeat is served from storage and recorded again", async () => {
    const before = await counts();
    const renders = rendererStats().renders;
    const form = { format: "pdf_a4", partner_name: "فروشگاه نور پارس", partner_phone: "+989121234567", message: "تخفیف ویژهٔ بهار", customerId: ownCustomer };
    const first = await render(net.users.distributorRep.id, form);
    expect(first.status).toBe(200);
    const res = first.response!;
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="cobrand-pdf_a4.pdf"; filename*=UTF-8''${encodeURIComponent("کارت هم‌برند - pdf_a4.pdf")}`);
    expect(Buffer.from(await res.clone().arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    expect(rendererStats().renders).toBe(renders + 1);
    expect(await counts()).toEqual({ renders: before.renders + 1, renderEvents: before.renderEvents + 1, sent: before.sent + 1 });

    const row = await db().selectFrom("toolkit_renders").selectAll().where("toolkit_id", "=", kit.id).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ version: 1, template_id: kit.templateId, partner_id: net.partners.distributor, user_id: net.users.distributorRep.id, customer_id: ownCustomer, format: "pdf_a4", mime: "application/pdf", cached: 0 });
    const event = await db().selectFrom("toolkit_events").selectAll().where("toolkit_id", "=", kit.id).where("kind", "=", "render").executeTakeFirstOrThrow();
    expect(event).toMatchObject({ template_id: kit.templateId, partner_id: net.partners.distributor, user_id: net.users.distributorRep.id, version: 1 });
    const sent = await db().selectFrom("interactions").selectAll().where("customer_id", "=", ownCustomer).where("kind", "=", "material_sent").execute();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ toolkit_id: kit.id, partner_id: net.partners.distributor, note: "کیت بهار · کارت هم‌برند" });
    const onTimeline = await timeline(await actorFor(net.users.distributorRep.id), ownCustomer);
    expect(onTimeline.map((i) => i.kind)).toContain("material_sent");

    const repeat = await render(net.users.distributorRep.id, form);
    expect(repeat.status).toBe(200);
    expect(rendererStats().renders).toBe(renders + 1); // no second render
    expect(await counts()).toEqual({ renders: before.renders + 2, renderEvents: before.renderEvents + 2, sent: before.sent + 2 });
    const cached = await db().selectFrom("toolkit_renders").select("cached").where("toolkit_id", "=", kit.id).orderBy("created_at", "desc").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(cached.cached).toBe(1);
  });

  it("renders a square PNG without a customer: no touchpoint", async () => {
    const before = await counts();
    const png = await render(net.users.distributorAdmin.id, { format: "png_square", partner_name: "فروشگاه نور پارس" });
    expect(png.status).toBe(200);
    expect(png.response!.headers.get("Content-Type")).toBe("image/png");
    expect(await counts()).toEqual({ renders: before.renders + 1, renderEvents: before.renderEvents + 1, sent: before.sent });
  });

  it("counts renders per template, partner and tier in the analytics", async () => {
    const usage = await toolkitAnalytics(await actorFor(net.users.channelManager.id), kit.id, 30);
    const renders = (await counts()).renderEvents;
    expect(usage!.byTemplate).toEqual([{ id: kit.templateId, name_fa: "کارت هم‌برند", name_en: "Co-brand card", counts: { view: 0, download: 0, render: renders } }]);
    expect(usage!.byTier).toEqual([{ tier: "gold", counts: { view: 0, download: 0, render: renders } }]);
    expect(usage!.byPartner.map((p) => [p.id, p.counts.render])).toEqual([[net.partners.distributor, renders]]);
  });

  it("says in Persian when Chromium is missing (503) or too slow (504), and records nothing", async () => {
    const before = await counts();
    configureRenderer({ executablePath: "/nonexistent/chromium" });
    const page = await hit(personalisePage.loader, paths().page, paths().params, { as: net.users.distributorRep.id });
    expect((page.data as { available: boolean }).available).toBe(false);
    expect((await hit(previewPage.loader, paths().preview, paths().params, { as: net.users.distributorRep.id })).status).toBe(200);
    const unavailable = await render(net.users.distributorRep.id, { format: "pdf_a4", partner_name: `نو ${Date.now()}` });
    expect(unavailable.status).toBe(503);
    expect(await text(unavailable)).toContain("Chromium نصب نشده است");
    configureRenderer({ timeoutMs: 1 });
    const slow = await render(net.users.distributorRep.id, { format: "pdf_a4", partner_name: `کند ${Date.now()}` });
    expect(slow.status).toBe(504);
    expect(await text(slow)).toContain("بیش از حد طول کشید");
    expect(await counts()).toEqual(before);
  });

  it("keeps the partner's files downloadable, its own only, from the toolkit page", async () => {
    const page = await hit(toolkitPage.loader, `/toolkits/${kit.id}`, { id: kit.id }, { as: net.users.distributorAdmin.id });
    const files = (page.data as { files: { id: string; customer_name: string | null }[] }).files;
    expect(files.length).toBeGreaterThanOrEqual(3);
    const file = files[0];
    const got = await hit(filePage.loader, `/toolkits/${kit.id}/files/${file.id}`, { id: kit.id, renderId: file.id }, { as: net.users.distributorRep.id });
    expect(got.status).toBe(200);
    for (const as of [net.users.independentRep.id, net.users.reseller1Rep.id]) {
      expect((await hit(filePage.loader, `/toolkits/${kit.id}/files/${file.id}`, { id: kit.id, renderId: file.id }, { as })).status, as).toBe(404);
    }
    // The brand has no partner library, so no partner's files either.
    expect((await hit(filePage.loader, `/toolkits/${kit.id}/files/${file.id}`, { id: kit.id, renderId: file.id }, { as: net.users.brandAdmin.id })).status).toBe(403);
  });
});

describe("versions and archive", () => {
  it("a new version's template renders from it; files of the earlier version stay downloadable; an archived toolkit renders nothing", async () => {
    const manager = await actorFor(net.users.brandManager.id);
    const oldFile = await db().selectFrom("toolkit_renders").select(["id", "version"]).where("toolkit_id", "=", kit.id).executeTakeFirstOrThrow();
    await updateDetails(manager, kit.id, { titleFa: "کیت بهار ۲", titleEn: "Spring kit 2", descriptionFa: "", descriptionEn: "", startsOn: null, endsOn: null });
    expect((await publishToolkit(manager, kit.id, 2))?.ok).toBe(true);
    const renderedV2 = await render(net.users.distributorRep.id, { format: "pdf_a4", partner_name: "فروشگاه نور پارس" });
    expect(renderedV2.status).toBe(200);
    expect((await db().selectFrom("toolkit_renders").select("version").orderBy("created_at", "desc").orderBy("id", "desc").where("toolkit_id", "=", kit.id).executeTakeFirstOrThrow()).version).toBe(2);
    expect(oldFile.version).toBe(1);

    expect((await archiveToolkit(manager, kit.id))?.ok).toBe(true);
    const before = await counts();
    const refused = await render(net.users.distributorRep.id, { format: "pdf_a4", partner_name: "فروشگاه نور پارس" });
    expect(refused.status).toBe(404);
    expect((await hit(personalisePage.loader, paths().page, paths().params, { as: net.users.distributorRep.id })).status).toBe(404);
    expect(await counts()).toEqual(before);
    // Files made earlier are the partner's still.
    expect((await hit(filePage.loader, `/toolkits/${kit.id}/files/${oldFile.id}`, { id: kit.id, renderId: oldFile.id }, { as: net.users.distributorRep.id })).status).toBe(200);
  });
});

describe("template editor", () => {
  it("edits a template in place in the draft, refusing inconsistent fields; previews it with sample values for the brand only", async () => {
    const manager = await actorFor(net.users.brandManager.id);
    const id = await createToolkit(manager, { titleFa: "کیت ویرایش", titleEn: "Edit kit", descriptionFa: "", descriptionEn: "", startsOn: null, endsOn: null });
    await addTemplate(manager, id, { nameFa: "قالب", nameEn: "Tpl", lang: "fa", html: HTML, css: "", config: { fields: FIELDS, messageMax: 40 }, formats: ["pdf_a4"] });
    const tplId = (await db().selectFrom("toolkit_templates").select("id").where("toolkit_id", "=", id).executeTakeFirstOrThrow()).id;
    const edit = (form: Record<string, string>) => hit(toolkitEdit.action, `/toolkits/manage/${id}`, { id }, { as: net.users.brandManager.id, form: { intent: "edit_template", rowId: tplId, ...templateForm(), ...form } });

    const bad = await edit({ html: "<h1>{{partner_name}}</h1>" });
    expect(bad.status).toBe(400);
    expect(errorKeys(bad)).toMatchObject({ field_message: "toolkits:errors.missing_placeholder" });
    expect((bad.data as { row: string }).row).toBe(tplId);
    expect((await edit({ nameFa: "قالب تازه", messageMax: "80" })).status).toBe(200);
    const rows = await db().selectFrom("toolkit_templates").selectAll().where("toolkit_id", "=", id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: tplId, version: 1, name_fa: "قالب تازه" });
    expect(JSON.parse(rows[0].fields).messageMax).toBe(80);
    expect((await hit(toolkitEdit.action, `/toolkits/manage/${id}`, { id }, { as: net.users.brandManager.id, form: { intent: "edit_template", rowId: "01ZZZZZZZZZZZZZZZZZZZZZZZZ", ...templateForm() } })).status).toBe(404);

    const preview = await hit(editorPreview.action, `/toolkits/manage/${id}/preview`, { id }, { as: net.users.brandManager.id, form: { lang: "fa", html: HTML, css: "" } });
    expect(preview.status).toBe(200);
    expect(await text(preview)).toContain("فروشگاه نمونهٔ پارس");
    expect((await hit(editorPreview.action, `/toolkits/manage/${id}/preview`, { id }, { as: net.users.distributorRep.id, form: { lang: "fa", html: HTML, css: "" } })).status).toBe(403);
    const other = await createNetwork();
    expect((await hit(editorPreview.action, `/toolkits/manage/${id}/preview`, { id }, { as: other.users.brandManager.id, form: { lang: "fa", html: HTML, css: "" } })).status).toBe(404);
  });
});
