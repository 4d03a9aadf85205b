// Text normalisation for Persian/English input (see /work/shared/L10N.md, "Text normalisation").
// Pure functions: safe on server and client.
//
// - toDisplayForm: what we store and show. Changes only what the user cannot see or what is a
//   keyboard accident (Arabic yeh/kaf), so the stored text still looks like what was typed.
// - toSearchKey: aggressive folding for matching, stored in its own column, never shown.

const ZWNJ = "\u200C";

// Arabic-keyboard letters that look like (and mean) the Persian ones.
const ARABIC_YEH_KAF = /[\u064A\u0649\u0643]/g;
const YEH_KAF_MAP: Record<string, string> = { "\u064A": "\u06CC", "\u0649": "\u06CC", "\u0643": "\u06A9" };

// Bidi marks (LRM, RLM, ALM) and embeddings/overrides/isolates: invisible, and able to scramble
// the surrounding page, so never stored.
const BIDI_CONTROLS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;

// Invisible characters other than ZWNJ (which is part of Persian spelling): ZWSP, word joiner,
// BOM/ZWNBSP, Mongolian vowel separator, soft hyphen (Word's "optional hyphen").
const INVISIBLES = /[\u200B\u2060\uFEFF\u180E\u00AD]/g;

// ZWJ is meaningless in Persian text but glues emoji sequences (👨‍💻, 🏳️‍🌈), so it is kept only
// between an emoji (optionally with VS16 or a skin-tone modifier) and another emoji.
const STRAY_ZWJ = /(?<!\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

// JS \s covers NBSP, U+2000–200A, U+202F, U+3000, line/paragraph separators; add NEL.
const WS_RUN = /[\s\u0085]+/g;
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;
const INLINE_WS_RUN = /[^\S\n]+/g;

export interface DisplayFormOptions {
  /** Keep line breaks (textareas). Lines are trimmed, spaces inside a line collapsed, and runs of
   * line breaks (blank lines) collapsed to a single "\n". */
  multiline?: boolean;
}

export function toDisplayForm(input: string, options: DisplayFormOptions = {}): string {
  let s = input
    .normalize("NFC")
    .replace(ARABIC_YEH_KAF, (c) => YEH_KAF_MAP[c])
    .replace(BIDI_CONTROLS, "")
    .replace(INVISIBLES, "")
    .replace(STRAY_ZWJ, "")
    .replace(/\u200C{2,}/g, ZWNJ)
    // A ZWNJ only matters between two letters; beside a space it is noise from copy/paste.
    .replace(/\u200C(?=[\s\u0085])|(?<=[\s\u0085])\u200C/g, "");

  if (options.multiline) {
    s = s
      .replace(LINE_BREAK, "\n")
      .split("\n")
      .map((line) => line.replace(INLINE_WS_RUN, " ").trim())
      .join("\n")
      .replace(/\n{2,}/g, "\n");
  } else {
    s = s.replace(WS_RUN, " ");
  }
  return trimZwnj(s.trim());
}

function trimZwnj(s: string): string {
  return s.replace(/^\u200C+|\u200C+$/g, "");
}

const PERSIAN_DIGITS = /[\u06F0-\u06F9]/g;
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669]/g;

/** Persian (۰–۹) and Arabic-Indic (٠–٩) digits → ASCII; everything else unchanged. */
export function toAsciiDigits(input: string): string {
  return input
    .replace(PERSIAN_DIGITS, (c) => String(c.charCodeAt(0) - 0x06f0))
    .replace(ARABIC_INDIC_DIGITS, (c) => String(c.charCodeAt(0) - 0x0660));
}

const SEARCH_FOLD: Record<string, string> = {
  "\u0629": "\u0647", // ة → ه
  "\u06C0": "\u0647", // ۀ → ه
  "\u0623": "\u0627", // أ → ا
  "\u0625": "\u0627", // إ → ا
  "\u0671": "\u0627", // ٱ → ا
  "\u0622": "\u0627", // آ → ا
  "\u0624": "\u0648", // ؤ → و
  "\u0626": "\u06CC", // ئ → ی
};
const SEARCH_FOLD_RE = /[\u0629\u06C0\u0623\u0625\u0671\u0622\u0624\u0626]/g;
// Harakat and Quranic marks (U+0654 hamza above is in the first range, so ه+ٔ → ه) and kashida.
const DIACRITICS_KASHIDA = /[\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;

export function toSearchKey(input: string): string {
  return (
    toDisplayForm(input)
      // NFKC folds presentation forms (ﻻ → لا, fullwidth Latin/digits) …
      .normalize("NFKC")
      // … but e.g. U+FEF1 folds to Arabic ي again, so repeat the yeh/kaf mapping afterwards.
      .replace(ARABIC_YEH_KAF, (c) => YEH_KAF_MAP[c])
      .replace(SEARCH_FOLD_RE, (c) => SEARCH_FOLD[c])
      .replace(DIACRITICS_KASHIDA, "")
      .replace(/\u200C/g, " ")
      .replace(PERSIAN_DIGITS, (c) => String(c.charCodeAt(0) - 0x06f0))
      .replace(ARABIC_INDIC_DIGITS, (c) => String(c.charCodeAt(0) - 0x0660))
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim()
  );
}

// Thousands separators users type or paste: ASCII comma, Arabic thousands separator ٬,
// Arabic comma ، and any whitespace (incl. NBSP / narrow NBSP used by some locales).
// Bidi marks are dropped too because Intl's fa-IR output wraps negatives in LRM.
const NUMBER_NOISE = /[,\u066C\u060C\s\u200E\u200F\u061C]/g;

function cleanIntegerText(input: string): string | null {
  const s = toAsciiDigits(input)
    .replace(NUMBER_NOISE, "")
    .replace(/^\u2212/, "-"); // U+2212 MINUS SIGN, as produced by Intl for fa
  return /^-?[0-9]+$/.test(s) ? s : null;
}

/** Integer from user input in any digit set; null unless it is a whole, safe integer. */
export function parseInteger(input: string): number | null {
  const s = cleanIntegerText(input);
  if (s === null) return null;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) return null;
  return n === 0 ? 0 : n; // avoid -0
}

// Amounts are stored in a signed MySQL BIGINT column.
const MAX_BIGINT = 9223372036854775807n;

/** Non-negative integer Rial amount from user input; null if invalid or above BIGINT range. */
export function parseAmount(input: string): bigint | null {
  const s = cleanIntegerText(input);
  if (s === null || s.startsWith("-")) return null;
  const n = BigInt(s);
  return n > MAX_BIGINT ? null : n;
}

// C0 (except \t \n \r), DEL, C1, and bidi embeddings/overrides/isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** True when input holds characters a form should reject rather than silently store. */
export function hasControlCharacters(input: string): boolean {
  return CONTROL_CHARS.test(input);
}

/** Length in code points, so an emoji or a supplementary character counts once, not twice. */
export function charLength(input: string): number {
  return Array.from(input).length;
}

/**
 * A percentage typed by a person ("12", "۱۲٫۵", "7.25") as integer basis points (1250, 725);
 * null when it is not a number with at most two decimals between 0 and 100.
 */
export function parsePercentToBasisPoints(input: string): number | null {
  const s = toAsciiDigits(input).replace(/[\s%٪]/g, "").replace("\u066B", ".");
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return bp <= 10_000 ? bp : null;
}
