import { describe, expect, it } from "vitest";
import { followUpPartner, similarIdeas, titleSimilarity, titleWords } from "~/domain/ideas";
import { toSearchKey } from "~/domain/text";

const idea = (title: string) => ({ title, title_key: toSearchKey(title) });

describe("duplicate suggestions", () => {
  it("reads words through Arabic keyboards, half-spaces and diacritics, and drops words that say nothing", () => {
    expect(titleWords("يخچال و فريزر براي مغازه")).toEqual(["یخچال", "فریزر", "مغازه"]);
    expect(titleWords("و در به")).toEqual([]);
  });

  it("finds the same title typed with spaces, half-spaces or none", () => {
    const stored = idea("ماشین‌ظرفشویی رومیزی").title_key;
    for (const typed of ["ماشین ظرفشویی رومیزی", "ماشینظرفشویی رومیزی", "ماشين\u200Cظرفشويي روميزي"]) expect(titleSimilarity(typed, stored)).toBe(1);
  });

  it("a word matches a longer form of itself, and unrelated titles score nothing", () => {
    expect(titleSimilarity("یخچال کم‌مصرف", toSearchKey("یخچال‌های کم مصرف برای آشپزخانهٔ کوچک"))).toBe(1);
    expect(titleSimilarity("ماشین لباسشویی", toSearchKey("یخچال ساید بای ساید"))).toBe(0);
    expect(titleSimilarity("", toSearchKey("یخچال"))).toBe(0);
  });

  it("lists only titles sharing at least half the typed words, most alike first, up to the limit", () => {
    const ideas = [idea("یخچال با درب شیشه‌ای"), idea("درب شیشه‌ای برای ویترین"), idea("گارانتی پنج‌ساله"), idea("یخچال شیشه‌ای کم‌صدا")];
    expect(similarIdeas("یخچال درب شیشه ای", ideas).map((i) => i.title)).toEqual(["یخچال با درب شیشه‌ای", "درب شیشه‌ای برای ویترین", "یخچال شیشه‌ای کم‌صدا"]);
    expect(similarIdeas("یخچال درب شیشه ای", ideas, 1).map((i) => i.title)).toEqual(["یخچال با درب شیشه‌ای"]);
  });
});

describe("who tells a customer that an idea shipped", () => {
  const serving = new Set(["P1", "P2"]);
  it("the partner that linked the customer, while it still serves them", () => {
    expect(followUpPartner({ partner_id: "P2", registered_by_partner_id: "P1" }, serving)).toBe("P2");
    expect(followUpPartner({ partner_id: "P3", registered_by_partner_id: "P1" }, serving)).toBeNull();
  });
  it("for a customer the brand linked, the partner holding the relationship", () => {
    expect(followUpPartner({ partner_id: null, registered_by_partner_id: "P1" }, serving)).toBe("P1");
    expect(followUpPartner({ partner_id: null, registered_by_partner_id: null }, serving)).toBeNull();
  });
});
