import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { can } from "~/domain/permissions";
import { OWNER_DECISION_DAYS } from "~/domain/serve-requests";
import { parseInteger } from "~/domain/text";
import { discountThresholdSchema } from "~/models/orders/order-forms";
import { setDiscountThreshold } from "~/models/orders/orders.server";
import { brandSettings, saveNeedCategory, savePreferenceKey, setTwoFactorRequirement, updateBrandSettings, updateValueSettings } from "~/models/settings.server";
import { percent } from "~/models/orders/product-forms";
import { LifetimeValueSettings, LTV_HORIZON_MONTHS } from "~/ui/lifetime-value-settings";
import { ErrorText, FormAlert, SelectField, TextField } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { choice, optionalId, parseFormData, text, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("settings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "settings.manage");
  return { ...(await brandSettings(actor)), canManageSecurity: can(actor, "security.manage") };
}

/** Whole numbers typed in any digit set. */
const integer = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === "string" ? (parseInteger(v) ?? NaN) : v), z.number({ message: "errors.number" }).int().min(min, { message: "errors.range" }).max(max, { message: "errors.range" }));

const named = { id: optionalId(), nameFa: text(120), nameEn: text(120), sort: integer(0, 9999) };
const schemas = {
  brand: z.object({ protectionDays: integer(0, 3650), ownerDecisionDays: integer(OWNER_DECISION_DAYS.min, OWNER_DECISION_DAYS.max), moneyUnit: choice(["rial", "toman"] as const) }),
  category: z.object({ ...named, active: z.preprocess((v) => v === "on", z.boolean()) }),
  preference: z.object(named),
  security: z.object({ requireTwoFactor: z.preprocess((v) => v === "on", z.boolean()) }),
  value: z.object({ horizonMonths: integer(LTV_HORIZON_MONTHS.min, LTV_HORIZON_MONTHS.max), discountRate: percent() }),
};

type ActionData = { intent: string; errors?: FieldErrors; saved?: boolean };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "settings.manage");
  const form = await request.formData();
  const intent = z.enum(["brand", "category", "preference", "security", "orders", "value"]).safeParse(form.get("intent"));
  invariantResponse(intent.success, 400);
  const fail = (errors: FieldErrors) => data<ActionData>({ intent: intent.data, errors }, { status: 400 });
  if (intent.data === "brand") {
    const parsed = parseFormData(schemas.brand, form);
    if (!parsed.ok) return fail(parsed.errors);
    await updateBrandSettings(actor, parsed.data);
  } else if (intent.data === "category") {
    const parsed = parseFormData(schemas.category, form);
    if (!parsed.ok) return fail(parsed.errors);
    invariantResponse(await saveNeedCategory(actor, parsed.data.id, parsed.data), 404);
  } else if (intent.data === "orders") {
    const parsed = parseFormData(discountThresholdSchema, form);
    if (!parsed.ok) return fail(parsed.errors);
    await setDiscountThreshold(actor, parsed.data.discountApproval);
  } else if (intent.data === "value") {
    const parsed = parseFormData(schemas.value, form);
    if (!parsed.ok) return fail(parsed.errors);
    await updateValueSettings(actor, { horizonMonths: parsed.data.horizonMonths, discountBp: parsed.data.discountRate });
  } else if (intent.data === "security") {
    const parsed = parseFormData(schemas.security, form);
    if (!parsed.ok) return fail(parsed.errors);
    if ((await setTwoFactorRequirement(actor, parsed.data.requireTwoFactor)) === "own_first") return fail({ requireTwoFactor: { key: "security:own_first" } });
  } else {
    const parsed = parseFormData(schemas.preference, form);
    if (!parsed.ok) return fail(parsed.errors);
    invariantResponse(await savePreferenceKey(actor, parsed.data.id, parsed.data), 404);
  }
  return { intent: intent.data, saved: true } satisfies ActionData;
}

function NamedRow({ intent, row, active, errors }: { intent: "category" | "preference"; row?: { id: string; fa: string; en: string; sort: number; active?: boolean }; active?: boolean; errors?: FieldErrors }) {
  const { t } = useTranslation();
  const f = useFormat();
  const prefix = `${intent}-${row?.id ?? "new"}`;
  return (
    <Form method="post" className="filters">
      <input type="hidden" name="intent" value={intent} />
      {row ? <input type="hidden" name="id" value={row.id} /> : null}
      <TextField idPrefix={prefix} name="nameFa" label={t("settings.name_fa")} defaultValue={row?.fa} errors={errors} required maxLength={120} />
      <TextField idPrefix={prefix} name="nameEn" label={t("settings.name_en")} defaultValue={row?.en} errors={errors} dir="ltr" required maxLength={120} />
      <TextField idPrefix={prefix} name="sort" label={t("settings.sort")} defaultValue={row ? f.number(row.sort) : ""} errors={errors} inputMode="numeric" size={4} />
      {active !== undefined ? (
        <label className="check">
          <input type="checkbox" name="active" defaultChecked={active} /> {t("active")}
        </label>
      ) : null}
      <button type="submit" className={row ? "secondary" : undefined}>
        {row ? t("save") : t("settings.add")}
      </button>
    </Form>
  );
}

