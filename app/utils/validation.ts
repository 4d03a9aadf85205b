import { z } from "zod";
import type { Locale } from "~/domain/format";
import { parseDateInput } from "~/domain/jalali";
import { parsePhone } from "~/domain/phone";
import { charLength, hasControlCharacters, toDisplayForm } from "~/domain/text";

// Forms are also checked in the browser (the personalise page), where the app's policy forbids
// eval: zod's compiled fast path probes `new Function`, which the browser reports as a violation.
z.config({ jitless: true });

/** A field error as an i18n key plus values; the UI translates it into the user's language. */
export interface FieldError {
  key: string;
  values?: Record<string, string | number>;
}
export type FieldErrors = Record<string, FieldError>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Free text from a form: rejects control/bidi-override characters, stores the display form, counts characters. */
export function text(max: number, { optional = false, multiline = false } = {}) {
  return z
    .preprocess((v) => (v == null ? "" : v), z.string())
    .refine((s) => !hasControlCharacters(s), { message: "errors.control_chars" })
    .transform((s) => toDisplayForm(s, { multiline }))
    .refine((s) => optional || s.length > 0, { message: "errors.required" })
    .refine((s) => charLength(s) <= max, { message: "errors.too_long", params: { max } });
}

const trimmedLower = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : "");

export const email = () =>
  z
    .preprocess(trimmedLower, z.string())
    .refine((s) => s.length > 0, { message: "errors.required" })
    .pipe(z.email({ message: "errors.email" }).max(254, { message: "errors.too_long" }));

/** An email that may be left empty (stored as null). */
export const optionalEmail = () =>
  z.preprocess(trimmedLower, z.union([z.literal("").transform(() => null), email()]));

export const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: "errors.choice" });

export const password = () =>
  z
    .string({ message: "errors.required" })
    .min(10, { message: "errors.password_short" })
    .max(200, { message: "errors.too_long" });

/** A new password typed twice (invitation, password reset). */
export const newPasswordSchema = z
  .object({ password: password(), confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "errors.password_mismatch", path: ["confirm"] });

function toFieldError(issue: z.core.$ZodIssue): FieldError {
  // A built-in length check (email, password) carries its limit as `maximum`, not in params:
  // without it "errors.too_long" would read "at most NaN characters".
  const params = (issue as { params?: Record<string, string | number> }).params ?? (issue.code === "too_big" ? { max: Number(issue.maximum) } : undefined);
  // Common keys ("errors.x") or a namespace's own ("toolkits:errors.x").
  if (/^([a-z]+:)?errors\./.test(issue.message)) return { key: issue.message, values: params };
  if (issue.code === "invalid_type") return { key: "errors.required" };
  if (issue.code === "too_big") return { key: "errors.too_long", values: { max: Number(issue.maximum) } };
  if (issue.code === "too_small") return { key: "errors.required" };
  return { key: "errors.invalid" };
}

export function parseFormData<S extends z.ZodType>(schema: S, input: FormData | Record<string, unknown>): FormResult<z.output<S>> {
  const values = input instanceof FormData ? Object.fromEntries([...input.entries()].filter(([, v]) => typeof v === "string")) : input;
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.join(".") || "form";
    errors[field] ??= toFieldError(issue);
  }
  return { ok: false, errors };
}

/** Any digit set and format in, E.164 out; empty is allowed only when optional. */
export function phone({ optional = false } = {}) {
  return z
    .preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string())
    .transform((s, ctx) => {
      if (!s) {
        if (!optional) ctx.addIssue({ code: "custom", message: "errors.required" });
        return null;
      }
      const e164 = parsePhone(s);
      if (!e164) ctx.addIssue({ code: "custom", message: "errors.phone" });
      return e164;
    });
}

/** Empty optional text becomes null for the database. */
export const optionalText = (max: number, opts: { multiline?: boolean } = {}) =>
  text(max, { ...opts, optional: true }).transform((s) => s || null);

export const ID_PATTERN = /^[0-9A-Z]{26}$/i;

/** An id picked from a list (ids are ULIDs); anything else is a bad choice, never a database error. */
export const id = () => z.string({ message: "errors.required" }).regex(ID_PATTERN, { message: "errors.choice" });

/** A select whose empty choice means "none". */
export const optionalId = () => z.preprocess((v) => (v === "" || v == null ? null : v), id().nullable());

/** A date typed into a query string (Jalali for fa): undefined when empty; an impossible or garbled one adds a field error. */
export function queryDate(params: URLSearchParams, name: string, locale: Locale, errors: FieldErrors): Date | undefined {
  const raw = params.get(name)?.trim();
  if (!raw) return undefined;
  const parsed = parseDateInput(raw, locale);
  if (parsed.ok) return parsed.date;
  errors[name] = { key: parsed.reason === "impossible" ? "errors.date_impossible" : "errors.date_format" };
  return undefined;
}

/** An HTML checkbox: "on" (or "true") when ticked, absent otherwise. */
export const checkbox = () => z.preprocess((v) => v === "on" || v === "true", z.boolean());
