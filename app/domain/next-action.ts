// "Next best action" for one end customer: what a partner rep should do now, and why.
// Returns codes and numeric/string params only; the UI turns them into sentences.

import { wholeDaysBetween, type Rfm, type ValueTier } from "./customer-value";

export type NeedFact = {
  id: string;
  status: "open" | "met" | "declined";
  categoryId: string;
  productId: string | null;
  productActive: boolean | null;
  createdAt: Date;
  lastFollowUpAt: Date | null;
};

export type NextActionSettings = {
  highValueNoContactDays?: number;
  needFollowUpDays?: number;
  overdueFactor?: number;
  /** probably lapsing below this probability of still being active */
  lapsingBelow?: number;
  /** ...or when it fell by at least this much since the fit before */
  lapsingDrop?: number;
};

/** What the brand's lifetime-value model says of the customer (BG/NBD P(alive)); null without a fit. */
export type AliveFact = { pAlive: number | null; pAlivePrevious: number | null };

export type NextActionInput = {
  now: Date;
  valueTier: ValueTier | null;
  lastContactAt: Date | null;
  rfm: Rfm;
  needs: NeedFact[];
  alive?: AliveFact;
  settings?: NextActionSettings;
};

export type NextActionCode =
  | "follow_up"
  | "offer_product_for_need"
  | "overdue_reorder"
  | "probably_lapsing"
  | "high_value_no_contact"
  | "follow_up_open_need";

export type NextAction = {
  code: NextActionCode;
  /** 1 is the most urgent. */
  priority: number;
  needId?: string;
  productId?: string;
  /** follow_up: the follow-up a rep scheduled for this day (filled in by the model) */
  followUpId?: string;
  /** overdue_reorder: the customer's last order that the rep may place again (filled in by the model). */
  reorderOrderId?: string;
  params: Record<string, string | number>;
};

export const DEFAULT_NEXT_ACTION_SETTINGS: Required<NextActionSettings> = {
  highValueNoContactDays: 30,
  needFollowUpDays: 14,
  overdueFactor: 1.5,
  lapsingBelow: 0.3,
  lapsingDrop: 0.2,
};

// A stated need with a product ready to sell is the surest sale; a lapsing buyer is the next
// most likely loss; then keeping the best customers warm; then plain housekeeping on needs.
// A follow-up the rep scheduled for the day is their own promise to the customer, so it comes first.
export const NEXT_ACTION_PRIORITY: Record<NextActionCode, number> = {
  follow_up: 1,
  offer_product_for_need: 1,
  overdue_reorder: 2,
  probably_lapsing: 2,
  high_value_no_contact: 3,
  follow_up_open_need: 4,
};

/** One action of one customer, the same from day to day while it holds: what a rep marks done or snoozes. */
export function actionKey(a: Pick<NextAction, "code" | "needId" | "followUpId">): string {
  return `${a.code}:${a.followUpId ?? a.needId ?? ""}`;
}

/**
 * After a rep marks an action done it stays off their list for the rule's own interval, so it comes
 * back only when it would fire anew: a need's follow-up period, a value-A customer's contact
 * interval, the customer's buying cycle. A scheduled follow-up, once done, is gone for good.
 */
export function quietDaysAfterDone(a: NextAction, settings: NextActionSettings = {}): number | null {
  const s = { ...DEFAULT_NEXT_ACTION_SETTINGS, ...settings };
  switch (a.code) {
    case "follow_up":
      return null;
    case "offer_product_for_need":
    case "follow_up_open_need":
      return s.needFollowUpDays;
    case "high_value_no_contact":
    case "probably_lapsing":
      return s.highValueNoContactDays;
    case "overdue_reorder":
      return typeof a.params.cycleDays === "number" && a.params.cycleDays > 0 ? a.params.cycleDays : s.highValueNoContactDays;
  }
}

