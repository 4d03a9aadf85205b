// Cross-partner probe through the real server: every partner user of several partners (a
// distributor, a reseller under it, a reseller under another distributor, an independent reseller)
// asks for other partners' objects by id — GET and every POST intent, with valid forms that would
// be written if the tenant scope let them through — and must get 404 (or 403 where the role may not
// use the route at all, as app/domain/permissions.ts says), with nothing changed and no name shown.
import { readdirSync } from "node:fs";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { formatMoney } from "../../app/domain/format";
import { ulid } from "ulid";
import { can, type Permission } from "../../app/domain/permissions";
import { audienceIncludes, audienceOf } from "../../app/domain/toolkit-audience";
import type { Role } from "../../db/schema";
import { baseURL, closeE2eDb, e2eDb, get, post, signedIn, type Form } from "./api";
import { customerForm, customerLinks, PNG_1X1 } from "./hostile-cases";

const P = (n: number) => `01DEMQPARTNER${String(n).padStart(13, "0")}`;
const ALBORZ = P(1);
const NOOR = P(3);
const ZANDIYEH = P(5);
const AFTAB = P(6);
/** Partners whose rows other specs change while this one runs: probed through others' ids only. */
const BUSY_PARTNERS = [ALBORZ, NOOR, ZANDIYEH];
const IDS_PER_KIND = 3;

interface ProbeActor {
  label: string;
  email: string;
  role: Role;
  partnerId: string;
}
const ACTORS: ProbeActor[] = [
  { label: "distributor admin (Alborz)", email: "admin@alborz.example", role: "partner_admin", partnerId: ALBORZ },
  { label: "distributor rep (Alborz)", email: "rep@alborz.example", role: "partner_rep", partnerId: ALBORZ },
  { label: "reseller admin (Noor, under Alborz)", email: "admin@noor.example", role: "partner_admin", partnerId: NOOR },
  { label: "reseller rep (Noor, under Alborz)", email: "rep@noor.example", role: "partner_rep", partnerId: NOOR },
  { label: "reseller admin (Zandiyeh, under Pars)", email: "admin@zandiyeh.example", role: "partner_admin", partnerId: ZANDIYEH },
  { label: "reseller rep (Zandiyeh, under Pars)", email: "rep@zandiyeh.example", role: "partner_rep", partnerId: ZANDIYEH },
  { label: "independent reseller rep (Aftab)", email: "rep@aftab.example", role: "partner_rep", partnerId: AFTAB },
  // The demo has no Aftab admin: beforeAll invites one.
  { label: "independent reseller admin (Aftab)", email: "", role: "partner_admin", partnerId: AFTAB },
];

type Kind = "customer" | "need" | "partner" | "user" | "serveRequest" | "importJob" | "segment" | "toolkit" | "toolkitAsset" | "toolkitTemplate" | "toolkitRender" | "partnerPrice" | "order" | "notification" | "idea" | "ideaFollowUp";
interface Target {
  kind: Kind;
  id: string;
  /** Shown on the object's own page; must not appear in a refusal. */
  name: string | null;
}

/**
 * Every way to reach an object by id. `permission` is what the route checks first: a role without
 * it gets 403, everyone else 404 for an object outside their scope. `route` is the route file, so the
 * guard below fails when a route with an id is added and not probed here.
 */
interface Probe {
  route: string;
  kind: Kind;
  what: string;
  permission: Permission;
  path: (id: string, own: OwnIds) => string;
  /** Omitted: a GET. */
  form?: (id: string, own: OwnIds) => Form;
  /** A list that must show only the actor's own customers (200), rather than a refusal. */
  filtered?: true;
  /** A page every partner of the brand may see (200), which must not show the target's name (another partner's price, another partner's customer). */
  shared?: true;
}
interface OwnIds {
  customerId: string;
  categoryId: string;
  prefKeyId: string;
}

