// Segments: saved sets of customer-list filters, counted live for whoever looks at them.
// Partner users save segments for their partner; brand roles save brand-wide ones (partner_id
// null). A partner never sees another partner's segment, and brand segments stay with the brand.
import { sql, type SqlBool } from "kysely";
import { toJalaali } from "jalaali-js";
import { z } from "zod";
import type { Locale } from "~/domain/format";
import { parseDateInput } from "~/domain/jalali";
import type { Actor } from "~/domain/permissions";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { parseFormData, text, type FieldErrors } from "~/utils/validation";
import { needCategories } from "./customer-activity.server";
import { FILTER_PARAMS, parseCustomerFilters, type CustomerFilters } from "./customer-filters";
import { countCustomers } from "./customers.server";
import { listPartnersForSelect } from "./partners.server";
import { assertCan, partnerScope } from "./scope.server";

export const SEGMENT_NAME_MAX = 120;
const DATE_PARAMS = ["contactFrom", "contactTo"] as const;
// Stored dates are ISO (Gregorian), which is what the en parser reads.
const STORED_LOCALE: Locale = "en";

/** Segments the actor may see: their partner's (and a distributor's resellers'), or the brand's own. */
function segmentScope(actor: Actor) {
  const scope = partnerScope(actor, "segments.partner_id", "segments.brand_id");
  return actor.scope === "network" ? sql<SqlBool>`(${scope} and segments.partner_id is null)` : scope;
}

/**
 * Filters as a segment stores them, with dates as ISO so a viewer in either calendar reads the same
 * days. Every value must be one the actor could have chosen on the form: a need category of the
 * brand, a partner the actor sees (brand roles only); anything else is an error, never dropped.
 */
export async function storedFilters(actor: Actor, params: URLSearchParams, locale: Locale): Promise<{ ok: true; filters: string } | { ok: false; errors: FieldErrors }> {
  const { errors, canonical } = parseCustomerFilters(params, locale);
  const unknown = (name: "needCategory" | "partnerId") => (errors[name] = { key: "customers:errors.filter_value", values: { value: canonical.get(name)! } });
  const category = canonical.get("needCategory");
  if (category && !(await needCategories(actor.brandId)).some((c) => c.id === category)) unknown("needCategory");
  const partner = canonical.get("partnerId");
  if (partner && (actor.scope !== "network" || !(await listPartnersForSelect(actor)).some((p) => p.id === partner))) unknown("partnerId");
  if (Object.keys(errors).length) return { ok: false, errors: { form: { key: "imports:segments.errors.filters" }, ...errors } };
  for (const name of DATE_PARAMS) {
    const raw = canonical.get(name);
    const parsed = raw ? parseDateInput(raw, locale) : null;
    if (parsed?.ok) canonical.set(name, parsed.iso);
  }
  return { ok: true, filters: canonical.toString() };
}

/** The filters a stored segment applies. */
export function segmentFilters(stored: string): CustomerFilters {
  return parseCustomerFilters(new URLSearchParams(stored), STORED_LOCALE).filters;
}

/** The stored filters as the customer list reads them in the viewer's language (Jalali dates for fa). */
export function customersQuery(stored: string, locale: Locale): string {
  const params = new URLSearchParams(stored);
  if (locale === "fa") {
    for (const name of DATE_PARAMS) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(params.get(name) ?? "");
      if (!m) continue;
      const { jy, jm, jd } = toJalaali(Number(m[1]), Number(m[2]), Number(m[3]));
      params.set(name, `${jy}/${String(jm).padStart(2, "0")}/${String(jd).padStart(2, "0")}`);
    }
  }
  return params.toString();
}

export async function listSegments(actor: Actor, locale: Locale) {
  assertCan(actor, "customers.view");
  const rows = await db()
    .selectFrom("segments")
    .select(["id", "name", "filters", "partner_id", "created_at"])
    .where(segmentScope(actor))
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(100)
    .execute();
  const counts = await Promise.all(rows.map((s) => countCustomers(actor, segmentFilters(s.filters))));
  return rows.map((s, i) => ({ ...s, count: counts[i], query: customersQuery(s.filters, locale), own: s.partner_id === actor.partnerId }));
}

/** One segment, or undefined (a 404) when it is not the actor's to see. */
export async function getSegment(actor: Actor, id: string) {
  assertCan(actor, "customers.view");
  const row = await db().selectFrom("segments").select(["id", "name", "filters", "partner_id", "created_at"]).where("id", "=", id).where(segmentScope(actor)).executeTakeFirst();
  return row && { ...row, customerFilters: segmentFilters(row.filters) };
}

const segmentSchema = z.object({ name: text(SEGMENT_NAME_MAX) });

/** Saves a segment for the actor's partner (or the brand); the form sends `name` and the customer list's filter fields. */
export async function createSegment(actor: Actor, input: FormData | Record<string, unknown>, locale: Locale): Promise<{ ok: true; id: string; name: string } | { ok: false; errors: FieldErrors }> {
  assertCan(actor, "customers.view");
  const get = (name: string) => (input instanceof FormData ? input.get(name) : input[name]);
  const params = new URLSearchParams(FILTER_PARAMS.flatMap((name) => (typeof get(name) === "string" ? [[name, get(name) as string]] : [])));
  const parsed = parseFormData(segmentSchema, input);
  const stored = await storedFilters(actor, params, locale);
  if (!parsed.ok || !stored.ok) return { ok: false, errors: { ...(stored.ok ? {} : stored.errors), ...(parsed.ok ? {} : parsed.errors) } };
  const id = newId();
  await db()
    .insertInto("segments")
    .values({ id, brand_id: actor.brandId, partner_id: actor.scope === "network" ? null : actor.partnerId, created_by_user_id: actor.userId, name: parsed.data.name, filters: stored.filters, created_at: new Date() })
    .execute();
  return { ok: true, id, name: parsed.data.name };
}

/** Deletes a segment of the actor's own partner (or a brand segment, for brand roles). */
export async function deleteSegment(actor: Actor, id: string): Promise<boolean> {
  assertCan(actor, "customers.view");
  const result = await db()
    .deleteFrom("segments")
    .where("id", "=", id)
    .where(segmentScope(actor))
    .where((eb) => (actor.scope === "network" ? eb("partner_id", "is", null) : eb("partner_id", "=", actor.partnerId)))
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
