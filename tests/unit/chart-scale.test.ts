import { describe, expect, it } from "vitest";
import { extent, niceTicks, position, px, tickLabel } from "~/domain/chart-scale";
import { formatNumber } from "~/domain/format";
import { pointTitle } from "~/ui/insights/bar-chart";

describe("niceTicks", () => {
  it("covers the largest value with round steps from zero", () => {
    expect(niceTicks(37)).toEqual({ max: 40, step: 10, values: [0, 10, 20, 30, 40] });
    expect(niceTicks(7)).toEqual({ max: 8, step: 2, values: [0, 2, 4, 6, 8] });
    expect(niceTicks(1234)).toEqual({ max: 1500, step: 500, values: [0, 500, 1000, 1500] });
    expect(niceTicks(9)).toMatchObject({ max: 10, step: 2.5 });
  });
  it("still draws an axis for an empty or zero series", () => {
    expect(niceTicks(0)).toEqual({ max: 1, step: 1, values: [0, 1] });
    expect(niceTicks(Number.NaN)).toEqual({ max: 1, step: 1, values: [0, 1] });
  });
});

describe("tick labels", () => {
  it("use Persian digits and separators on Persian pages, ASCII on English ones", () => {
    expect(tickLabel(1500, "fa")).toBe("۱٬۵۰۰");
    expect(tickLabel(1500, "en")).toBe("1,500");
    expect(tickLabel(2.5, "fa")).toBe("۲٫۵");
  });
});

describe("positions", () => {
  it("put the first point at the right edge in right-to-left charts and at the left in left-to-right ones", () => {
    expect([0, 1, 2, 3, 4].map((i) => position(i, 5, 400, true))).toEqual([400, 300, 200, 100, 0]);
    expect([0, 1, 2, 3, 4].map((i) => position(i, 5, 400, false))).toEqual([0, 100, 200, 300, 400]);
    expect(position(0, 1, 400, true)).toBe(200);
  });
  it("scale a value to the axis, never below zero", () => {
    const ticks = niceTicks(37);
    expect(extent(20, ticks, 400)).toBe(200);
    expect(extent(-5, ticks, 400)).toBe(0);
  });
});

describe("coordinates and tooltips", () => {
  it("round coordinates to a tenth", () => {
    expect([148.35410000000002, 72.30455999999998, 14, 206.88033333333334].map(px)).toEqual([148.4, 72.3, 14, 206.9]);
  });
  it("name every series' value of a row or month in one tooltip, in the page's digits and list separator", () => {
    const series = [{ name: "باز" }, { name: "برآورده" }, { name: "ردشده" }];
    expect(pointTitle("یخچال", series, [30203, 0, 16751], { locale: "fa", number: (n) => formatNumber(n, "fa") })).toBe("یخچال — باز: ۳۰٬۲۰۳، برآورده: ۰، ردشده: ۱۶٬۷۵۱");
    expect(pointTitle("Mehr 1404", [{ name: "Orders" }, { name: "Units" }], [967], { locale: "en", number: (n) => formatNumber(n, "en") })).toBe("Mehr 1404 — Orders: 967, Units: 0");
  });
});