const PROBES: Probe[] = [
  { route: "_app.customers.$id", kind: "customer", what: "profile", permission: "customers.view", path: (id) => `/customers/${id}` },
  ...(
    [
      ["edit", () => ({ intent: "edit", ...customerForm({ displayName: "ربوده" }) })],
      ["need", (_id: string, o: OwnIds) => ({ intent: "need", categoryId: o.categoryId, body: "ربوده", priority: "high", productId: "" })],
      ["interaction", () => ({ intent: "interaction", kind: "call", channel: "phone", note: "ربوده", occurredOn: "" })],
      ["consent", () => ({ intent: "consent", partner_contact: "on", brand_contact: "on", share_partners: "on" })],
      ["preferences", (_id: string, o: OwnIds) => ({ intent: "preferences", [`pref_${o.prefKeyId}`]: "ربوده" })],
    ] as const
  ).map(([intent, form]): Probe => ({ route: "_app.customers.$id", kind: "customer", what: `POST ${intent}`, permission: "customers.register", path: (id) => `/customers/${id}`, form })),
  {
    route: "_app.customers.$id",
    kind: "need",
    what: "POST need_status (on an own customer)",
    permission: "customers.register",
    path: (_id, o) => `/customers/${o.customerId}`,
    form: (id) => ({ intent: "need_status", needId: id, status: "declined" }),
  },
  { route: "_app.customers._index", kind: "partner", what: "list filtered by partnerId", permission: "customers.view", path: (id) => `/customers?partnerId=${id}`, filtered: true },
  { route: "_app.partners.$id", kind: "partner", what: "page", permission: "partners.view", path: (id) => `/partners/${id}` },
  { route: "_app.partners.$id", kind: "partner", what: "POST tier", permission: "partners.view", path: (id) => `/partners/${id}`, form: () => ({ intent: "tier", tier: "platinum" }) },
  { route: "_app.partners.$id", kind: "partner", what: "POST active", permission: "partners.view", path: (id) => `/partners/${id}`, form: () => ({ intent: "active", active: "false" }) },
  {
    route: "_app.partners.$id",
    kind: "partner",
    what: "POST edit",
    permission: "partners.view",
    path: (id) => `/partners/${id}`,
    form: () => ({ nameFa: "ربوده", nameEn: "Taken", type: "reseller", parentId: "", tier: "gold", province: "fars", city: "شیراز", phone: "", address: "" }),
  },
  { route: "partners.$id.logo", kind: "partner", what: "logo", permission: "customers.view", path: (id) => `/partners/${id}/logo` },
  { route: "_app.users.$id", kind: "user", what: "page", permission: "users.manage", path: (id) => `/users/${id}` },
  { route: "_app.users.$id", kind: "user", what: "POST status", permission: "users.manage", path: (id) => `/users/${id}`, form: () => ({ intent: "status", status: "disabled" }) },
  { route: "_app.users.$id", kind: "user", what: "POST role", permission: "users.manage", path: (id) => `/users/${id}`, form: () => ({ intent: "role", role: "partner_rep" }) },
  { route: "_app.users.$id", kind: "user", what: "POST reinvite", permission: "users.manage", path: (id) => `/users/${id}`, form: () => ({ intent: "reinvite" }) },
  { route: "_app.conflicts.$id", kind: "serveRequest", what: "page", permission: "conflicts.resolve", path: (id) => `/conflicts/${id}` },
  { route: "_app.conflicts.$id", kind: "serveRequest", what: "POST decision", permission: "conflicts.resolve", path: (id) => `/conflicts/${id}`, form: () => ({ decision: "approve", reason: "" }) },
  { route: "_app.customers.import_.$jobId", kind: "importJob", what: "page", permission: "customers.import", path: (id) => `/customers/import/${id}` },
  {
    route: "_app.customers.import_.$jobId",
    kind: "importJob",
    what: "POST map",
    permission: "customers.import",
    path: (id) => `/customers/import/${id}`,
    form: () => ({ intent: "map", "map.displayName": "0", "map.phone": "1", "map.city": "2" }),
  },
  { route: "customers.import.$jobId.rejected[.]csv", kind: "importJob", what: "rejected rows CSV", permission: "customers.import", path: (id) => `/customers/import/${id}/rejected.csv` },
  { route: "_app.customers.import_.$jobId", kind: "importJob", what: "POST commit", permission: "customers.import", path: (id) => `/customers/import/${id}`, form: () => ({ intent: "commit", mode: "valid_only" }) },
  { route: "_app.segments._index", kind: "segment", what: "POST delete", permission: "customers.view", path: () => "/segments", form: (id) => ({ intent: "delete", id }) },
  // A product is the brand's, seen by every partner; the price agreed with another partner is not.
  { route: "_app.catalog.$id", kind: "partnerPrice", what: "catalogue product with a quote", permission: "catalog.view", path: (id) => `/catalog/${id}?qty=1`, shared: true },
  { route: "_app.products.$id", kind: "partnerPrice", what: "product edit page", permission: "catalog.manage", path: (id) => `/products/${id}` },
  {
    route: "_app.products.$id",
    kind: "partnerPrice",
    what: "POST edit product",
    permission: "catalog.manage",
    path: (id) => `/products/${id}`,
    form: () => ({ intent: "product", sku: "TAKEN-1", nameFa: "ربوده", nameEn: "Taken", unit: "piece", listPrice: "1", retailPrice: "1", cost: "1", fulfilment: "stock", stockOnHand: "0", dailyCapacity: "0", leadTimeDays: "0", handlingDays: "0" }),
  },
  { route: "customers.export[.]csv", kind: "segment", what: "export of a segment", permission: "customers.export", path: (id) => `/customers/export.csv?segment=${id}` },
  { route: "_app.toolkits.$id", kind: "toolkit", what: "library page of a toolkit outside the audience", permission: "toolkits.view", path: (id) => `/toolkits/${id}` },
  // Files and covers answer whoever may open the toolkit, so every role gets 404 here (customers.view: every role).
  { route: "toolkits.$id.cover", kind: "toolkit", what: "cover", permission: "customers.view", path: (id) => `/toolkits/${id}/cover` },
  { route: "toolkits.$id.assets.$assetId", kind: "toolkitAsset", what: "file download", permission: "customers.view", path: (id) => `/toolkits/${id.replace(":", "/assets/")}` },
  { route: "_app.toolkits.manage.$id", kind: "toolkit", what: "editor", permission: "toolkits.manage", path: (id) => `/toolkits/manage/${id}` },
  { route: "toolkits.manage.$id.preview", kind: "toolkit", what: "POST template editor preview", permission: "toolkits.manage", path: (id) => `/toolkits/manage/${id}/preview`, form: () => ({ lang: "fa", html: "<p>ربوده</p>", css: "" }) },
  // Templates of toolkits outside the actor's audience (or not published): id is toolkit:template.
  { route: "_app.toolkits.$id_.templates.$templateId", kind: "toolkitTemplate", what: "personalise page", permission: "toolkits.view", path: (id) => `/toolkits/${id.replace(":", "/templates/")}` },
  { route: "toolkits.$id.templates.$templateId.preview", kind: "toolkitTemplate", what: "preview", permission: "toolkits.view", path: (id) => `/toolkits/${id.replace(":", "/templates/")}/preview?partner_name=x` },
  { route: "toolkits.$id.templates.$templateId.render", kind: "toolkitTemplate", what: "POST render", permission: "toolkits.view", path: (id) => `/toolkits/${id.replace(":", "/templates/")}/render`, form: () => ({ format: "pdf_a4", partner_name: "ربوده" }) },
  // Files other partners made: id is toolkit:render.
  { route: "toolkits.$id.files.$renderId", kind: "toolkitRender", what: "earlier file", permission: "toolkits.view", path: (id) => `/toolkits/${id.replace(":", "/files/")}` },
  ...(
    [
      ["details", () => ({ intent: "details", titleFa: "ربوده", titleEn: "Taken", startsOn: "", endsOn: "" })],
      ["audience", () => ({ intent: "audience", all: "on" })],
      ["publish", () => ({ intent: "publish", version: "1" })],
      ["archive", () => ({ intent: "archive" })],
    ] as const
  ).map(([intent, form]): Probe => ({ route: "_app.toolkits.manage.$id", kind: "toolkit", what: `POST ${intent}`, permission: "toolkits.manage", path: (id) => `/toolkits/manage/${id}`, form })),
  { route: "_app.orders._index", kind: "customer", what: "orders list of a customer", permission: "orders.view", path: (id) => `/orders?customer=${id}`, filtered: true },
  { route: "_app.orders.$id", kind: "order", what: "order page", permission: "orders.view", path: (id) => `/orders/${id}` },
  { route: "orders.$id.proforma[.]pdf", kind: "order", what: "proforma PDF", permission: "orders.view", path: (id) => `/orders/${id}/proforma.pdf` },
  { route: "orders.$id.packing-slip[.]pdf", kind: "order", what: "packing slip PDF", permission: "orders.view", path: (id) => `/orders/${id}/packing-slip.pdf` },
  ...(
    [
      ["cancel", () => ({ intent: "cancel", reason: "ربوده" })],
      ["approve", () => ({ intent: "approve", reason: "" })],
      ["ship", () => ({ intent: "ship", reason: "" })],
      ["reorder", () => ({ intent: "reorder" })],
    ] as const
  ).map(([intent, form]): Probe => ({ route: "_app.orders.$id", kind: "order", what: `POST ${intent}`, permission: "orders.view", path: (id) => `/orders/${id}`, form })),
  // Ideas are brand-wide (200 for every partner); the customers other partners linked to them are
  // counted, never named: the target's name is the id of such a customer.
  { route: "_app.ideas.$id", kind: "idea", what: "idea page with other partners' customers", permission: "ideas.view", path: (id) => `/ideas/${id}`, shared: true },
  { route: "_app.ideas.$id", kind: "idea", what: "idea page searching customers to link", permission: "ideas.view", path: (id) => `/ideas/${id}?q=%D8%A7`, shared: true },
  // "You asked, we built" rows are the partner's own: another's is a 404 and stays on its list.
  { route: "_app.ideas.built", kind: "ideaFollowUp", what: "POST contacted", permission: "ideas.follow_up", path: () => "/ideas/built", form: (id) => ({ followUpId: id, channel: "phone", note: "ربوده" }) },
  // Opening a notification marks it read: another partner's (or another user's) stays unread.
  { route: "_app.notifications_.$id", kind: "notification", what: "open (mark read)", permission: "customers.view", path: (id) => `/notifications/${id}` },
];

