import type { Kysely, Transaction } from "kysely";
import { sql } from "kysely";
import type { DB, ServeRequestStatus } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { ownerDeadline, protectionEnd, REASON_MAX, requestStage, type Decision, type DuplicateMatch, type OwnerDecision } from "~/domain/serve-requests";
import { charLength, toSearchKey } from "~/domain/text";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldError, FieldErrors } from "~/utils/validation";
import { audit } from "./audit.server";
import { trackCustomerCounts } from "./customer-counts.server";
import { nameKeys, servingPartnersOf } from "./customers.server";
import { notify } from "./notifications.server";
import { addServingRows } from "./serving-rows.server";
import { assertCan, customerScope, pageOf, PAGE_SIZE, partnerScope, requestOwnedBy, requestSentBy, withChannelTeam } from "./scope.server";

/** A transfer or a rejection is explained to the partners it affects. */
export const REASON_REQUIRED = "conflicts:errors.reason_required";

const DECIDED: Record<Decision, ServeRequestStatus> = { approve: "approved", transfer: "transferred", reject: "rejected" };

type Executor = Kysely<DB> | Transaction<DB>;

function protection(registeredAt: Date, protectionDays: number) {
  const until = protectionEnd(registeredAt, protectionDays);
  return { protected_until: until, protection_active: until.getTime() > Date.now() };
}

/** The routes validate with zod first; this keeps the model safe for any other caller. */
function reasonError(reason: string, required: FieldError | null): FieldError | null {
  const trimmed = reason.trim();
  if (required && !trimmed) return required;
  if (charLength(trimmed) > REASON_MAX) return { key: "errors.too_long", values: { max: REASON_MAX } };
  return null;
}

async function partnerNames(trx: Executor, ids: (string | null)[]): Promise<Map<string, { fa: string; en: string }>> {
  const known = [...new Set(ids.filter((id): id is string => id !== null))];
  if (known.length === 0) return new Map();
  const rows = await trx.selectFrom("partners").select(["id", "name_fa", "name_en"]).where("id", "in", known).execute();
  return new Map(rows.map((r) => [r.id, { fa: r.name_fa, en: r.name_en }]));
}

/** Partner names go into notifications in both languages; the page shows the reader's. */
function nameParams(prefix: string, name: { fa: string; en: string } | undefined): Record<string, string> {
  return name ? { [`${prefix}_fa`]: name.fa, [`${prefix}_en`]: name.en } : {};
}

async function addServingPartner(trx: Transaction<DB>, brandId: string, customerId: string, partnerId: string, since: Date) {
  await addServingRows(trx, brandId, partnerId, [customerId], since, { keepExisting: true });
}

/** What the requester typed on the registration form, and which of it found the existing record. */
export interface RequestIdentity {
  match: DuplicateMatch;
  phone: string;
  email: string | null;
  displayName: string;
  city: string;
}

export type RequestToServeResult = { sent: true } | { errors: FieldErrors };

/**
 * A partner asks to serve a customer another partner registered. The customer is named again by
 * what the requester typed (never by an id the requester was shown), and the answer is the same
 * whether or not that finds anyone, so this cannot tell the requester more than the duplicate
 * check already did. Every request waits for a decision: the owning partner's, until the brand's
 * deadline (or none, when there is no active owner), then the channel team's.
 */
