import { readdirSync } from "node:fs";
import { createInstance } from "i18next";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "#db/schema";
import * as appIndex from "~/routes/_app._index";
import * as accountSecurity from "~/routes/_app.account.security";
import * as audit from "~/routes/_app.audit";
import * as conflictPage from "~/routes/_app.conflicts.$id";
import * as conflictsIndex from "~/routes/_app.conflicts._index";
import * as customerPage from "~/routes/_app.customers.$id";
import * as customersIndex from "~/routes/_app.customers._index";
import * as customersImport from "~/routes/_app.customers.import";
import * as importJob from "~/routes/_app.customers.import_.$jobId";
import * as customersNew from "~/routes/_app.customers.new";
import * as customersToday from "~/routes/_app.customers.today";
import * as notifications from "~/routes/_app.notifications";
import * as openNotification from "~/routes/_app.notifications_.$id";
import * as segments from "~/routes/_app.segments._index";
import * as settings from "~/routes/_app.settings";
import * as serveRequests from "~/routes/_app.serve-requests";
import * as incomingRequests from "~/routes/_app.serve-requests_.incoming";
import * as customersExport from "~/routes/customers.export[.]csv";
import * as rejectedRows from "~/routes/customers.import.$jobId.rejected[.]csv";
import * as auditExport from "~/routes/audit[.]csv";
import * as partnerPage from "~/routes/_app.partners.$id";
import * as partnersIndex from "~/routes/_app.partners._index";
import * as partnersNew from "~/routes/_app.partners.new";
import * as profile from "~/routes/_app.profile";
import * as appLayout from "~/routes/_app";
import * as notFound from "~/routes/_app.$";
import * as userPage from "~/routes/_app.users.$id";
import * as usersIndex from "~/routes/_app.users._index";
import * as usersNew from "~/routes/_app.users.new";
import * as invite from "~/routes/invite.$token";
import * as locale from "~/routes/locale";
import * as login from "~/routes/login";
import * as loginSecondStep from "~/routes/login_.two-factor";
import * as forgotPassword from "~/routes/login_.forgot";
import * as resetPassword from "~/routes/login_.reset.$token";
import * as logout from "~/routes/logout";
import * as logo from "~/routes/partners.$id.logo";
import * as toolkitAnalytics from "~/routes/_app.toolkits.analytics";
import * as toolkitLibrary from "~/routes/_app.toolkits._index";
import * as toolkitPage from "~/routes/_app.toolkits.$id";
import * as toolkitsManage from "~/routes/_app.toolkits.manage._index";
import * as toolkitEdit from "~/routes/_app.toolkits.manage.$id";
import * as toolkitAsset from "~/routes/toolkits.$id.assets.$assetId";
import * as toolkitCover from "~/routes/toolkits.$id.cover";
import * as catalogProduct from "~/routes/_app.catalog.$id";
import * as catalogIndex from "~/routes/_app.catalog._index";
import * as pricing from "~/routes/_app.pricing";
import * as productPage from "~/routes/_app.products.$id";
import * as productsIndex from "~/routes/_app.products._index";
import * as productsNew from "~/routes/_app.products.new";
import * as productImage from "~/routes/products.$id.image";
import * as productImport from "~/routes/_app.products.import";
import * as productExport from "~/routes/products.export[.]csv";
import * as toolkitPersonalise from "~/routes/_app.toolkits.$id_.templates.$templateId";
import * as toolkitPreview from "~/routes/toolkits.$id.templates.$templateId.preview";
import * as toolkitRender from "~/routes/toolkits.$id.templates.$templateId.render";
import * as toolkitFile from "~/routes/toolkits.$id.files.$renderId";
import * as templatePreview from "~/routes/toolkits.manage.$id.preview";
import { addAsset, addTemplate, createToolkit, publishToolkit, setAudience, setCover } from "~/models/toolkits/manage.server";
import * as cart from "~/routes/_app.cart";
import * as orderPage from "~/routes/_app.orders.$id";
import * as packingSlip from "~/routes/orders.$id.packing-slip[.]pdf";
import * as proforma from "~/routes/orders.$id.proforma[.]pdf";
import * as ordersIndex from "~/routes/_app.orders._index";
import * as ideasBoard from "~/routes/_app.ideas._index";
import * as ideasNew from "~/routes/_app.ideas.new";
import * as ideaPage from "~/routes/_app.ideas.$id";
import * as ideasBuilt from "~/routes/_app.ideas.built";
import * as ideasSimilar from "~/routes/ideas.similar";
import * as productChoices from "~/routes/products.choices";
import * as partnerChoices from "~/routes/partners.choices";
import * as insightsIndex from "~/routes/_app.insights._index";
import * as insightsTruths from "~/routes/_app.insights.truths";
import * as insightsCsv from "~/routes/insights[.]csv";
import { i18nConfig } from "~/i18n";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { getActor } from "~/utils/session.server";
import { storage } from "~/utils/storage.server";
import { registerAs } from "../customer-factories";
import { actorFor, createNetwork, PASSWORD, signedInCookie, testAddress } from "../factories";
import { call, errorKeys, hit, makeRequest, type Outcome } from "../routes";

type Network = Awaited<ReturnType<typeof createNetwork>>;
type Handler = Parameters<typeof call>[0];

/** One user per role, all in (or over) the independent reseller, so every allowed role may see the targets. */
const ACTING: Record<Role, keyof Network["users"]> = {
  brand_admin: "brandAdmin",
  brand_manager: "brandManager",
  channel_manager: "channelManager",
  partner_admin: "independentAdmin",
  partner_rep: "independentRep",
};
const BRAND: Role[] = ["brand_admin", "brand_manager", "channel_manager"];
const EVERYONE: Role[] = [...ROLES];

interface Expected {
  status: number;
  location?: string;
}

interface Row {
  file: string;
  handler: "loader" | "action";
  what: string;
  fn: Handler;
  path: (net: Network) => string;
  params?: (net: Network) => Record<string, string>;
  /** Form for actions; chosen so an allowed role gets a validation answer and nothing is written. */
  form?: Record<string, string>;
  /** Signed-in roles allowed through; everyone else must get 403. Omitted for public routes. */
  allowed?: Role[];
  /** What an allowed role (or, for a public route, anyone) gets. */
  ok: Expected | ((signedIn: boolean) => Expected);
}

const PARTNER_ROLES: Role[] = ["partner_admin", "partner_rep"];
const RESOLVERS: Role[] = ["brand_admin", "channel_manager"];
const UNKNOWN_ID = "01ZZZZZZZZZZZZZZZZZZZZZZZZ";
/** A customer of the independent reseller, visible to every acting user. */
let customerId = "";
const partnerId = (net: Network) => ({ id: net.partners.independent });
const userId = (net: Network) => ({ id: net.users.independentRep.id });
/** A toolkit published to every partner, with a file and a cover. */
const toolkit = { id: "", assetId: "", templateId: "", renderId: "" };
const toolkitId = () => ({ id: toolkit.id });
const templateParams = () => ({ id: toolkit.id, templateId: toolkit.templateId });
const TOOLKIT_MANAGERS: Role[] = ["brand_admin", "brand_manager"];
/** A product of the table's brand, with an image, visible in everyone's catalogue. */
let productId = "";
const CATALOG_MANAGERS: Role[] = ["brand_admin", "brand_manager"];
const INSIGHT_VIEWERS: Role[] = [...BRAND, "partner_admin"];
/** An order of the independent reseller, visible to every acting user. */
let orderId = "";
/** An idea on the brand's board (ideas are brand-wide). */
let ideaId = "";

