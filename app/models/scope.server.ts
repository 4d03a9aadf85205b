import { sql, type Expression, type SqlBool } from "kysely";
import type { Actor, Permission } from "~/domain/permissions";
import { can } from "~/domain/permissions";

/**
 * The one tenant filter. Every query of partner-owned data passes its partner and brand columns
 * through here: brand roles see the brand's whole network, partner users their own partner and,
 * for a distributor, its resellers. Routes never build their own filter.
 */
export function partnerScope(actor: Actor, partnerColumn: string, brandColumn: string): Expression<SqlBool> {
  const brand = sql<SqlBool>`${sql.ref(brandColumn)} = ${actor.brandId}`;
  if (actor.scope === "network") return brand;
  return sql<SqlBool>`(${brand} and ${sql.ref(partnerColumn)} in (${sql.join(actor.scope)}))`;
}

/**
 * Rows addressed to one user (a warning about their own account) are that user's alone: not their
 * partner's, not the brand team's, whatever their role.
 */
export function addressedToUser(actor: Actor, userColumn: string, brandColumn: string): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(brandColumn)} = ${actor.brandId} and ${sql.ref(userColumn)} = ${actor.userId})`;
}

export function canSeePartner(actor: Actor, partnerId: string | null): boolean {
  return actor.scope === "network" || (partnerId !== null && actor.scope.includes(partnerId));
}

/**
 * Audit entries: brand roles see the brand's whole log. A partner user sees only what their own
 * partner's people did for that partner: not a distributor's resellers (separate businesses whose
 * sign-ins, addresses and staff changes belong to their own admins) and not what brand staff did
 * (internal brand decisions and staff addresses).
 */
export function auditScope(actor: Actor): Expression<SqlBool> {
  const brand = sql<SqlBool>`audit_log.brand_id = ${actor.brandId}`;
  if (actor.scope === "network") return brand;
  if (!actor.partnerId) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${brand} and audit_log.partner_id = ${actor.partnerId} and exists (select 1 from users au where au.id = audit_log.actor_user_id and au.partner_id = ${actor.partnerId}))`;
}

/**
 * Prices agreed with one partner are that partner's business alone: a partner user sees only its
 * own partner's (not a distributor's resellers', not a sibling's); brand roles see all of the brand's.
 */
export function partnerPriceScope(actor: Actor, partnerColumn = "partner_prices.partner_id", brandColumn = "partner_prices.brand_id"): Expression<SqlBool> {
  const brand = sql<SqlBool>`${sql.ref(brandColumn)} = ${actor.brandId}`;
  if (actor.scope === "network") return brand;
  if (!actor.partnerId) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${brand} and ${sql.ref(partnerColumn)} = ${actor.partnerId})`;
}

/**
 * What one partner keeps for itself about a customer it serves (contact details the customer gave it
 * directly, the day's actions it marked done or snoozed, follow-ups it scheduled): its own users only,
 * not its distributor, not the other serving partners; brand roles see the brand's.
 */
export function keptByOwnPartner(actor: Actor, partnerColumn: string, brandColumn: string): Expression<SqlBool> {
  const brand = sql<SqlBool>`${sql.ref(brandColumn)} = ${actor.brandId}`;
  if (actor.scope === "network") return brand;
  if (!actor.partnerId) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${brand} and ${sql.ref(partnerColumn)} = ${actor.partnerId})`;
}

/** A product's cost is the brand's margin secret: only brand roles ever get it from the database. */
export const maySeeCost = (actor: Actor): boolean => actor.scope === "network";

/** Model functions check the permission too, so no caller can skip it. */
export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new Response("Forbidden", { status: 403 });
}

export const PAGE_SIZE = 20;

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageCount: number;
}

export function pageOf<T>(rows: T[], total: number | string | bigint, page: number, pageSize = PAGE_SIZE): Page<T> {
  const count = Number(total);
  return { rows, total: count, page, pageCount: Math.max(1, Math.ceil(count / pageSize)) };
}

const inScope = (actor: Actor, column: string) =>
  actor.scope === "network" ? sql<SqlBool>`true` : sql<SqlBool>`${sql.ref(column)} in (${sql.join(actor.scope)})`;

/**
 * End customers the actor may see: the brand's whole network for brand roles; for partner users
 * the customers served by one of the partners in their scope.
 */
export function customerScope(actor: Actor, idColumn = "customers.id", brandColumn = "customers.brand_id"): Expression<SqlBool> {
  const brand = sql<SqlBool>`${sql.ref(brandColumn)} = ${actor.brandId}`;
  if (actor.scope === "network") return brand;
  return sql<SqlBool>`(${brand} and exists (select 1 from customer_partners cp where cp.customer_id = ${sql.ref(idColumn)} and cp.partner_id in (${sql.join(actor.scope)})))`;
}

/**
 * The same rule as `customerScope`, checked customer by customer: for reads that walk an index in
 * list order and stop at a limit, where the database would otherwise start from all of the
 * partner's serving rows and sort them.
 */
