import { describe, it, expect } from "vitest";
import {
  charLength,
  hasControlCharacters,
  parseAmount,
  parseInteger,
  toAsciiDigits,
  toDisplayForm,
  toSearchKey,
} from "../../app/domain/text";

// Invisible characters are written as escapes so the tests say what they contain.
const ZWNJ = "\u200C";
const ZWJ = "\u200D";
const ZWSP = "\u200B";
const LRM = "\u200E";
const RLM = "\u200F";
const RLO = "\u202E";
const LRI = "\u2066";
const PDI = "\u2069";
const NBSP = "\u00A0";

describe("toDisplayForm", () => {
  it("maps Arabic yeh, alef maksura and kaf to the Persian letters", () => {
    expect(toDisplayForm("علي")).toBe("علی");
    expect(toDisplayForm("مصطفى")).toBe("مصطفی");
    expect(toDisplayForm("كتاب")).toBe("کتاب");
    expect(toDisplayForm("كيك")).toBe(toDisplayForm("کیک"));
  });

  it("applies NFC", () => {
    expect(toDisplayForm("e\u0301")).toBe("\u00E9");
    // alef + madda above composes to آ
    expect(toDisplayForm("\u0627\u0653ب")).toBe("آب");
  });

  it("removes bidi controls", () => {
    expect(toDisplayForm(`${RLO}abc${PDI}`)).toBe("abc");
    expect(toDisplayForm(`${LRM}0912${RLM}`)).toBe("0912");
    expect(toDisplayForm(`${LRI}سلام${PDI}\u061C`)).toBe("سلام");
    expect(toDisplayForm("\u202A\u202B\u202C\u202D\u2067\u2068x")).toBe("x");
  });

  it("removes zero-width characters but keeps ZWNJ", () => {
    expect(toDisplayForm(`می${ZWNJ}خواهم`)).toBe(`می${ZWNJ}خواهم`);
    expect(toDisplayForm(`ab${ZWSP}c\uFEFF`)).toBe("abc");
    expect(toDisplayForm(`\uFEFFسلام`)).toBe("سلام");
    expect(toDisplayForm(`می${ZWJ}خواهم`)).toBe("میخواهم");
  });

  it("keeps ZWJ inside emoji sequences", () => {
    const coder = `👨${ZWJ}💻`;
    const flag = `🏳\uFE0F${ZWJ}🌈`;
    expect(toDisplayForm(coder)).toBe(coder);
    expect(toDisplayForm(flag)).toBe(flag);
    const toned = `👨\u{1F3FD}${ZWJ}💻`;
    expect(toDisplayForm(toned)).toBe(toned);
    expect(toDisplayForm(`a${ZWJ}👨`)).toBe("a👨");
  });

  it("collapses repeated ZWNJ and drops ZWNJ beside spaces or at the ends", () => {
    expect(toDisplayForm(`می${ZWNJ}${ZWNJ}${ZWNJ}خواهم`)).toBe(`می${ZWNJ}خواهم`);
    // a ZWSP between two ZWNJs is removed first, then the ZWNJs collapse
    expect(toDisplayForm(`می${ZWNJ}${ZWSP}${ZWNJ}خواهم`)).toBe(`می${ZWNJ}خواهم`);
    expect(toDisplayForm(`کتاب${ZWNJ} ها`)).toBe("کتاب ها");
    expect(toDisplayForm(`کتاب ${ZWNJ}ها`)).toBe("کتاب ها");
    expect(toDisplayForm(`${ZWNJ}کتاب${ZWNJ}`)).toBe("کتاب");
    expect(toDisplayForm(` ${ZWNJ} کتاب ${ZWNJ} `)).toBe("کتاب");
  });

  it("collapses whitespace (NBSP, tabs, newlines) and trims", () => {
    expect(toDisplayForm(`  a${NBSP}${NBSP}b\t\tc\n\nd  `)).toBe("a b c d");
    expect(toDisplayForm("\u2003x\u3000y\u202F")).toBe("x y");
    expect(toDisplayForm("   ")).toBe("");
    expect(toDisplayForm("")).toBe("");
  });

  it("keeps single line breaks in multiline mode", () => {
    expect(toDisplayForm("  line  one \r\n\r\n\n  line\t two  \rthree ", { multiline: true })).toBe(
      "line one\nline two\nthree",
    );
    expect(toDisplayForm(`a${ZWNJ}\nb`, { multiline: true })).toBe("a\nb");
    expect(toDisplayForm("\n\n x \n\n", { multiline: true })).toBe("x");
  });

  it("is idempotent", () => {
    const messy = `${RLO} علي${ZWNJ}${ZWNJ}  كريمي ${LRM}`;
    const once = toDisplayForm(messy);
    expect(toDisplayForm(once)).toBe(once);
  });
});