/**
 * Params per code:
 * - follow_up: { note } — the rep's note when scheduling it
 * - offer_product_for_need: { days: need age, categoryId }
 * - overdue_reorder: { days: since last order, cycleDays: usual interval (rounded), overdueFactor }
 * - high_value_no_contact: { thresholdDays, days: since last contact } — `days` is absent when the
 *   customer was never contacted, so the UI can say so instead of showing a made-up number.
 * - follow_up_open_need: { days: since last follow-up (or creation), thresholdDays, categoryId }
 * - probably_lapsing: { percent: P(alive) now, thresholdPercent } and, when it fell markedly since
 *   the fit before, { previousPercent } — whole percents, so the UI formats them in the locale.
 */
export function nextActions(input: NextActionInput): NextAction[] {
  const { now, rfm } = input;
  const settings = { ...DEFAULT_NEXT_ACTION_SETTINGS, ...input.settings };
  const actions: NextAction[] = [];

  // Oldest needs first, so several actions of one kind come out in a stable, fair order.
  const openNeeds = input.needs
    .filter((need) => need.status === "open")
    .sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || compareStrings(x.id, y.id));

  for (const need of openNeeds) {
    if (need.productId !== null && need.productActive === true) {
      actions.push({
        code: "offer_product_for_need",
        priority: NEXT_ACTION_PRIORITY.offer_product_for_need,
        needId: need.id,
        productId: need.productId,
        params: { days: wholeDaysBetween(need.createdAt, now), categoryId: need.categoryId },
      });
      continue; // the offer is itself the follow-up
    }
    const days = wholeDaysBetween(need.lastFollowUpAt ?? need.createdAt, now);
    if (days >= settings.needFollowUpDays) {
      actions.push({
        code: "follow_up_open_need",
        priority: NEXT_ACTION_PRIORITY.follow_up_open_need,
        needId: need.id,
        params: { days, thresholdDays: settings.needFollowUpDays, categoryId: need.categoryId },
      });
    }
  }

  // Under a day between orders is one purchase split in two, not a buying cycle.
  const cycle = rfm.averageIntervalDays;
  if (rfm.frequency >= 2 && cycle !== null && cycle >= 1 && rfm.recencyDays !== null) {
    if (rfm.recencyDays > cycle * settings.overdueFactor) {
      actions.push({
        code: "overdue_reorder",
        priority: NEXT_ACTION_PRIORITY.overdue_reorder,
        params: {
          days: rfm.recencyDays,
          cycleDays: Math.round(cycle),
          overdueFactor: settings.overdueFactor,
        },
      });
    }
  }

  // The model's view of the same risk, for buyers without a regular cycle too; when the cycle rule
  // already fired, its reorder is the better action and one card is enough.
  const lapsing = probablyLapsing(input.alive, settings);
  if (lapsing && !actions.some((a) => a.code === "overdue_reorder")) {
    actions.push({ code: "probably_lapsing", priority: NEXT_ACTION_PRIORITY.probably_lapsing, params: lapsing });
  }

  if (input.valueTier === "A") {
    const threshold = settings.highValueNoContactDays;
    if (input.lastContactAt === null) {
      actions.push({
        code: "high_value_no_contact",
        priority: NEXT_ACTION_PRIORITY.high_value_no_contact,
        params: { thresholdDays: threshold },
      });
    } else {
      const days = wholeDaysBetween(input.lastContactAt, now);
      if (days >= threshold) {
        actions.push({
          code: "high_value_no_contact",
          priority: NEXT_ACTION_PRIORITY.high_value_no_contact,
          params: { days, thresholdDays: threshold },
        });
      }
    }
  }

  // Array.prototype.sort is stable, so the need order above survives within a priority.
  return actions.sort((x, y) => x.priority - y.priority);
}

function probablyLapsing(alive: AliveFact | undefined, settings: Required<NextActionSettings>): Record<string, number> | null {
  if (!alive || alive.pAlive === null) return null;
  const percent = (p: number) => Math.round(p * 100);
  const params = { percent: percent(alive.pAlive), thresholdPercent: percent(settings.lapsingBelow) };
  if (alive.pAlivePrevious !== null && alive.pAlivePrevious - alive.pAlive >= settings.lapsingDrop) return { ...params, previousPercent: percent(alive.pAlivePrevious) };
  return alive.pAlive < settings.lapsingBelow ? params : null;
}

function compareStrings(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