/** Route files with an id in the URL that hold no partner-owned object to probe. */
const NOT_PARTNER_OWNED: Record<string, string> = {
  "_app.$": "any address no other route knows: always 404 (routes.test.ts)",
  "invite.$token": "a secret link for one invitee, not an id of a partner's object (unknown links: hostile.spec.ts)",
  "products.$id.image": "a product's picture, the same for every partner of the brand (who may see it: routes.test.ts)",
  "login_.reset.$token": "a secret password-reset link for one account, not an id of a partner's object (unknown, spent and expired links: tests/integration/mail.test.ts)",
};

// ---------------------------------------------------------------------------------------------

const db = () => e2eDb();
type Snapshot = Record<string, unknown>;

/** The state of a target that any probe could change, read straight from the database (`visible`: the actor's partners). */
async function snapshot(t: Target, visible: string[]): Promise<Snapshot> {
  const d = db();
  const count = async (table: "customer_needs" | "interactions" | "consent_events" | "customer_preferences") =>
    (await d.selectFrom(table).select(d.fn.countAll<number>().as("n")).where("customer_id", "=", t.id).executeTakeFirstOrThrow()).n;
  switch (t.kind) {
    case "customer":
      return {
        row: await d.selectFrom("customers").select(["display_name", "phone", "email", "city", "updated_at"]).where("id", "=", t.id).executeTakeFirst(),
        needs: await count("customer_needs"),
        interactions: await count("interactions"),
        consents: await count("consent_events"),
        prefs: await count("customer_preferences"),
      };
    case "need":
      return { row: await d.selectFrom("customer_needs").select(["status", "body"]).where("id", "=", t.id).executeTakeFirst() };
    case "partner":
      return { row: await d.selectFrom("partners").select(["name_fa", "tier", "active", "city", "updated_at"]).where("id", "=", t.id).executeTakeFirst() };
    case "user":
      return { row: await d.selectFrom("users").select(["status", "role", "display_name", "partner_id"]).where("id", "=", t.id).executeTakeFirst() };
    case "serveRequest":
      return { row: await d.selectFrom("serve_requests").select(["status"]).where("id", "=", t.id).executeTakeFirst() };
    case "importJob":
      return { row: await d.selectFrom("import_jobs").select(["status", "mapping", "mode", "updated_at"]).where("id", "=", t.id).executeTakeFirst() };
    case "segment":
      return { row: await d.selectFrom("segments").select(["name", "filters"]).where("id", "=", t.id).executeTakeFirst() };
    case "toolkit":
      return {
        row: await d.selectFrom("toolkits").select(["status", "current_version", "draft_version", "updated_at"]).where("id", "=", t.id).executeTakeFirst(),
        versions: await d.selectFrom("toolkit_versions").select(["version", "title_fa", "audience_all"]).where("toolkit_id", "=", t.id).orderBy("version").execute(),
      };
    case "toolkitAsset":
      return { rows: await d.selectFrom("toolkit_assets").select(["version", "title", "storage_key"]).where("id", "=", t.id.split(":")[1]).orderBy("version").execute() };
    case "order":
      return {
        row: await d.selectFrom("orders").select(["status", "total_rial", "updated_at"]).where("id", "=", t.id).executeTakeFirst(),
        lines: await d.selectFrom("order_lines").select(["product_id", "quantity"]).where("order_id", "=", t.id).orderBy("id").execute(),
      };
    case "partnerPrice":
      return {
        row: await d.selectFrom("products").select(["sku", "name_fa", "list_price_rial", "updated_at"]).where("id", "=", t.id).executeTakeFirst(),
        prices: await d.selectFrom("partner_prices").select(["partner_id", "net_price_rial"]).where("product_id", "=", t.id).orderBy("partner_id").execute(),
      };
    case "toolkitTemplate":
      // Files the actor's partners made from it: the only ones a leak could add (other specs make files for theirs meanwhile).
      return {
        renders: (await d.selectFrom("toolkit_renders").select(d.fn.countAll<number>().as("n")).where("template_id", "=", t.id.split(":")[1]).where("partner_id", "in", visible).executeTakeFirstOrThrow()).n,
      };
    case "toolkitRender":
      return { row: await d.selectFrom("toolkit_renders").selectAll().where("id", "=", t.id.split(":")[1]).executeTakeFirst() };
    case "notification":
      return { row: await d.selectFrom("notifications").select(["read_at"]).where("id", "=", t.id).executeTakeFirst() };
    case "idea":
      return {
        row: await d.selectFrom("ideas").select(["status", "answer", "merged_into_id", "updated_at"]).where("id", "=", t.id).executeTakeFirst(),
        links: await d.selectFrom("idea_customers").select(["customer_id", "partner_id"]).where("idea_id", "=", t.id).orderBy("id").execute(),
      };
    case "ideaFollowUp":
      return { row: await d.selectFrom("idea_follow_ups").select(["contacted_at", "contacted_by_user_id"]).where("id", "=", t.id).executeTakeFirst() };
  }
}