export function customerScopeRowByRow(actor: Actor, idColumn = "customers.id", brandColumn = "customers.brand_id"): Expression<SqlBool> {
  const brand = sql<SqlBool>`${sql.ref(brandColumn)} = ${actor.brandId}`;
  if (actor.scope === "network") return brand;
  return sql<SqlBool>`(${brand} and (select 1 from customer_partners cp where cp.customer_id = ${sql.ref(idColumn)} and cp.partner_id in (${sql.join(actor.scope)}) limit 1) is not null)`;
}

/**
 * Contact details (phone, email, preferred times) are consent-restricted. The partners who
 * registered the customer collected them and always see them; other serving partners only with
 * the customer's consent to share; the brand only with consent to be contacted by the brand.
 */
export function contactVisible(actor: Actor): Expression<SqlBool> {
  if (actor.scope === "network") return sql<SqlBool>`customers.consent_brand_contact = 1`;
  return sql<SqlBool>`(${inScope(actor, "customers.registered_by_partner_id")} or customers.consent_share_partners = 1)`;
}

/** Needs recorded by another partner are shared only with the customer's consent; the brand sees all. */
export function needVisible(actor: Actor, needPartnerColumn = "customer_needs.partner_id"): Expression<SqlBool> {
  if (actor.scope === "network") return sql<SqlBool>`true`;
  return sql<SqlBool>`(${inScope(actor, needPartnerColumn)} or customers.consent_share_partners = 1)`;
}

/** Interactions, notes and orders stay with the partner that recorded them (and the brand). */
export function ownedByScope(actor: Actor, partnerColumn: string): Expression<SqlBool> {
  return inScope(actor, partnerColumn);
}

/** Refuses with 403 when a record-level rule says no; thrown inside a transaction it also rolls back. */
export function assertAllowed(allowed: boolean): asserts allowed {
  if (!allowed) throw new Response("Forbidden", { status: 403 });
}

/**
 * The partner holding the customer relationship (the registrant, or the partner it was transferred
 * to) speaks for the customer. Only the actor's own partner counts: a distributor over the
 * registrant, or another serving partner, sees the record but does not hold it.
 */
export function holdsRelationship(actor: Actor, customer: { registered_by_partner_id: string | null }): boolean {
  return actor.partnerId !== null && customer.registered_by_partner_id === actor.partnerId;
}

/**
 * Consent is the customer's word, recorded by the partner holding the relationship. The brand may
 * record only a withdrawal the customer asked the brand for: it can switch consents off, never on.
 */
export function mayRecordConsent(actor: Actor, customer: { registered_by_partner_id: string | null }, grantsAny: boolean): boolean {
  if (holdsRelationship(actor, customer)) return true;
  return can(actor, "customers.steward") && !grantsAny;
}

/**
 * Identity and contact of a shared record are edited by its owner, and by the brand only where the
 * brand may see the contact fields; other serving partners propose a correction instead.
 */
export function mayEditCustomer(actor: Actor, customer: { registered_by_partner_id: string | null; contact_visible: number | boolean }): boolean {
  if (holdsRelationship(actor, customer)) return true;
  return can(actor, "customers.steward") && Boolean(customer.contact_visible);
}

/** A serving partner that does not own the record proposes corrections to its owner. */
export function mayProposeCorrection(actor: Actor, customer: { registered_by_partner_id: string | null }): boolean {
  return can(actor, "customers.register") && customer.registered_by_partner_id !== null && !holdsRelationship(actor, customer);
}

/** A need's status and follow-up belong to the partner that recorded it, and to the brand; sharing grants reading only. */
export function mayChangeNeed(actor: Actor, need: { partner_id: string | null }): boolean {
  if (can(actor, "customers.steward")) return true;
  return actor.partnerId !== null && need.partner_id === actor.partnerId;
}

/** The same rule in SQL, for updates that touch needs as a side effect (an interaction's follow-up). */
export function needChangeable(actor: Actor, needPartnerColumn = "customer_needs.partner_id"): Expression<SqlBool> {
  if (can(actor, "customers.steward")) return sql<SqlBool>`true`;
  return sql<SqlBool>`${sql.ref(needPartnerColumn)} = ${actor.partnerId ?? ""}`;
}

/**
 * Requests to serve a customer that the actor's own partner owned when the request was made: that
 * partner answers them first. Only the partner itself, not a distributor above it, because the
 * relationship with the customer is the one the registering partner built.
 */
export function requestOwnedBy(actor: Actor): Expression<SqlBool> {
  return sql<SqlBool>`(serve_requests.brand_id = ${actor.brandId} and serve_requests.owner_partner_id = ${actor.partnerId ?? ""})`;
}

/** Requests the actor's own partner sent; its users follow them, other partners (its distributor too) do not. */
export function requestSentBy(actor: Actor): Expression<SqlBool> {
  return sql<SqlBool>`(serve_requests.brand_id = ${actor.brandId} and serve_requests.partner_id = ${actor.partnerId ?? ""})`;
}