export default function Settings() {
  const { t } = useTranslation();
  const f = useFormat();
  const { brand, valueFit, categories, preferenceKeys, canManageSecurity } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.errors : undefined);
  return (
    <>
      <h1>{t("settings.title")}</h1>
      {actionData?.saved ? <div className="alert ok" role="status">{t("saved")}</div> : null}
      <FormAlert errors={actionData?.errors} />
      <section className="card">
        <h2>{t("settings.brand")}</h2>
        <Form method="post" className="stack" key={`${brand.protection_days}-${brand.owner_decision_days}-${brand.money_unit}`}>
          <input type="hidden" name="intent" value="brand" />
          <TextField name="protectionDays" label={t("settings.protection_days")} hint={t("settings.protection_days_hint")} defaultValue={f.number(brand.protection_days)} inputMode="numeric" errors={errorsFor("brand")} />
          <TextField
            name="ownerDecisionDays"
            label={t("settings.owner_decision_days")}
            hint={t("settings.owner_decision_days_hint", { min: f.number(OWNER_DECISION_DAYS.min), max: f.number(OWNER_DECISION_DAYS.max) })}
            defaultValue={f.number(brand.owner_decision_days)}
            inputMode="numeric"
            errors={errorsFor("brand")}
          />
          <SelectField name="moneyUnit" label={t("settings.money_unit")} defaultValue={brand.money_unit} errors={errorsFor("brand")} options={(["rial", "toman"] as const).map((u) => ({ value: u, label: t(`money.${u}`) }))} />
          <button type="submit">{t("save")}</button>
        </Form>
      </section>
      <section className="card">
        <h2>{t("orders:threshold_title")}</h2>
        <Form method="post" className="stack" key={brand.discount_approval_bp}>
          <input type="hidden" name="intent" value="orders" />
          <TextField name="discountApproval" label={t("orders:discount_approval")} hint={t("orders:discount_approval_hint")} defaultValue={f.number(brand.discount_approval_bp / 100)} inputMode="decimal" errors={errorsFor("orders")} />
          <button type="submit">{t("save")}</button>
        </Form>
      </section>
      <LifetimeValueSettings brand={brand} fit={valueFit} errors={errorsFor("value")} />
      <section className="card">
        <h2>{t("security:settings.title")}</h2>
        <Form method="post" className="stack" key={String(brand.require_two_factor)}>
          <input type="hidden" name="intent" value="security" />
          <label className="check">
            <input type="checkbox" name="requireTwoFactor" defaultChecked={Boolean(brand.require_two_factor)} disabled={!canManageSecurity} aria-describedby="require-two-factor-hint" />{" "}
            {t("security:settings.require")}
          </label>
          <span className="hint" id="require-two-factor-hint">
            {t(canManageSecurity ? "security:settings.require_hint" : "security:settings.admin_only")}
          </span>
          <ErrorText id="e-requireTwoFactor" error={errorsFor("security")?.requireTwoFactor} />
          {canManageSecurity ? <button type="submit">{t("save")}</button> : null}
        </Form>
      </section>
      <section className="card">
        <h2>{t("settings.need_categories")}</h2>
        <p className="muted">{t("settings.need_categories_hint")}</p>
        {categories.map((c) => (
          <NamedRow key={c.id} intent="category" row={{ id: c.id, fa: c.name_fa, en: c.name_en, sort: c.sort }} active={Boolean(c.active)} />
        ))}
        <NamedRow intent="category" active errors={errorsFor("category")} />
      </section>
      <section className="card">
        <h2>{t("settings.preference_keys")}</h2>
        <p className="muted">{t("settings.preference_keys_hint")}</p>
        {preferenceKeys.map((k) => (
          <NamedRow key={k.id} intent="preference" row={{ id: k.id, fa: k.label_fa, en: k.label_en, sort: k.sort }} />
        ))}
        <NamedRow intent="preference" errors={errorsFor("preference")} />
      </section>
    </>
  );
}