describe("toSearchKey", () => {
  it("gives Arabic-keyboard and Persian-keyboard input the same key", () => {
    expect(toSearchKey("علي كريمي")).toBe(toSearchKey("علی کریمی"));
    expect(toSearchKey("يك")).toBe("یک");
    expect(toSearchKey("موسى")).toBe(toSearchKey("موسی"));
  });

  it("turns ZWNJ variants into one form", () => {
    const spaced = toSearchKey("می خواهم");
    expect(toSearchKey(`می${ZWNJ}خواهم`)).toBe(spaced);
    expect(toSearchKey(`می${ZWNJ}${ZWNJ}خواهم`)).toBe(spaced);
    expect(toSearchKey("می  خواهم")).toBe(spaced);
    expect(spaced).toBe("می خواهم");
  });

  it("removes diacritics and kashida", () => {
    expect(toSearchKey("مُحَمَّد")).toBe("محمد");
    expect(toSearchKey("كِتابٌ")).toBe("کتاب");
    expect(toSearchKey("سلـــــام")).toBe("سلام");
    expect(toSearchKey("رحمٰن")).toBe("رحمن"); // superscript alef U+0670
  });

  it("folds hamza and teh marbuta forms", () => {
    expect(toSearchKey("أحمد")).toBe("احمد");
    expect(toSearchKey("إسلام")).toBe("اسلام");
    expect(toSearchKey("آب")).toBe("اب");
    expect(toSearchKey("ٱلله")).toBe("الله");
    expect(toSearchKey("مؤسسه")).toBe("موسسه");
    expect(toSearchKey("مسئله")).toBe("مسیله");
    expect(toSearchKey("مدرسة")).toBe("مدرسه");
    expect(toSearchKey("خانۀ")).toBe("خانه");
    expect(toSearchKey("خانهٔ")).toBe("خانه");
    expect(toSearchKey("خانۀ من")).toBe(toSearchKey("خانهٔ من"));
  });

  it("folds Arabic presentation forms (NFKC)", () => {
    expect(toSearchKey("\uFEFB")).toBe("لا"); // LAM WITH ALEF ligature
    expect(toSearchKey("\uFEDF\uFEE8\uFEAA")).toBe("لند"); // contextual forms
    // isolated Arabic yeh folds to U+064A under NFKC and must still end up as Persian ی
    expect(toSearchKey("عل\uFEF1")).toBe("علی");
    expect(toSearchKey("\uFB8E\uFE8E")).toBe("کا"); // keheh form + alef final
    expect(toSearchKey("ＡＢＣ１２")).toBe("abc12"); // fullwidth
  });

  it("maps mixed digits to ASCII", () => {
    expect(toSearchKey("سفارش ۱۲٣4")).toBe("سفارش 1234");
    expect(toSearchKey("٠١٢٣٤٥٦٧٨٩")).toBe("0123456789");
    expect(toSearchKey("۰۱۲۳۴۵۶۷۸۹")).toBe("0123456789");
  });

  it("lower-cases Latin, strips bidi controls and collapses spaces", () => {
    expect(toSearchKey(`  ${RLO}Hello${PDI}   WORLD ${LRM} `)).toBe("hello world");
    expect(toSearchKey("SKU-12ab")).toBe("sku-12ab");
  });
});

describe("toAsciiDigits", () => {
  it("converts Persian and Arabic-Indic digits, leaving the rest", () => {
    expect(toAsciiDigits("۰۱۲۳۴۵۶۷۸۹")).toBe("0123456789");
    expect(toAsciiDigits("٠١٢٣٤٥٦٧٨٩")).toBe("0123456789");
    expect(toAsciiDigits("کد ۱۲-٣4 x")).toBe("کد 12-34 x");
  });
});

