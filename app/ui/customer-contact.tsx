import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { INTERACTION_CHANNELS } from "#db/schema";
import { dateInputValue } from "~/domain/jalali";
import type { loader, ProfileActionData } from "~/routes/_app.customers.$id";
import { DateField } from "./date-field";
import { SelectField, TextField } from "./form";
import { useFormat } from "./format";

type Contact = Awaited<ReturnType<typeof loader>>["contact"];

/**
 * Reaching a customer whose contact fields are hidden from the actor: why they are hidden, the
 * contact the customer gave the actor's own team directly, a form to record more, and an ask to
 * the partner holding the customer.
 */
export function CustomerContactSection({ contact, actionData }: { contact: Contact; actionData?: ProfileActionData }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  if (!contact.reason && contact.collected.length === 0) return null;
  const errors = actionData?.intent === "collected_contact" ? actionData.errors : undefined;
  const partnerName = (c: Contact["collected"][number]) => (f.locale === "fa" ? c.partner_fa : c.partner_en) ?? "";
  return (
    <section className="card contact-access" id="contact" data-testid="contact-access">
      <h2>{t("contact_access.title")}</h2>
      {contact.reason ? <p className="muted">{t(`contact_access.hidden.${contact.reason}`)}</p> : null}
      {contact.collected.length > 0 ? (
        <ul className="timeline">
          {contact.collected.map((c) => (
            <li key={c.id} data-testid="collected-contact">
              {c.phone ? (
                <a href={`tel:${c.phone}`}>
                  <bdi dir="ltr">{f.phone(c.phone)}</bdi>
                </a>
              ) : null}
              {c.phone && c.email ? t("common:comma") : null}
              {c.email ? (
                <a href={`mailto:${c.email}`}>
                  <bdi dir="ltr">{c.email}</bdi>
                </a>
              ) : null}
              <div className="meta">
                {t(contact.ownTeam ? "contact_access.collected_by_you" : "contact_access.collected_by", { date: f.date(c.given_at), channel: t(`interactionChannel.${c.channel}`), partner: partnerName(c) })}
                {c.recorded_by ? ` · ${c.recorded_by}` : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {contact.mayRecord ? (
        <details className="on-demand" open={!!errors}>
          <summary>{t("contact_access.record")}</summary>
          <p className="hint muted">{t("contact_access.record_hint")}</p>
          <Form method="post" className="stack" noValidate key={actionData?.intent === "collected_contact" && actionData.saved ? "saved" : "form"}>
            <input type="hidden" name="intent" value="collected_contact" />
            <TextField idPrefix="collected" name="phone" label={t("mobile")} dir="ltr" inputMode="tel" autoComplete="off" errors={errors} />
            <TextField idPrefix="collected" name="email" label={t("email")} dir="ltr" inputMode="email" autoComplete="off" errors={errors} />
            <SelectField idPrefix="collected" name="channel" label={t("contact_access.channel")} errors={errors} options={INTERACTION_CHANNELS.map((c) => ({ value: c, label: t(`interactionChannel.${c}`) }))} />
            <DateField idPrefix="collected" name="givenOn" label={t("contact_access.given_on")} defaultValue={dateInputValue(new Date(), f.locale)} errors={errors} required />
            <button type="submit">{t("contact_access.save")}</button>
          </Form>
        </details>
      ) : null}
      {contact.mayAsk ? (
        contact.askedAt ? (
          <p className="muted" data-testid="ask-open">{t("contact_access.asked", { date: f.date(contact.askedAt) })}</p>
        ) : (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="ask_owner" />
            <p className="hint muted">{t("contact_access.ask_hint")}</p>
            <button type="submit" className="secondary">
              {t("contact_access.ask")}
            </button>
          </Form>
        )
      ) : null}
    </section>
  );
}
