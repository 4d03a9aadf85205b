import type { Kysely, Transaction } from "kysely";
import type { DB, ServeRequestStatus } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { protectionEnd, REASON_MAX, type Decision } from "~/domain/serve-requests";
import { charLength } from "~/domain/text";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldError, FieldErrors } from "~/utils/validation";
import { audit } from "./audit.server";
import { servingPartnersOf } from "./customers.server";
import { notify } from "./notifications.server";
import { assertCan, pageOf, PAGE_SIZE, partnerScope } from "./scope.server";

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

async function partnerNames(trx: Executor, ids: string[]): Promise<Map<string, { fa: string; en: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await trx.selectFrom("partners").select(["id", "name_fa", "name_en"]).where("id", "in", [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, { fa: r.name_fa, en: r.name_en }]));
}

/** Partner names go into notifications in both languages; the page shows the reader's. */
function nameParams(prefix: string, name: { fa: string; en: string } | undefined): Record<string, string> {
  return name ? { [`${prefix}_fa`]: name.fa, [`${prefix}_en`]: name.en } : {};
}

async function addServingPartner(trx: Transaction<DB>, brandId: string, customerId: string, partnerId: string, since: Date) {
  await trx
    .insertInto("customer_partners")
    .values({ customer_id: customerId, partner_id: partnerId, brand_id: brandId, since })
    .onDuplicateKeyUpdate({ since: (eb) => eb.ref("customer_partners.since") })
    .execute();
}

export type RequestToServeResult = { id: string; status: "pending" | "approved" } | { errors: FieldErrors } | null;

/**
 * A partner asks to serve a customer that another partner registered. While the registrant's
 * protection lasts the request waits for the channel team; afterwards it is granted at once.
 * Returns null when the brand has no such customer (the route answers 404).
 */
export async function requestToServe(actor: Actor, customerId: string, reason: string): Promise<RequestToServeResult> {
  assertCan(actor, "customers.register");
  const partnerId = actor.partnerId;
  if (!partnerId) throw new Response("Forbidden", { status: 403 });
  const invalid = reasonError(reason, { key: "errors.required" });
  if (invalid) return { errors: { reason: invalid } };

  return transaction(async (trx): Promise<RequestToServeResult> => {
    // The requester does not serve this customer yet, so this lookup is by brand, not through
    // customerScope; nothing read here reaches the requester except the outcome. Locking the row
    // serialises requests for one customer, so the checks below still hold at commit.
    const customer = await trx
      .selectFrom("customers")
      .select(["id", "display_name", "city", "registered_at", "registered_by_partner_id"])
      .where("id", "=", customerId)
      .where("brand_id", "=", actor.brandId)
      .forUpdate()
      .executeTakeFirst();
    if (!customer) return null;
    const serving = (await trx.selectFrom("customer_partners").select("partner_id").where("customer_id", "=", customer.id).execute()).map((r) => r.partner_id);
    if (serving.includes(partnerId)) return { errors: { form: { key: "conflicts:errors.already_serving" } } };
    const pending = await trx
      .selectFrom("serve_requests")
      .select("id")
      .where("customer_id", "=", customer.id)
      .where("partner_id", "=", partnerId)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (pending) return { errors: { form: { key: "conflicts:errors.already_requested" } } };

    const brand = await trx.selectFrom("brands").select("protection_days").where("id", "=", actor.brandId).executeTakeFirstOrThrow();
    const now = new Date();
    const protectedUntil = protectionEnd(customer.registered_at, brand.protection_days);
    const registrant = customer.registered_by_partner_id;
    const isProtected = registrant !== null && registrant !== partnerId && now < protectedUntil;
    const status = isProtected ? "pending" : "approved";
    const id = newId();
    await trx
      .insertInto("serve_requests")
      .values({ id, brand_id: actor.brandId, customer_id: customer.id, partner_id: partnerId, requested_by_user_id: actor.userId, reason: reason.trim(), status, decided_at: isProtected ? null : now, created_at: now })
      .execute();

    const names = await partnerNames(trx, [partnerId, ...serving, ...(registrant ? [registrant] : [])]);
    if (isProtected) {
      await notify(trx, {
        brandId: actor.brandId,
        partnerId: null,
        kind: "serve_request.pending",
        params: { customer: customer.display_name, city: customer.city, ...nameParams("partner", names.get(partnerId)), ...nameParams("registrant", names.get(registrant)), protected_until: protectedUntil.toISOString() },
        link: `/conflicts/${id}`,
      });
    } else {
      await addServingPartner(trx, actor.brandId, customer.id, partnerId, now);
      for (const other of serving) {
        await notify(trx, {
          brandId: actor.brandId,
          partnerId: other,
          kind: "serve_request.auto_approved",
          params: { customer: customer.display_name, ...nameParams("partner", names.get(partnerId)) },
          link: `/customers/${customer.id}`,
        });
      }
    }
    await audit(
      {
        brandId: actor.brandId,
        actorUserId: actor.userId,
        partnerId,
        action: isProtected ? "serve_request.requested" : "serve_request.auto_approved",
        targetType: "serve_request",
        targetId: id,
        details: { customerId: customer.id, protectedUntil: protectedUntil.toISOString() },
      },
      trx,
    );
    return { id, status };
  });
}

