import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Selectable } from "kysely";
import type { BrandValueFitsTable } from "#db/schema";
import { typicalPurchasesPerYear } from "~/domain/ltv/brand-fit";
import type { FieldErrors } from "~/utils/validation";
import { TextField } from "./form";
import { useFormat, useMoney } from "./format";

export const LTV_HORIZON_MONTHS = { min: 1, max: 120 } as const;

type Fit = Selectable<BrandValueFitsTable>;

/**
 * The brand's lifetime-value settings (horizon, discount rate) and, in plain words, what the value
 * job's last fit says: how many customers, how often a typical one buys, how many are likely still
 * active, what a buying customer is worth on average — then the parameters for whoever checks them.
 */
export function LifetimeValueSettings({ brand, fit, errors }: { brand: { ltv_horizon_months: number; ltv_discount_bp: number }; fit: Fit | null; errors?: FieldErrors }) {
  const { t } = useTranslation();
  const f = useFormat();
  const money = useMoney();
  const significant = (v: number | null) => (v === null ? "—" : f.number(Number(v.toPrecision(4))));
  const params = fit?.fitted_at && fit.bg_r !== null && fit.bg_alpha !== null && fit.bg_a !== null && fit.bg_b !== null ? { r: fit.bg_r, alpha: fit.bg_alpha, a: fit.bg_a, b: fit.bg_b } : null;
  return (
    <section className="card" data-testid="lifetime-value-settings">
      <h2>{t("settings.ltv.title")}</h2>
      <p className="muted">{t("settings.ltv.hint")}</p>
      <Form method="post" className="stack" key={`${brand.ltv_horizon_months}-${brand.ltv_discount_bp}`}>
        <input type="hidden" name="intent" value="value" />
        <TextField
          name="horizonMonths"
          label={t("settings.ltv.horizon_months")}
          hint={t("settings.ltv.horizon_months_hint", { min: f.number(LTV_HORIZON_MONTHS.min), max: f.number(LTV_HORIZON_MONTHS.max) })}
          defaultValue={f.number(brand.ltv_horizon_months)}
          inputMode="numeric"
          errors={errors}
        />
        <TextField name="discountRate" label={t("settings.ltv.discount_rate")} hint={t("settings.ltv.discount_rate_hint")} defaultValue={f.number(brand.ltv_discount_bp / 100)} inputMode="decimal" errors={errors} />
        <button type="submit">{t("save")}</button>
      </Form>
      <h3>{t("settings.ltv.fit_title")}</h3>
      {fit && fit.last_outcome !== "fitted" ? (
        <div className="alert warn" role="status">
          {t("settings.ltv.last_run_failed", { date: f.dateTime(fit.last_run_at), reason: t(`settings.ltv.reasons.${fit.last_reason ?? "failed"}`) })}{" "}
          {t(fit.last_outcome === "kept_previous" ? "settings.ltv.kept_previous" : "settings.ltv.old_estimate")}
        </div>
      ) : null}
      {fit?.fitted_at && params ? (
        <>
          <ul data-testid="fit-summary">
            <li>{t("settings.ltv.summary_customers", { count: fit.customers, date: f.date(fit.fitted_at), repeat: f.number(fit.repeat_customers) })}</li>
            <li>{t("settings.ltv.summary_rate", { rate: f.number(Math.round(typicalPurchasesPerYear(params) * 10) / 10) })}</li>
            {fit.active_share !== null ? <li>{t("settings.ltv.summary_active", { percent: f.number(Math.round(fit.active_share * 100)) })}</li> : null}
            {fit.mean_ltv_rial !== null ? <li>{t("settings.ltv.summary_value", { months: f.number(fit.horizon_months ?? brand.ltv_horizon_months), value: money(fit.mean_ltv_rial) })}</li> : null}
          </ul>
          <details>
            <summary>{t("settings.ltv.parameters")}</summary>
            <p>{t("settings.ltv.bg_parameters", { r: significant(fit.bg_r), alpha: significant(fit.bg_alpha), a: significant(fit.bg_a), b: significant(fit.bg_b), ll: significant(fit.bg_log_likelihood) })}</p>
            <p>{t("settings.ltv.gg_parameters", { customers: f.number(fit.gg_customers), p: significant(fit.gg_p), q: significant(fit.gg_q), gamma: significant(fit.gg_gamma), ll: significant(fit.gg_log_likelihood) })}</p>
          </details>
        </>
      ) : null}
      {fit ? null : <p className="muted">{t("settings.ltv.never")}</p>}
    </section>
  );
}
