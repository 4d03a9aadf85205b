import { describe, expect, it } from "vitest";
import enCommon from "#locales/en/common.json";
import faCommon from "#locales/fa/common.json";
import { PROVINCES, provinceOptions } from "~/domain/provinces";

describe("provinceOptions", () => {
  it("lists every province in Persian alphabetical order for fa, not in the codes' English order", () => {
    const labels = provinceOptions((p) => faCommon.provinces[p], "fa").map((o) => o.label);
    expect(labels).toHaveLength(PROVINCES.length);
    expect(labels[0]).toBe(faCommon.provinces.azarbaijan_east);
    expect(labels.at(-1)).toBe(faCommon.provinces.yazd);
    // پ, چ, ژ, ک and گ sort where a Persian reader looks for them, not after ه and و as code points would.
    expect(labels.indexOf(faCommon.provinces.kerman)).toBeLessThan(labels.indexOf(faCommon.provinces.hamadan));
    expect(labels.indexOf(faCommon.provinces.golestan)).toBeLessThan(labels.indexOf(faCommon.provinces.lorestan));
    expect(labels.indexOf(faCommon.provinces.golestan)).toBeGreaterThan(labels.indexOf(faCommon.provinces.kurdistan));
  });

  it("lists them in English order for en, with their codes", () => {
    const options = provinceOptions((p) => enCommon.provinces[p], "en");
    expect(options[0]).toEqual({ value: "alborz", label: enCommon.provinces.alborz });
    expect(options.map((o) => o.label)).toEqual([...options.map((o) => o.label)].sort((a, b) => a.localeCompare(b, "en")));
  });
});
