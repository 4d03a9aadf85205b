import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { FieldError, FieldErrors } from "~/utils/validation";

export function ErrorText({ id, error }: { id: string; error?: FieldError }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <span className="error" id={id} role="alert">
      {t(error.key, error.values)}
    </span>
  );
}

interface FieldProps {
  name: string;
  label: string;
  errors?: FieldErrors;
  hint?: string;
}

function FieldFrame({ name, label, errors, hint, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      {children}
      {hint ? <span className="hint">{hint}</span> : null}
      <ErrorText id={`e-${name}`} error={errors?.[name]} />
    </div>
  );
}

const aria = (name: string, errors?: FieldErrors) =>
  errors?.[name] ? { "aria-invalid": true as const, "aria-describedby": `e-${name}` } : {};

export function TextField({ name, label, errors, hint, ...rest }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame name={name} label={label} errors={errors} hint={hint}>
      <input id={`f-${name}`} name={name} dir={rest.dir ?? "auto"} {...aria(name, errors)} {...rest} />
    </FieldFrame>
  );
}

export function TextAreaField({ name, label, errors, hint, ...rest }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame name={name} label={label} errors={errors} hint={hint}>
      <textarea id={`f-${name}`} name={name} dir="auto" rows={3} {...aria(name, errors)} {...rest} />
    </FieldFrame>
  );
}

export function SelectField({ name, label, errors, hint, options, ...rest }: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  return (
    <FieldFrame name={name} label={label} errors={errors} hint={hint}>
      <select id={`f-${name}`} name={name} {...aria(name, errors)} {...rest}>
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
