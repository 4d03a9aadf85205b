import type { CorrectionStatus } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldErrors } from "~/utils/validation";
import { audit } from "./audit.server";
import { copyToServingRows } from "./serving-rows.server";
import { customerColumns, getCustomer, isDuplicateKey, takenFieldError, type CustomerInput } from "./customers.server";
import { notify } from "./notifications.server";
import { assertAllowed, assertCan, customerScope, holdsRelationship, mayProposeCorrection, ownedByScope } from "./scope.server";

export type Identity = Omit<CustomerInput, "consents">;
export type IdentityField = keyof Identity;

export const IDENTITY_FIELDS = ["kind", "displayName", "phone", "email", "province", "city", "preferredLocale", "preferredChannel", "preferredTimes"] as const satisfies readonly IdentityField[];
/** Consent-restricted: proposed only by a partner who may see them, so a proposal never tests a hidden value. */
export const CONTACT_FIELDS: readonly IdentityField[] = ["phone", "email", "preferredTimes"];

type CustomerRow = NonNullable<Awaited<ReturnType<typeof getCustomer>>>;

/** The record's identity in form terms; hidden contact fields are null here, as the actor sees them. */
export function identityOf(c: Pick<CustomerRow, "kind" | "display_name" | "phone" | "email" | "province" | "city" | "preferred_locale" | "preferred_channel" | "preferred_times">): Record<IdentityField, string | null> {
  return { kind: c.kind, displayName: c.display_name, phone: c.phone, email: c.email, province: c.province, city: c.city, preferredLocale: c.preferred_locale, preferredChannel: c.preferred_channel, preferredTimes: c.preferred_times };
}

export type Changes = Partial<Record<IdentityField, string | null>>;

export function parseChanges(raw: string): Changes {
  const value = JSON.parse(raw) as Record<string, string | null>;
  return Object.fromEntries(IDENTITY_FIELDS.filter((f) => f in value).map((f) => [f, value[f]]));
}

/**
 * Another serving partner proposes a change to the record's identity or contact; the owning
 * partner is told and decides. Only the fields that differ are kept.
 */
export async function proposeCorrection(actor: Actor, customerId: string, input: Partial<Identity>): Promise<{ id: string } | { errors: FieldErrors } | null> {
  assertCan(actor, "customers.register");
  const customer = await getCustomer(actor, customerId);
  if (!customer) return null;
  assertAllowed(mayProposeCorrection(actor, customer));
  const current = identityOf(customer);
  const fields = IDENTITY_FIELDS.filter((f) => customer.contact_visible || !CONTACT_FIELDS.includes(f));
  const changes: Changes = Object.fromEntries(fields.filter((f) => f in input && (input[f] ?? null) !== current[f]).map((f) => [f, input[f] ?? null]));
  if (Object.keys(changes).length === 0) return { errors: { form: { key: "customers:errors.no_changes" } } };
  const id = newId();
  await transaction(async (trx) => {
    const now = new Date();
    await trx
      .insertInto("customer_corrections")
      .values({ id, brand_id: actor.brandId, customer_id: customerId, partner_id: actor.partnerId!, proposed_by_user_id: actor.userId, changes: JSON.stringify(changes), status: "pending", created_at: now })
      .execute();
    const proposer = await trx.selectFrom("partners").select(["name_fa", "name_en"]).where("id", "=", actor.partnerId!).executeTakeFirstOrThrow();
    await notify(trx, {
      brandId: actor.brandId,
      partnerId: customer.registered_by_partner_id,
      kind: "correction.proposed",
      params: { customer: customer.display_name, partner_fa: proposer.name_fa, partner_en: proposer.name_en },
      link: `/customers/${customerId}#corrections`,
    });
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "customer.correction_proposed", targetType: "customer", targetId: customerId, details: { correctionId: id, fields: Object.keys(changes) } }, trx);
  });
  return { id };
}