const servedBy = (ids: string[]) => db().selectFrom("customer_partners").select("customer_id").where("partner_id", "in", ids);

/** Customers on a list page that none of the visible partners serves. */
async function foreignCustomersShown(html: string, visible: string[]): Promise<string[]> {
  const shown = customerLinks(html).map((link) => link.slice("/customers/".length));
  if (!shown.length) return [];
  return (await db().selectFrom("customers").select("id").where("id", "in", shown).where("id", "not in", servedBy(visible)).execute()).map((r) => r.id);
}

/** Partners whose data the actor may see: its own and, for a distributor, its resellers. */
async function visiblePartners(partnerId: string): Promise<string[]> {
  const children = await db().selectFrom("partners").select("id").where("parent_id", "=", partnerId).execute();
  return [partnerId, ...children.map((c) => c.id)];
}

/** Up to IDS_PER_KIND objects of each kind the actor must not reach, spread over other partners. */
async function targetsFor(visible: string[]): Promise<Target[]> {
  const d = db();
  const hidden = [...new Set([...visible, ...BUSY_PARTNERS])];
  const customers = await d
    .selectFrom("customers")
    .select(["id", "display_name as name"])
    .where("id", "not in", servedBy(hidden))
    .orderBy("id")
    .limit(IDS_PER_KIND)
    .execute();
  const needs = await d
    .selectFrom("customer_needs")
    .select(["id", "body as name"])
    // Only the need's own row is compared, which no other spec changes on customers it did not make.
    .where("customer_id", "not in", servedBy(visible))
    .orderBy("id")
    .limit(IDS_PER_KIND)
    .execute();
  const partners = await d.selectFrom("partners").select(["id", "name_fa as name"]).where("id", "not in", hidden).orderBy("id").limit(IDS_PER_KIND).execute();
  const users = await d
    .selectFrom("users")
    .select(["id", "display_name as name"])
    .where("partner_id", "is not", null)
    .where("partner_id", "not in", [...visible, ALBORZ, NOOR])
    .orderBy("id")
    .limit(IDS_PER_KIND)
    .execute();
  const requests = await d.selectFrom("serve_requests").select(["id"]).orderBy("id").limit(IDS_PER_KIND).execute();
  const jobs = await d.selectFrom("import_jobs").select(["id", "file_name as name"]).where("partner_id", "not in", visible).where("file_name", "like", "probe-%").limit(IDS_PER_KIND).execute();
  const segments = await d.selectFrom("segments").select(["id", "name"]).where("partner_id", "not in", visible).where("name", "like", "probe %").limit(IDS_PER_KIND).execute();
  // Only the demo's own toolkits: toolkits.spec.ts publishes others while this runs.
  const toolkits = await d
    .selectFrom("toolkits")
    .innerJoin("toolkit_versions as v", (j) => j.onRef("v.toolkit_id", "=", "toolkits.id").on((eb) => eb("v.version", "=", eb.fn.coalesce("toolkits.current_version", "toolkits.draft_version"))))
    .selectAll("v")
    .select(["toolkits.id", "toolkits.status"])
    .where("toolkits.id", "like", "01DEMQTOOLKIT%")
    .execute();
  const own = await d.selectFrom("partners").select(["id", "tier", "type", "province"]).where("id", "=", visible[0]).executeTakeFirstOrThrow();
  const hiddenKits = toolkits.filter((k) => k.status !== "published" || !audienceIncludes(audienceOf(k), own));
  const kitAssets = hiddenKits.length ? await d.selectFrom("toolkit_assets").select(["toolkit_id", "id", "title"]).where("toolkit_id", "in", hiddenKits.map((k) => k.id)).execute() : [];
  // Prices agreed with any partner but the actor's own (a distributor does not see its resellers' either).
  const prices = await d
    .selectFrom("partner_prices")
    .innerJoin("brands", "brands.id", "partner_prices.brand_id")
    .select(["partner_prices.product_id", "partner_prices.net_price_rial", "brands.money_unit"])
    .where("partner_prices.partner_id", "!=", visible[0])
    .orderBy("partner_prices.product_id")
    .limit(IDS_PER_KIND)
    .execute();
  const kitTemplates = hiddenKits.length ? await d.selectFrom("toolkit_templates").select(["toolkit_id", "id", "name_fa"]).where("toolkit_id", "in", hiddenKits.map((k) => k.id)).execute() : [];
  const renders = await d.selectFrom("toolkit_renders").select(["toolkit_id", "id", "file_name"]).where("partner_id", "not in", visible).where("file_name", "like", "probe-%").limit(IDS_PER_KIND).execute();
  // The demo's own orders (other specs place new ones while this runs), of partners the actor may not see.
  const orders = await d.selectFrom("orders").select(["id", "number as name"]).where("id", "like", "01DEMQORDER%").where("partner_id", "not in", visible).orderBy("id").limit(IDS_PER_KIND).execute();
  // The demo's own notifications of the brand team and of partners the actor is not (a distributor does not read its resellers').
  const notifications = await d.selectFrom("notifications").select("id").where("id", "like", "01DEMQNOTIFY%").where((eb) => eb.or([eb("partner_id", "is", null), eb.and([eb("partner_id", "!=", visible[0]), eb("partner_id", "not in", BUSY_PARTNERS)])])).orderBy("id").limit(IDS_PER_KIND).execute();
  // Demo ideas with a customer linked by another partner (or the brand) that the actor's partners do not serve.
  const ideaLinks = await d
    .selectFrom("idea_customers")
    .select(["idea_id as id", "customer_id as name"])
    .where("idea_id", "like", "01DEMQIDEA%")
    .where((eb) => eb.or([eb("partner_id", "is", null), eb("partner_id", "not in", visible)]))
    .where("customer_id", "not in", servedBy(visible))
    .orderBy("idea_id")
    .limit(IDS_PER_KIND)
    .execute();
  const followUps = await d.selectFrom("idea_follow_ups").select("id").where("partner_id", "not in", visible).where("contacted_at", "is", null).where("idea_id", "like", "01DEMQIDEA%").orderBy("id").limit(IDS_PER_KIND).execute();
  const as = (kind: Kind, rows: { id: string; name?: string | null }[]) => rows.map((r) => ({ kind, id: r.id, name: r.name ?? null }));
  return [
    ...as("customer", customers),
    ...as("need", needs),
    ...as("partner", partners),
    ...as("user", users),
    ...as("serveRequest", requests),
    ...as("importJob", jobs),
    ...as("segment", segments),
    ...as("toolkit", hiddenKits.map((k) => ({ id: k.id, name: k.title_fa }))),
    ...as("toolkitAsset", kitAssets.map((a) => ({ id: `${a.toolkit_id}:${a.id}`, name: a.title }))),
    // The name to look for is the price as the page would show it: Persian digits, the brand's unit.
    ...as("order", orders),
    ...as("notification", notifications),
    ...as("idea", ideaLinks),
    ...as("ideaFollowUp", followUps),
    ...as("partnerPrice", prices.map((p) => ({ id: p.product_id, name: formatMoney(p.net_price_rial, "fa", p.money_unit) }))),
    ...as("toolkitTemplate", kitTemplates.map((t) => ({ id: `${t.toolkit_id}:${t.id}`, name: t.name_fa }))),
    ...as("toolkitRender", renders.map((r) => ({ id: `${r.toolkit_id}:${r.id}`, name: r.file_name }))),
  ];
}

