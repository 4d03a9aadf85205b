import { describe, it, expect } from "vitest";
import { computeRfm, type OrderFact } from "../../app/domain/customer-value";
import { actionKey, nextActions, quietDaysAfterDone, type NeedFact, type NextAction, type NextActionInput } from "../../app/domain/next-action";

const DAY = 86_400_000;
const NOW = new Date("2025-06-01T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const orderAt = (ago: number): OrderFact => ({ placedAt: daysAgo(ago), totalRial: 1_000n, marginRial: 100n });

const need = (overrides: Partial<NeedFact> = {}): NeedFact => ({
  id: "need-1",
  status: "open",
  categoryId: "cat-1",
  productId: null,
  productActive: null,
  createdAt: daysAgo(1),
  lastFollowUpAt: null,
  ...overrides,
});

const input = (overrides: Partial<NextActionInput> = {}): NextActionInput => ({
  now: NOW,
  valueTier: "B",
  lastContactAt: daysAgo(1),
  rfm: computeRfm([], NOW),
  needs: [],
  ...overrides,
});

const codes = (i: NextActionInput) => nextActions(i).map((a) => a.code);

describe("nextActions", () => {
  it("suggests nothing for a quiet, recently contacted customer", () => {
    expect(nextActions(input())).toEqual([]);
  });

  describe("offer_product_for_need", () => {
    it("offers the active product linked to an open need", () => {
      const actions = nextActions(
        input({ needs: [need({ productId: "p-1", productActive: true, createdAt: daysAgo(3) })] }),
      );
      expect(actions).toEqual([
        {
          code: "offer_product_for_need",
          priority: 1,
          needId: "need-1",
          productId: "p-1",
          params: { days: 3, categoryId: "cat-1" },
        },
      ]);
    });

    it("does not offer an inactive or missing product, nor for a closed need", () => {
      const needs = [
        need({ id: "n1", productId: "p-1", productActive: false }),
        need({ id: "n2", productId: null, productActive: null }),
        need({ id: "n3", productId: "p-1", productActive: true, status: "met" }),
        need({ id: "n4", productId: "p-1", productActive: true, status: "declined" }),
      ];
      expect(nextActions(input({ needs }))).toEqual([]);
    });

    it("makes one action per need, oldest need first", () => {
      const needs = [
        need({ id: "young", productId: "p-2", productActive: true, createdAt: daysAgo(2) }),
        need({ id: "old", productId: "p-1", productActive: true, createdAt: daysAgo(5) }),
      ];
      expect(nextActions(input({ needs })).map((a) => a.needId)).toEqual(["old", "young"]);
    });
  });

  describe("overdue_reorder", () => {
    // Orders 20 days apart; last one `last` days ago. Overdue beyond 20 × 1.5 = 30 days.
    const rfmWithLast = (last: number) => computeRfm([orderAt(last + 40), orderAt(last + 20), orderAt(last)], NOW);

    it("does not fire at exactly the cycle × factor", () => {
      expect(codes(input({ rfm: rfmWithLast(30) }))).toEqual([]);
    });

    it("fires one day past the cycle × factor", () => {
      expect(nextActions(input({ rfm: rfmWithLast(31) }))).toEqual([
        { code: "overdue_reorder", priority: 2, params: { days: 31, cycleDays: 20, overdueFactor: 1.5 } },
      ]);
    });

    it("honours a custom factor", () => {
      expect(codes(input({ rfm: rfmWithLast(25), settings: { overdueFactor: 1.2 } }))).toEqual(["overdue_reorder"]);
      expect(codes(input({ rfm: rfmWithLast(24), settings: { overdueFactor: 1.2 } }))).toEqual([]);
    });

    it("needs at least two orders", () => {
      expect(codes(input({ rfm: computeRfm([orderAt(400)], NOW) }))).toEqual([]);
      expect(codes(input({ rfm: computeRfm([], NOW) }))).toEqual([]);
    });

    it("ignores a 'cycle' of two orders on the same day", () => {
      expect(codes(input({ rfm: computeRfm([orderAt(10), orderAt(10)], NOW) }))).toEqual([]);
    });
  });

  describe("high_value_no_contact", () => {
    it("fires for a tier-A customer at exactly the threshold", () => {
      expect(nextActions(input({ valueTier: "A", lastContactAt: daysAgo(30) }))).toEqual([
        { code: "high_value_no_contact", priority: 3, params: { days: 30, thresholdDays: 30 } },
      ]);
    });

    it("does not fire a day before the threshold", () => {
      expect(codes(input({ valueTier: "A", lastContactAt: daysAgo(29.5) }))).toEqual([]);
    });

    it("fires for a tier-A customer never contacted, without a made-up day count", () => {
      expect(nextActions(input({ valueTier: "A", lastContactAt: null }))).toEqual([
        { code: "high_value_no_contact", priority: 3, params: { thresholdDays: 30 } },
      ]);
    });

    it("ignores other tiers", () => {
      for (const valueTier of ["B", "C", null] as const) {
        expect(codes(input({ valueTier, lastContactAt: null }))).toEqual([]);
      }
    });

    it("honours a custom threshold", () => {
      const settings = { highValueNoContactDays: 60 };
      expect(codes(input({ valueTier: "A", lastContactAt: daysAgo(59), settings }))).toEqual([]);
      expect(codes(input({ valueTier: "A", lastContactAt: daysAgo(60), settings }))).toEqual(["high_value_no_contact"]);
    });
  });

  describe("follow_up_open_need", () => {
    it("fires at exactly the follow-up threshold since creation", () => {
      expect(nextActions(input({ needs: [need({ createdAt: daysAgo(14) })] }))).toEqual([
        {
          code: "follow_up_open_need",
          priority: 4,
          needId: "need-1",
          params: { days: 14, thresholdDays: 14, categoryId: "cat-1" },
        },
      ]);
    });

    it("does not fire a day before the threshold", () => {
      expect(codes(input({ needs: [need({ createdAt: daysAgo(13) })] }))).toEqual([]);
    });

    it("counts from the last follow-up when there is one", () => {
      const old = { createdAt: daysAgo(100) };
      expect(codes(input({ needs: [need({ ...old, lastFollowUpAt: daysAgo(13) })] }))).toEqual([]);
      expect(codes(input({ needs: [need({ ...old, lastFollowUpAt: daysAgo(14) })] }))).toEqual(["follow_up_open_need"]);
    });

    it("ignores needs that are met or declined", () => {
      const needs = [
        need({ id: "a", status: "met", createdAt: daysAgo(100) }),
        need({ id: "b", status: "declined", createdAt: daysAgo(100) }),
      ];
      expect(codes(input({ needs }))).toEqual([]);
    });

    it("still fires when the linked product is inactive", () => {
      const needs = [need({ productId: "p-1", productActive: false, createdAt: daysAgo(20) })];
      expect(nextActions(input({ needs }))).toMatchObject([{ code: "follow_up_open_need", needId: "need-1" }]);
    });

    it("is not duplicated when the need already gets an offer", () => {
      const needs = [need({ productId: "p-1", productActive: true, createdAt: daysAgo(100) })];
      expect(codes(input({ needs }))).toEqual(["offer_product_for_need"]);
    });
  });

  it("orders all actions by priority, most urgent first", () => {
    const actions = nextActions(
      input({
        valueTier: "A",
        lastContactAt: null,
        rfm: computeRfm([orderAt(200), orderAt(180), orderAt(160)], NOW),
        needs: [
          need({ id: "stale", createdAt: daysAgo(50) }),
          need({ id: "offer", productId: "p-9", productActive: true, createdAt: daysAgo(1) }),
        ],
      }),
    );
    expect(actions.map((a) => [a.code, a.priority, a.needId])).toEqual([
      ["offer_product_for_need", 1, "offer"],
      ["overdue_reorder", 2, undefined],
      ["high_value_no_contact", 3, undefined],
      ["follow_up_open_need", 4, "stale"],
    ]);
  });

  it("breaks ties between needs of the same age by id", () => {
    const needs = [
      need({ id: "b", createdAt: daysAgo(20) }),
      need({ id: "a", createdAt: daysAgo(20) }),
    ];
    expect(nextActions(input({ needs })).map((a) => a.needId)).toEqual(["a", "b"]);
  });
});

describe("probably_lapsing", () => {
  const alive = (pAlive: number | null, pAlivePrevious: number | null = null) => ({ pAlive, pAlivePrevious });

  it("fires when the model's probability of still being active is below the threshold, with the percentages as reason", () => {
    expect(nextActions(input({ alive: alive(0.12) }))).toEqual([{ code: "probably_lapsing", priority: 2, params: { percent: 12, thresholdPercent: 30 } }]);
    expect(codes(input({ alive: alive(0.3) }))).toEqual([]);
    expect(codes(input({ alive: alive(0.29, 0.35), settings: { lapsingBelow: 0.2 } }))).toEqual([]);
  });

  it("fires when the probability fell markedly since the fit before, even above the threshold", () => {
    expect(nextActions(input({ alive: alive(0.62, 0.9) }))).toEqual([{ code: "probably_lapsing", priority: 2, params: { percent: 62, previousPercent: 90, thresholdPercent: 30 } }]);
    expect(codes(input({ alive: alive(0.75, 0.9) }))).toEqual([]);
    expect(codes(input({ alive: alive(0.9, 0.6) }))).toEqual([]);
  });

  it("stays silent without a model value (no fit yet, or no orders)", () => {
    expect(codes(input({ alive: alive(null, 0.9) }))).toEqual([]);
    expect(codes(input())).toEqual([]);
  });

  it("gives way to the overdue reorder, which already offers the last order again", () => {
    const rfm = computeRfm([orderAt(300), orderAt(250), orderAt(200)], NOW);
    expect(codes(input({ rfm, alive: alive(0.1) }))).toEqual(["overdue_reorder"]);
  });

  it("ranks with the overdue reorder, above keeping a tier-A customer warm", () => {
    expect(codes(input({ valueTier: "A", lastContactAt: null, alive: alive(0.2) }))).toEqual(["probably_lapsing", "high_value_no_contact"]);
  });
});

describe("the day's plan", () => {
  const action = (o: Partial<NextAction>): NextAction => ({ code: "follow_up_open_need", priority: 4, params: {}, ...o });

  it("keys an action by its code and the need or follow-up it is about", () => {
    expect(actionKey(action({ needId: "N1" }))).toBe("follow_up_open_need:N1");
    expect(actionKey(action({ code: "overdue_reorder" }))).toBe("overdue_reorder:");
    expect(actionKey(action({ code: "follow_up", followUpId: "F1" }))).toBe("follow_up:F1");
  });

  it("keeps a done action away for its own rule's interval, a done follow-up for good", () => {
    expect(quietDaysAfterDone(action({ needId: "N1" }))).toBe(14);
    expect(quietDaysAfterDone(action({ code: "high_value_no_contact" }))).toBe(30);
    expect(quietDaysAfterDone(action({ code: "overdue_reorder", params: { cycleDays: 45 } }))).toBe(45);
    expect(quietDaysAfterDone(action({ code: "overdue_reorder", params: { cycleDays: 0 } }))).toBe(30);
    expect(quietDaysAfterDone(action({ code: "follow_up", followUpId: "F1" }))).toBeNull();
    expect(quietDaysAfterDone(action({ code: "probably_lapsing" }))).toBe(30);
  });
});
