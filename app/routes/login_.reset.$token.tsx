import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { findPasswordReset, resetPassword } from "~/models/password-reset.server";
import { FormAlert } from "~/ui/form";
import { AuthCard, NewPasswordForm } from "~/ui/auth-card";
import { clientIp } from "~/utils/http.server";
import { newPasswordSchema, parseFormData } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("auth:reset_title");

export async function loader({ params }: LoaderFunctionArgs) {
  const reset = await findPasswordReset(params.token ?? "");
  if (!reset) return data({ email: null }, { status: 404 });
  return { email: reset.email };
}

// The same rules as accepting an invitation.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const parsed = parseFormData(newPasswordSchema, await request.formData());
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
          <NewPasswordForm submit={t("reset_submit")} errors={actionData?.errors} />
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