const ROWS: Row[] = [
  { file: "_app", handler: "loader", what: "layout", fn: appLayout.loader, path: () => "/", allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.$", handler: "loader", what: "unknown page", fn: notFound.loader, path: () => "/no-such-page", params: () => ({ "*": "no-such-page" }), allowed: EVERYONE, ok: { status: 404 } },
  { file: "_app._index", handler: "loader", what: "home", fn: appIndex.loader, path: () => "/", allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.audit", handler: "loader", what: "audit log", fn: audit.loader, path: () => "/audit", allowed: ["brand_admin", "partner_admin"], ok: { status: 200 } },
  { file: "audit[.]csv", handler: "loader", what: "audit log export", fn: auditExport.loader, path: () => "/audit.csv", allowed: ["brand_admin"], ok: { status: 200 } },
  { file: "_app.partners._index", handler: "loader", what: "partner directory", fn: partnersIndex.loader, path: () => "/partners", allowed: BRAND, ok: { status: 200 } },
  { file: "_app.partners.new", handler: "loader", what: "new partner form", fn: partnersNew.loader, path: () => "/partners/new", allowed: ["brand_admin"], ok: { status: 200 } },
  { file: "_app.partners.new", handler: "action", what: "create partner", fn: partnersNew.action, path: () => "/partners/new", form: { nameFa: "" }, allowed: ["brand_admin"], ok: { status: 400 } },
  { file: "_app.partners.$id", handler: "loader", what: "partner page", fn: partnerPage.loader, path: (n) => `/partners/${n.partners.independent}`, params: partnerId, allowed: BRAND, ok: { status: 200 } },
  { file: "_app.partners.$id", handler: "action", what: "edit partner", fn: partnerPage.action, path: (n) => `/partners/${n.partners.independent}`, params: partnerId, form: { nameFa: "" }, allowed: ["brand_admin"], ok: { status: 400 } },
  { file: "_app.partners.$id", handler: "action", what: "change tier", fn: partnerPage.action, path: (n) => `/partners/${n.partners.independent}`, params: partnerId, form: { intent: "tier", tier: "diamond" }, allowed: ["brand_admin", "channel_manager"], ok: { status: 400 } },
  { file: "_app.partners.$id", handler: "action", what: "(de)activate partner", fn: partnerPage.action, path: (n) => `/partners/${n.partners.independent}`, params: partnerId, form: { intent: "active", active: "maybe" }, allowed: ["brand_admin"], ok: { status: 400 } },
  { file: "_app.profile", handler: "loader", what: "own profile", fn: profile.loader, path: () => "/profile", allowed: ["partner_admin"], ok: { status: 200 } },
  { file: "_app.profile", handler: "action", what: "edit own profile", fn: profile.action, path: () => "/profile", form: { website: "not a url" }, allowed: ["partner_admin"], ok: { status: 400 } },
  { file: "_app.users._index", handler: "loader", what: "user list", fn: usersIndex.loader, path: () => "/users", allowed: ["brand_admin", "partner_admin"], ok: { status: 200 } },
  { file: "_app.users.new", handler: "loader", what: "invite form", fn: usersNew.loader, path: () => "/users/new", allowed: ["brand_admin", "partner_admin"], ok: { status: 200 } },
  { file: "_app.users.new", handler: "action", what: "invite", fn: usersNew.action, path: () => "/users/new", form: { email: "not-an-email" }, allowed: ["brand_admin", "partner_admin"], ok: { status: 400 } },
  { file: "_app.users.$id", handler: "loader", what: "user page", fn: userPage.loader, path: (n) => `/users/${n.users.independentRep.id}`, params: userId, allowed: ["brand_admin", "partner_admin"], ok: { status: 200 } },
  { file: "_app.users.$id", handler: "action", what: "manage user", fn: userPage.action, path: (n) => `/users/${n.users.independentRep.id}`, params: userId, form: { intent: "bogus" }, allowed: ["brand_admin", "partner_admin"], ok: { status: 400 } },
  { file: "partners.$id.logo", handler: "loader", what: "partner logo", fn: logo.loader, path: (n) => `/partners/${n.partners.independent}/logo`, params: partnerId, allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.toolkits._index", handler: "loader", what: "toolkit library", fn: toolkitLibrary.loader, path: () => "/toolkits?q=%DA%A9%DB%8C%D8%AA", allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "_app.toolkits.$id", handler: "loader", what: "toolkit page", fn: toolkitPage.loader, path: () => `/toolkits/${toolkit.id}`, params: toolkitId, allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "toolkits.$id.assets.$assetId", handler: "loader", what: "toolkit file", fn: toolkitAsset.loader, path: () => `/toolkits/${toolkit.id}/assets/${toolkit.assetId}`, params: () => ({ id: toolkit.id, assetId: toolkit.assetId }), allowed: EVERYONE, ok: { status: 200 } },
  { file: "toolkits.$id.cover", handler: "loader", what: "toolkit cover", fn: toolkitCover.loader, path: () => `/toolkits/${toolkit.id}/cover`, params: toolkitId, allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.toolkits.$id_.templates.$templateId", handler: "loader", what: "personalise a template", fn: toolkitPersonalise.loader, path: () => `/toolkits/${toolkit.id}/templates/${toolkit.templateId}`, params: templateParams, allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "toolkits.$id.templates.$templateId.preview", handler: "loader", what: "personalised preview", fn: toolkitPreview.loader, path: () => `/toolkits/${toolkit.id}/templates/${toolkit.templateId}/preview?partner_name=x`, params: templateParams, allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "toolkits.$id.templates.$templateId.render", handler: "action", what: "render a template", fn: toolkitRender.action, path: () => `/toolkits/${toolkit.id}/templates/${toolkit.templateId}/render`, params: templateParams, form: { format: "bogus" }, allowed: PARTNER_ROLES, ok: { status: 400 } },
  { file: "toolkits.$id.files.$renderId", handler: "loader", what: "own rendered file", fn: toolkitFile.loader, path: () => `/toolkits/${toolkit.id}/files/${toolkit.renderId}`, params: () => ({ id: toolkit.id, renderId: toolkit.renderId }), allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "toolkits.manage.$id.preview", handler: "action", what: "template editor preview", fn: templatePreview.action, path: () => `/toolkits/manage/${toolkit.id}/preview`, params: toolkitId, form: { lang: "fa", html: "", css: "" }, allowed: TOOLKIT_MANAGERS, ok: { status: 400 } },
  { file: "_app.toolkits.manage._index", handler: "loader", what: "toolkit management", fn: toolkitsManage.loader, path: () => "/toolkits/manage", allowed: TOOLKIT_MANAGERS, ok: { status: 200 } },
  { file: "_app.toolkits.manage._index", handler: "action", what: "create toolkit", fn: toolkitsManage.action, path: () => "/toolkits/manage", form: { titleFa: "" }, allowed: TOOLKIT_MANAGERS, ok: { status: 400 } },
  { file: "_app.toolkits.manage.$id", handler: "loader", what: "toolkit editor", fn: toolkitEdit.loader, path: () => `/toolkits/manage/${toolkit.id}`, params: toolkitId, allowed: TOOLKIT_MANAGERS, ok: { status: 200 } },
  { file: "_app.toolkits.manage.$id", handler: "action", what: "edit toolkit", fn: toolkitEdit.action, path: () => `/toolkits/manage/${toolkit.id}`, params: toolkitId, form: { intent: "details", titleFa: "" }, allowed: TOOLKIT_MANAGERS, ok: { status: 400 } },
  { file: "_app.toolkits.analytics", handler: "loader", what: "toolkit analytics", fn: toolkitAnalytics.loader, path: () => `/toolkits/analytics?toolkit=${toolkit.id}&days=90`, allowed: BRAND, ok: { status: 200 } },
  { file: "_app.insights._index", handler: "loader", what: "network insights", fn: insightsIndex.loader, path: () => "/insights?province=tehran", allowed: INSIGHT_VIEWERS, ok: { status: 200 } },
  { file: "_app.insights.truths", handler: "loader", what: "three truths chooser", fn: insightsTruths.loader, path: () => "/insights/truths", allowed: INSIGHT_VIEWERS, ok: { status: 200 } },
  { file: "insights[.]csv", handler: "loader", what: "insights CSV", fn: insightsCsv.loader, path: () => "/insights.csv?table=coverage", allowed: INSIGHT_VIEWERS, ok: { status: 200 } },
  { file: "_app.customers._index", handler: "loader", what: "customer list", fn: customersIndex.loader, path: () => "/customers?q=%D9%85", allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.customers.new", handler: "loader", what: "registration form", fn: customersNew.loader, path: () => "/customers/new", allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "_app.customers.new", handler: "action", what: "register customer", fn: customersNew.action, path: () => "/customers/new", form: { displayName: "" }, allowed: PARTNER_ROLES, ok: { status: 400 } },
  { file: "_app.customers.$id", handler: "loader", what: "customer profile", fn: customerPage.loader, path: () => `/customers/${customerId}`, params: () => ({ id: customerId }), allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.customers.$id", handler: "action", what: "record on a customer", fn: customerPage.action, path: () => `/customers/${customerId}`, params: () => ({ id: customerId }), form: { intent: "need", body: "" }, allowed: PARTNER_ROLES, ok: { status: 400 } },
  { file: "_app.customers.$id", handler: "action", what: "record consent (brand: withdrawal)", fn: customerPage.action, path: () => `/customers/${customerId}`, params: () => ({ id: customerId }), form: { intent: "consent", channel: "pigeon" }, allowed: [...PARTNER_ROLES, ...RESOLVERS], ok: { status: 400 } },
  { file: "_app.customers.$id", handler: "action", what: "change a need's status", fn: customerPage.action, path: () => `/customers/${customerId}`, params: () => ({ id: customerId }), form: { intent: "need_status", needId: "x" }, allowed: [...PARTNER_ROLES, ...RESOLVERS], ok: { status: 400 } },
  // The brand may not see this customer's contact fields (no consent), so it may not edit them.
  { file: "_app.customers.$id", handler: "action", what: "edit identity and contact", fn: customerPage.action, path: () => `/customers/${customerId}`, params: () => ({ id: customerId }), form: { intent: "edit", displayName: "" }, allowed: PARTNER_ROLES, ok: { status: 400 } },
  { file: "_app.customers.$id", handler: "action", what: "decide a correction", fn: customerPage.action, path: () => `/customers/${customerId}`, params: () => ({ id: customerId }), form: { intent: "correction", correctionId: "x" }, allowed: PARTNER_ROLES, ok: { status: 400 } },
  { file: "_app.customers.today", handler: "loader", what: "daily list", fn: customersToday.loader, path: () => "/customers/today", allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "_app.customers.today", handler: "action", what: "mark a daily action", fn: customersToday.action, path: () => "/customers/today", form: { intent: "snooze", customerId: "x", key: "", date: "" }, allowed: PARTNER_ROLES, ok: { status: 400 } },
  { file: "_app.customers.import", handler: "loader", what: "import page", fn: customersImport.loader, path: () => "/customers/import", allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "_app.customers.import", handler: "action", what: "upload a file", fn: customersImport.action, path: () => "/customers/import", form: {}, allowed: PARTNER_ROLES, ok: { status: 400 } },
  { file: "_app.customers.import_.$jobId", handler: "loader", what: "import job (unknown)", fn: importJob.loader, path: () => `/customers/import/${UNKNOWN_ID}`, params: () => ({ jobId: UNKNOWN_ID }), allowed: PARTNER_ROLES, ok: { status: 404 } },
  { file: "_app.customers.import_.$jobId", handler: "action", what: "run import job (unknown)", fn: importJob.action, path: () => `/customers/import/${UNKNOWN_ID}`, params: () => ({ jobId: UNKNOWN_ID }), form: { intent: "commit" }, allowed: PARTNER_ROLES, ok: { status: 404 } },
  { file: "customers.import.$jobId.rejected[.]csv", handler: "loader", what: "rejected rows of an import (unknown)", fn: rejectedRows.loader, path: () => `/customers/import/${UNKNOWN_ID}/rejected.csv`, params: () => ({ jobId: UNKNOWN_ID }), allowed: PARTNER_ROLES, ok: { status: 404 } },
  { file: "customers.export[.]csv", handler: "loader", what: "customer export", fn: customersExport.loader, path: () => "/customers/export.csv", allowed: ["brand_admin", "brand_manager", "channel_manager", "partner_admin"], ok: { status: 200 } },
  { file: "_app.segments._index", handler: "loader", what: "segments", fn: segments.loader, path: () => "/segments", allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.segments._index", handler: "action", what: "save segment", fn: segments.action, path: () => "/segments", form: { name: "" }, allowed: EVERYONE, ok: { status: 400 } },
  { file: "_app.serve-requests", handler: "action", what: "request to serve", fn: serveRequests.action, path: () => "/serve-requests", form: { match: "id", reason: "" }, allowed: PARTNER_ROLES, ok: { status: 400 } },
  { file: "_app.serve-requests", handler: "loader", what: "own sent requests", fn: serveRequests.loader, path: () => "/serve-requests", allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "_app.serve-requests_.incoming", handler: "loader", what: "incoming requests", fn: incomingRequests.loader, path: () => "/serve-requests/incoming", allowed: ["partner_admin"], ok: { status: 200 } },
  { file: "_app.serve-requests_.incoming", handler: "action", what: "answer a request", fn: incomingRequests.action, path: () => "/serve-requests/incoming", form: { id: UNKNOWN_ID, decision: "bogus" }, allowed: ["partner_admin"], ok: { status: 400 } },
  { file: "_app.conflicts._index", handler: "loader", what: "registration requests", fn: conflictsIndex.loader, path: () => "/conflicts", allowed: RESOLVERS, ok: { status: 200 } },
  { file: "_app.conflicts.$id", handler: "loader", what: "request (unknown)", fn: conflictPage.loader, path: () => `/conflicts/${UNKNOWN_ID}`, params: () => ({ id: UNKNOWN_ID }), allowed: RESOLVERS, ok: { status: 404 } },
  { file: "_app.conflicts.$id", handler: "action", what: "decide request", fn: conflictPage.action, path: () => `/conflicts/${UNKNOWN_ID}`, params: () => ({ id: UNKNOWN_ID }), form: { decision: "bogus" }, allowed: RESOLVERS, ok: { status: 400 } },
  { file: "_app.notifications", handler: "loader", what: "notifications", fn: notifications.loader, path: () => "/notifications", allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.notifications_.$id", handler: "loader", what: "open a notification (unknown)", fn: openNotification.loader, path: () => `/notifications/${UNKNOWN_ID}`, params: () => ({ id: UNKNOWN_ID }), allowed: EVERYONE, ok: { status: 404 } },
  { file: "_app.notifications", handler: "action", what: "mark notifications read", fn: notifications.action, path: () => "/notifications", form: {}, allowed: EVERYONE, ok: { status: 302, location: "/notifications" } },
  { file: "_app.settings", handler: "loader", what: "brand settings", fn: settings.loader, path: () => "/settings", allowed: ["brand_admin", "brand_manager"], ok: { status: 200 } },
  { file: "_app.settings", handler: "action", what: "save brand settings", fn: settings.action, path: () => "/settings", form: { intent: "brand", protectionDays: "-1", ownerDecisionDays: "3", moneyUnit: "rial" }, allowed: ["brand_admin", "brand_manager"], ok: { status: 400 } },
  { file: "_app.settings", handler: "action", what: "require two-factor for brand staff", fn: settings.action, path: () => "/settings", form: { intent: "security", requireTwoFactor: "on" }, allowed: ["brand_admin"], ok: { status: 400 } },
  { file: "_app.account.security", handler: "loader", what: "account security", fn: accountSecurity.loader, path: () => "/account/security", allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.account.security", handler: "action", what: "confirm two-factor setup", fn: accountSecurity.action, path: () => "/account/security", form: { intent: "confirm", code: "" }, allowed: EVERYONE, ok: { status: 400 } },
  { file: "_app.settings", handler: "action", what: "discount approval threshold", fn: settings.action, path: () => "/settings", form: { intent: "orders", discountApproval: "120" }, allowed: ["brand_admin", "brand_manager"], ok: { status: 400 } },
  { file: "_app.partners.$id", handler: "action", what: "credit limit", fn: partnerPage.action, path: (n) => `/partners/${n.partners.independent}`, params: partnerId, form: { intent: "credit", creditLimit: "lots" }, allowed: RESOLVERS, ok: { status: 400 } },
  { file: "_app.catalog.$id", handler: "action", what: "add to cart (no quantity)", fn: catalogProduct.action, path: () => `/catalog/${productId}`, params: () => ({ id: productId }), form: { qty: "" }, allowed: PARTNER_ROLES, ok: { status: 400 } },
  { file: "_app.ideas._index", handler: "loader", what: "co-creation board", fn: ideasBoard.loader, path: () => "/ideas", allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.ideas.new", handler: "loader", what: "new idea form", fn: ideasNew.loader, path: () => "/ideas/new", allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.ideas.new", handler: "action", what: "post idea (empty)", fn: ideasNew.action, path: () => "/ideas/new", form: { intent: "save", title: "" }, allowed: EVERYONE, ok: { status: 400 } },
  { file: "_app.ideas.$id", handler: "loader", what: "idea page", fn: ideaPage.loader, path: () => `/ideas/${ideaId}`, params: () => ({ id: ideaId }), allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.ideas.$id", handler: "action", what: "idea action (unknown)", fn: ideaPage.action, path: () => `/ideas/${ideaId}`, params: () => ({ id: ideaId }), form: { intent: "bogus" }, allowed: EVERYONE, ok: { status: 400 } },
  { file: "_app.ideas.built", handler: "loader", what: "you asked, we built", fn: ideasBuilt.loader, path: () => "/ideas/built", allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "_app.ideas.built", handler: "action", what: "mark contacted (empty)", fn: ideasBuilt.action, path: () => "/ideas/built", form: { followUpId: "" }, allowed: PARTNER_ROLES, ok: { status: 400 } },
  { file: "partners.choices", handler: "loader", what: "the list's serving-partner choices", fn: partnerChoices.loader, path: () => "/partners/choices", allowed: EVERYONE, ok: { status: 200 } },
  { file: "products.choices", handler: "loader", what: "a need's product choices", fn: productChoices.loader, path: () => "/products/choices", allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "ideas.similar", handler: "loader", what: "similar idea titles", fn: ideasSimilar.loader, path: () => "/ideas/similar?title=x", allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.cart", handler: "loader", what: "cart", fn: cart.loader, path: () => "/cart", allowed: PARTNER_ROLES, ok: { status: 200 } },
  { file: "_app.cart", handler: "action", what: "quick order (empty)", fn: cart.action, path: () => "/cart", form: { intent: "quick", lines: "" }, allowed: PARTNER_ROLES, ok: { status: 400 } },
  { file: "_app.orders._index", handler: "loader", what: "orders", fn: ordersIndex.loader, path: () => "/orders?status=confirmed", allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.orders.$id", handler: "loader", what: "order page", fn: orderPage.loader, path: () => `/orders/${orderId}`, params: () => ({ id: orderId }), allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.orders.$id", handler: "action", what: "order action (unknown)", fn: orderPage.action, path: () => `/orders/${orderId}`, params: () => ({ id: orderId }), form: { intent: "bogus" }, allowed: EVERYONE, ok: { status: 400 } },
  // An id no one has: the permission check without a render (tests/integration/proforma.test.ts renders).
  { file: "orders.$id.proforma[.]pdf", handler: "loader", what: "order proforma PDF", fn: proforma.loader, path: () => "/orders/01NOSUCHORDER0000000000000/proforma.pdf", params: () => ({ id: "01NOSUCHORDER0000000000000" }), allowed: EVERYONE, ok: { status: 404 } },
  { file: "orders.$id.packing-slip[.]pdf", handler: "loader", what: "order packing slip PDF", fn: packingSlip.loader, path: () => "/orders/01NOSUCHORDER0000000000000/packing-slip.pdf", params: () => ({ id: "01NOSUCHORDER0000000000000" }), allowed: EVERYONE, ok: { status: 404 } },
  { file: "_app.catalog._index", handler: "loader", what: "catalogue", fn: catalogIndex.loader, path: () => "/catalog?q=%DA%A9", allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.catalog.$id", handler: "loader", what: "catalogue product with a quote", fn: catalogProduct.loader, path: () => `/catalog/${productId}?qty=%DB%B3`, params: () => ({ id: productId }), allowed: EVERYONE, ok: { status: 200 } },
  { file: "products.$id.image", handler: "loader", what: "product image", fn: productImage.loader, path: () => `/products/${productId}/image`, params: () => ({ id: productId }), allowed: EVERYONE, ok: { status: 200 } },
  { file: "_app.products._index", handler: "loader", what: "product management list", fn: productsIndex.loader, path: () => "/products", allowed: CATALOG_MANAGERS, ok: { status: 200 } },
  { file: "_app.products.new", handler: "loader", what: "new product form", fn: productsNew.loader, path: () => "/products/new", allowed: CATALOG_MANAGERS, ok: { status: 200 } },
  { file: "_app.products.new", handler: "action", what: "create product", fn: productsNew.action, path: () => "/products/new", form: { sku: "" }, allowed: CATALOG_MANAGERS, ok: { status: 400 } },
  { file: "_app.products.$id", handler: "loader", what: "product edit page", fn: productPage.loader, path: () => `/products/${productId}`, params: () => ({ id: productId }), allowed: CATALOG_MANAGERS, ok: { status: 200 } },
  { file: "_app.products.$id", handler: "action", what: "edit product", fn: productPage.action, path: () => `/products/${productId}`, params: () => ({ id: productId }), form: { intent: "product", sku: "" }, allowed: CATALOG_MANAGERS, ok: { status: 400 } },
  { file: "_app.products.import", handler: "loader", what: "product CSV import page", fn: productImport.loader, path: () => "/products/import", allowed: CATALOG_MANAGERS, ok: { status: 200 } },
  { file: "_app.products.import", handler: "action", what: "commit a product CSV (unknown file)", fn: productImport.action, path: () => "/products/import", form: { fileId: "" }, allowed: CATALOG_MANAGERS, ok: { status: 400 } },
  { file: "products.export[.]csv", handler: "loader", what: "product CSV export", fn: productExport.loader, path: () => "/products/export.csv", allowed: CATALOG_MANAGERS, ok: { status: 200 } },
  { file: "_app.pricing", handler: "loader", what: "pricing rules", fn: pricing.loader, path: () => "/pricing", allowed: CATALOG_MANAGERS, ok: { status: 200 } },
  { file: "_app.pricing", handler: "action", what: "save pricing rules", fn: pricing.action, path: () => "/pricing", form: { intent: "volume_break", minQuantity: "0" }, allowed: CATALOG_MANAGERS, ok: { status: 400 } },
  // Public routes: the same answer whoever asks (signed in or not), never a 403.
  { file: "login", handler: "loader", what: "sign-in page", fn: login.loader, path: () => "/login", ok: (signedIn) => (signedIn ? { status: 302, location: "/" } : { status: 200 }) },
  { file: "login", handler: "action", what: "sign in", fn: login.action, path: () => "/login", form: { email: "", password: "" }, ok: { status: 400 } },
  { file: "login_.two-factor", handler: "loader", what: "second sign-in step (no pending sign-in)", fn: loginSecondStep.loader, path: () => "/login/two-factor", ok: { status: 302, location: "/login" } },
  { file: "login_.two-factor", handler: "action", what: "send a sign-in code (no pending sign-in)", fn: loginSecondStep.action, path: () => "/login/two-factor", form: { code: "123456" }, ok: { status: 302, location: "/login" } },
  { file: "login_.forgot", handler: "loader", what: "forgot-password page", fn: forgotPassword.loader, path: () => "/login/forgot", ok: (signedIn) => (signedIn ? { status: 302, location: "/" } : { status: 200 }) },
  { file: "login_.forgot", handler: "action", what: "ask for a reset link", fn: forgotPassword.action, path: () => "/login/forgot", form: { email: "" }, ok: { status: 400 } },
  { file: "login_.reset.$token", handler: "loader", what: "new-password page (unknown link)", fn: resetPassword.loader, path: () => "/login/reset/no-such-token", params: () => ({ token: "no-such-token" }), ok: { status: 404 } },
  { file: "login_.reset.$token", handler: "action", what: "set a new password (unknown link)", fn: resetPassword.action, path: () => "/login/reset/no-such-token", params: () => ({ token: "no-such-token" }), form: { password: "long enough pass", confirm: "long enough pass" }, ok: { status: 410 } },
  { file: "logout", handler: "loader", what: "sign-out page", fn: logout.loader, path: () => "/logout", ok: { status: 302, location: "/" } },
  { file: "logout", handler: "action", what: "sign out", fn: logout.action, path: () => "/logout", form: {}, ok: { status: 302, location: "/login" } },
  { file: "locale", handler: "loader", what: "language page", fn: locale.loader, path: () => "/locale", ok: { status: 302, location: "/" } },
  { file: "locale", handler: "action", what: "switch language", fn: locale.action, path: () => "/locale", form: { lng: "en", redirectTo: "/partners" }, ok: { status: 302, location: "/partners" } },
  { file: "invite.$token", handler: "loader", what: "invitation page (unknown link)", fn: invite.loader, path: () => "/invite/no-such-token", params: () => ({ token: "no-such-token" }), ok: { status: 404 } },
  { file: "invite.$token", handler: "action", what: "accept invitation (unknown link)", fn: invite.action, path: () => "/invite/no-such-token", params: () => ({ token: "no-such-token" }), form: { password: "long enough pass", confirm: "long enough pass" }, ok: { status: 410 } },
];

const pick = (o: Outcome) => (o.location === null ? { status: o.status } : { status: o.status, location: o.location });

let net: Network;
const PNG_1X1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

beforeAll(async () => {
  net = await createNetwork();
  customerId = await registerAs(net.users.independentRep.id);
  // A logo for the table's partner, so the logo route has something to serve to those allowed.
  const key = `logos/${net.partners.independent}/table.png`;
  await storage().put(key, PNG_1X1);
  await db().updateTable("partners").set({ logo_key: key, logo_mime: "image/png" }).where("id", "=", net.partners.independent).execute();
  const manager = await actorFor(net.users.brandManager.id);
  toolkit.id = await createToolkit(manager, { titleFa: "کیت جدول", titleEn: "Table kit", descriptionFa: "", descriptionEn: "", startsOn: null, endsOn: null });
  await storage().put(`toolkits/${toolkit.id}/table.png`, PNG_1X1);
  await setAudience(manager, toolkit.id, { all: true, tiers: [], types: [], provinces: [], partnerIds: [] });
  await setCover(manager, toolkit.id, `toolkits/${toolkit.id}/table.png`, "image/png");
  await addAsset(manager, toolkit.id, { title: "جدول", language: "fa", storage_key: `toolkits/${toolkit.id}/table.png`, mime: "image/png", size_bytes: PNG_1X1.length, file_name: "table.png" });
  const fields = { partner_name: "required", partner_logo: "off", partner_phone: "off", partner_address: "off", partner_website: "off", message: "off", customer_name: "off" } as const;
  await addTemplate(manager, toolkit.id, { nameFa: "قالب جدول", nameEn: "Table template", lang: "fa", html: "<h1>{{partner_name}}</h1>", css: "", config: { fields, messageMax: 10 }, formats: ["pdf_a4"] });
  await publishToolkit(manager, toolkit.id, 1);
  toolkit.templateId = (await db().selectFrom("toolkit_templates").select("id").where("toolkit_id", "=", toolkit.id).executeTakeFirstOrThrow()).id;
  // A file the table's partner made earlier (the render itself is tested in personalise.test.ts).
  toolkit.renderId = newId();
  await db()
    .insertInto("toolkit_renders")
    .values({ id: toolkit.renderId, brand_id: net.brandId, toolkit_id: toolkit.id, version: 1, template_id: toolkit.templateId, partner_id: net.partners.independent, user_id: net.users.independentRep.id, customer_id: null, format: "png_square", storage_key: `toolkits/${toolkit.id}/table.png`, mime: "image/png", size_bytes: PNG_1X1.length, file_name: "جدول.png", cached: false, created_at: new Date() })
    .execute();
  toolkit.assetId = (await db().selectFrom("toolkit_assets").select("id").where("toolkit_id", "=", toolkit.id).executeTakeFirstOrThrow()).id;
  productId = newId();
  const imageKey = `products/${net.brandId}/table.png`;
  await storage().put(imageKey, PNG_1X1);
  await db().insertInto("products").values({ id: productId, brand_id: net.brandId, sku: `RT-${productId.slice(-6)}`, name_fa: "کالای جدول", name_en: "Table product", category_id: null, active: true, stock_on_hand: 5, image_key: imageKey, image_mime: "image/png" }).execute();
  orderId = newId();
  const now = new Date();
  ideaId = newId();
  const categoryId = newId();
  await db().insertInto("need_categories").values({ id: categoryId, brand_id: net.brandId, name_fa: "دستهٔ جدول", name_en: "Table category", sort: 1, active: true }).execute();
  await db().insertInto("ideas").values({ id: ideaId, brand_id: net.brandId, title: "ایدهٔ جدول", title_key: "ایده جدول", body: "شرح", category_id: categoryId, product_id: null, partner_id: net.partners.independent, created_by_user_id: net.users.independentRep.id, created_at: now, updated_at: now }).execute();
  await db().insertInto("orders").values({ id: orderId, brand_id: net.brandId, partner_id: net.partners.independent, customer_id: customerId, number: `SO-${orderId.slice(-8)}`, status: "confirmed", total_rial: 1000n, margin_rial: 100n, placed_at: now, created_at: now }).execute();
});

describe("every route refuses a role that may not use it", () => {
  it("the table covers every route file", () => {
    const files = readdirSync(new URL("../../app/routes/", import.meta.url))
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) => f.replace(/\.tsx?$/, ""));
    const covered = new Set(ROWS.map((r) => r.file));
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
    // And every loader/action a covered module exports has a row.
    const modules: Record<string, Record<string, unknown>> = {
      _app: appLayout, "_app.$": notFound, "_app._index": appIndex, "_app.audit": audit, "_app.partners._index": partnersIndex, "_app.partners.new": partnersNew,
      "_app.partners.$id": partnerPage, "_app.profile": profile, "_app.users._index": usersIndex, "_app.users.new": usersNew, "_app.users.$id": userPage,
      "partners.$id.logo": logo, login, logout, locale, "invite.$token": invite,
      "_app.customers._index": customersIndex, "_app.customers.new": customersNew, "_app.customers.$id": customerPage, "_app.customers.today": customersToday,
      "_app.customers.import": customersImport, "_app.customers.import_.$jobId": importJob, "customers.export[.]csv": customersExport, "customers.import.$jobId.rejected[.]csv": rejectedRows, "audit[.]csv": auditExport, "_app.segments._index": segments,
      "_app.serve-requests": serveRequests, "_app.conflicts._index": conflictsIndex, "_app.conflicts.$id": conflictPage, "_app.notifications": notifications, "_app.notifications_.$id": openNotification,
      "_app.settings": settings, "_app.account.security": accountSecurity, "login_.two-factor": loginSecondStep,
      "login_.forgot": forgotPassword, "login_.reset.$token": resetPassword,
      "_app.toolkits._index": toolkitLibrary, "_app.toolkits.$id": toolkitPage, "toolkits.$id.assets.$assetId": toolkitAsset, "toolkits.$id.cover": toolkitCover,
      "_app.toolkits.manage._index": toolkitsManage, "_app.toolkits.manage.$id": toolkitEdit, "_app.toolkits.analytics": toolkitAnalytics,
      "_app.catalog._index": catalogIndex, "_app.catalog.$id": catalogProduct, "products.$id.image": productImage, "_app.products._index": productsIndex,
      "_app.products.new": productsNew, "_app.products.$id": productPage, "_app.pricing": pricing, "_app.products.import": productImport, "products.export[.]csv": productExport,
      "_app.toolkits.$id_.templates.$templateId": toolkitPersonalise, "toolkits.$id.templates.$templateId.preview": toolkitPreview, "toolkits.$id.templates.$templateId.render": toolkitRender,
      "toolkits.$id.files.$renderId": toolkitFile, "toolkits.manage.$id.preview": templatePreview,
      "_app.cart": cart, "_app.orders._index": ordersIndex, "_app.orders.$id": orderPage, "orders.$id.proforma[.]pdf": proforma, "orders.$id.packing-slip[.]pdf": packingSlip,
      "_app.ideas._index": ideasBoard, "_app.ideas.new": ideasNew, "_app.ideas.$id": ideaPage, "_app.ideas.built": ideasBuilt, "ideas.similar": ideasSimilar, "products.choices": productChoices, "partners.choices": partnerChoices,
      "_app.insights._index": insightsIndex, "_app.insights.truths": insightsTruths, "insights[.]csv": insightsCsv,
    };
    for (const [file, mod] of Object.entries(modules)) {
      for (const handler of ["loader", "action"] as const) {
        if (typeof mod[handler] === "function") expect(ROWS.some((r) => r.file === file && r.handler === handler), `${file} ${handler}`).toBe(true);
      }
    }
  });

  for (const row of ROWS) {
    describe(`${row.file} ${row.handler}: ${row.what}`, () => {
      const run = (as: string | null) => hit(row.fn, row.path(net), row.params?.(net) ?? {}, { as, form: row.form, method: row.handler === "action" ? "POST" : "GET" });
      const okFor = (signedIn: boolean) => (typeof row.ok === "function" ? row.ok(signedIn) : row.ok);

      for (const role of ROLES) {
        const allowed = !row.allowed || row.allowed.includes(role);
        it(`${role}: ${allowed ? "allowed" : "403"}`, async () => {
          const outcome = await run(net.users[ACTING[role]].id);
          expect(pick(outcome)).toEqual(allowed ? okFor(true) : { status: 403 });
        });
      }

      it(`signed out: ${row.allowed ? "sent to sign in" : "public"}`, async () => {
        const outcome = await run(null);
        const path = row.path(net);
        expect(pick(outcome)).toEqual(row.allowed ? { status: 302, location: `/login?redirectTo=${encodeURIComponent(path)}` } : okFor(false));
      });
    });
  }
});

describe("bad input is a 400 with field errors, and writes nothing", () => {
  async function brandCounts(brandId: string) {
    const count = async (table: "partners" | "users" | "audit_log") =>
      Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("brand_id", "=", brandId).executeTakeFirstOrThrow()).n);
    return { partners: await count("partners"), users: await count("users"), audit: await count("audit_log") };
  }
  const validPartner = { nameFa: "فروشگاه نمونه", nameEn: "Sample shop", type: "reseller", parentId: "", tier: "silver", province: "tehran", city: "تهران", phone: "021 8877 6655", address: "" };

  it.each([
    ["an empty name", { nameFa: "" }, { nameFa: "errors.required" }],
    ["a name of only spaces and invisible marks", { nameFa: " \u200B\u200C " }, { nameFa: "errors.required" }],
    ["a name of 201 characters", { nameFa: "ب".repeat(201) }, { nameFa: "errors.too_long" }],
    ["a bidi override", { nameEn: "Shop \u202Egnp.exe" }, { nameEn: "errors.control_chars" }],
    ["a control character", { city: "Teh\u0007ran" }, { city: "errors.control_chars" }],
    ["a bad phone", { phone: "12345" }, { phone: "errors.phone" }],
    ["text in the phone", { phone: "call 09121234567" }, { phone: "errors.phone" }],
    ["an unknown type, tier and province", { type: "wholesaler", tier: "diamond", province: "atlantis" }, { type: "errors.choice", tier: "errors.choice", province: "errors.choice" }],
    ["a distributor under a distributor", { type: "distributor", parentId: "__distributor__" }, { parentId: "errors.parent_for_distributor" }],
    ["a parent that is not a distributor", { parentId: "__reseller__" }, { parentId: "errors.choice" }],
  ] as const)("partner create with %s", async (_name, change, errors) => {
    const n = await createNetwork();
    const form: Record<string, string> = { ...validPartner, ...change };
    if (form.parentId === "__distributor__") form.parentId = n.partners.distributor;
    if (form.parentId === "__reseller__") form.parentId = n.partners.reseller1;
    const before = await brandCounts(n.brandId);
    const outcome = await hit(partnersNew.action, "/partners/new", {}, { as: n.users.brandAdmin.id, form });
    expect(outcome.status).toBe(400);
    expect(errorKeys(outcome)).toEqual(errors);
    expect(await brandCounts(n.brandId)).toEqual(before);
  });

  it("the length limit is in characters, and a valid partner is created and normalised", async () => {
    const n = await createNetwork();
    const before = await brandCounts(n.brandId);
    const tooLong = await hit(partnersNew.action, "/partners/new", {}, { as: n.users.brandAdmin.id, form: { ...validPartner, nameFa: "ب".repeat(201) } });
    expect((tooLong.data as { errors: { nameFa: unknown } }).errors.nameFa).toEqual({ key: "errors.too_long", values: { max: 200 } });
    const nameFa = `${"ك".repeat(199)}😀`; // Arabic kaf is stored as Persian keheh; the emoji counts once
    const created = await hit(partnersNew.action, "/partners/new", {}, { as: n.users.brandAdmin.id, form: { ...validPartner, nameFa, phone: "۰۲۱ ۸۸۷۷ ۶۶۵۵", parentId: n.partners.distributor } });
    expect(created.status).toBe(302);
    const id = created.location!.replace("/partners/", "");
    const row = await db().selectFrom("partners").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ brand_id: n.brandId, name_fa: `${"ک".repeat(199)}😀`, phone: "+982188776655", parent_id: n.partners.distributor, tier: "silver" });
    expect(await brandCounts(n.brandId)).toEqual({ ...before, partners: before.partners + 1, audit: before.audit + 1 });
  });

  it("partner edit with bad input leaves the partner as it was", async () => {
    const n = await createNetwork();
    const id = n.partners.reseller1;
    const before = await db().selectFrom("partners").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const outcome = await hit(partnerPage.action, `/partners/${id}`, { id }, { as: n.users.brandAdmin.id, form: { ...validPartner, nameFa: "x\u202E", phone: "0" } });
    expect(outcome.status).toBe(400);
    expect(errorKeys(outcome)).toEqual({ nameFa: "errors.control_chars", phone: "errors.phone" });
    // A distributor that still has resellers cannot become a reseller.
    const structural = await hit(partnerPage.action, `/partners/${n.partners.distributor}`, { id: n.partners.distributor }, { as: n.users.brandAdmin.id, form: validPartner });
    expect(errorKeys(structural)).toEqual({ type: "errors.has_resellers" });
    expect(await db().selectFrom("partners").selectAll().where("id", "=", id).executeTakeFirstOrThrow()).toEqual(before);
  });

  it("profile with bad input leaves the profile as it was", async () => {
    const n = await createNetwork();
    const before = await db().selectFrom("partners").selectAll().where("id", "=", n.partners.independent).executeTakeFirstOrThrow();
    const outcome = await hit(profile.action, "/profile", {}, { as: n.users.independentAdmin.id, form: { phone: "abc", website: "javascript:alert(1)", cobrandName: "\u202Eevil", address: "ok" } });
    expect(outcome.status).toBe(400);
    expect(errorKeys(outcome)).toEqual({ phone: "errors.phone", website: "errors.url", cobrandName: "errors.control_chars" });
    expect(await db().selectFrom("partners").selectAll().where("id", "=", n.partners.independent).executeTakeFirstOrThrow()).toEqual(before);
  });

  it("invite with bad input writes no user", async () => {
    const n = await createNetwork();
    const before = await brandCounts(n.brandId);
    const outcome = await hit(usersNew.action, "/users/new", {}, { as: n.users.brandAdmin.id, form: { email: "not-an-email", displayName: "", role: "root", partnerId: "" } });
    expect(outcome.status).toBe(400);
    expect(errorKeys(outcome)).toEqual({ email: "errors.email", displayName: "errors.required", role: "errors.choice" });
    const taken = await hit(usersNew.action, "/users/new", {}, { as: n.users.brandAdmin.id, form: { email: ` ${n.users.reseller1Rep.email.toUpperCase()} `, displayName: "Dup", role: "brand_manager", partnerId: "" } });
    expect(taken.status).toBe(400);
    expect(errorKeys(taken)).toEqual({ email: "errors.email_taken" });
    expect(await brandCounts(n.brandId)).toEqual(before);
  });
});

describe("sign-in route", () => {
  const i18n = (lng: "fa" | "en") => {
    const instance = createInstance();
    void instance.init({ ...i18nConfig, lng, initImmediate: false });
    return instance;
  };
  const signInForm = (email: string, password: string, redirectTo = "/") => ({ email, password, redirectTo });

  it("a wrong password is a 400 with the form error auth:invalid, and no session", async () => {
    const n = await createNetwork();
    const outcome = await hit(login.action, "/login", {}, { form: signInForm(n.users.independentRep.email, "wrong-password") });
    expect(outcome.status).toBe(400);
    expect(outcome.data).toEqual({ errors: { form: { key: "auth:invalid" } } });
    expect(await db().selectFrom("sessions").select("id").where("user_id", "=", n.users.independentRep.id).execute()).toEqual([]);
  });

  it("a throttled sign-in is a 429 with the wait in the user's language and a Retry-After header", async () => {
    const n = await createNetwork();
    const email = n.users.independentRep.email;
    const ip = testAddress();
    for (let i = 0; i < 3; i++) expect((await hit(login.action, "/login", {}, { form: signInForm(email, "wrong-password"), ip })).status).toBe(400);
    const outcome = await hit(login.action, "/login", {}, { form: signInForm(email, PASSWORD), ip });
    expect(outcome.status).toBe(429);
    const error = (outcome.data as { errors: { form: { key: string; values: { count: number } } } }).errors.form;
    expect(error.key).toBe("auth:wait_seconds");
    expect(error.values.count).toBeGreaterThanOrEqual(1);
    expect(error.values.count).toBeLessThanOrEqual(2);
    expect(i18n("fa").t(error.key, error.values)).toMatch(/^تلاش‌های ناموفق زیاد بود\. [۱۲] ثانیهٔ دیگر دوباره امتحان کنید\.$/);
    expect(i18n("en").t(error.key, { count: 1 })).toBe("Too many failed attempts. Try again in 1 second.");
    expect(i18n("en").t("auth:wait_minutes", { count: 15 })).toBe("Too many failed attempts. Try again in 15 minutes.");
  });

  it("the address comes from the server, never from X-Forwarded-For: rotating or dropping the header changes nothing", async () => {
    const n = await createNetwork();
    const email = n.users.brandManager.email;
    const ip = testAddress();
    for (const forwarded of ["203.0.113.1", "203.0.113.2", undefined]) {
      const headers: Record<string, string> = forwarded ? { "X-Forwarded-For": forwarded, "X-Real-IP": forwarded } : {};
      expect((await hit(login.action, "/login", {}, { form: signInForm(email, "wrong-password"), headers, ip })).status).toBe(400);
    }
    for (const forwarded of ["203.0.113.3", "198.51.100.4", undefined]) {
      const headers: Record<string, string> = forwarded ? { "X-Forwarded-For": forwarded } : {};
      expect((await hit(login.action, "/login", {}, { form: signInForm(email, PASSWORD), headers, ip })).status).toBe(429);
    }
    // The audit log holds the address the server saw, not the one the client wrote.
    const audit = await db().selectFrom("audit_log").select("ip").where("actor_user_id", "=", n.users.brandManager.id).execute();
    expect(audit.map((a) => a.ip)).toEqual([ip, ip, ip]);
  });

  it("a Persian redirectTo survives the sign-in percent-encoded, with exactly one session and its cookie", async () => {
    const n = await createNetwork();
    const user = n.users.independentRep;
    const outcome = await hit(login.action, "/login", {}, { form: signInForm(user.email, PASSWORD, "/customers?q=علی رضا#نتیجه") });
    expect(pick(outcome)).toEqual({ status: 302, location: "/customers?q=%D8%B9%D9%84%DB%8C%20%D8%B1%D8%B6%D8%A7#%D9%86%D8%AA%DB%8C%D8%AC%D9%87" });
    expect(new URL(outcome.location!, "http://localhost/").searchParams.get("q")).toBe("علی رضا");
    const cookie = outcome.response!.headers.get("Set-Cookie")!.split(";")[0];
    const sessions = await db().selectFrom("sessions").select("id").where("user_id", "=", user.id).execute();
    expect(sessions).toHaveLength(1);
    expect(await getActor(new Request("http://localhost/", { headers: { Cookie: cookie } }))).toMatchObject({ userId: user.id });
  });

  it("success rotates the session and goes where the user was heading", async () => {
    const n = await createNetwork();
    const user = n.users.independentRep;
    const old = await signedInCookie(user.id);
    const request = await makeRequest("/login", { form: signInForm(user.email, PASSWORD, "/users?q=a"), headers: { Cookie: old } });
    const outcome = await call(login.action, request);
    expect(pick(outcome)).toEqual({ status: 302, location: "/users?q=a" });
    const fresh = outcome.response!.headers.get("Set-Cookie")!.split(";")[0];
    expect(fresh).not.toBe(old);
    expect(outcome.response!.headers.get("Set-Cookie")).toMatch(/HttpOnly/i);
    expect(outcome.response!.headers.get("Set-Cookie")).toMatch(/SameSite=Lax/i);
    const withCookie = (c: string) => new Request("http://localhost/", { headers: { Cookie: c } });
    expect(await getActor(withCookie(old))).toBeNull();
    expect(await getActor(withCookie(fresh))).toMatchObject({ userId: user.id });
  });

  it.each(["//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example", "/\\\\evil.example", " //evil.example"])(
    "never redirects off the site (%j)",
    async (redirectTo) => {
      const n = await createNetwork();
      const outcome = await hit(login.action, "/login", {}, { form: signInForm(n.users.brandManager.email, PASSWORD, redirectTo) });
      expect(outcome.status).toBe(302);
      expect(new URL(outcome.location!, "http://localhost/").origin).toBe("http://localhost");
    },
  );
});

describe("logo upload", () => {
  const upload = async (as: string, bytes: Uint8Array<ArrayBuffer>, name = "logo.png", type = "image/png") => {
    const form = new FormData();
    form.append("logo", new File([bytes], name, { type }));
    return hit(profile.action, "/profile", {}, { as, form });
  };
  const logoOf = async (id: string) => db().selectFrom("partners").select(["logo_key", "logo_mime"]).where("id", "=", id).executeTakeFirstOrThrow();
  const GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
  const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

  it.each([
    ["a GIF", GIF, "logo.gif", "image/gif"],
    ["an SVG", SVG, "logo.svg", "image/svg+xml"],
    ["a GIF claiming to be a PNG", GIF, "logo.png", "image/png"],
    ["an SVG claiming to be a PNG", SVG, "logo.png", "image/png"],
  ] as const)("refuses %s with errors.image_type and stores nothing", async (_what, bytes, name, type) => {
    const n = await createNetwork();
    const outcome = await upload(n.users.independentAdmin.id, bytes, name, type);
    expect(outcome.status).toBe(400);
    expect(errorKeys(outcome)).toEqual({ logo: "errors.image_type" });
    expect(await logoOf(n.partners.independent)).toEqual({ logo_key: null, logo_mime: null });
  });

  it("refuses a file over 512 KB with 413", async () => {
    const n = await createNetwork();
    const big = new Uint8Array(512 * 1024 + 1);
    big.set(PNG_1X1);
    const outcome = await upload(n.users.independentAdmin.id, big);
    expect(outcome.status).toBe(413);
    expect(errorKeys(outcome)).toEqual({ logo: "errors.file_too_large" });
    expect(await logoOf(n.partners.independent)).toEqual({ logo_key: null, logo_mime: null });
  });

  it("refuses an empty upload, and a rep may not upload at all", async () => {
    const n = await createNetwork();
    expect(errorKeys(await upload(n.users.independentAdmin.id, new Uint8Array(0)))).toEqual({ logo: "errors.required" });
    expect((await upload(n.users.independentRep.id, PNG_1X1)).status).toBe(403);
    expect(await logoOf(n.partners.independent)).toEqual({ logo_key: null, logo_mime: null });
  });

  it("saves a small PNG and serves it only to those who may see the partner", async () => {
    const n = await createNetwork();
    // The name and claimed type do not matter: the bytes decide.
    const outcome = await upload(n.users.reseller1Admin.id, PNG_1X1, "logo.gif", "image/gif");
    expect(outcome).toMatchObject({ status: 200, data: { saved: true } });
    const stored = await logoOf(n.partners.reseller1);
    expect(stored.logo_mime).toBe("image/png");
    expect(stored.logo_key).toMatch(new RegExp(`^logos/${n.partners.reseller1}/[0-9a-z]{26}\\.png$`));

    const id = n.partners.reseller1;
    // What is served is the stored, re-encoded image (see images.test.ts), decoded as the same 1×1 PNG.
    const kept = Buffer.from((await storage().get(stored.logo_key!))!);
    expect(await sharp(kept).metadata()).toMatchObject({ format: "png", width: 1, height: 1 });
    for (const who of ["reseller1Admin", "reseller1Rep", "distributorAdmin", "distributorRep", "brandManager", "channelManager"] as const) {
      const served = await hit(logo.loader, `/partners/${id}/logo`, { id }, { as: n.users[who].id });
      expect(served.status, who).toBe(200);
      expect(served.response!.headers.get("Content-Type")).toBe("image/png");
      expect(served.response!.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(Buffer.from(await served.response!.arrayBuffer()).equals(kept)).toBe(true);
    }
    for (const who of ["reseller2Admin", "independentAdmin", "independentRep"] as const) {
      expect((await hit(logo.loader, `/partners/${id}/logo`, { id }, { as: n.users[who].id })).status, who).toBe(404);
    }
    const other = await createNetwork();
    expect((await hit(logo.loader, `/partners/${id}/logo`, { id }, { as: other.users.brandAdmin.id })).status).toBe(404);
  });
});
