import { sql, type RawBuilder, type SqlBool, type Transaction } from "kysely";
import type { DB } from "#db/schema";
import { actionKey, DEFAULT_NEXT_ACTION_SETTINGS, NEXT_ACTION_PRIORITY, quietDaysAfterDone, type NextAction } from "~/domain/next-action";
import type { Actor } from "~/domain/permissions";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { audit } from "./audit.server";
import { nextActionsFor } from "./customer-value.server";
import { getCustomer } from "./customers.server";
import { assertCan, keptByOwnPartner, needVisible } from "./scope.server";

const DAY_MS = 86_400_000;

/** The day's actions are a partner's own plan: its users mark and schedule them, for that partner alone. */
function ownPartner(actor: Actor): string {
  assertCan(actor, "customers.register");
  if (!actor.partnerId) throw new Response("Forbidden", { status: 403 });
  return actor.partnerId;
}

type Mark = { customer_id: string; action_key: string };
type DueFollowUp = { id: string; customer_id: string; note: string; due_at: Date };

/**
 * The suggested actions as the actor's partner plans its day: its due follow-ups added (earliest
 * first), and the actions it marked done or snoozed (`marks` in force) left out until their day.
 */
function planDay(actions: Map<string, NextAction[]>, marks: Mark[], followUps: DueFollowUp[]): Map<string, NextAction[]> {
  const hidden = new Set(marks.map((m) => `${m.customer_id} ${m.action_key}`));
  const due = [...followUps].sort((x, y) => x.due_at.getTime() - y.due_at.getTime() || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const planned = new Map<string, NextAction[]>();
  for (const [id, list] of actions) {
    const mine = due.filter((f) => f.customer_id === id).map((f): NextAction => ({ code: "follow_up", priority: NEXT_ACTION_PRIORITY.follow_up, followUpId: f.id, params: { note: f.note } }));
    planned.set(
      id,
      [...mine, ...list].filter((a) => !hidden.has(`${id} ${actionKey(a)}`)).sort((x, y) => x.priority - y.priority),
    );
  }
  return planned;
}

/** The day plan of customers whose actions were worked out already, with the partner's marks and follow-ups read for them. */
async function withDayPlan(actor: Actor, actions: Map<string, NextAction[]>, now: Date): Promise<Map<string, NextAction[]>> {
  const ids = [...actions.keys()];
  if (ids.length === 0 || !actor.partnerId) return actions;
  const [marks, followUps] = await Promise.all([
    db()
      .selectFrom("customer_action_marks")
      .select(["customer_id", "action_key"])
      .where("customer_id", "in", ids)
      .where(keptByOwnPartner(actor, "customer_action_marks.partner_id", "customer_action_marks.brand_id"))
      .where("until", ">", now)
      .execute(),
    db()
      .selectFrom("customer_follow_ups")
      .select(["id", "customer_id", "note", "due_at"])
      .where("customer_id", "in", ids)
      .where(keptByOwnPartner(actor, "customer_follow_ups.partner_id", "customer_follow_ups.brand_id"))
      .where("done_at", "is", null)
      .where("due_at", "<=", now)
      .execute(),
  ]);
  return planDay(actions, marks, followUps);
}

type NeedJson = { id: string; category_id: string; product_id: string | null; product_active: number | null; created_at: string; last_follow_up_at: string | null };
type FollowUpJson = { id: string; note: string; due_at: string };

/** A JSON array the database built (null when it aggregated no rows). */
const jsonList = <T>(value: unknown): T[] => (value === null ? [] : typeof value === "string" ? JSON.parse(value) : value) as T[];
/** A UTC datetime as the database writes it in JSON ("2026-12-02 08:26:14.246"). */
const utc = (text: string) => new Date(`${text.replace(" ", "T")}Z`);

/**
 * A partner's daily list: customers for whom some rule fires today, or a follow-up is due, in tier
 * order (A, B, C, then not yet valued) and id order within a tier. SQL finds the first candidates
 * with the same thresholds as the rules; the rules then decide, and the partner's own marks and
 * follow-ups adjust the result.
 *
 * The candidates are read from the serving rows of each partner in scope (customer_partners, which
 * carry copies of the facts the rules test: app/models/serving-rows.server.ts) in the order of the
 * (brand, partner, tier, customer, …) index, tested from the index and the customer's open needs and
 * follow-ups, and stopped at the limit: the same customers as one query over all of the scope's
 * customers, without reading them all or sorting them. Each candidate's visible open needs, the
 * partner's due follow-ups and marks in force come in the same statement (JSON built per candidate
 * by its own index lookups), so the rules run without a read per kind of fact over a list of ids.
 */
export async function dailyActions(actor: Actor, limit = 50, now = new Date()) {
  const partnerId = ownPartner(actor);
  const partners = actor.scope === "network" ? [partnerId] : actor.scope;
  const days = (n: number) => new Date(now.getTime() - n * DAY_MS);
  const limited = limit * 4;
  const { lapsingBelow, lapsingDrop } = DEFAULT_NEXT_ACTION_SETTINGS;
  // The needs and follow-ups are probed per serving row (a scalar subquery, `limit 1`): as an
  // `exists` the database may turn them into a semi-join that first reads all of the brand's open
  // needs or the partner's due follow-ups.
  const fires = sql<SqlBool>`(
    (cp.value_tier = 'A' and (cp.last_contact_at is null or cp.last_contact_at <= ${days(30)}))
    or (cp.order_count >= 2 and cp.last_order_at < ${now} - interval (cp.avg_interval_days * 1.5) day)
    or (cp.value_tier is not null and (cp.p_alive < ${lapsingBelow} or cp.p_alive_previous - cp.p_alive >= ${lapsingDrop}))
    or (select 1 from customer_needs n where n.customer_id = cp.customer_id and n.status = 'open' and n.brand_id = ${actor.brandId}
      and (n.product_id is not null or coalesce(n.last_follow_up_at, n.created_at) <= ${days(14)}) limit 1) is not null
    or (select 1 from customer_follow_ups f where f.customer_id = cp.customer_id and f.partner_id = ${partnerId} and f.done_at is null and f.due_at <= ${now} limit 1) is not null)`;
  // Per partner, the valued customers in (tier, id) order, or those not yet valued in id order: a
  // range of the index read in its own order and stopped at the limit; the union cut to the limit.
  const read = (tier: RawBuilder<unknown>, order: RawBuilder<unknown>, n: number) =>
    db()
      .selectFrom(
        sql<{ customer_id: string; value_tier: string | null }>`(${sql.join(
          partners.map(
            (p) => sql`(select cp.customer_id, cp.value_tier from customer_partners cp
              where cp.brand_id = ${actor.brandId} and cp.partner_id = ${p} and ${tier} and ${fires}
              order by ${order} limit ${sql.raw(String(n))})`,
          ),
          sql` union `,
        )})`.as("u"),
      )
      .innerJoin("customers", "customers.id", "u.customer_id")
      .select(["customers.id", "customers.display_name", "customers.city", "customers.value_tier", "customers.last_contact_at", "customers.order_count", "customers.monetary_rial", "customers.first_order_at", "customers.last_order_at", "customers.avg_interval_days", "customers.p_alive", "customers.p_alive_previous"])
      .select([
        sql<string | null>`(select json_arrayagg(json_object('id', n.id, 'category_id', n.category_id, 'product_id', n.product_id, 'product_active', p.active, 'created_at', n.created_at, 'last_follow_up_at', n.last_follow_up_at))
          from customer_needs n left join products p on p.id = n.product_id
          where n.customer_id = customers.id and n.status = 'open' and ${needVisible(actor, "n.partner_id")})`.as("needs"),
        sql<string | null>`(select json_arrayagg(json_object('id', f.id, 'note', f.note, 'due_at', f.due_at)) from customer_follow_ups f
          where f.customer_id = customers.id and ${keptByOwnPartner(actor, "f.partner_id", "f.brand_id")} and f.done_at is null and f.due_at <= ${now})`.as("follow_ups"),
        sql<string | null>`(select json_arrayagg(m.action_key) from customer_action_marks m
          where m.customer_id = customers.id and ${keptByOwnPartner(actor, "m.partner_id", "m.brand_id")} and m.until > ${now})`.as("marks"),
      ])
      .orderBy("u.value_tier")
      .orderBy("u.customer_id")
      .limit(n)
      .execute();
  // Customers not yet valued come last, so they are read only when the valued ones do not fill the list.
  const valued = await read(sql`cp.value_tier is not null`, sql`cp.value_tier, cp.customer_id`, limited);
  const candidates = valued.length < limited ? [...valued, ...(await read(sql`cp.value_tier is null`, sql`cp.customer_id`, limited - valued.length))] : valued;
  const needs = candidates.flatMap((c) =>
    jsonList<NeedJson>(c.needs).map((n) => ({ ...n, customer_id: c.id, status: "open" as const, created_at: utc(n.created_at), last_follow_up_at: n.last_follow_up_at === null ? null : utc(n.last_follow_up_at) })),
  );
  const marks = candidates.flatMap((c) => jsonList<string>(c.marks).map((key) => ({ customer_id: c.id, action_key: key })));
  const followUps = candidates.flatMap((c) => jsonList<FollowUpJson>(c.follow_ups).map((f) => ({ ...f, customer_id: c.id, due_at: utc(f.due_at) })));
  const actions = planDay(await nextActionsFor(actor, candidates, now, needs), marks, followUps);
  return candidates
    .map((c) => ({ customer: { id: c.id, display_name: c.display_name, city: c.city, value_tier: c.value_tier }, actions: actions.get(c.id) ?? [] }))
    .filter((c) => c.actions.length > 0)
    .sort((a, b) => a.actions[0].priority - b.actions[0].priority)
    .slice(0, limit);
}

/** The action `key` of a customer the actor may see, as it stands on the actor's list now; null: no such customer. */
async function currentAction(actor: Actor, customerId: string, key: string, now: Date): Promise<NextAction | undefined | null> {
  const customer = await getCustomer(actor, customerId);
  if (!customer) return null;
  const actions = await withDayPlan(actor, await nextActionsFor(actor, [customer], now), now);
  return actions.get(customerId)?.find((a) => actionKey(a) === key);
}

export type DayPlanResult = { ok: true } | { gone: true } | null;

/**
 * Checks the action is still on the list under a lock on the customer's row, so two clicks (or two
 * reps) at once record it once; the second is told it is gone.
 */
async function onCurrentAction(actor: Actor, customerId: string, key: string, now: Date, write: (action: NextAction, trx: Transaction<DB>) => Promise<boolean>): Promise<DayPlanResult> {
  ownPartner(actor);
  const action = await currentAction(actor, customerId, key, now);
  if (action === null) return null;
  if (!action) return { gone: true };
  return transaction(async (trx) => {
    await trx.selectFrom("customers").select("id").where("id", "=", customerId).forUpdate().executeTakeFirstOrThrow();
    const marked = await trx.selectFrom("customer_action_marks").select("id").where("partner_id", "=", actor.partnerId!).where("customer_id", "=", customerId).where("action_key", "=", key).where("until", ">", now).executeTakeFirst();
    if (marked) return { gone: true } as const;
    return (await write(action, trx)) ? ({ ok: true } as const) : ({ gone: true } as const);
  });
}

/**
 * Marks an action done: it leaves the list for its rule's interval (a follow-up for good) and the
 * customer's timeline says what was done, by whom and when, with the rep's note.
 */
export async function markActionDone(actor: Actor, customerId: string, key: string, note: string | null, now = new Date()): Promise<DayPlanResult> {
  return onCurrentAction(actor, customerId, key, now, async (action, trx) => {
    const partnerId = actor.partnerId!;
    let timelineNote = note;
    if (action.followUpId) {
      const done = await trx.updateTable("customer_follow_ups").set({ done_at: now, done_by_user_id: actor.userId }).where("id", "=", action.followUpId).where("partner_id", "=", partnerId).where("done_at", "is", null).executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) return false;
      timelineNote = [String(action.params.note ?? ""), note ?? ""].filter(Boolean).join(" — ") || null;
    } else {
      const until = new Date(now.getTime() + quietDaysAfterDone(action)! * DAY_MS);
      await trx.insertInto("customer_action_marks").values({ id: newId(), brand_id: actor.brandId, partner_id: partnerId, customer_id: customerId, action_key: actionKey(action), state: "done", until, note, user_id: actor.userId, created_at: now }).execute();
    }
    await trx
      .insertInto("interactions")
      .values({ id: newId(), brand_id: actor.brandId, customer_id: customerId, partner_id: partnerId, user_id: actor.userId, kind: "action_done", channel: null, action_code: action.code, note: timelineNote, need_id: action.needId ?? null, occurred_at: now, created_at: now })
      .execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId, action: "customer.action_done", targetType: "customer", targetId: customerId, details: { action: action.code } }, trx);
    return true;
  });
}

