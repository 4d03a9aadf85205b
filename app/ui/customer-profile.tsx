import { Form, Link, useFetcher, useSearchParams } from "@remix-run/react";
import { Fragment, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CONSENT_CHANNELS, INTERACTION_CHANNELS, MANUAL_INTERACTION_KINDS, NEED_PRIORITIES } from "#db/schema";
import type { NextAction } from "~/domain/next-action";
import type { loader, ProfileActionData } from "~/routes/_app.customers.$id";
import { ConsentFields, CustomerFields } from "./customer-fields";
import { DataTable } from "./data-table";
import { DateField } from "./date-field";
import { SelectField, TextAreaField, TextField } from "./form";
import { useFormat, useMoney } from "./format";
import { Place } from "./place";

type Data = Awaited<ReturnType<typeof loader>>;
type Customer = Data["customer"];
type May = Data["may"];

const errorsFor = (actionData: ProfileActionData | undefined, intent: string) => (actionData?.intent === intent ? actionData.errors : undefined);
/** A form opened on demand opens by itself when its answer has errors... */
const reopen = (actionData: ProfileActionData | undefined, intent: string) => actionData?.intent === intent && !!actionData.errors;
/** ...and starts again, closed and empty, once it saved (a new key per saved answer). */
const resetKey = (actionData: ProfileActionData | undefined, intent: string) => (actionData?.intent === intent && actionData.savedAt ? `${intent}-${actionData.savedAt}` : intent);

/** The forms asked for without JavaScript (`?form=<intent>`) or reopened by their errors; one that saved closes. */
function useRequestedForms(actionData: ProfileActionData | undefined) {
  const [params] = useSearchParams();
  const asked = params.get("form");
  return (intent: string) => reopen(actionData, intent) || (asked === intent && !(actionData?.intent === intent && actionData.saved));
}

/**
 * A form behind its button, rendered only once asked for: in place with JavaScript; without it
 * the closed body holds a link that reloads the page with the form open (`?form=<intent>`, or `to`).
 */
function OnDemandForm({ intent, summary, actionData, open = false, to, className = "on-demand", id = `form-${intent}`, onOpen, children }: { intent: string; summary: string; actionData?: ProfileActionData; open?: boolean; to?: string; className?: string; id?: string; onOpen?: () => void; children: ReactNode }) {
  const { t } = useTranslation("customers");
  const requested = useRequestedForms(actionData);
  const [opened, setOpened] = useState(false);
  const shown = opened || open || requested(intent);
  return (
    <details
      id={id}
      className={className}
      open={shown}
      onToggle={(e) => {
        if (!e.currentTarget.open) return;
        setOpened(true);
        onOpen?.();
      }}
    >
      <summary>{summary}</summary>
      {shown ? children : <Link to={to ?? `?form=${intent}#${id}`} className="tap">{t("open_form")}</Link>}
    </details>
  );
}

/** A record section whose body folds behind its heading on a phone (always open on a wider screen); open while it has a form with errors. */
function FoldingSection({ title, open, testId, children }: { title: string; open: boolean; testId?: string; children: ReactNode }) {
  return (
    <section className="card" data-testid={testId}>
      <details className="phone-fold" open={open}>
        <summary>
          <h2>{title}</h2>
        </summary>
        {children}
      </details>
    </section>
  );
}

function useName() {
  const { i18n } = useTranslation();
  return (fa: string | null | undefined, en: string | null | undefined) => (i18n.language === "fa" ? fa : en) ?? "";
}

/** The suggestion's way to act: the customer's last order back into the rep's cart, repriced today (the order page's reorder). */
export function ReorderLast({ action }: { action: Pick<NextAction, "reorderOrderId"> }) {
  const { t } = useTranslation("customers");
  if (!action.reorderOrderId) return null;
  return (
    <Form method="post" action={`/orders/${action.reorderOrderId}`} className="inline">
      <button type="submit" name="intent" value="reorder" className="secondary">
        {t("reorder_last")}
      </button>
    </Form>
  );
}

