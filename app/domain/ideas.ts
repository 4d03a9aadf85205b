import { IDEA_STATUSES, type IdeaStatus } from "#db/schema";
import { toSearchKey } from "./text";

export { IDEA_STATUSES, type IdeaStatus };

export const IDEA_TITLE_MAX = 200;
export const IDEA_BODY_MAX = 4000;
export const IDEA_ANSWER_MAX = 2000;
/** Customers one form may link at once (the picker shows a page of them). */
export const IDEA_CUSTOMERS_MAX = 50;

/** How the board can be ordered; "value" (the lifetime value of the customers who asked) is the brand's alone. */
export const IDEA_SORTS = ["supports", "customers", "value", "newest"] as const;
export type IdeaSort = (typeof IDEA_SORTS)[number];

// Words that say nothing about what an idea is (and, or, in, for …): two titles sharing only these are not alike.
const STOP_WORDS = new Set(["و", "در", "به", "از", "با", "برای", "که", "را", "این", "آن", "یک", "یا", "تا", "هم", "بر", "the", "a", "an", "of", "for", "and", "or", "to", "in", "with"].map(toSearchKey));

/** The words of a title that carry meaning, as search keys (ZWNJ and spaces split words alike). */
export function titleWords(title: string): string[] {
  return [...new Set(toSearchKey(title).split(" "))].filter((w) => w.length >= 2 && !STOP_WORDS.has(w));
}

/**
 * How alike a candidate idea's title is to a typed one, from 0 to 1: the share of the typed title's
 * words found in the candidate. Spaces and half-spaces are ignored in the comparison (می‌خواهم,
 * می خواهم and میخواهم are one word), and a word also matches a longer form of it (یخچال in یخچال‌ها).
 */
export function titleSimilarity(typed: string, candidateKey: string): number {
  const words = titleWords(typed);
  if (words.length === 0) return 0;
  const candidate = candidateKey.replace(/ /g, "");
  if (toSearchKey(typed).replace(/ /g, "") === candidate) return 1;
  const found = words.filter((w) => candidate.includes(w)).length;
  return found / words.length;
}

/** The ideas that look like duplicates of a typed title, most alike first. */
export function similarIdeas<T extends { title_key: string }>(typed: string, candidates: readonly T[], limit = 5, threshold = 0.5): T[] {
  return candidates
    .map((c) => ({ c, score: titleSimilarity(typed, c.title_key) }))
    .filter((x) => x.score >= threshold)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((x) => x.c);
}

/**
 * Who tells a customer that the idea they asked for has shipped: the partner that linked them, or,
 * for a customer the brand linked, the partner holding the relationship; only while that partner
 * still serves the customer. null: nobody (the entry stays on the brand's side of the timeline).
 */
export function followUpPartner(link: { partner_id: string | null; registered_by_partner_id: string | null }, serving: ReadonlySet<string>): string | null {
  const partner = link.partner_id ?? link.registered_by_partner_id;
  return partner && serving.has(partner) ? partner : null;
}