export async function requestToServe(actor: Actor, identity: RequestIdentity, reason: string): Promise<RequestToServeResult> {
  assertCan(actor, "customers.register");
  const partnerId = actor.partnerId;
  if (!partnerId) throw new Response("Forbidden", { status: 403 });
  const invalid = reasonError(reason, { key: "errors.required" });
  if (invalid) return { errors: { reason: invalid } };

  return transaction(async (trx): Promise<RequestToServeResult> => {
    // The requester does not serve these customers yet, so this lookup is by brand, not through
    // customerScope; nothing read here reaches the requester. Locking the rows serialises
    // requests for one customer, so the checks below still hold at commit.
    let query = trx
      .selectFrom("customers")
      .select(["customers.id", "customers.display_name", "customers.city", "customers.registered_at", "customers.registered_by_partner_id"])
      .where("customers.brand_id", "=", actor.brandId);
    if (identity.match === "phone") query = query.where("customers.phone", "=", identity.phone);
    else if (identity.match === "email") query = query.where("customers.email", "=", identity.email ?? "");
    else query = query.where("customers.name_key", "=", nameKeys(identity.displayName).name_key).where("customers.city_key", "=", toSearchKey(identity.city));
    const customers = await query.orderBy("customers.id").limit(5).forUpdate().execute();
    // Read apart from the locked rows, so a request never locks the owning partner's row.
    const registrants = customers.map((c) => c.registered_by_partner_id).filter((p): p is string => p !== null);
    const active = new Set(registrants.length ? (await trx.selectFrom("partners").select("id").where("id", "in", registrants).where("active", "=", true).execute()).map((p) => p.id) : []);

    const brand = await trx.selectFrom("brands").select(["protection_days", "owner_decision_days"]).where("id", "=", actor.brandId).executeTakeFirstOrThrow();
    let served = 0;
    let waiting = 0;
    for (const customer of customers) {
      const serving = (await trx.selectFrom("customer_partners").select("partner_id").where("customer_id", "=", customer.id).execute()).map((r) => r.partner_id);
      if (serving.includes(partnerId)) {
        served++;
        continue;
      }
      const pending = await trx.selectFrom("serve_requests").select("id").where("customer_id", "=", customer.id).where("partner_id", "=", partnerId).where("status", "=", "pending").executeTakeFirst();
      if (pending) {
        waiting++;
        continue;
      }
      await createRequest(trx, actor, partnerId, customer, active.has(customer.registered_by_partner_id ?? ""), brand, reason.trim());
    }
    // What the requester may already know: a customer it serves, or its own earlier request.
    const created = customers.length - served - waiting;
    if (created === 0 && waiting > 0) return { errors: { form: { key: "conflicts:errors.already_requested" } } };
    if (created === 0 && served > 0) return { errors: { form: { key: "conflicts:errors.already_serving" } } };
    return { sent: true };
  });
}

async function createRequest(
  trx: Transaction<DB>,
  actor: Actor,
  partnerId: string,
  customer: { id: string; display_name: string; city: string; registered_at: Date; registered_by_partner_id: string | null },
  registrantActive: boolean,
  brand: { protection_days: number; owner_decision_days: number },
  reason: string,
) {
  const now = new Date();
  const registrant = customer.registered_by_partner_id;
  // A deactivated owner cannot sign in to answer, so its customers go straight to the channel team.
  const owner = registrant !== null && registrant !== partnerId && registrantActive ? registrant : null;
  const deadline = owner ? ownerDeadline(now, brand.owner_decision_days) : null;
  const protectedUntil = protectionEnd(customer.registered_at, brand.protection_days);
  const id = newId();
  await trx
    .insertInto("serve_requests")
    .values({
      id,
      brand_id: actor.brandId,
      customer_id: customer.id,
      partner_id: partnerId,
      requested_by_user_id: actor.userId,
      reason,
      status: "pending",
      owner_partner_id: owner,
      owner_deadline: deadline,
      escalated_at: owner ? null : now,
      created_at: now,
    })
    .execute();

  const names = await partnerNames(trx, [partnerId, registrant]);
  const about = { customer: customer.display_name, ...nameParams("partner", names.get(partnerId)) };
  if (owner && deadline) {
    await notify(trx, { brandId: actor.brandId, partnerId: owner, kind: "serve_request.incoming", params: { ...about, decide_until: deadline.toISOString() }, link: "/serve-requests/incoming" });
  } else {
    await notify(trx, { brandId: actor.brandId, partnerId: null, kind: "serve_request.pending", params: { ...about, city: customer.city, ...nameParams("registrant", names.get(registrant ?? "")) }, link: `/conflicts/${id}` });
  }
  await audit(
    {
      brandId: actor.brandId,
      actorUserId: actor.userId,
      partnerId,
      action: "serve_request.requested",
      targetType: "serve_request",
      targetId: id,
      details: { customerId: customer.id, ownerPartnerId: owner, ownerDeadline: deadline?.toISOString() ?? null, protectedUntil: protectedUntil.toISOString() },
    },
    trx,
  );
}

