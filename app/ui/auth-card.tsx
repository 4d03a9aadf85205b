import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/utils/validation";
import { TextField } from "./form";
import { LanguageSwitch } from "./language-switch";

/** The frame of the pages a person sees before signing in: sign-in, second step, invitation. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth">
      <div className="card">
        <div className="topbar">
          <LanguageSwitch />
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** A new password typed twice (invitation, password reset); the server checks both (newPasswordSchema). */
export function NewPasswordForm({ submit, errors }: { submit: string; errors?: FieldErrors }) {
  const { t } = useTranslation("auth");
  return (
    <Form method="post" className="stack" noValidate>
      <TextField name="password" label={t("new_password")} type="password" dir="ltr" autoComplete="new-password" hint={t("password_hint")} errors={errors} />
      <TextField name="confirm" label={t("confirm_password")} type="password" dir="ltr" autoComplete="new-password" errors={errors} />
      <button type="submit">{submit}</button>
    </Form>
  );
}
