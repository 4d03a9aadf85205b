import { useTranslation } from "react-i18next";
import { FIELD_STATES, MESSAGE_MAX_LIMIT, OUTPUT_FORMATS, TEMPLATE_CSS_MAX, TEMPLATE_FIELDS, TEMPLATE_HTML_MAX } from "~/domain/toolkit-templates";
import { ErrorText, SelectField, TextAreaField, TextField } from "~/ui/form";
import { useFormat } from "~/ui/format";
import type { FieldErrors } from "~/utils/validation";

/** The template editor's fields: names, language, HTML and CSS, each partner field's switch, formats. */
export function TemplateFields({ errors }: { errors?: FieldErrors }) {
  const { t } = useTranslation("toolkits");
  const f = useFormat();
  return (
    <>
      <TextField name="nameFa" label={t("template.name_fa")} errors={errors} idPrefix="tpl" />
      <TextField name="nameEn" label={t("template.name_en")} errors={errors} idPrefix="tpl" dir="ltr" />
      <SelectField name="lang" label={t("template.lang")} errors={errors} idPrefix="tpl" options={[{ value: "fa", label: t("languages.fa") }, { value: "en", label: t("languages.en") }]} />
      <TextAreaField name="html" label={t("template.html")} hint={t("template.html_hint", { max: f.number(TEMPLATE_HTML_MAX), placeholder: "{{partner_name}}" })} errors={errors} idPrefix="tpl" dir="ltr" rows={10} maxLength={TEMPLATE_HTML_MAX} />
      <TextAreaField name="css" label={t("template.css")} hint={t("template.css_hint", { max: f.number(TEMPLATE_CSS_MAX) })} errors={errors} idPrefix="tpl" dir="ltr" rows={6} maxLength={TEMPLATE_CSS_MAX} />
      <fieldset className="checks">
        <legend>{t("template.fields")}</legend>
        {TEMPLATE_FIELDS.map((name) => (
          <SelectField
            key={name}
            name={`field_${name}`}
            label={t(`fields.${name}`)}
            errors={errors}
            idPrefix="tpl"
            defaultValue={name === "partner_name" ? "required" : "optional"}
            options={FIELD_STATES.map((s) => ({ value: s, label: t(`field_states.${s}`) }))}
          />
        ))}
      </fieldset>
      <TextField name="messageMax" label={t("template.message_max")} hint={t("template.message_max_hint", { max: f.number(MESSAGE_MAX_LIMIT) })} errors={errors} idPrefix="tpl" inputMode="numeric" defaultValue="200" dir="ltr" />
      <fieldset className="checks">
        <legend>{t("template.formats")}</legend>
        {OUTPUT_FORMATS.map((v) => (
          <label key={v}>
            <input type="checkbox" name="formats" value={v} defaultChecked /> {t(`formats.${v}`)}
          </label>
        ))}
        <ErrorText id="tpl-e-formats" error={errors?.formats} />
      </fieldset>
    </>
  );
}
