import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { i18nConfig } from "~/i18n";

const dir = (locale: string) => new URL(`../../locales/${locale}/`, import.meta.url);
const files = (locale: string) => readdirSync(dir(locale)).filter((f) => f.endsWith(".json")).sort();
const read = (locale: string, file: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(file, dir(locale)), "utf8"));

/** Every leaf key as "a.b.c"; plural forms (_one, _other) count as their base key. */
function keys(tree: Record<string, unknown>, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object") for (const [kk, vv] of keys(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, "");

/**
 * Persian puts the singular noun after a numeral («۲ فروشنده», never «۲ فروشنده‌ها» or «۲ مشتریان»).
 * Finds a number placeholder ({{count…}}, {{n}} or any {{x, number}}) followed by a word with a
 * plural ending: ‌ها / ‌های (joined or not) or ان. Nouns whose singular ends in ان are listed.
 */
const SINGULAR_ENDING_IN_AN = new Set(["اعلان", "تومان", "زمان", "مکان", "استان", "خیابان", "کارتن"]);
function pluralAfterNumber(text: string): string | null {
  for (const m of text.matchAll(/\{\{\s*(?:count|n|\w+\s*,\s*number)\b[^}]*\}\}\s*([^\s.,:;،؛()«»]+)/g)) {
    const word = m[1];
    if (/(\u200c?ها|\u200c?های)$/.test(word) || (/ان$/.test(word) && !SINGULAR_ENDING_IN_AN.has(word))) return word;
  }
  return null;
}

describe("locales", () => {
  it("fa and en have the same files and the same keys", () => {
    expect(files("fa")).toEqual(files("en"));
    for (const file of files("fa")) {
      const fa = [...new Set([...keys(read("fa", file)).keys()].map(base))].sort();
      const en = [...new Set([...keys(read("en", file)).keys()].map(base))].sort();
      expect({ file, keys: fa }).toEqual({ file, keys: en });
    }
  });

  it("every locale file is loaded by the app", () => {
    expect(files("fa").map((f) => f.replace(/\.json$/, "")).sort()).toEqual([...i18nConfig.ns].sort());
  });

  it("Persian plurals ship both _one and _other", () => {
    for (const file of files("fa")) {
      const all = [...keys(read("fa", file)).keys()];
      for (const k of all.filter((k) => k.endsWith("_one"))) expect(all, `${file}: ${k}`).toContain(k.replace(/_one$/, "_other"));
    }
  });

  it("Persian counts take the singular noun, in every plural form", () => {
    expect(pluralAfterNumber("{{count, number}} فروشنده‌های زیرمجموعه")).toBe("فروشنده‌های");
    expect(pluralAfterNumber("{{n}} مشتریان")).toBe("مشتریان");
    expect(pluralAfterNumber("{{total, number}} کدها")).toBe("کدها");
    expect(pluralAfterNumber("{{count, number}} اعلان خوانده‌نشده")).toBeNull();
    expect(pluralAfterNumber("{{count, number}} فروشنده")).toBeNull();
    for (const file of files("fa")) {
      for (const [key, value] of keys(read("fa", file))) {
        expect(pluralAfterNumber(value), `${file}: ${key}: ${value}`).toBeNull();
      }
    }
  });

  it("English text quotes with “ ”, never the Persian «»", () => {
    for (const file of files("en")) {
      for (const [key, value] of keys(read("en", file))) expect(value, `${file}: ${key}`).not.toMatch(/[«»]/);
    }
  });

  it("Persian text uses Persian ی and ک, never the Arabic letters, and no empty strings", () => {
    for (const file of files("fa")) {
      for (const [key, value] of keys(read("fa", file))) {
        expect(value, `${file}: ${key}`).not.toMatch(/[يك]/);
        expect(value.trim(), `${file}: ${key}`).not.toBe("");
      }
    }
  });
});