/**
 * The scheduled pass: pending requests whose owner let the deadline pass are now the channel
 * team's, which is told once. The claim is a conditional update of `escalated_at`, so running the
 * pass twice (or on two machines at once) notifies once.
 */
export async function escalateOverdueRequests(brandId: string, now = new Date()): Promise<number> {
  const due = await db()
    .selectFrom("serve_requests")
    .innerJoin("customers", "customers.id", "serve_requests.customer_id")
    .select(["serve_requests.id", "serve_requests.partner_id", "serve_requests.owner_partner_id", "serve_requests.owner_deadline", "customers.id as customer_id", "customers.display_name", "customers.city"])
    .where("serve_requests.brand_id", "=", brandId)
    .where("serve_requests.status", "=", "pending")
    .where("serve_requests.escalated_at", "is", null)
    .where("serve_requests.owner_deadline", "<=", now)
    .orderBy("serve_requests.owner_deadline")
    .execute();
  let escalated = 0;
  for (const r of due) {
    const claimed = await transaction(async (trx) => {
      const updated = await trx
        .updateTable("serve_requests")
        .set({ escalated_at: now })
        .where("id", "=", r.id)
        .where("status", "=", "pending")
        .where("escalated_at", "is", null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return false;
      const names = await partnerNames(trx, [r.partner_id, r.owner_partner_id]);
      await notify(trx, {
        brandId,
        partnerId: null,
        kind: "serve_request.escalated",
        params: { customer: r.display_name, city: r.city, ...nameParams("partner", names.get(r.partner_id)), ...nameParams("registrant", names.get(r.owner_partner_id ?? "")) },
        link: `/conflicts/${r.id}`,
      });
      await audit({ brandId, actorUserId: null, partnerId: r.owner_partner_id, action: "serve_request.escalated", targetType: "serve_request", targetId: r.id, details: { customerId: r.customer_id, ownerDeadline: r.owner_deadline?.toISOString() } }, trx);
      return true;
    });
    if (claimed) escalated++;
  }
  return escalated;
}

/** What every list of requests shows of the request itself. */
const REQUEST_COLUMNS = ["serve_requests.id", "serve_requests.status", "serve_requests.reason", "serve_requests.created_at", "serve_requests.decided_at", "serve_requests.decision_reason"] as const;

/** Requests of the actor's brand, with the customer, the requesting, registering and owning partners. */
function requestsQuery(actor: Actor) {
  return db()
    .selectFrom("serve_requests")
    .innerJoin("customers", "customers.id", "serve_requests.customer_id")
    .innerJoin("brands", "brands.id", "serve_requests.brand_id")
    .innerJoin("partners as requester", "requester.id", "serve_requests.partner_id")
    .leftJoin("partners as registrant", "registrant.id", "customers.registered_by_partner_id")
    .leftJoin("partners as owner", "owner.id", "serve_requests.owner_partner_id")
    .select([
      ...REQUEST_COLUMNS,
      "serve_requests.decided_by_owner",
      "serve_requests.owner_deadline",
      "customers.id as customer_id",
      "customers.display_name as customer_name",
      "customers.city as customer_city",
      "customers.province as customer_province",
      "customers.registered_at",
      "brands.protection_days",
      "requester.id as requester_id",
      "requester.name_fa as requester_name_fa",
      "requester.name_en as requester_name_en",
      "registrant.name_fa as registrant_name_fa",
      "registrant.name_en as registrant_name_en",
      "owner.name_fa as owner_name_fa",
      "owner.name_en as owner_name_en",
    ])
    .where(partnerScope(actor, "serve_requests.partner_id", "serve_requests.brand_id"));
}

export interface ServeRequestFilters {
  /** undefined: every status */
  status?: ServeRequestStatus;
  page: number;
}

export async function listServeRequests(actor: Actor, f: ServeRequestFilters) {
  assertCan(actor, "conflicts.resolve");
  let list = requestsQuery(actor);
  let count = db().selectFrom("serve_requests").where(partnerScope(actor, "serve_requests.partner_id", "serve_requests.brand_id"));
  if (f.status) {
    list = list.where("serve_requests.status", "=", f.status);
    count = count.where("serve_requests.status", "=", f.status);
  }
  // Pending requests are a queue, oldest first; decided ones read as history, newest first.
  const direction = f.status === "pending" ? "asc" : "desc";
  const [rows, total] = await Promise.all([
    list.orderBy("serve_requests.created_at", direction).orderBy("serve_requests.id", direction).limit(PAGE_SIZE).offset((f.page - 1) * PAGE_SIZE).execute(),
    count.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  const serving = await servingPartnersOf(
    actor,
    rows.map((r) => r.customer_id),
  );
  const now = new Date();
  return pageOf(
    rows.map(({ protection_days, ...r }) => ({ ...r, ...protection(r.registered_at, protection_days), stage: requestStage(r, now), serving: serving.get(r.customer_id) ?? [] })),
    total.n,
    f.page,
  );
}

/** One request of the actor's brand, or undefined (a 404 for unknown and other brands' ids). */
export async function getServeRequest(actor: Actor, id: string) {
  assertCan(actor, "conflicts.resolve");
  const row = await requestsQuery(actor)
    .innerJoin("users as requested_by", "requested_by.id", "serve_requests.requested_by_user_id")
    .leftJoin("users as decided_by", "decided_by.id", "serve_requests.decided_by_user_id")
    .select(["customers.kind as customer_kind", "requested_by.display_name as requested_by_name", "decided_by.display_name as decided_by_name"])
    .where("serve_requests.id", "=", id)
    .executeTakeFirst();
  if (!row) return undefined;
  const serving = await servingPartnersOf(actor, [row.customer_id]);
  const { protection_days, ...rest } = row;
  return { ...rest, ...protection(row.registered_at, protection_days), stage: requestStage(row), serving: serving.get(row.customer_id) ?? [] };
}

/** Requests to serve one of the actor's partner's customers, newest first, with who asks and why. */
export async function listIncomingRequests(actor: Actor, page: number) {
  assertCan(actor, "serve_requests.decide");
  const base = db().selectFrom("serve_requests").where(requestOwnedBy(actor));
  const [rows, total] = await Promise.all([
    base
      .innerJoin("customers", "customers.id", "serve_requests.customer_id")
      .innerJoin("partners as requester", "requester.id", "serve_requests.partner_id")
      .select([
        "serve_requests.id",
        "serve_requests.status",
        "serve_requests.reason",
        "serve_requests.created_at",
        "serve_requests.owner_deadline",
        "serve_requests.decided_at",
        "serve_requests.decided_by_owner",
        "serve_requests.decision_reason",
        "customers.id as customer_id",
        // After a transfer the customer is no longer the owner's to read.
        sql<string | null>`case when ${customerScope(actor)} then customers.display_name end`.as("customer_name"),
        "requester.name_fa as requester_name_fa",
        "requester.name_en as requester_name_en",
      ])
      .orderBy("serve_requests.created_at", "desc")
      .orderBy("serve_requests.id", "desc")
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  const now = new Date();
  return pageOf(
    rows.map((r) => ({ ...r, stage: requestStage(r, now) })),
    total.n,
    page,
  );
}

/**
 * The requests the actor's partner sent, newest first. The customer is named only once the partner
 * serves it: a waiting or declined request says nothing about whom it was for beyond the reason the
 * requester wrote itself.
 */
export async function listSentRequests(actor: Actor, page: number) {
  assertCan(actor, "customers.register");
  const base = db().selectFrom("serve_requests").where(requestSentBy(actor));
  const [rows, total] = await Promise.all([
    base
      .innerJoin("customers", "customers.id", "serve_requests.customer_id")
      .select([
        ...REQUEST_COLUMNS,
        sql<string | null>`case when ${customerScope(actor)} then customers.id end`.as("customer_id"),
        sql<string | null>`case when ${customerScope(actor)} then customers.display_name end`.as("customer_name"),
      ])
      .orderBy("serve_requests.created_at", "desc")
      .orderBy("serve_requests.id", "desc")
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return pageOf(rows, total.n, page);
}

export type DecideResult = { status: ServeRequestStatus } | { errors: FieldErrors } | { alreadyDecided: ServeRequestStatus } | { waitingForOwner: Date } | { windowOver: true } | null;

interface PendingRequest {
  id: string;
  status: ServeRequestStatus;
  customer_id: string;
  partner_id: string;
  created_at: Date;
  owner_deadline: Date | null;
  display_name: string;
}

const pendingRequestColumns = ["serve_requests.id", "serve_requests.status", "serve_requests.customer_id", "serve_requests.partner_id", "serve_requests.created_at", "serve_requests.owner_deadline", "customers.display_name"] as const;

/**
 * The channel team decides a request that is theirs: no owning partner, or the owner's deadline
 * passed. The status changes by a conditional update, so of two deciders at once only one wins;
 * the other gets `alreadyDecided` and nothing else is written. Null for an unknown or other
 * brand's request.
 */
export async function decideServeRequest(actor: Actor, id: string, decision: Decision, reason: string): Promise<DecideResult> {
  assertCan(actor, "conflicts.resolve");
  const invalid = reasonError(reason, decision === "approve" ? null : { key: REASON_REQUIRED });
  if (invalid) return { errors: { reason: invalid } };
  const scope = partnerScope(actor, "serve_requests.partner_id", "serve_requests.brand_id");
  const request = await db().selectFrom("serve_requests").innerJoin("customers", "customers.id", "serve_requests.customer_id").select(pendingRequestColumns).where("serve_requests.id", "=", id).where(scope).executeTakeFirst();
  if (!request) return null;
  const now = new Date();
  const stage = requestStage(request, now);
  if (stage === "decided") return { alreadyDecided: request.status };
  if (stage === "owner") return { waitingForOwner: request.owner_deadline! };

  return transaction(async (trx): Promise<DecideResult> => {
    const updated = await trx
      .updateTable("serve_requests")
      .set({ status: DECIDED[decision], decided_by_user_id: actor.userId, decision_reason: reason.trim() || null, decided_at: now })
      .where("serve_requests.id", "=", id)
      .where(scope)
      .where("serve_requests.status", "=", "pending")
      .where(withChannelTeam(now))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const current = await trx.selectFrom("serve_requests").select("status").where("id", "=", id).executeTakeFirstOrThrow();
      return { alreadyDecided: current.status };
    }
    return applyDecision(trx, actor, request, decision, reason.trim() || null, "channel");
  });
}

/**
 * The owning partner's admin accepts (the requester serves the customer beside it) or declines
 * (with a reason) within the brand's deadline; after it the request is the channel team's. The
 * same conditional update as the channel team's decides which of two answers at once wins.
 * Null when the request is not one the actor's partner owns.
 */
export async function decideAsOwner(actor: Actor, id: string, decision: OwnerDecision, reason: string): Promise<DecideResult> {
  assertCan(actor, "serve_requests.decide");
  const invalid = reasonError(reason, decision === "approve" ? null : { key: REASON_REQUIRED });
  if (invalid) return { errors: { reason: invalid } };
  const request = await db().selectFrom("serve_requests").innerJoin("customers", "customers.id", "serve_requests.customer_id").select(pendingRequestColumns).where("serve_requests.id", "=", id).where(requestOwnedBy(actor)).executeTakeFirst();
  if (!request) return null;
  const now = new Date();
  const stage = requestStage(request, now);
  if (stage === "decided") return { alreadyDecided: request.status };
  if (stage === "channel") return { windowOver: true };

  return transaction(async (trx): Promise<DecideResult> => {
    const updated = await trx
      .updateTable("serve_requests")
      .set({ status: DECIDED[decision], decided_by_user_id: actor.userId, decided_by_owner: true, decision_reason: reason.trim() || null, decided_at: now })
      .where("serve_requests.id", "=", id)
      .where(requestOwnedBy(actor))
      .where("serve_requests.status", "=", "pending")
      .where("serve_requests.owner_deadline", ">", now)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const current = await trx.selectFrom("serve_requests").select("status").where("id", "=", id).executeTakeFirstOrThrow();
      return current.status === "pending" ? { windowOver: true } : { alreadyDecided: current.status };
    }
    return applyDecision(trx, actor, request, decision, reason.trim() || null, "owner");
  });
}

/** What a decision changes, whom it tells and the audit entry; runs after the winning conditional update. */
async function applyDecision(trx: Transaction<DB>, actor: Actor, request: PendingRequest, decision: Decision, decisionReason: string | null, by: "owner" | "channel"): Promise<DecideResult> {
  const now = new Date();
  const status = DECIDED[decision];
  const { id, customer_id: customerId, partner_id: requester } = request;
  const before = (await trx.selectFrom("customer_partners").select("partner_id").where("customer_id", "=", customerId).orderBy("since").execute())
    .map((r) => r.partner_id)
    .filter((p) => p !== requester);

  if (decision !== "reject") {
    // Who serves the customer moves the home page's counters of the partners concerned.
    await trackCustomerCounts(trx, actor.brandId, [customerId], async () => {
      if (decision === "approve") await addServingPartner(trx, actor.brandId, customerId, requester, now);
      if (decision === "transfer") {
        await trx.deleteFrom("customer_partners").where("customer_id", "=", customerId).where("partner_id", "!=", requester).execute();
        await addServingPartner(trx, actor.brandId, customerId, requester, now);
        await trx.updateTable("customers").set({ registered_by_partner_id: requester, updated_at: now }).where("id", "=", customerId).where("brand_id", "=", actor.brandId).execute();
      }
    });
  }

  const names = await partnerNames(trx, [requester, actor.partnerId]);
  const reasonParam: Record<string, string> = decisionReason ? { reason: decisionReason } : {};
  // A rejected requester never saw this customer's record, so their notice names only their own request.
  await notify(trx, {
    brandId: actor.brandId,
    partnerId: requester,
    kind: `serve_request.${status}`,
    params: decision === "reject" ? { requested_at: request.created_at.toISOString(), ...reasonParam } : { customer: request.display_name, ...reasonParam },
    // A rejected requester follows the request on its own list; the customer stays closed to it.
    link: decision === "reject" ? "/serve-requests" : `/customers/${customerId}`,
  });
  // The owner knows its own answer; the other serving partners hear of a new partner beside them.
  const others = by === "owner" ? (decision === "approve" ? before.filter((p) => p !== actor.partnerId) : []) : before;
  for (const other of others) {
    await notify(trx, {
      brandId: actor.brandId,
      partnerId: other,
      kind: by === "owner" ? "serve_request.owner_approved_others" : `serve_request.${status}_others`,
      params: { customer: request.display_name, ...nameParams("partner", names.get(requester)), ...nameParams("owner", names.get(actor.partnerId ?? "")), ...reasonParam },
      // After a transfer the customer is no longer theirs to open: the notice itself is the news.
      link: decision === "transfer" ? null : `/customers/${customerId}`,
    });
  }
  await audit(
    {
      brandId: actor.brandId,
      actorUserId: actor.userId,
      partnerId: by === "owner" ? actor.partnerId : null,
      action: by === "owner" ? `serve_request.owner_${status}` : `serve_request.${status}`,
      targetType: "serve_request",
      targetId: id,
      details: { customerId, partnerId: requester, previousPartners: before, reason: decisionReason },
    },
    trx,
  );
  return { status };
}
