import type { IdeaStatus } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { db, transaction } from "~/utils/db.server";
import type { FieldErrors } from "~/utils/validation";
import { audit } from "../audit.server";
import { closeTheLoop } from "./follow-ups.server";
import { assertCan, ideaVisible } from "../scope.server";

/** Refuses a change that someone else's change overtook; thrown inside a transaction, it rolls everything back. */
export class IdeaConflict extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

/**
 * The brand's status and public answer (audited). Shipping closes the loop once (`closeTheLoop`):
 * timeline entries for every linked customer and "you asked, we built" rows for their partners.
 * The update is conditional on the status read, so of two answers at once the second is a conflict.
 */
export async function setIdeaStatus(actor: Actor, ideaId: string, input: { status: IdeaStatus; answer: string }): Promise<{ ok: true } | { errors: FieldErrors; status: 409 } | undefined> {
  assertCan(actor, "ideas.answer");
  const idea = await db().selectFrom("ideas").select(["ideas.id", "ideas.title", "ideas.status", "ideas.shipped_at"]).where("ideas.id", "=", ideaId).where(ideaVisible(actor)).executeTakeFirst();
  if (!idea) return undefined;
  const now = new Date();
  try {
    await transaction(async (trx) => {
      const ships = input.status === "shipped" && !idea.shipped_at;
      const changed = await trx
        .updateTable("ideas")
        .set({ status: input.status, answer: input.answer, answered_at: now, answered_by_user_id: actor.userId, updated_at: now, ...(ships ? { shipped_at: now } : {}) })
        .where("id", "=", ideaId)
        .where("status", "=", idea.status)
        .where("merged_into_id", "is", null)
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) !== 1) throw new IdeaConflict("ideas:errors.changed_meanwhile");
      if (ships) await closeTheLoop(trx, actor, idea, now);
      await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "idea.status", targetType: "idea", targetId: ideaId, details: { from: idea.status, to: input.status, answer: input.answer } }, trx);
    });
  } catch (e) {
    if (e instanceof IdeaConflict) return { errors: { form: { key: e.key } }, status: 409 };
    throw e;
  }
  return { ok: true };
}

/**
 * Merges a duplicate into the idea kept, all or nothing: supports and linked customers move over
 * (a partner user who supported both counts once, a customer linked twice by the same partner once),
 * and the duplicate points to the kept idea; onto a shipped idea, the customers moved are told.
 * The last steps are updates conditional on neither idea having been merged meanwhile; if one was,
 * everything moved is rolled back.
 */
export async function mergeIdeas(actor: Actor, sourceId: string, targetId: string): Promise<{ ok: true } | { errors: FieldErrors; status: 400 | 409 } | undefined> {
  assertCan(actor, "ideas.merge");
  const ideas = await db().selectFrom("ideas").select(["ideas.id", "ideas.title", "ideas.status"]).where("ideas.id", "in", [sourceId, targetId]).where(ideaVisible(actor)).execute();
  const source = ideas.find((i) => i.id === sourceId);
  const target = ideas.find((i) => i.id === targetId);
  if (!source) return undefined;
  if (sourceId === targetId || !target) return { errors: { targetId: { key: "errors.choice" } }, status: 400 };
  if (source.status === "shipped") return { errors: { form: { key: "ideas:errors.merge_shipped" } }, status: 409 };
  const now = new Date();
  try {
    await transaction(async (trx) => {
      const [sourceSupports, targetSupports] = await Promise.all(
        [sourceId, targetId].map((id) => trx.selectFrom("idea_supports").select("user_id").where("idea_id", "=", id).execute()),
      );
      const supportedTarget = new Set(targetSupports.map((s) => s.user_id));
      const movingSupports = sourceSupports.map((s) => s.user_id).filter((u) => !supportedTarget.has(u));
      if (movingSupports.length > 0) await trx.updateTable("idea_supports").set({ idea_id: targetId }).where("idea_id", "=", sourceId).where("user_id", "in", movingSupports).execute();
      await trx.deleteFrom("idea_supports").where("idea_id", "=", sourceId).execute();

      const [sourceLinks, targetLinks] = await Promise.all(
        [sourceId, targetId].map((id) => trx.selectFrom("idea_customers").select(["id", "customer_id", "partner_id"]).where("idea_id", "=", id).execute()),
      );
      const linkKey = (l: { customer_id: string; partner_id: string | null }) => `${l.customer_id}:${l.partner_id ?? ""}`;
      const linked = new Set(targetLinks.map(linkKey));
      const moving: string[] = [];
      for (const l of sourceLinks) {
        if (linked.has(linkKey(l))) continue;
        linked.add(linkKey(l));
        moving.push(l.id);
      }
      if (moving.length > 0) await trx.updateTable("idea_customers").set({ idea_id: targetId }).where("id", "in", moving).execute();
      await trx.deleteFrom("idea_customers").where("idea_id", "=", sourceId).execute();

      const merged = await trx.updateTable("ideas").set({ merged_into_id: targetId, updated_at: now }).where("id", "=", sourceId).where("merged_into_id", "is", null).executeTakeFirst();
      if (Number(merged.numUpdatedRows) !== 1) throw new IdeaConflict("ideas:errors.changed_meanwhile");
      const kept = await trx.updateTable("ideas").set({ updated_at: now }).where("id", "=", targetId).where("merged_into_id", "is", null).executeTakeFirst();
      if (Number(kept.numUpdatedRows) !== 1) throw new IdeaConflict("ideas:errors.changed_meanwhile");
      // Customers moved onto an idea that has already shipped are told, like any linked after shipping.
      if (target.status === "shipped" && moving.length > 0) await closeTheLoop(trx, actor, target, now);
      await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "idea.merged", targetType: "idea", targetId: sourceId, details: { into: targetId, supports: movingSupports.length, customers: moving.length } }, trx);
    });
  } catch (e) {
    if (e instanceof IdeaConflict) return { errors: { form: { key: e.key } }, status: 409 };
    throw e;
  }
  return { ok: true };
}
