import { sql, type Transaction } from "kysely";
import type { DB, InteractionChannel } from "#db/schema";
import { followUpPartner } from "~/domain/ideas";
import type { Actor } from "~/domain/permissions";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { audit } from "../audit.server";
import { notify } from "../notifications.server";
import { copyToServingRows } from "../serving-rows.server";
import { assertCan, customerScope, keptByOwnPartner, pageOf, PAGE_SIZE } from "../scope.server";

/**
 * Closes the loop for a shipped idea, inside the caller's transaction: every linked customer gets a
 * timeline entry ("idea_shipped", on the side of the partner that is to tell them, see
 * `followUpPartner`), and that partner gets the customer on its "you asked, we built" list and one
 * notification for the idea. Customers already told of this idea are skipped, so it may run again
 * for customers linked after the idea shipped. Returns the partners that got new rows.
 */
export async function closeTheLoop(trx: Transaction<DB>, actor: Actor, idea: { id: string; title: string }, now: Date): Promise<string[]> {
  const links = await trx
    .selectFrom("idea_customers")
    .innerJoin("customers", "customers.id", "idea_customers.customer_id")
    .select(["idea_customers.customer_id", "idea_customers.partner_id", "customers.registered_by_partner_id"])
    .where("idea_customers.idea_id", "=", idea.id)
    .where("idea_customers.brand_id", "=", actor.brandId)
    .execute();
  if (links.length === 0) return [];
  const customerIds = [...new Set(links.map((l) => l.customer_id))];
  const [serving, told] = await Promise.all([
    trx.selectFrom("customer_partners").select(["customer_id", "partner_id"]).where("customer_id", "in", customerIds).execute(),
    trx.selectFrom("interactions").select(["customer_id", "partner_id"]).where("idea_id", "=", idea.id).where("kind", "=", "idea_shipped").where("customer_id", "in", customerIds).execute(),
  ]);
  const servingBy = new Map<string, Set<string>>();
  for (const s of serving) servingBy.set(s.customer_id, (servingBy.get(s.customer_id) ?? new Set()).add(s.partner_id));
  const done = new Set(told.map((t) => `${t.customer_id}:${t.partner_id ?? ""}`));
  const perPartner = new Map<string, number>();
  for (const link of links) {
    const partner = followUpPartner(link, servingBy.get(link.customer_id) ?? new Set());
    const key = `${link.customer_id}:${partner ?? ""}`;
    if (done.has(key)) continue;
    done.add(key);
    await trx
      .insertInto("interactions")
      .values({ id: newId(), brand_id: actor.brandId, customer_id: link.customer_id, partner_id: partner, user_id: actor.userId, kind: "idea_shipped", channel: null, note: idea.title, need_id: null, idea_id: idea.id, occurred_at: now, created_at: now })
      .execute();
    if (!partner) continue;
    await trx.insertInto("idea_follow_ups").values({ id: newId(), brand_id: actor.brandId, idea_id: idea.id, customer_id: link.customer_id, partner_id: partner, created_at: now }).execute();
    perPartner.set(partner, (perPartner.get(partner) ?? 0) + 1);
  }
  for (const [partnerId, count] of perPartner) {
    await notify(trx, { brandId: actor.brandId, partnerId, kind: "idea.shipped", params: { title: idea.title, count }, link: "/ideas/built" });
  }
  return [...perPartner.keys()];
}

/** The actor's own partner's "you asked, we built" list: customers to tell that what they asked for has shipped. */
export async function listFollowUps(actor: Actor, page: number) {
  assertCan(actor, "ideas.follow_up");
  const query = db()
    .selectFrom("idea_follow_ups")
    .innerJoin("ideas", "ideas.id", "idea_follow_ups.idea_id")
    .innerJoin("customers", "customers.id", "idea_follow_ups.customer_id")
    .where(keptByOwnPartner(actor, "idea_follow_ups.partner_id", "idea_follow_ups.brand_id"))
    .where(customerScope(actor))
    .where("idea_follow_ups.contacted_at", "is", null);
  const [rows, count] = await Promise.all([
    query
      .select(["idea_follow_ups.id", "idea_follow_ups.created_at", "ideas.id as idea_id", "ideas.title", "ideas.answer", "customers.id as customer_id", "customers.display_name", "customers.city"])
      .orderBy("idea_follow_ups.created_at", "desc")
      .orderBy("idea_follow_ups.id")
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return pageOf(rows, count.n, page);
}

/**
 * The partner told the customer: the row leaves the list and the customer's timeline gets the
 * contact (an "idea_contacted" interaction by the channel used); last contact moves forward. A
 * second click finds the row already done and records nothing. undefined: not on the actor's list.
 */
export async function markContacted(actor: Actor, followUpId: string, input: { channel: InteractionChannel; note: string | null }): Promise<"done" | "already" | undefined> {
  assertCan(actor, "ideas.follow_up");
  const row = await db()
    .selectFrom("idea_follow_ups")
    .innerJoin("ideas", "ideas.id", "idea_follow_ups.idea_id")
    .innerJoin("customers", "customers.id", "idea_follow_ups.customer_id")
    .select(["idea_follow_ups.id", "idea_follow_ups.customer_id", "idea_follow_ups.idea_id", "idea_follow_ups.contacted_at", "ideas.title"])
    .where("idea_follow_ups.id", "=", followUpId)
    .where(keptByOwnPartner(actor, "idea_follow_ups.partner_id", "idea_follow_ups.brand_id"))
    .where(customerScope(actor))
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.contacted_at) return "already";
  const now = new Date();
  return transaction(async (trx) => {
    const marked = await trx
      .updateTable("idea_follow_ups")
      .set({ contacted_at: now, contacted_by_user_id: actor.userId })
      .where("id", "=", followUpId)
      .where("contacted_at", "is", null)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) !== 1) return "already" as const;
    const note = input.note ? `${row.title}: ${input.note}` : row.title;
    await trx
      .insertInto("interactions")
      .values({ id: newId(), brand_id: actor.brandId, customer_id: row.customer_id, partner_id: actor.partnerId, user_id: actor.userId, kind: "idea_contacted", channel: input.channel, note, need_id: null, idea_id: row.idea_id, occurred_at: now, created_at: now })
      .execute();
    await trx
      .updateTable("customers")
      .set({ last_contact_at: now })
      .where("id", "=", row.customer_id)
      .where("brand_id", "=", actor.brandId)
      .where(sql<boolean>`(last_contact_at is null or last_contact_at < ${now})`)
      .execute();
    await copyToServingRows(trx, actor.brandId, [row.customer_id]);
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "idea.customer_contacted", targetType: "customer", targetId: row.customer_id, details: { idea: row.idea_id } }, trx);
    return "done" as const;
  });
}
