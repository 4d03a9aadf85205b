import type { Transaction } from "kysely";
import type { DB } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { toSearchKey } from "~/domain/text";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldErrors } from "~/utils/validation";
import { audit } from "../audit.server";
import { closeTheLoop } from "./follow-ups.server";
import type { IdeaInput } from "./idea-forms";
import { assertCan, customerScope, ideaVisible } from "../scope.server";

/** The ids among `ids` that are not customers the actor may see (a field error, never a link to someone else's customer). */
async function unseenCustomers(actor: Actor, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const seen = await db().selectFrom("customers").select("customers.id").where("customers.id", "in", ids).where(customerScope(actor)).execute();
  const ok = new Set(seen.map((c) => c.id));
  return ids.filter((id) => !ok.has(id));
}

/** Links customers to an idea for the actor's partner (or the brand), skipping those it already linked. */
async function link(trx: Transaction<DB>, actor: Actor, ideaId: string, customerIds: string[], now: Date): Promise<number> {
  if (customerIds.length === 0) return 0;
  const existing = await trx
    .selectFrom("idea_customers")
    .select("customer_id")
    .where("idea_id", "=", ideaId)
    .where("customer_id", "in", customerIds)
    .where((eb) => (actor.partnerId ? eb("partner_id", "=", actor.partnerId) : eb("partner_id", "is", null)))
    .execute();
  const already = new Set(existing.map((e) => e.customer_id));
  const fresh = customerIds.filter((id) => !already.has(id));
  if (fresh.length === 0) return 0;
  await trx
    .insertInto("idea_customers")
    .values(fresh.map((customer_id) => ({ id: newId(), brand_id: actor.brandId, idea_id: ideaId, customer_id, partner_id: actor.partnerId, linked_by_user_id: actor.userId, created_at: now })))
    .execute();
  return fresh.length;
}

/** Posts an idea with the customers who asked for it, in one transaction. */
export async function postIdea(actor: Actor, input: IdeaInput): Promise<{ id: string } | { errors: FieldErrors }> {
  assertCan(actor, "ideas.post");
  const [category, product, unseen] = await Promise.all([
    db().selectFrom("need_categories").select("id").where("id", "=", input.categoryId).where("brand_id", "=", actor.brandId).where("active", "=", true).executeTakeFirst(),
    input.productId ? db().selectFrom("products").select("id").where("id", "=", input.productId).where("brand_id", "=", actor.brandId).executeTakeFirst() : null,
    unseenCustomers(actor, input.customerIds),
  ]);
  const errors: FieldErrors = {};
  if (!category) errors.categoryId = { key: "errors.choice" };
  if (input.productId && !product) errors.productId = { key: "errors.choice" };
  if (unseen.length > 0) errors.customerId = { key: "errors.choice" };
  if (Object.keys(errors).length > 0) return { errors };
  const id = newId();
  const now = new Date();
  await transaction(async (trx) => {
    await trx
      .insertInto("ideas")
      .values({ id, brand_id: actor.brandId, title: input.title, title_key: toSearchKey(input.title), body: input.body, category_id: input.categoryId, product_id: input.productId, partner_id: actor.partnerId, created_by_user_id: actor.userId, created_at: now, updated_at: now })
      .execute();
    await link(trx, actor, id, input.customerIds, now);
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "idea.posted", targetType: "idea", targetId: id, details: { customers: input.customerIds.length } }, trx);
  });
  return { id };
}

/**
 * Adds customers who asked for an existing idea. On a shipped idea they are told at once (timeline
 * and "you asked, we built"), like those linked before it shipped. undefined: no such idea.
 */
export async function linkCustomers(actor: Actor, ideaId: string, customerIds: string[]): Promise<{ linked: number } | { errors: FieldErrors } | undefined> {
  assertCan(actor, "ideas.post");
  const idea = await db().selectFrom("ideas").select(["ideas.id", "ideas.title", "ideas.status"]).where("ideas.id", "=", ideaId).where(ideaVisible(actor)).executeTakeFirst();
  if (!idea) return undefined;
  if ((await unseenCustomers(actor, customerIds)).length > 0) return { errors: { customerId: { key: "errors.choice" } } };
  const now = new Date();
  const linked = await transaction(async (trx) => {
    const n = await link(trx, actor, ideaId, customerIds, now);
    if (n > 0 && idea.status === "shipped") await closeTheLoop(trx, actor, idea, now);
    if (n > 0) await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "idea.customers_linked", targetType: "idea", targetId: ideaId, details: { customers: n } }, trx);
    return n;
  });
  return { linked };
}

/** A partner user's support, once per idea: "already" the second time, nothing written. undefined: no such idea. */
export async function supportIdea(actor: Actor, ideaId: string): Promise<"added" | "already" | undefined> {
  assertCan(actor, "ideas.support");
  const idea = await db().selectFrom("ideas").select("ideas.id").where("ideas.id", "=", ideaId).where(ideaVisible(actor)).executeTakeFirst();
  if (!idea || !actor.partnerId) return undefined;
  try {
    await db().insertInto("idea_supports").values({ idea_id: ideaId, user_id: actor.userId, brand_id: actor.brandId, partner_id: actor.partnerId, created_at: new Date() }).execute();
  } catch (e) {
    if ((e as { code?: string }).code === "ER_DUP_ENTRY") return "already";
    throw e;
  }
  return "added";
}
