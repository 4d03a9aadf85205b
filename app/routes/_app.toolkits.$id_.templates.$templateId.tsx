import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { parsePersonalise, PERSONAL_FIELD_MAX, type PersonalText } from "~/models/toolkits/forms";
import { customerChoices, getPersonalisable, materialValues } from "~/models/toolkits/personalise.server";
import { rendererAvailable } from "~/models/toolkits/render.server";
import { ErrorText, SelectField, TextAreaField, TextField } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { pageTitle } from "~/ui/page-title";

// The preview document is ~343 KiB with its fonts: reload it at most this often while typing.
const PREVIEW_DEBOUNCE_MS = 500;
const TEXT_FIELDS = ["partner_name", "partner_phone", "partner_address", "partner_website", "message"] as const;

export const meta = pageTitle<typeof loader>((d, _t, fa) => (fa ? d.names.template_fa : d.names.template_en));

/**
 * The personalise page. Its form is a GET to itself: the values live in the query string, so the
 * page works without JavaScript (the preview button reloads it with the values checked); with
 * JavaScript the preview follows typing and the download buttons unlock when the values are valid.
 * Until the partner edits anything, the values come from the partner's profile.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.view");
  const tpl = await getPersonalisable(actor, params.id!, params.templateId!);
  invariantResponse(tpl, 404);
  const url = new URL(request.url);
  const edited = url.searchParams.has("edited");
  const raw: Record<string, string> = edited ? Object.fromEntries(url.searchParams) : { ...(tpl.profile as Record<string, string>), customerId: url.searchParams.get("customerId") ?? "" };
  const input = parsePersonalise(tpl.config, raw, { hasLogo: tpl.partner.hasLogo });
  const { errors } = await materialValues(actor, tpl, input);
  const q = url.searchParams.get("q")?.slice(0, 100) ?? "";
  const customers = tpl.config.fields.customer_name === "off" ? [] : await customerChoices(actor, q, input.customerId);
  const values = Object.fromEntries(TEXT_FIELDS.map((f) => [f, raw[f] ?? ""])) as Required<PersonalText>;
  const query = new URLSearchParams({ ...values, customerId: input.customerId ?? "" }).toString();
  return {
    toolkitId: tpl.toolkitId,
    templateId: tpl.source.id,
    names: tpl.names,
    config: tpl.config,
    formats: tpl.formats,
    partner: { id: tpl.partner.id, hasLogo: tpl.partner.hasLogo },
    values,
    customerId: input.customerId ?? "",
    customers,
    q,
    // Shown once the partner has changed something; a prefilled form is not yet wrong.
    errors: edited ? errors : {},
    valid: Object.keys(errors).length === 0,
    query,
    available: rendererAvailable(),
  };
}

export default function PersonalisePage() {
  const { t, i18n } = useTranslation("toolkits");
  const f = useFormat();
  const d = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  const base = `/toolkits/${d.toolkitId}/templates/${d.templateId}`;
  const [query, setQuery] = useState(d.query);
  const [valid, setValid] = useState(d.valid);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  function changed(e: FormEvent<HTMLFormElement>) {
    const values = Object.fromEntries([...new FormData(e.currentTarget).entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
    // The same checks the server makes (it makes them again); the customer's scope is the server's.
    setValid(Object.keys(parsePersonalise(d.config, values, { hasLogo: d.partner.hasLogo }).errors).length === 0);
    clearTimeout(timer.current);
    const next = new URLSearchParams(Object.fromEntries([...TEXT_FIELDS, "customerId"].map((k) => [k, values[k] ?? ""]))).toString();
    timer.current = setTimeout(() => setQuery(next), PREVIEW_DEBOUNCE_MS);
  }

  const field = (name: (typeof TEXT_FIELDS)[number]) => {
    const state = d.config.fields[name];
    if (state === "off") return null;
    const max = name === "message" ? d.config.messageMax : PERSONAL_FIELD_MAX[name];
    const props = { name, label: `${t(`fields.${name}`)}${state === "required" ? " *" : ""}`, errors: d.errors, defaultValue: d.values[name], hint: t("personalise.max_chars", { max: f.number(max) }) };
    const ltr = name === "partner_phone" || name === "partner_website";
    return name === "message" || name === "partner_address" ? <TextAreaField key={name} {...props} rows={3} /> : <TextField key={name} {...props} dir={ltr ? "ltr" : undefined} />;
  };

  return (
    <>
      <div className="page-head">
        <h1>{fa ? d.names.template_fa : d.names.template_en}</h1>
        <Link to={`/toolkits/${d.toolkitId}`}>{fa ? d.names.toolkit_fa : d.names.toolkit_en}</Link>
      </div>
      <div className="grid-2">
        <Form method="get" reloadDocument className="stack card" noValidate onChange={changed}>
          <h2>{t("personalise.title")}</h2>
          <input type="hidden" name="edited" value="1" />
          {TEXT_FIELDS.map(field)}
          {d.config.fields.partner_logo !== "off" ? (
            <div className="field">
              <span>{t("fields.partner_logo")}</span>
              {d.partner.hasLogo ? <img className="logo" src={`/partners/${d.partner.id}/logo`} alt={t("fields.partner_logo")} /> : <span className="hint">{t("personalise.no_logo")}</span>}
              <ErrorText id="e-partner_logo" error={d.errors.partner_logo} />
            </div>
          ) : null}
          {d.config.fields.customer_name !== "off" ? (
            <fieldset className="stack">
              <legend>{t("personalise.customer")}</legend>
              <TextField name="q" label={t("personalise.customer_search")} defaultValue={d.q} />
              <button type="submit" className="secondary">{t("personalise.search")}</button>
              <SelectField
                name="customerId"
                label={`${t("personalise.customer")}${d.config.fields.customer_name === "required" ? " *" : ""}`}
                errors={d.errors}
                defaultValue={d.customerId}
                options={[{ value: "", label: t("personalise.no_customer") }, ...d.customers.map((c) => ({ value: c.id, label: c.city ? `${c.name} (${c.city})` : c.name }))]}
              />
            </fieldset>
          ) : null}
          <button type="submit" className="secondary">{t("personalise.preview")}</button>
          <h3>{t("personalise.download")}</h3>
          {d.available ? null : <p className="alert" role="status">{t("render.unavailable")}</p>}
          {d.available && !valid ? <p className="hint">{t("personalise.fix_first")}</p> : null}
          <div className="actions">
            {d.formats.map((format) => (
              <button key={format} type="submit" formMethod="post" formAction={`${base}/render`} name="format" value={format} disabled={!d.available || !valid}>
                {t(`formats.${format}`)}
              </button>
            ))}
          </div>
        </Form>
        <section className="stack card">
          <h2>{t("personalise.preview_title")}</h2>
          {/* No script runs in the document, and as a sandboxed frame it cannot reach this page. */}
          <iframe className="material-preview" sandbox="" title={t("personalise.preview_title")} src={`${base}/preview?${query}`} />
        </section>
      </div>
    </>
  );
}
