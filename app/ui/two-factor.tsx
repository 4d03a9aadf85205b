import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { TextField } from "./form";
import type { FieldErrors } from "~/utils/validation";

/**
 * A one-time code field: digits in any script (type="number" would drop Persian digits), filled in
 * by the phone's numeric keyboard or the browser's one-time-code support. A recovery code has
 * letters, so its field takes text.
 */
export function CodeField({ label, errors, idPrefix, recovery = false }: { label: string; errors?: FieldErrors; idPrefix?: string; recovery?: boolean }) {
  return (
    <TextField
      name="code"
      label={label}
      idPrefix={idPrefix}
      errors={errors}
      type="text"
      inputMode={recovery ? "text" : "numeric"}
      autoComplete={recovery ? "off" : "one-time-code"}
      autoCapitalize="characters"
      spellCheck={false}
      dir="ltr"
      maxLength={recovery ? 24 : 12}
      required
    />
  );
}

export type CodeVia = "app" | "recovery";

/**
 * A code from the app, or (folded away) a recovery code: two small forms posting the same field,
 * so each gets the right keyboard. The one that failed shows the error and stays open.
 */
export function SecondFactorForm({ intent, label, submit, errors, failedVia, danger }: { intent?: string; label: string; submit: string; errors?: FieldErrors; failedVia?: CodeVia; danger?: boolean }) {
  const { t } = useTranslation("security");
  const form = (via: CodeVia) => (
    <Form method="post" className="stack" noValidate>
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <input type="hidden" name="via" value={via} />
      <CodeField idPrefix={`${intent ?? "sign-in"}-${via}`} label={via === "app" ? label : t("recovery.label")} errors={failedVia === via ? errors : undefined} recovery={via === "recovery"} />
      <button type="submit" className={danger ? "danger" : undefined}>
        {submit}
      </button>
    </Form>
  );
  return (
    <>
      {form("app")}
      <details open={failedVia === "recovery"}>
        <summary>{t("recovery.use")}</summary>
        {form("recovery")}
      </details>
    </>
  );
}

export const codeVia = (form: FormData): CodeVia => (form.get("via") === "recovery" ? "recovery" : "app");

export interface SetupDetails {
  qr: string;
  secret: string;
}

/** Scan the QR code (or type the key), then confirm with the first code. */
export function SetupPanel({ setup, errors, children }: { setup: SetupDetails; errors?: FieldErrors; children?: ReactNode }) {
  const { t } = useTranslation("security");
  return (
    <div className="stack">
      <ol className="stack">
        <li>{t("setup.scan")}</li>
        <li>{t("setup.confirm")}</li>
      </ol>
      <img src={setup.qr} alt={t("setup.qr_alt")} width={200} height={200} />
      <p>
        {t("setup.manual")}{" "}
        <code dir="ltr" className="ltr" data-testid="totp-secret">
          {setup.secret}
        </code>
      </p>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="confirm" />
        <CodeField label={t("code")} errors={errors} />
        <button type="submit">{t("setup.submit")}</button>
      </Form>
      {children}
    </div>
  );
}

/** Shown once, right after they are made; only their hashes are kept. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation("security");
  return (
    <div className="alert ok" role="status">
      <p>{t("recovery.shown_once")}</p>
      <ul dir="ltr" className="ltr" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