export function NextActions({ actions, needs }: { actions: NextAction[]; needs: Data["needs"] }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const name = useName();
  if (actions.length === 0) return null;
  return (
    <section className="card next-action" data-testid="next-actions">
      <h2>{t("next_actions")}</h2>
      <ul>
        {actions.map((a, i) => {
          const need = needs.find((n) => n.id === a.needId);
          const values = Object.fromEntries(Object.entries(a.params).map(([k, v]) => [k, typeof v === "number" ? f.number(v) : v]));
          const product = need ? name(need.product_fa, need.product_en) : "";
          const reasonKey =
            a.code === "high_value_no_contact" && a.params.days === undefined ? "high_value_never_contacted" : a.code === "probably_lapsing" && a.params.previousPercent !== undefined ? "probably_lapsing_fell" : a.code;
          return (
            <li key={i}>
              <strong>{t(`action.${a.code}`, { product })}</strong> — <span>{t(`reason.${reasonKey}`, { ...values, category: need ? name(need.category_fa, need.category_en) : "" })}</span> <ReorderLast action={a} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Call, text or e-mail the customer from the phone in hand; only the contacts the customer's consent shows. */
export function ContactActions({ customer }: { customer: Customer }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  // Hidden contact is explained, with what the rep can do instead, by CustomerContactSection.
  if (!customer.phone && !customer.email) return null;
  return (
    <div className="actions contact-actions" role="group" aria-label={t("contact_actions")}>
      {customer.phone ? (
        <>
          <a className="button" href={`tel:${customer.phone}`}>
            {t("call")} <bdi dir="ltr">{f.phone(customer.phone)}</bdi>
          </a>
          <a className="button secondary" href={`sms:${customer.phone}`}>
            {t("send_sms")}
          </a>
        </>
      ) : null}
      {customer.email ? (
        <a className="button secondary" href={`mailto:${customer.email}`}>
          {t("send_email")}
        </a>
      ) : null}
    </div>
  );
}

const identityDefaults = (customer: Customer) => ({
  kind: customer.kind,
  displayName: customer.display_name,
  phone: customer.phone,
  email: customer.email,
  province: customer.province,
  city: customer.city,
  preferredLocale: customer.preferred_locale,
  preferredChannel: customer.preferred_channel,
  preferredTimes: customer.preferred_times,
});

export function IdentitySection({ customer, partners, prefs, canWrite, may, actionData }: { customer: Customer; partners: Data["partners"]; prefs: Data["prefs"]; canWrite: boolean; may: May; actionData?: ProfileActionData }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const name = useName();
  const requested = useRequestedForms(actionData);
  const hidden = <span className="muted">{t("hidden_by_consent")}</span>;
  return (
    <FoldingSection title={t("identity")} open={["preferences", "edit", "propose"].some(requested)}>
      <dl className="facts">
        <dt>{t("mobile")}</dt>
        <dd>{customer.phone ? <bdi dir="ltr">{f.phone(customer.phone)}</bdi> : hidden}</dd>
        <dt>{t("email")}</dt>
        <dd>{customer.email ? <bdi dir="ltr">{customer.email}</bdi> : customer.contact_visible ? "—" : hidden}</dd>
        <dt>{t("city")}</dt>
        <dd>
          <Place city={customer.city} province={customer.province} />
        </dd>
        <dt>{t("preferred_channel")}</dt>
        <dd>{t(`channel.${customer.preferred_channel}`)}</dd>
        <dt>{t("preferred_times")}</dt>
        <dd>{customer.preferred_times ?? (customer.contact_visible ? "—" : hidden)}</dd>
        <dt>{t("preferred_locale")}</dt>
        <dd>{t(`common:language.${customer.preferred_locale}`)}</dd>
        <dt>{t("registered_at")}</dt>
        <dd>{f.date(customer.registered_at)}</dd>
        <dt>{t("serving_partners")}</dt>
        <dd>
          {partners.map((p) => (p.id === customer.registered_by_partner_id ? `${name(p.name_fa, p.name_en)} (${t("registrant")})` : name(p.name_fa, p.name_en))).join(t("common:comma"))}
        </dd>
        {prefs
          .filter((p) => p.value)
          .map((p) => (
            <Fragment key={p.id}>
              <dt>{name(p.label_fa, p.label_en)}</dt>
              <dd>{p.value}</dd>
            </Fragment>
          ))}
      </dl>
      {canWrite ? (
        <OnDemandForm intent="preferences" summary={t("edit_preferences")} actionData={actionData} key={resetKey(actionData, "preferences")}>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="preferences" />
            {prefs.map((p) => (
              <TextField key={p.id} name={`pref_${p.id}`} label={name(p.label_fa, p.label_en)} defaultValue={p.value ?? ""} maxLength={200} errors={errorsFor(actionData, "preferences")} />
            ))}
            <button type="submit">{t("common:save")}</button>
          </Form>
        </OnDemandForm>
      ) : null}
      {may.edit ? (
        <OnDemandForm intent="edit" summary={t("edit_customer")} actionData={actionData} key={resetKey(actionData, "edit")}>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="edit" />
            <CustomerFields errors={errorsFor(actionData, "edit")} defaults={identityDefaults(customer)} />
            <button type="submit">{t("common:save")}</button>
          </Form>
        </OnDemandForm>
      ) : null}
      {may.propose ? (
        <OnDemandForm intent="propose" summary={t("propose_correction")} actionData={actionData} key={resetKey(actionData, "propose")}>
          <p className="hint muted">{t("propose_correction_hint")}</p>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="propose" />
            <CustomerFields idPrefix="propose" contact={Boolean(customer.contact_visible)} errors={errorsFor(actionData, "propose")} defaults={identityDefaults(customer)} />
            <button type="submit">{t("send_correction")}</button>
          </Form>
        </OnDemandForm>
      ) : null}
    </FoldingSection>
  );
}

const FIELD_LABELS: Record<string, string> = { kind: "kind_label", displayName: "name", phone: "mobile", email: "email", province: "province", city: "city", preferredLocale: "preferred_locale", preferredChannel: "preferred_channel", preferredTimes: "preferred_times" };

/** Pending correction proposals with the current and proposed values; the owner accepts or declines. */
export function CorrectionsSection({ customer, corrections, canDecide, actionData }: { customer: Customer; corrections: Data["corrections"]; canDecide: boolean; actionData?: ProfileActionData }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const name = useName();
  if (corrections.length === 0) return null;
  const current = identityDefaults(customer) as Record<string, string | null>;
  const shown = (field: string, value: string | null) => {
    if (value === null || value === "") return "—";
    if (field === "kind") return t(`kind.${value}`);
    if (field === "province") return t(`common:provinces.${value}`);
    if (field === "preferredLocale") return t(`common:language.${value}`);
    if (field === "preferredChannel") return t(`channel.${value}`);
    if (field === "phone") return f.phone(value);
    return value;
  };
  return (
    <section className="card" id="corrections" data-testid="corrections">
      <h2>{t("corrections_title")}</h2>
      {corrections.map((c) => (
        <div key={c.id} className="stack">
          <div className="meta">
            {c.proposed_by} · {name(c.partner_fa, c.partner_en)} · {f.dateTime(c.created_at)}
          </div>
          <DataTable
            rows={Object.entries(c.changes)}
            rowKey={([field]) => field}
            columns={[
              { header: t("correction_field"), cell: ([field]) => t(FIELD_LABELS[field]) },
              { header: t("correction_current"), cell: ([field]) => <bdi>{shown(field, current[field] ?? null)}</bdi> },
              { header: t("correction_proposed"), cell: ([field, value]) => <bdi>{shown(field, value ?? null)}</bdi> },
            ]}
          />
          {canDecide ? (
            <details className="on-demand" open={reopen(actionData, "correction")}>
              <summary>{t("correction_decide")}</summary>
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="correction" />
                <input type="hidden" name="correctionId" value={c.id} />
                <TextField idPrefix={`correction-${c.id}`} name="reason" label={t("correction_reason")} maxLength={500} errors={errorsFor(actionData, "correction")} />
                <div className="actions">
                  <button type="submit" name="decision" value="accept">{t("correction_accept")}</button>
                  <button type="submit" name="decision" value="decline" className="secondary">{t("correction_decline")}</button>
                </div>
              </Form>
            </details>
          ) : (
            <p className="muted">{t("correction_pending")}</p>
          )}
        </div>
      ))}
    </section>
  );
}

export function ValueSection({ customer }: { customer: Customer }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const money = useMoney();
  return (
    <FoldingSection title={t("value")} open={false}>
      <dl className="facts">
        <dt>{t("value_tier")}</dt>
        <dd>{customer.value_tier ? t(`tier.${customer.value_tier}`) : t("no_orders_yet")}</dd>
        <dt>{t("orders")}</dt>
        <dd>{f.number(customer.order_count)}</dd>
        <dt>{t("monetary")}</dt>
        <dd>{money(customer.monetary_rial)}</dd>
        <dt>{t("ltv")}</dt>
        <dd>{money(customer.ltv_rial)}</dd>
        <dt>{t("last_order")}</dt>
        <dd>{customer.last_order_at ? f.date(customer.last_order_at) : "—"}</dd>
        <dt>{t("buying_cycle")}</dt>
        <dd>{customer.avg_interval_days ? t("days", { count: customer.avg_interval_days, n: f.number(customer.avg_interval_days) }) : "—"}</dd>
        <dt>{t("last_contact")}</dt>
        <dd>{customer.last_contact_at ? f.date(customer.last_contact_at) : "—"}</dd>
      </dl>
      <p className="hint muted">{t(customer.ltv_fit_at ? "ltv_hint_model" : "ltv_hint")}</p>
    </FoldingSection>
  );
}

/** What the brand's lifetime-value model says of the customer, beside their order history; nothing before a fit. */
export function PurchaseForecast({ customer }: { customer: Customer }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  if (customer.p_alive === null || customer.expected_purchases === null || !customer.ltv_fit_at) return null;
  return (
    <section className="card" data-testid="purchase-forecast">
      <h2>{t("model_title")}</h2>
      <dl className="facts">
        <dt>{t("p_alive")}</dt>
        <dd>{t("p_alive_value", { percent: f.number(Math.round(customer.p_alive * 100)) })}</dd>
        <dt>{t("expected_purchases", { months: f.number(customer.ltv_horizon_months ?? 0) })}</dt>
        <dd>{f.number(Math.round(customer.expected_purchases * 10) / 10)}</dd>
      </dl>
      <p className="hint muted">
        {t("model_fitted_at", { date: f.date(customer.ltv_fit_at) })} · {t("model_hint")}
      </p>
    </section>
  );
}

function NeedItem({ need: n }: { need: Data["needs"][number] }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const name = useName();
  return (
    <li id={`need-${n.id}`}>
      <div>
        <span className={`badge ${n.status === "open" ? "warn" : n.status === "met" ? "ok" : "off"}`}>{t(`needStatus.${n.status}`)}</span> <strong>{name(n.category_fa, n.category_en)}</strong> · {t(`priority.${n.priority}`)}
        {n.sku ? (
          <>
            {" "}
            · <bdi dir="ltr">{n.sku}</bdi> {name(n.product_fa, n.product_en)}
          </>
        ) : null}
      </div>
      <div dir="auto">{n.body}</div>
      <div className="meta">
        {n.recorded_by} · {name(n.partner_fa, n.partner_en)} · {f.date(n.created_at)}
      </div>
      {n.canChange ? (
        <Form method="post" className="actions">
          <input type="hidden" name="intent" value="need_status" />
          <input type="hidden" name="needId" value={n.id} />
          {(["open", "met", "declined"] as const)
            .filter((s) => s !== n.status)
            .map((s) => (
              <button key={s} type="submit" name="status" value={s} className="secondary">
                {t(`mark.${s}`)}
              </button>
            ))}
        </Form>
      ) : null}
    </li>
  );
}

type Product = NonNullable<Data["products"]>[number];

/**
 * Open needs first, in sight; met and declined ones folded away below them. The form's product
 * choices (the whole catalogue) are loaded when the form opens; without JavaScript a link reloads
 * the page with them (`?products=1`, the loader's `products`).
 */
export function NeedsSection({ needs, categories, products, canWrite, actionData, ideaFor }: { needs: Data["needs"]; categories: Data["categories"]; products: Data["products"]; canWrite: boolean; actionData?: ProfileActionData; ideaFor?: string }) {
  const { t } = useTranslation("customers");
  const name = useName();
  const choices = useFetcher<{ products: Product[] }>();
  const productList = products ?? choices.data?.products ?? null;
  const open = needs.filter((n) => n.status === "open");
  const closed = needs.filter((n) => n.status !== "open");
  return (
    <section className="card" data-testid="needs">
      <h2>{t("needs")}</h2>
      {canWrite && ideaFor ? (
        <p>
          <Link to={`/ideas/new?customer=${ideaFor}`} className="tap">{t("ideas:new.for_customer")}</Link>
        </p>
      ) : null}
      {open.length === 0 ? <p className="muted">{t("no_open_needs")}</p> : null}
      <ul className="timeline">
        {open.map((n) => (
          <NeedItem key={n.id} need={n} />
        ))}
      </ul>
      {closed.length > 0 ? (
        <details>
          <summary>{t("closed_needs", { count: closed.length })}</summary>
          <ul className="timeline">
            {closed.map((n) => (
              <NeedItem key={n.id} need={n} />
            ))}
          </ul>
        </details>
      ) : null}
      {canWrite ? (
        <OnDemandForm
          intent="need"
          id="add-need"
          summary={t("add_need")}
          actionData={actionData}
          open={products !== null}
          to="?products=1#add-need"
          key={resetKey(actionData, "need")}
          onOpen={() => {
            if (!productList && choices.state === "idle") choices.load("/products/choices");
          }}
        >
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="need" />
            <SelectField idPrefix="need" name="categoryId" label={t("need_category")} errors={errorsFor(actionData, "need")} options={categories.map((c) => ({ value: c.id, label: name(c.name_fa, c.name_en) }))} />
            <TextAreaField idPrefix="need" name="body" label={t("need_body")} errors={errorsFor(actionData, "need")} maxLength={1000} />
            <SelectField idPrefix="need" name="priority" label={t("priority_label")} defaultValue="medium" errors={errorsFor(actionData, "need")} options={NEED_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
            <SelectField idPrefix="need" name="productId" label={t("need_product")} errors={errorsFor(actionData, "need")} options={[{ value: "", label: t("no_product") }, ...(productList ?? []).map((p) => ({ value: p.id, label: `${p.sku} — ${name(p.name_fa, p.name_en)}` }))]} />
            {productList ? null : <Link to="?products=1#add-need" className="tap">{t("choose_product")}</Link>}
            <button type="submit">{t("add_need")}</button>
          </Form>
        </OnDemandForm>
      ) : null}
    </section>
  );
}

export function InteractionForm({ needs, actionData }: { needs: Data["needs"]; actionData?: ProfileActionData }) {
  const { t } = useTranslation("customers");
  const name = useName();
  const errors = errorsFor(actionData, "interaction");
  return (
    <OnDemandForm intent="interaction" className="card on-demand" summary={t("record_interaction")} actionData={actionData} key={resetKey(actionData, "interaction")}>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="interaction" />
        <SelectField idPrefix="interaction" name="kind" label={t("interaction_kind")} errors={errors} options={MANUAL_INTERACTION_KINDS.map((k) => ({ value: k, label: t(`interaction.${k}`) }))} />
        <SelectField idPrefix="interaction" name="channel" label={t("interaction_channel")} errors={errors} options={INTERACTION_CHANNELS.map((c) => ({ value: c, label: t(`interactionChannel.${c}`) }))} />
        <DateField idPrefix="interaction" name="occurredOn" label={t("occurred_on")} hint={t("occurred_on_hint")} errors={errors} />
        <SelectField
          idPrefix="interaction"
          name="needId"
          label={t("about_need")}
          errors={errors}
          options={[{ value: "", label: t("no_need") }, ...needs.filter((n) => n.status === "open").map((n) => ({ value: n.id, label: `${name(n.category_fa, n.category_en)}: ${n.body.slice(0, 40)}` }))]}
        />
        <TextAreaField idPrefix="interaction" name="note" label={t("note")} errors={errors} maxLength={2000} />
        <button type="submit">{t("save_interaction")}</button>
      </Form>
    </OnDemandForm>
  );
}

export function ConsentSection({ customer, history, mode, actionData }: { customer: Customer; history: Data["consents"]; mode: May["consent"]; actionData?: ProfileActionData }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const name = useName();
  const requested = useRequestedForms(actionData);
  const errors = errorsFor(actionData, "consent");
  const current = { partner_contact: Boolean(customer.consent_partner_contact), brand_contact: Boolean(customer.consent_brand_contact), share_partners: Boolean(customer.consent_share_partners) };
  return (
    <FoldingSection title={t("consent_title")} open={requested("consent")} testId="consent">
      <ul>
        {(Object.keys(current) as (keyof typeof current)[]).map((k) => (
          <li key={k}>
            {t(`consent.${k}`)}: {current[k] ? t("yes") : t("no")}
          </li>
        ))}
      </ul>
      {mode === "view" ? (
        <p className="hint muted">{t("consent_owner_only")}</p>
      ) : (
        <OnDemandForm intent="consent" summary={t("consent_change")} actionData={actionData} key={resetKey(actionData, "consent")}>
          <Form method="post" className="stack" noValidate key={JSON.stringify(current)}>
            <input type="hidden" name="intent" value="consent" />
            {mode === "withdraw" ? <p className="hint muted">{t("consent_brand_withdraw_hint")}</p> : null}
            <ConsentFields defaults={current} withdrawOnly={mode === "withdraw"} />
            <SelectField idPrefix="consent" name="channel" label={t("consent_channel_label")} errors={errors} options={CONSENT_CHANNELS.map((c) => ({ value: c, label: t(`consentChannel.${c}`) }))} />
            <DateField idPrefix="consent" name="givenOn" label={t("consent_given_on")} errors={errors} required />
            <TextAreaField idPrefix="consent" name="note" label={t("consent_note")} errors={errors} maxLength={500} />
            <button type="submit">{mode === "withdraw" ? t("record_withdrawal") : t("save_consent")}</button>
          </Form>
        </OnDemandForm>
      )}
      {history.length > 0 ? (
        <details>
          <summary>{t("consent_history")}</summary>
          <ul className="timeline">
            {history.map((h) => (
              <li key={h.id}>
                {t(`consent.${h.purpose}`)}: {h.granted ? t("granted") : t("withdrawn")}
                {h.channel ? ` · ${t(`consentChannel.${h.channel}`)}` : null}
                {h.given_at ? ` · ${f.date(h.given_at)}` : null}
                {h.note ? <div dir="auto">{h.note}</div> : null}
                <div className="meta">
                  {h.user_name} · {name(h.partner_name_fa, h.partner_name_en) || t("brand_side")} · {f.dateTime(h.recorded_at)}
                </div>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </FoldingSection>
  );
}

export function TimelineSection({ events }: { events: Data["events"] }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const name = useName();
  return (
    <section className="card" data-testid="timeline">
      <h2>{t("timeline")}</h2>
      {events.length === 0 ? <p className="muted">{t("no_events")}</p> : null}
      <ul className="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <strong>{e.kind === "action_done" && e.action_code ? t("action_done", { action: t(`action_short.${e.action_code}`) }) : t(`interaction.${e.kind}`)}</strong>
            {e.channel ? ` · ${t(`interactionChannel.${e.channel}`)}` : null}
            {e.need_id ? (
              <>
                {" · "}
                {t("about_need")}: <a href={`#need-${e.need_id}`}>{name(e.need_category_fa, e.need_category_en)}</a>
              </>
            ) : null}
            {e.note ? <div dir="auto">{e.note}</div> : null}
            <div className="meta">
              {f.dateTime(e.occurred_at)} · {e.user_name ?? "—"} · {name(e.partner_fa, e.partner_en)}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** How many of the latest touchpoints the profile shows before "show all". */
export const TIMELINE_PREVIEW = 5;

/** The link under a shortened timeline to all of it, and back. */
export function TimelineToggle({ total, all }: { total: number; all: boolean }) {
  const { t } = useTranslation("customers");
  if (total <= TIMELINE_PREVIEW) return null;
  return (
    <p className="timeline-toggle">
      {all ? (
        <Link to="?" preventScrollReset className="tap">
          {t("timeline_show_latest")}
        </Link>
      ) : (
        <Link to="?timeline=all" preventScrollReset className="tap">
          {t("timeline_show_all", { count: total })}
        </Link>
      )}
    </p>
  );
}

/** The customer's latest orders, and a link to all of them on the orders list when there are more. */
export function OrdersSection({ orders, customerId }: { orders: Data["orders"]; customerId: string }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const money = useMoney();
  const name = useName();
  return (
    <section data-testid="orders">
      <h2>{t("orders")}</h2>
      <DataTable
        rows={orders.latest}
        rowKey={(o) => o.id}
        empty={t("no_orders")}
        columns={[
          { header: t("order_number"), cell: (o) => <Link to={`/orders/${o.id}`}><bdi dir="ltr">{f.digits(o.number)}</bdi></Link> },
          { header: t("order_date"), cell: (o) => f.date(o.placed_at) },
          { header: t("order_status"), cell: (o) => t(`orders:statuses.${o.status}`, { defaultValue: t(`orderStatus.${o.status}`, { defaultValue: o.status }) }) },
          { header: t("order_total"), numeric: true, cell: (o) => money(o.total_rial) },
          { header: t("order_partner"), cell: (o) => name(o.partner_fa, o.partner_en) },
        ]}
      />
      {orders.total > orders.latest.length ? (
        <p>
          <Link to={`/orders?customer=${customerId}`} className="tap">
            {t("orders_all", { count: orders.total })}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