/** An own customer, an active need category and a preference key: the valid parts of a form. */
async function ownIds(visible: string[]): Promise<OwnIds> {
  const d = db();
  const [customer, category, prefKey] = await Promise.all([
    d.selectFrom("customer_partners").select("customer_id").where("partner_id", "in", visible).orderBy("customer_id").executeTakeFirstOrThrow(),
    d.selectFrom("need_categories").select("id").where("active", "=", true).orderBy("sort").executeTakeFirstOrThrow(),
    d.selectFrom("preference_keys").select("id").orderBy("sort").executeTakeFirstOrThrow(),
  ]);
  return { customerId: customer.customer_id, categoryId: category.id, prefKeyId: prefKey.id };
}

// ---------------------------------------------------------------------------------------------

const totals = { requests: 0, leaks: 0, ids: new Set<string>(), routes: new Set<string>(), actors: 0 };
const sessions = new Map<string, APIRequestContext>();
const stamp = () => process.env.E2E_DB_NAME!.slice(-6);

test.describe("cross-partner probe", () => {
  test.describe.configure({ timeout: 240_000 });

  test.beforeAll(async () => {
    const csvFile = (partner: string) => ({ field: "file", name: `probe-${partner}.csv`, mimeType: "text/csv", buffer: Buffer.from("نام,موبایل,شهر\nپروب,09350000000,شیراز\n") });
    // Objects for the others to reach for: an import job and a segment of three partners.
    for (const actor of ACTORS.filter((a) => ["rep@aftab.example", "rep@zandiyeh.example", "admin@alborz.example"].includes(a.email))) {
      const api = await signedIn(actor.email);
      sessions.set(actor.label, api);
      expect((await post(api, "/customers/import", csvFile(actor.partnerId))).status()).toBe(302);
      expect((await post(api, "/segments", { name: `probe ${actor.partnerId} ${stamp()}`, province: "fars" })).status()).toBe(302);
    }
    // A price agreed with the independent reseller, so Noor's people (whose own price the demo has) have one to reach for.
    const manager = await signedIn("manager@brand.example");
    const teaMaker = await db().selectFrom("products").select("id").where("sku", "=", "TM-210").executeTakeFirstOrThrow();
    expect((await post(manager, "/pricing", { intent: "partner_price", partnerId: AFTAB, productId: teaMaker.id, netPrice: "21000000" })).status()).toBe(200);
    await manager.dispose();
    // Files two partners made from the Nowruz card, for the others to reach for (rows only: a
    // refusal never reads the file).
    for (const partnerId of [AFTAB, ZANDIYEH]) {
      const user = await db().selectFrom("users").select(["id", "brand_id"]).where("partner_id", "=", partnerId).executeTakeFirstOrThrow();
      await db()
        .insertInto("toolkit_renders")
        .values({ id: ulid(), brand_id: user.brand_id, toolkit_id: "01DEMQTOOLKIT0000000000001", version: 1, template_id: "01DEMQTKTEMPL0000000000001", partner_id: partnerId, user_id: user.id, customer_id: null, format: "pdf_a4", storage_key: "renders/probe.pdf", mime: "application/pdf", size_bytes: 1, file_name: `probe-${partnerId}.pdf`, cached: false, created_at: new Date() })
        .execute();
    }
    // "You asked, we built" rows of two partners for a demo idea (rows only, as if it had shipped).
    for (const partnerId of [AFTAB, ZANDIYEH]) {
      const served = await db().selectFrom("customer_partners").select(["customer_id", "brand_id"]).where("partner_id", "=", partnerId).orderBy("customer_id").executeTakeFirstOrThrow();
      await db().insertInto("idea_follow_ups").values({ id: ulid(), brand_id: served.brand_id, idea_id: "01DEMQIDEA0000000000000004", customer_id: served.customer_id, partner_id: partnerId, created_at: new Date() }).execute();
    }
    // The independent reseller's admin, invited by the brand admin and signed in by accepting.
    const brand = await signedIn("admin@brand.example");
    const email = `probe-${stamp()}-${test.info().workerIndex}@aftab.example`;
    const invited = await post(brand, "/users/new", { email, displayName: "مدیر آفتاب", role: "partner_admin", partnerId: AFTAB });
    expect(invited.status()).toBe(200);
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(await invited.text())![1];
    await brand.dispose();
    ACTORS[7].email = email;
    const invitee = await request.newContext({ baseURL });
    expect((await post(invitee, `/invite/${token}`, { password: "probe-password-1404", confirm: "probe-password-1404" })).status()).toBe(302);
    // A logo on the independent reseller, so the logo route has something to withhold.
    expect((await post(invitee, "/profile", { field: "logo", name: "logo.png", mimeType: "image/png", buffer: PNG_1X1 })).status()).toBe(200);
    sessions.set(ACTORS[7].label, invitee);
  });

  test.afterAll(async () => {
    await Promise.all([...sessions.values()].map((s) => s.dispose()));
    await closeE2eDb();
  });

  test("every route with an id in its path is probed (or says why not)", () => {
    const withId = readdirSync(new URL("../../app/routes/", import.meta.url))
      .map((f) => f.replace(/\.tsx?$/, ""))
      .filter((f) => f.includes("$"));
    const probed = new Set(PROBES.map((p) => p.route));
    expect(withId.filter((f) => !probed.has(f) && !NOT_PARTNER_OWNED[f])).toEqual([]);
  });

  for (const actor of ACTORS) {
    test(`${actor.label} reaches no other partner's objects`, async () => {
      const api = sessions.get(actor.label) ?? (await signedIn(actor.email));
      sessions.set(actor.label, api);
      const visible = await visiblePartners(actor.partnerId);
      const [targets, own] = await Promise.all([targetsFor(visible), ownIds(visible)]);
      for (const kind of ["customer", "need", "partner", "user", "serveRequest", "importJob", "segment", "toolkit", "toolkitAsset", "toolkitTemplate", "toolkitRender", "partnerPrice", "order", "notification", "idea", "ideaFollowUp"] as const) {
        expect(targets.filter((t) => t.kind === kind).length, `targets of kind ${kind}`).toBeGreaterThan(0);
      }
      const before = await Promise.all(targets.map((t) => snapshot(t, visible)));
      const leaks: string[] = [];
      let requests = 0;
      for (const probe of PROBES) {
        for (const target of targets.filter((t) => t.kind === probe.kind)) {
          const path = probe.path(target.id, own);
          const response = probe.form ? await post(api, path, probe.form(target.id, own)) : await get(api, path);
          requests += 1;
          totals.ids.add(target.id);
          totals.routes.add(`${probe.route} ${probe.what}`);
          const body = await response.text();
          const allowed = can({ role: actor.role }, probe.permission);
          const label = `${probe.what} ${path} → ${response.status()}`;
          if (probe.shared) {
            if (response.status() !== (allowed ? 200 : 403)) leaks.push(label);
            if (target.name && body.includes(target.name)) leaks.push(`${label}: shows another partner's ${target.kind === "idea" ? "customer" : "price"} ${target.name}`);
            continue;
          }
          if (probe.filtered) {
            if (!allowed) {
              if (response.status() !== 403) leaks.push(label);
            } else if (response.status() !== 200) leaks.push(label);
            else if ((await foreignCustomersShown(body, visible)).length) leaks.push(`${label}: customers of another partner`);
            continue;
          }
          if (response.status() !== (allowed ? 404 : 403)) leaks.push(label);
          if (target.name && target.name.length >= 6 && body.includes(target.name)) leaks.push(`${label}: shows "${target.name}"`);
        }
      }
      const after = await Promise.all(targets.map((t) => snapshot(t, visible)));
      targets.forEach((t, i) => {
        if (JSON.stringify(after[i]) !== JSON.stringify(before[i])) leaks.push(`${t.kind} ${t.id} changed`);
      });
      totals.requests += requests;
      totals.leaks += leaks.length;
      totals.actors += 1;
      console.log(`probe: ${actor.label}: ${requests} requests on ${targets.length} ids, ${leaks.length} leaks`);
      expect(leaks).toEqual([]);
    });
  }

  test("totals", () => {
    console.log(
      `probe totals: ${totals.actors} partner users × ${totals.routes.size} route/intent pairs (${PROBES.length} probes on ${new Set(PROBES.map((p) => p.route)).size} route files) × ${totals.ids.size} distinct ids = ${totals.requests} requests, ${totals.leaks} leaks`,
    );
    expect(totals.actors).toBe(ACTORS.length);
    expect(totals.leaks).toBe(0);
  });
});
