import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { FieldError, FieldErrors } from "~/utils/validation";

/** A field's error, if any: most fields have none, so the translation hook runs only for those that do. */
export function ErrorText({ id, error }: { id: string; error?: FieldError }) {
  return error ? <ErrorMessage id={id} error={error} /> : null;
}

function ErrorMessage({ id, error }: { id: string; error: FieldError }) {
  const { t } = useTranslation();
  return (
    <span className="error" id={id} role="alert">
      {t(error.key, error.values)}
    </span>
  );
}

export interface FieldProps {
  name: string;
  label: string;
  errors?: FieldErrors;
  hint?: string;
  /** Keeps ids unique when two forms on one page share a field name. */
  idPrefix?: string;
}

const ids = (name: string, prefix?: string) => ({ input: `${prefix ? `${prefix}-` : ""}f-${name}`, error: `${prefix ? `${prefix}-` : ""}e-${name}` });

export function FieldFrame({ name, label, errors, hint, idPrefix, children }: FieldProps & { children: ReactNode }) {
  const id = ids(name, idPrefix);
  return (
    <div className="field">
      <label htmlFor={id.input}>{label}</label>
      {children}
      {hint ? <span className="hint">{hint}</span> : null}
      <ErrorText id={id.error} error={errors?.[name]} />
    </div>
  );
}

/**
 * `required` is announced to assistive technology (aria-required) but not handed to the browser:
 * its own bubble would speak the browser's language, not the page's, and the server answers every
 * missing field with a message next to it anyway.
 */
export const inputProps = (name: string, errors?: FieldErrors, idPrefix?: string, required?: boolean) => {
  const id = ids(name, idPrefix);
  return { id: id.input, name, ...(required ? { "aria-required": true as const } : {}), ...(errors?.[name] ? { "aria-invalid": true as const, "aria-describedby": id.error } : {}) };
};

export function TextField({ name, label, errors, hint, idPrefix, required, ...rest }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  // An e-mail field keeps the e-mail keyboard without the browser's own format check (see above).
  const email = rest.type === "email" ? { type: "text", inputMode: "email" as const } : {};
  return (
    <FieldFrame name={name} label={label} errors={errors} hint={hint} idPrefix={idPrefix}>
      <input dir={rest.dir ?? "auto"} {...inputProps(name, errors, idPrefix, required)} {...rest} {...email} />
    </FieldFrame>
  );
}

export function TextAreaField({ name, label, errors, hint, idPrefix, required, ...rest }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame name={name} label={label} errors={errors} hint={hint} idPrefix={idPrefix}>
      <textarea dir="auto" rows={3} {...inputProps(name, errors, idPrefix, required)} {...rest} />
    </FieldFrame>
  );
}

export function SelectField({ name, label, errors, hint, idPrefix, options, required, ...rest }: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  return (
    <FieldFrame name={name} label={label} errors={errors} hint={hint} idPrefix={idPrefix}>
      <select {...inputProps(name, errors, idPrefix, required)} {...rest}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function FormAlert({ errors }: { errors?: FieldErrors }) {
  const { t } = useTranslation();
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div className="alert error" role="alert">
      {errors.form ? t(errors.form.key, errors.form.values) : t("errors.fix_below")}
    </div>
  );
}