/** Snoozes an action until the start of a later day (Asia/Tehran); it comes back then if it still holds. */
export async function snoozeAction(actor: Actor, customerId: string, key: string, until: Date, now = new Date()): Promise<DayPlanResult> {
  return onCurrentAction(actor, customerId, key, now, async (action, trx) => {
    await trx.insertInto("customer_action_marks").values({ id: newId(), brand_id: actor.brandId, partner_id: actor.partnerId!, customer_id: customerId, action_key: actionKey(action), state: "snoozed", until, note: null, user_id: actor.userId, created_at: now }).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "customer.action_snoozed", targetType: "customer", targetId: customerId, details: { action: action.code, until: until.toISOString() } }, trx);
    return true;
  });
}

/**
 * Schedules a follow-up for a later day in place of the action: the action waits until that day,
 * when the follow-up (with its note) joins the list.
 */
export async function scheduleFollowUp(actor: Actor, customerId: string, key: string, dueAt: Date, note: string, now = new Date()): Promise<DayPlanResult> {
  return onCurrentAction(actor, customerId, key, now, async (action, trx) => {
    const partnerId = actor.partnerId!;
    await trx.insertInto("customer_follow_ups").values({ id: newId(), brand_id: actor.brandId, partner_id: partnerId, customer_id: customerId, due_at: dueAt, note, created_by_user_id: actor.userId, created_at: now }).execute();
    // A follow-up moved to another day is replaced by the new one; any other action waits for it.
    if (action.followUpId) await trx.updateTable("customer_follow_ups").set({ done_at: now, done_by_user_id: actor.userId }).where("id", "=", action.followUpId).where("partner_id", "=", partnerId).where("done_at", "is", null).execute();
    else await trx.insertInto("customer_action_marks").values({ id: newId(), brand_id: actor.brandId, partner_id: partnerId, customer_id: customerId, action_key: actionKey(action), state: "snoozed", until: dueAt, note, user_id: actor.userId, created_at: now }).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId, action: "customer.follow_up_scheduled", targetType: "customer", targetId: customerId, details: { action: action.code, due: dueAt.toISOString() } }, trx);
    return true;
  });
}