/**
 * Pending requests the channel team may decide: those without an owning partner, and those whose
 * owner let the deadline pass. Within the owner's window the team waits, so a partner's own answer
 * is never overtaken.
 */
export function withChannelTeam(now: Date): Expression<SqlBool> {
  return sql<SqlBool>`(serve_requests.owner_deadline is null or serve_requests.owner_deadline <= ${now})`;
}

/**
 * The audience of a toolkit version (alias `versionAlias`) in SQL, for the partner row `partnerAlias`:
 * the same rule as `audienceIncludes` in app/domain/toolkit-audience.ts (all; or the hand-picked
 * list; or every criterion that is set), so the library and the never-opened list agree with it.
 */
export function audienceIncludes(versionAlias: string, partnerAlias: string): Expression<SqlBool> {
  const v = (c: string) => sql.ref(`${versionAlias}.${c}`);
  const p = (c: string) => sql.ref(`${partnerAlias}.${c}`);
  const accepts = (list: string, column: string) => sql`(json_length(${v(list)}) = 0 or json_contains(${v(list)}, json_quote(${p(column)})))`;
  return sql<SqlBool>`(${v("audience_all")} = 1
    or json_contains(${v("audience_partner_ids")}, json_quote(${p("id")}))
    or (json_length(${v("audience_tiers")}) + json_length(${v("audience_types")}) + json_length(${v("audience_provinces")}) > 0
        and ${accepts("audience_tiers", "tier")} and ${accepts("audience_types", "type")} and ${accepts("audience_provinces", "province")}))`;
}

/**
 * Toolkits the actor may open (columns of `toolkits`). Brand roles see all of their brand's, drafts
 * and archived ones too. A partner user sees a published toolkit whose current version's audience
 * includes their own partner: the library is per partner, so a distributor does not see what was
 * published only to its resellers, nor they what was published only to it.
 */
export function toolkitVisible(actor: Actor): Expression<SqlBool> {
  const brand = sql<SqlBool>`toolkits.brand_id = ${actor.brandId}`;
  if (actor.scope === "network") return brand;
  if (!actor.partnerId) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${brand} and toolkits.status = 'published' and exists (
    select 1 from toolkit_versions av join partners ap on ap.id = ${actor.partnerId} and ap.brand_id = toolkits.brand_id
    where av.toolkit_id = toolkits.id and av.version = toolkits.current_version and ${audienceIncludes("av", "ap")}))`;
}

/**
 * Co-brand files a partner made are that partner's own: they carry its name, logo and perhaps one of
 * its customers. Not its distributor's, not another partner's, and the brand fetches none of them.
 */
export function renderOwnedBy(actor: Actor): Expression<SqlBool> {
  if (!actor.partnerId) return sql<SqlBool>`false`;
  return sql<SqlBool>`(toolkit_renders.brand_id = ${actor.brandId} and toolkit_renders.partner_id = ${actor.partnerId})`;
}

/**
 * A cart is its user's draft alone: not their partner's colleagues', not the brand's. `table` is
 * "carts" or "cart_lines" (both carry brand_id and user_id).
 */
export function cartOf(actor: Actor, table: "carts" | "cart_lines"): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${table}.brand_id`)} = ${actor.brandId} and ${sql.ref(`${table}.user_id`)} = ${actor.userId})`;
}

/**
 * Orders the actor's own partner placed: a reorder fills this user's cart for their own partner, so
 * only their own partner's earlier orders are offered (not a distributor's resellers', nor any for
 * brand staff, who hold no cart).
 */
export function placedByOwnPartner(actor: Actor): Expression<SqlBool> {
  if (!actor.partnerId) return sql<SqlBool>`false`;
  return sql<SqlBool>`(orders.brand_id = ${actor.brandId} and orders.partner_id = ${actor.partnerId})`;
}

/**
 * Ideas on the co-creation board are brand-wide: every partner of the brand sees every idea (that is
 * the point of co-creation). Merged ideas stay reachable only through the one they were merged into.
 */
export function ideaVisible(actor: Actor, alias = "ideas"): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${alias}.brand_id`)} = ${actor.brandId} and ${sql.ref(`${alias}.merged_into_id`)} is null)`;
}

/**
 * The customers behind an idea (`idea_customers` rows) are identified only to the brand and to the
 * partners that linked them (a distributor also its resellers' links), and only while the actor may
 * see the customer; every other link is counted, never named.
 */
export function ideaAskIdentified(actor: Actor): Expression<SqlBool> {
  const brand = sql<SqlBool>`idea_customers.brand_id = ${actor.brandId}`;
  if (actor.scope === "network") return brand;
  return sql<SqlBool>`(${brand} and idea_customers.partner_id in (${sql.join(actor.scope)}) and ${customerScope(actor, "idea_customers.customer_id", "idea_customers.brand_id")})`;
}