/**
 * Pending proposals on a customer, with who proposed them: the owner sees all of them, a proposing
 * partner (and its distributor) its own, the brand all. Values are only those the proposer typed.
 */
export function pendingCorrectionsQuery(actor: Actor, customer: { id: string; registered_by_partner_id: string | null }) {
  const query = db()
    .selectFrom("customer_corrections")
    .innerJoin("customers", "customers.id", "customer_corrections.customer_id")
    .leftJoin("users", "users.id", "customer_corrections.proposed_by_user_id")
    .leftJoin("partners", "partners.id", "customer_corrections.partner_id")
    .where("customer_corrections.customer_id", "=", customer.id)
    .where("customer_corrections.status", "=", "pending")
    .where(customerScope(actor));
  return holdsRelationship(actor, customer) ? query : query.where(ownedByScope(actor, "customer_corrections.partner_id"));
}

export type DecideCorrectionResult = { status: CorrectionStatus } | { alreadyDecided: CorrectionStatus } | { errors: FieldErrors };

/**
 * The owner accepts (the change applies) or declines a proposal. The status moves from pending by
 * a conditional update in the same transaction as the change, so of two accepts at once one wins;
 * a phone or email taken in the meantime is a field error and nothing is applied.
 */
export async function decideCorrection(actor: Actor, customerId: string, correctionId: string, accept: boolean, reason: string | null): Promise<DecideCorrectionResult | null> {
  assertCan(actor, "customers.register");
  const found = await db()
    .selectFrom("customer_corrections")
    .innerJoin("customers", "customers.id", "customer_corrections.customer_id")
    .select(["customer_corrections.partner_id", "customer_corrections.status", "customer_corrections.changes", "customers.registered_by_partner_id", "customers.display_name"])
    .where("customer_corrections.id", "=", correctionId)
    .where("customer_corrections.customer_id", "=", customerId)
    .where(customerScope(actor))
    .executeTakeFirst();
  if (!found) return null;
  assertAllowed(holdsRelationship(actor, found));
  if (found.status !== "pending") return { alreadyDecided: found.status };
  const status: CorrectionStatus = accept ? "accepted" : "declined";
  const changes = parseChanges(found.changes);
  let merged: Identity | null = null;
  try {
    return await transaction(async (trx): Promise<DecideCorrectionResult> => {
      const now = new Date();
      const decided = await trx
        .updateTable("customer_corrections")
        .set({ status, decided_by_user_id: actor.userId, decided_at: now, decision_reason: reason })
        .where("id", "=", correctionId)
        .where("status", "=", "pending")
        .executeTakeFirst();
      if (Number(decided.numUpdatedRows) !== 1) {
        const current = await trx.selectFrom("customer_corrections").select("status").where("id", "=", correctionId).executeTakeFirstOrThrow();
        return { alreadyDecided: current.status };
      }
      let name = found.display_name;
      if (accept) {
        const row = await trx.selectFrom("customers").selectAll().where("id", "=", customerId).forUpdate().executeTakeFirstOrThrow();
        assertAllowed(holdsRelationship(actor, row)); // not transferred away in the meantime
        merged = { ...identityOf(row), ...changes } as Identity;
        await trx.updateTable("customers").set({ ...customerColumns(merged), updated_at: now }).where("id", "=", customerId).where("brand_id", "=", actor.brandId).execute();
        await copyToServingRows(trx, actor.brandId, [customerId]);
        name = merged.displayName;
      }
      await notify(trx, { brandId: actor.brandId, partnerId: found.partner_id, kind: `correction.${status}`, params: { customer: name, ...(reason ? { reason } : {}) }, link: `/customers/${customerId}` });
      await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: `customer.correction_${status}`, targetType: "customer", targetId: customerId, details: { correctionId, fields: Object.keys(changes), reason } }, trx);
      return { status };
    });
  } catch (e) {
    if (!isDuplicateKey(e) || !merged) throw e;
    return { errors: await takenFieldError(actor.brandId, customerId, (merged as Identity).phone) };
  }
}
