import { useTranslation } from "react-i18next";
import { useFormat } from "~/ui/format";

/** A 'YYYY-MM-DD' day as the user reads dates (Jalali in fa); noon UTC keeps it the same day in Tehran. */
export function useDay() {
  const f = useFormat();
  return (day: string | null) => (day ? f.date(`${day}T12:00:00Z`) : "—");
}

type Promise = { ok: true; source: "stock" | "capacity"; shipOn: string; deliverOn: string } | { ok: false; reason: "out_of_stock" | "no_capacity" | "beyond_horizon" };

/** The promise date of a line, or "cannot promise" said plainly. */
export function PromiseText({ promise }: { promise: Promise | null }) {
  const { t } = useTranslation("orders");
  const day = useDay();
  if (!promise) return <>—</>;
  if (!promise.ok) return <span className="error">{t(`cannot_promise.${promise.reason}`)}</span>;
  return <>{t(promise.source === "stock" ? "promise_stock" : "promise_capacity", { ship: day(promise.shipOn), delivery: day(promise.deliverOn) })}</>;
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("orders");
  const tone = status === "awaiting_approval" ? "warn" : status === "rejected" || status === "cancelled" ? "muted" : "";
  return <span className={`badge ${tone}`}>{t(`statuses.${status}`, { defaultValue: status })}</span>;
}
