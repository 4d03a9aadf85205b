import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { needCategories } from "~/models/customer-activity.server";
import * as settings from "~/routes/_app.settings";
import { db } from "~/utils/db.server";
import { createNetwork } from "../factories";
import { errorKeys, hit } from "../routes";

const faErrors: Record<string, string> = JSON.parse(readFileSync(new URL("../../locales/fa/common.json", import.meta.url), "utf8")).errors;

let net: Awaited<ReturnType<typeof createNetwork>>;
let other: Awaited<ReturnType<typeof createNetwork>>;
const post = (as: string, form: Record<string, string>) => hit(settings.action, "/settings", {}, { as, form });

beforeAll(async () => {
  net = await createNetwork();
  other = await createNetwork();
});

describe("brand settings", () => {
  it("a brand manager sets the protection period, the owner's days to decide (Persian digits) and the money unit", async () => {
    const brand = () => db().selectFrom("brands").select(["protection_days", "owner_decision_days", "money_unit"]).where("id", "=", net.brandId).executeTakeFirstOrThrow();
    expect((await brand()).owner_decision_days).toBe(3);
    expect((await post(net.users.brandManager.id, { intent: "brand", protectionDays: "۱۲۰", ownerDecisionDays: "۵", moneyUnit: "toman" })).status).toBe(200);
    expect(await brand()).toEqual({ protection_days: 120, owner_decision_days: 5, money_unit: "toman" });
    const bad = await post(net.users.brandManager.id, { intent: "brand", protectionDays: "۹۹۹۹۹", ownerDecisionDays: "0", moneyUnit: "euro" });
    expect(bad.status).toBe(400);
    expect(errorKeys(bad)).toEqual({ protectionDays: "errors.range", ownerDecisionDays: "errors.range", moneyUnit: "errors.choice" });
    for (const ownerDecisionDays of ["31", "۲.۵", "سه", ""]) {
      const refused = await post(net.users.brandManager.id, { intent: "brand", protectionDays: "30", ownerDecisionDays, moneyUnit: "rial" });
      expect(refused.status, ownerDecisionDays).toBe(400);
      expect(Object.keys(errorKeys(refused)), ownerDecisionDays).toEqual(["ownerDecisionDays"]);
    }
    expect(await brand()).toEqual({ protection_days: 120, owner_decision_days: 5, money_unit: "toman" });
    // Another brand's settings stay as they were.
    expect((await db().selectFrom("brands").select("owner_decision_days").where("id", "=", other.brandId).executeTakeFirstOrThrow()).owner_decision_days).toBe(3);
  });

  it("lifetime value: a horizon in months and an annual discount rate, typed in Persian digits; bad values are 400 with Persian messages and change nothing", async () => {
    const brand = () => db().selectFrom("brands").select(["ltv_horizon_months", "ltv_discount_bp"]).where("id", "=", net.brandId).executeTakeFirstOrThrow();
    expect(await brand()).toEqual({ ltv_horizon_months: 36, ltv_discount_bp: 2000 });
    expect((await post(net.users.brandAdmin.id, { intent: "value", horizonMonths: "۲۴", discountRate: "۱۸٫۵" })).status).toBe(200);
    expect(await brand()).toEqual({ ltv_horizon_months: 24, ltv_discount_bp: 1850 });
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ horizonMonths: "0", discountRate: "10" }, { horizonMonths: "errors.range" }],
      [{ horizonMonths: "۱۲۱", discountRate: "10" }, { horizonMonths: "errors.range" }],
      [{ horizonMonths: "دوازده", discountRate: "" }, { horizonMonths: "errors.number", discountRate: "errors.required" }],
      [{ horizonMonths: "12", discountRate: "۱۵۰" }, { discountRate: "errors.percent" }],
      [{ horizonMonths: "12", discountRate: "-5" }, { discountRate: "errors.percent" }],
    ];
    for (const [form, errors] of cases) {
      const res = await post(net.users.brandAdmin.id, { intent: "value", ...form });
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(errorKeys(res)).toEqual(errors);
      for (const key of Object.values(errors)) expect(faErrors[key.slice("errors.".length)]).toMatch(/[\u0600-\u06FF]/);
    }
    expect(await brand()).toEqual({ ltv_horizon_months: 24, ltv_discount_bp: 1850 });
    // Partners do not set it; another brand keeps its own.
    expect((await post(net.users.distributorAdmin.id, { intent: "value", horizonMonths: "12", discountRate: "10" })).status).toBe(403);
    expect((await db().selectFrom("brands").select("ltv_horizon_months").where("id", "=", other.brandId).executeTakeFirstOrThrow()).ltv_horizon_months).toBe(36);
  });

  it("need categories are added, renamed and deactivated for the brand's partners only", async () => {
    expect((await post(net.users.brandAdmin.id, { intent: "category", nameFa: "تهویه", nameEn: "Cooling", sort: "۲", active: "on" })).status).toBe(200);
    const [created] = await needCategories(net.brandId);
    expect(created).toMatchObject({ name_fa: "تهویه", name_en: "Cooling" });
    expect(await needCategories(other.brandId)).toEqual([]);

    expect((await post(net.users.brandAdmin.id, { intent: "category", id: created.id, nameFa: "کولر و تهویه", nameEn: "Cooling", sort: "2" })).status).toBe(200);
    expect(await needCategories(net.brandId)).toEqual([]);
    // Another brand's admin cannot touch it, even knowing the id.
    expect((await post(other.users.brandAdmin.id, { intent: "category", id: created.id, nameFa: "x", nameEn: "x", sort: "1", active: "on" })).status).toBe(404);
    expect((await db().selectFrom("need_categories").select("name_fa").where("id", "=", created.id).executeTakeFirstOrThrow()).name_fa).toBe("کولر و تهویه");
  });

  it("preference keys need both names; bad input writes nothing", async () => {
    const res = await post(net.users.brandAdmin.id, { intent: "preference", nameFa: "", nameEn: "x".repeat(121), sort: "a" });
    expect(res.status).toBe(400);
    expect(errorKeys(res)).toEqual({ nameFa: "errors.required", nameEn: "errors.too_long", sort: "errors.number" });
    expect(await db().selectFrom("preference_keys").select("id").where("brand_id", "=", net.brandId).execute()).toEqual([]);
  });
});