describe("parseInteger", () => {
  it("accepts any digit set and thousands separators", () => {
    expect(parseInteger("12345")).toBe(12345);
    expect(parseInteger("۱۲۳۴۵")).toBe(12345);
    expect(parseInteger("١٢٣٤٥")).toBe(12345);
    expect(parseInteger("۱۲٣45")).toBe(12345);
    expect(parseInteger("1,234,567")).toBe(1234567);
    expect(parseInteger("۱٬۲۳۴٬۵۶۷")).toBe(1234567);
    expect(parseInteger("۱،۲۳۴")).toBe(1234);
    expect(parseInteger(" 1 234 567 ")).toBe(1234567);
    expect(parseInteger(`1${NBSP}234`)).toBe(1234);
    expect(parseInteger("007")).toBe(7);
  });

  it("accepts a leading minus, including Intl's fa-IR output", () => {
    expect(parseInteger("-42")).toBe(-42);
    expect(parseInteger("-۴۲")).toBe(-42);
    expect(parseInteger(new Intl.NumberFormat("fa-IR").format(-1234))).toBe(-1234);
    expect(Object.is(parseInteger("-0"), 0)).toBe(true);
  });

  it("rejects anything else", () => {
    for (const bad of ["", " ", "-", "+5", "1.5", "۱٫۵", "12a", "abc", "1-2", "--1", "1e3", "0x10", "∞"]) {
      expect(parseInteger(bad), bad).toBeNull();
    }
  });

  it("rejects integers beyond the safe range", () => {
    expect(parseInteger("9007199254740991")).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseInteger("9007199254740992")).toBeNull();
    expect(parseInteger("-9007199254740992")).toBeNull();
  });
});

describe("parseAmount", () => {
  it("returns bigint without precision loss", () => {
    expect(parseAmount("۱۲٬۳۴۵٬۶۷۸٬۹۰۱٬۲۳۴٬۵۶۷٬۸۹")).toBe(1234567890123456789n);
    expect(parseAmount("0")).toBe(0n);
    expect(parseAmount("1,500,000")).toBe(1500000n);
  });

  it("rejects negatives, fractions, garbage and values beyond BIGINT", () => {
    for (const bad of ["-1", "-0", "1.5", "", "abc", "۱٫۵"]) expect(parseAmount(bad), bad).toBeNull();
    expect(parseAmount("9223372036854775807")).toBe(9223372036854775807n);
    expect(parseAmount("9223372036854775808")).toBeNull();
  });
});

describe("hasControlCharacters", () => {
  it("detects C0/C1 controls but allows tab and line breaks", () => {
    expect(hasControlCharacters("a\u0000b")).toBe(true);
    expect(hasControlCharacters("a\u001Bb")).toBe(true);
    expect(hasControlCharacters("a\u007Fb")).toBe(true);
    expect(hasControlCharacters("a\u0085b")).toBe(true);
    expect(hasControlCharacters("a\tb\r\nc")).toBe(false);
  });

  it("detects bidi embeddings, overrides and isolates", () => {
    expect(hasControlCharacters(`invoice${RLO}fdp.exe`)).toBe(true);
    expect(hasControlCharacters(`${LRI}x${PDI}`)).toBe(true);
    expect(hasControlCharacters("\u202Ax")).toBe(true);
  });

  it("accepts normal Persian text with ZWNJ and bidi marks", () => {
    expect(hasControlCharacters(`می${ZWNJ}خواهم ۱۲۳`)).toBe(false);
    expect(hasControlCharacters(`${LRM}abc`)).toBe(false);
  });

  it("agrees with toDisplayForm, which strips the bidi controls it detects", () => {
    const input = `نام${RLO}abc${PDI}`;
    expect(hasControlCharacters(input)).toBe(true);
    expect(hasControlCharacters(toDisplayForm(input))).toBe(false);
  });
});

describe("charLength", () => {
  it("counts code points", () => {
    expect(charLength("سلام")).toBe(4);
    expect(charLength("😀😀")).toBe(2);
    expect("😀😀".length).toBe(4);
    expect(charLength(`می${ZWNJ}خواهم`)).toBe(8); // ZWNJ is a character too
    expect(charLength("")).toBe(0);
  });
});
