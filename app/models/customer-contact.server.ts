import type { InteractionChannel } from "#db/schema";
import { can, type Actor } from "~/domain/permissions";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldErrors } from "~/utils/validation";
import { audit } from "./audit.server";
import type { getCustomer } from "./customers.server";
import { notify } from "./notifications.server";
import { holdsRelationship, keptByOwnPartner } from "./scope.server";

type Customer = NonNullable<Awaited<ReturnType<typeof getCustomer>>>;

/** An ask to the owning partner stays open this long; then the partner may ask again. */
export const ASK_OPEN_DAYS = 7;

/**
 * Why the contact fields are hidden from this actor, in the customer's own terms:
 * - not_shared: the customer never agreed to share contact with partners other than the one holding them;
 * - withdrawn: the customer agreed once and took it back;
 * - brand_not_allowed: (the brand) the customer has not agreed to be contacted by the brand.
 */
export type HiddenReason = "not_shared" | "withdrawn" | "brand_not_allowed";

async function hiddenReason(actor: Actor, customer: Customer): Promise<HiddenReason | null> {
  if (customer.contact_visible) return null;
  if (actor.scope === "network") return "brand_not_allowed";
  // Hidden now but granted once: the customer withdrew it.
  const grantedOnce = await db()
    .selectFrom("consent_events")
    .select("id")
    .where("customer_id", "=", customer.id)
    .where("brand_id", "=", actor.brandId)
    .where("purpose", "=", "share_partners")
    .where("granted", "=", true)
    .limit(1)
    .executeTakeFirst();
  return grantedOnce ? "withdrawn" : "not_shared";
}

/** Contacts the customer gave the actor's own partner directly (the brand: every partner's), newest first. */
async function collectedContacts(actor: Actor, customerId: string) {
  return db()
    .selectFrom("customer_collected_contacts as cc")
    .leftJoin("users", "users.id", "cc.recorded_by_user_id")
    .leftJoin("partners", "partners.id", "cc.partner_id")
    .select(["cc.id", "cc.phone", "cc.email", "cc.channel", "cc.given_at", "cc.created_at", "users.display_name as recorded_by", "partners.name_fa as partner_fa", "partners.name_en as partner_en"])
    .where("cc.customer_id", "=", customerId)
    .where(keptByOwnPartner(actor, "cc.partner_id", "cc.brand_id"))
    .orderBy("cc.created_at", "desc")
    .orderBy("cc.id", "desc")
    .execute();
}

export const askCutoff = (now: Date) => new Date(now.getTime() - ASK_OPEN_DAYS * 86_400_000);

/** A serving partner that does not hold the customer, with the contact hidden, may ask the holder to share it. */
function mayAsk(actor: Actor, customer: Customer): boolean {
  return can(actor, "customers.register") && actor.partnerId !== null && !customer.contact_visible && customer.registered_by_partner_id !== null && !holdsRelationship(actor, customer);
}

/** Everything the profile shows about reaching a customer whose contact the actor cannot see. */
/** `askedAt`: when the actor's partner last asked, while that ask is open (read with the profile's lists). */
export async function contactAccess(actor: Actor, customer: Customer, askedAt: Date | null) {
  const [reason, collected] = await Promise.all([hiddenReason(actor, customer), collectedContacts(actor, customer.id)]);
  return {
    reason,
    collected,
    /** partner users see only their own team's; the brand sees every partner's, named */
    ownTeam: actor.scope !== "network",
    mayRecord: reason !== null && can(actor, "customers.register") && actor.partnerId !== null,
    mayAsk: mayAsk(actor, customer),
    askedAt,
  };
}

export interface CollectedContactInput {
  phone: string | null;
  email: string | null;
  channel: InteractionChannel;
  givenAt: Date;
}

/**
 * Records a phone and/or e-mail the customer gave the actor's partner directly. It stays that
 * partner's: the registrant's record and what other partners see do not change.
 */
export async function recordCollectedContact(actor: Actor, customer: Customer, input: CollectedContactInput): Promise<{ id: string } | { errors: FieldErrors }> {
  if (!(can(actor, "customers.register") && actor.partnerId)) throw new Response("Forbidden", { status: 403 });
  if (!input.phone && !input.email) return { errors: { phone: { key: "customers:errors.contact_required" } } };
  const id = newId();
  const now = new Date();
  await transaction(async (trx) => {
    await trx
      .insertInto("customer_collected_contacts")
      .values({ id, brand_id: actor.brandId, customer_id: customer.id, partner_id: actor.partnerId!, phone: input.phone, email: input.email, channel: input.channel, given_at: input.givenAt, recorded_by_user_id: actor.userId, created_at: now })
      .execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "customer.contact_collected", targetType: "customer", targetId: customer.id, details: { channel: input.channel } }, trx);
  });
  return { id };
}

/**
 * Asks the partner holding the customer to share the contact (or to ask the customer for consent):
 * a notification to its partner admins, who record consent. One open ask per customer and partner;
 * the customer's row is locked while checking, so two asks at once make one.
 */
export async function askOwnerToShare(actor: Actor, customer: Customer, now = new Date()): Promise<{ asked: true } | { errors: FieldErrors }> {
  if (!mayAsk(actor, customer)) throw new Response("Forbidden", { status: 403 });
  const owner = customer.registered_by_partner_id!;
  return transaction(async (trx) => {
    await trx.selectFrom("customers").select("id").where("id", "=", customer.id).forUpdate().executeTakeFirstOrThrow();
    const open = await trx.selectFrom("contact_asks").select("id").where("customer_id", "=", customer.id).where("partner_id", "=", actor.partnerId!).where("created_at", ">", askCutoff(now)).executeTakeFirst();
    if (open) return { errors: { form: { key: "customers:errors.ask_open", values: { days: ASK_OPEN_DAYS } } } };
    await trx.insertInto("contact_asks").values({ id: newId(), brand_id: actor.brandId, customer_id: customer.id, partner_id: actor.partnerId!, owner_partner_id: owner, asked_by_user_id: actor.userId, created_at: now }).execute();
    const [partner, admins] = await Promise.all([
      trx.selectFrom("partners").select(["name_fa", "name_en"]).where("id", "=", actor.partnerId!).executeTakeFirstOrThrow(),
      trx.selectFrom("users").select("id").where("partner_id", "=", owner).where("role", "=", "partner_admin").where("status", "=", "active").execute(),
    ]);
    const message = { brandId: actor.brandId, kind: "contact.share_asked", params: { customer: customer.display_name, partner_fa: partner.name_fa, partner_en: partner.name_en }, link: `/customers/${customer.id}` };
    // The partner's admins record consent; without one, the partner's people see it.
    if (admins.length === 0) await notify(trx, { ...message, partnerId: owner });
    for (const admin of admins) await notify(trx, { ...message, partnerId: owner, userId: admin.id });
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "customer.contact_share_asked", targetType: "customer", targetId: customer.id }, trx);
    return { asked: true } as const;
  });
}