/** Requests of the actor's brand, with the customer, the requesting and registering partners. */
function requestsQuery(actor: Actor) {
  return db()
    .selectFrom("serve_requests")
    .innerJoin("customers", "customers.id", "serve_requests.customer_id")
    .innerJoin("brands", "brands.id", "serve_requests.brand_id")
    .innerJoin("partners as requester", "requester.id", "serve_requests.partner_id")
    .leftJoin("partners as registrant", "registrant.id", "customers.registered_by_partner_id")
    .select([
      "serve_requests.id",
      "serve_requests.status",
      "serve_requests.reason",
      "serve_requests.created_at",
      "serve_requests.decided_at",
      "serve_requests.decision_reason",
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
  return pageOf(
    rows.map(({ protection_days, ...r }) => ({ ...r, ...protection(r.registered_at, protection_days), serving: serving.get(r.customer_id) ?? [] })),
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
  return { ...rest, ...protection(row.registered_at, protection_days), serving: serving.get(row.customer_id) ?? [] };
}

export type DecideResult = { status: ServeRequestStatus } | { errors: FieldErrors } | { alreadyDecided: ServeRequestStatus } | null;

/**
 * The channel team decides a pending request. The status changes by a conditional update, so of
 * two managers deciding at once only one wins; the other gets `alreadyDecided` and nothing else
 * is written. Returns null for an unknown or other brand's request.
 */
export async function decideServeRequest(actor: Actor, id: string, decision: Decision, reason: string): Promise<DecideResult> {
  assertCan(actor, "conflicts.resolve");
  const invalid = reasonError(reason, decision === "approve" ? null : { key: REASON_REQUIRED });
  if (invalid) return { errors: { reason: invalid } };
  const scope = partnerScope(actor, "serve_requests.partner_id", "serve_requests.brand_id");
  const request = await db()
    .selectFrom("serve_requests")
    .innerJoin("customers", "customers.id", "serve_requests.customer_id")
    .select(["serve_requests.status", "serve_requests.customer_id", "serve_requests.partner_id", "serve_requests.created_at", "customers.display_name"])
    .where("serve_requests.id", "=", id)
    .where(scope)
    .executeTakeFirst();
  if (!request) return null;
  if (request.status !== "pending") return { alreadyDecided: request.status };
  const status = DECIDED[decision];
  const decisionReason = reason.trim() || null;
  const { customer_id: customerId, partner_id: requester } = request;

  return transaction(async (trx): Promise<DecideResult> => {
    const now = new Date();
    const updated = await trx
      .updateTable("serve_requests")
      .set({ status, decided_by_user_id: actor.userId, decision_reason: decisionReason, decided_at: now })
      .where("serve_requests.id", "=", id)
      .where(scope)
      .where("serve_requests.status", "=", "pending")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const current = await trx.selectFrom("serve_requests").select("status").where("id", "=", id).executeTakeFirstOrThrow();
      return { alreadyDecided: current.status };
    }
    const before = (await trx.selectFrom("customer_partners").select("partner_id").where("customer_id", "=", customerId).orderBy("since").execute())
      .map((r) => r.partner_id)
      .filter((p) => p !== requester);

    if (decision === "approve") await addServingPartner(trx, actor.brandId, customerId, requester, now);
    if (decision === "transfer") {
      await trx.deleteFrom("customer_partners").where("customer_id", "=", customerId).where("partner_id", "!=", requester).execute();
      await addServingPartner(trx, actor.brandId, customerId, requester, now);
      await trx.updateTable("customers").set({ registered_by_partner_id: requester, updated_at: now }).where("id", "=", customerId).where("brand_id", "=", actor.brandId).execute();
    }

    const names = await partnerNames(trx, [requester]);
    const reasonParam: Record<string, string> = decisionReason ? { reason: decisionReason } : {};
    // A rejected requester never saw this customer's record, so their notice names only their own request.
    await notify(trx, {
      brandId: actor.brandId,
      partnerId: requester,
      kind: `serve_request.${status}`,
      params: decision === "reject" ? { requested_at: request.created_at.toISOString(), ...reasonParam } : { customer: request.display_name, ...reasonParam },
      link: decision === "reject" ? null : `/customers/${customerId}`,
    });
    for (const other of before) {
      await notify(trx, {
        brandId: actor.brandId,
        partnerId: other,
        kind: `serve_request.${status}_others`,
        params: { customer: request.display_name, ...nameParams("partner", names.get(requester)), ...reasonParam },
        link: decision === "transfer" ? null : `/customers/${customerId}`,
      });
    }
    await audit(
      {
        brandId: actor.brandId,
        actorUserId: actor.userId,
        action: `serve_request.${status}`,
        targetType: "serve_request",
        targetId: id,
        details: { customerId, partnerId: requester, previousPartners: before, reason: decisionReason },
      },
      trx,
    );
    return { status };
  });
}
