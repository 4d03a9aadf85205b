import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { TextField } from "./form";
import type { FieldErrors } from "~/utils/validation";

/** A one-time code field: digits in any script, filled in by the phone's keyboard or the browser's one-time-code support. */
export function CodeField({ label, errors, hint, idPrefix, allowRecovery = false }: { label: string; errors?: FieldErrors; hint?: string; idPrefix?: string; allowRecovery?: boolean }) {
  return (
    <TextField
      name="code"
      label={label}
      hint={hint}
      idPrefix={idPrefix}
      errors={errors}
      type="text"
      // A recovery code has letters, so the numeric keyboard would get in the way.
      inputMode={allowRecovery ? "text" : "numeric"}
      autoComplete="one-time-code"
      autoCapitalize="characters"
      spellCheck={false}
      dir="ltr"
      maxLength={allowRecovery ? 24 : 12}
      required
    />
  );
}

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
