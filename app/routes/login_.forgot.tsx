import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requestPasswordReset } from "~/models/password-reset.server";
import { FormAlert, TextField } from "~/ui/form";
import { AuthCard } from "~/ui/auth-card";
import { clientIp } from "~/utils/http.server";
import { getActor } from "~/utils/session.server";
import { email, parseFormData } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("auth:forgot_title");

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getActor(request)) throw redirect("/");
  return null;
}

const schema = z.object({ email: email() });

/**
 * Every answer takes at least this long, so whether an address has accounts (a few inserts more)
 * cannot be told from the time the page took.
 */
const ANSWER_FLOOR_MS = 400;

export async function action({ request, context }: ActionFunctionArgs) {
  const started = Date.now();
  const parsed = parseFormData(schema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors, sent: false }, { status: 400 });
  const result = await requestPasswordReset({ email: parsed.data.email, ip: clientIp(context) });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + ANSWER_FLOOR_MS - Date.now())));
  if (!result.ok) {
    const s = result.retryAfterSeconds;
    const form = s < 60 ? { key: "auth:reset_wait_seconds", values: { count: s } } : { key: "auth:reset_wait_minutes", values: { count: Math.ceil(s / 60) } };
    return data({ errors: { form }, sent: false }, { status: 429, headers: { "Retry-After": String(s) } });
  }
  return { errors: undefined, sent: true };
}

export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export default function ForgotPassword() {
  const { t } = useTranslation("auth");
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <AuthCard title={t("forgot_title")}>
      {actionData?.sent ? (
        <p className="alert ok" role="status">
          {t("forgot_sent")}
        </p>
      ) : (
        <>
          <p>{t("forgot_intro")}</p>
          <FormAlert errors={actionData?.errors} />
          <Form method="post" className="stack" noValidate>
            <TextField name="email" label={t("email")} type="email" dir="ltr" autoComplete="username" required errors={actionData?.errors} />
            <button type="submit" disabled={busy}>
              {t("forgot_submit")}
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/login">{t("back_to_sign_in")}</Link>
      </p>
    </AuthCard>
  );
}
