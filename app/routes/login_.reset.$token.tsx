import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { findPasswordReset, resetPassword } from "~/models/password-reset.server";
import { FormAlert, TextField } from "~/ui/form";
import { AuthCard } from "~/ui/auth-card";
import { clientIp } from "~/utils/http.server";
import { parseFormData, password } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("auth:reset_title");

export async function loader({ params }: LoaderFunctionArgs) {
  const reset = await findPasswordReset(params.token ?? "");
  if (!reset) return data({ email: null }, { status: 404 });
  return { email: reset.email };
}

// The same rules as accepting an invitation.
const schema = z
  .object({ password: password(), confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "errors.password_mismatch", path: ["confirm"] });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const parsed = parseFormData(schema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const userId = await resetPassword(params.token ?? "", parsed.data.password, clientIp(context));
  if (!userId) return data({ errors: { form: { key: "auth:reset_invalid" } } }, { status: 410 });
  // No session here: the user signs in with the new password, and the second factor if they have one.
  return redirect("/login?reset=done");
}

export default function ResetPassword() {
  const { t } = useTranslation("auth");
  const { email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <AuthCard title={t("reset_title")}>
      {email ? (
        <>
          <p>
            <bdi dir="ltr">{email}</bdi>
          </p>
          <FormAlert errors={actionData?.errors} />
          <Form method="post" className="stack" noValidate>
            <TextField name="password" label={t("new_password")} type="password" dir="ltr" autoComplete="new-password" hint={t("password_hint")} errors={actionData?.errors} />
            <TextField name="confirm" label={t("confirm_password")} type="password" dir="ltr" autoComplete="new-password" errors={actionData?.errors} />
            <button type="submit">{t("reset_submit")}</button>
          </Form>
        </>
      ) : (
        <p className="alert error">{t("reset_invalid")}</p>
      )}
      <p>
        <Link to="/login/forgot">{t("forgot_link")}</Link>
      </p>
    </AuthCard>
  );
}
