import type { Locale } from "~/domain/format";
import { queryDate, type FieldErrors } from "~/utils/validation";

/** What the brand's audit log can be narrowed to; the same filters serve the page and the CSV. */
export interface AuditFilters {
  action?: string;
  userId?: string;
  partnerId?: string;
  from?: Date;
  /** Exclusive: the start of the day after the "to" date the user typed. */
  to?: Date;
}

const FILTER_PARAMS = ["action", "user", "partner", "from", "to"] as const;
const idParam = (v: string | null) => (v && /^[0-9A-Z]{26}$/i.test(v) ? v : undefined);
const actionParam = (v: string | null) => (v && /^[a-z_]{1,30}\.[a-z_]{1,30}$/.test(v) ? v : undefined);

/**
 * Reads filters from a query string: unknown values are dropped, impossible dates (Jalali for fa)
 * come back as field errors. `canonical` keeps only what was understood, for the export link.
 */
export function parseAuditFilters(params: URLSearchParams, locale: Locale): { filters: AuditFilters; errors: FieldErrors; canonical: URLSearchParams } {
  const errors: FieldErrors = {};
  const date = (name: string) => queryDate(params, name, locale, errors);
  const to = date("to");
  const filters: AuditFilters = {
    action: actionParam(params.get("action")),
    userId: idParam(params.get("user")),
    partnerId: idParam(params.get("partner")),
    from: date("from"),
    to: to && new Date(to.getTime() + 86_400_000),
  };
  const understood = { action: filters.action, user: filters.userId, partner: filters.partnerId, from: filters.from, to: filters.to };
  const canonical = new URLSearchParams();
  for (const name of FILTER_PARAMS) if (understood[name] !== undefined) canonical.set(name, params.get(name)!.trim());
  return { filters, errors, canonical };
}
