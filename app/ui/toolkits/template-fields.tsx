import { useEffect, useRef, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { FIELD_STATES, MESSAGE_MAX_LIMIT, OUTPUT_FORMATS, TEMPLATE_CSS_MAX, TEMPLATE_FIELDS, TEMPLATE_HTML_MAX, type TemplateFields as FieldConfig } from "~/domain/toolkit-templates";
import { ErrorText, SelectField, TextAreaField, TextField } from "~/ui/form";
import { useFormat } from "~/ui/format";
import type { FieldErrors } from "~/utils/validation";

/** A stored template, to edit it in place. */
export interface TemplateInitial {
  name_fa: string;
  name_en: string;
  lang: "fa" | "en";
  html: string;
  css: string;
  fields: FieldConfig;
  formats: string[];
}

/** The template editor's fields: names, language, HTML and CSS, each partner field's switch, formats. */
export function TemplateFields({ errors, initial, idPrefix = "tpl" }: { errors?: FieldErrors; initial?: TemplateInitial; idPrefix?: string }) {
  const { t } = useTranslation("toolkits");
  const f = useFormat();
  return (
    <>
      <TextField name="nameFa" label={t("template.name_fa")} errors={errors} idPrefix={idPrefix} defaultValue={initial?.name_fa} />
      <TextField name="nameEn" label={t("template.name_en")} errors={errors} idPrefix={idPrefix} dir="ltr" defaultValue={initial?.name_en} />
      <SelectField name="lang" label={t("template.lang")} errors={errors} idPrefix={idPrefix} defaultValue={initial?.lang} options={[{ value: "fa", label: t("languages.fa") }, { value: "en", label: t("languages.en") }]} />
      <TextAreaField name="html" label={t("template.html")} hint={t("template.html_hint", { max: f.number(TEMPLATE_HTML_MAX), placeholder: "{{partner_name}}" })} errors={errors} idPrefix={idPrefix} dir="ltr" rows={10} maxLength={TEMPLATE_HTML_MAX} defaultValue={initial?.html} />
      <TextAreaField name="css" label={t("template.css")} hint={t("template.css_hint", { max: f.number(TEMPLATE_CSS_MAX) })} errors={errors} idPrefix={idPrefix} dir="ltr" rows={6} maxLength={TEMPLATE_CSS_MAX} defaultValue={initial?.css} />
      <fieldset className="consents">
        <legend>{t("template.fields")}</legend>
        {TEMPLATE_FIELDS.map((name) => (
          <SelectField
            key={name}
            name={`field_${name}`}
            label={t(`fields.${name}`)}
            errors={errors}
            idPrefix={idPrefix}
            defaultValue={initial?.fields.fields[name] ?? (name === "partner_name" ? "required" : "optional")}
            options={FIELD_STATES.map((s) => ({ value: s, label: t(`field_states.${s}`) }))}
          />
        ))}
      </fieldset>
      <TextField name="messageMax" label={t("template.message_max")} hint={t("template.message_max_hint", { max: f.number(MESSAGE_MAX_LIMIT) })} errors={errors} idPrefix={idPrefix} inputMode="numeric" defaultValue={String(initial?.fields.messageMax ?? 200)} dir="ltr" />
      <fieldset className="checks">
        <legend>{t("template.formats")}</legend>
        {OUTPUT_FORMATS.map((v) => (
          <label key={v}>
            <input type="checkbox" name="formats" value={v} defaultChecked={initial ? initial.formats.includes(v) : true} /> {t(`formats.${v}`)}
          </label>
        ))}
        <ErrorText id={`${idPrefix}-e-formats`} error={errors?.formats} />
      </fieldset>
    </>
  );
}

// The preview document is large (fonts embedded): reload it at most this often while typing.
const PREVIEW_DEBOUNCE_MS = 500;

/**
 * A live preview of the template being edited, with sample partner values, in a sandboxed frame.
 * The form is posted natively into the frame (the document needs its own policy, which only its
 * own response can carry); without JavaScript the button does the same.
 */
export function TemplatePreview({ toolkitId, frame }: { toolkitId: string; frame: string }) {
  const { t } = useTranslation("toolkits");
  const button = useRef<HTMLButtonElement>(null);
  const postNow = useRef<() => void>(() => {});
  const url = `/toolkits/manage/${toolkitId}/preview`;

  useEffect(() => {
    const form = button.current?.form;
    if (!form) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const post = () => {
      const saved = ["action", "target", "method"].map((a) => [a, form.getAttribute(a)] as const);
      form.setAttribute("action", url);
      form.setAttribute("target", frame);
      form.setAttribute("method", "post");
      // The element's own submit(): no submit event, so the page's form handling stays out of it.
      HTMLFormElement.prototype.submit.call(form);
      for (const [a, v] of saved) {
        if (v === null) form.removeAttribute(a);
        else form.setAttribute(a, v);
      }
    };
    const typed = () => {
      clearTimeout(timer);
      timer = setTimeout(post, PREVIEW_DEBOUNCE_MS);
    };
    postNow.current = post;
    form.addEventListener("input", typed);
    form.addEventListener("change", typed);
    return () => {
      clearTimeout(timer);
      form.removeEventListener("input", typed);
      form.removeEventListener("change", typed);
    };
  }, [url, frame]);

  const click = (e: MouseEvent<HTMLButtonElement>) => {
    e.preventDefault();
    postNow.current();
  };
  return (
    <>
      <button ref={button} type="submit" className="secondary" formAction={url} formTarget={frame} formMethod="post" formNoValidate onClick={click}>
        {t("personalise.sample_values")}
      </button>
      <iframe className="material-preview" name={frame} sandbox="" title={t("personalise.sample_values")} />
    </>
  );
}
