import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getLocale } from "~/i18n.server";
import { signIn } from "~/models/auth.server";
import { setUserLocale } from "~/models/users.server";
import { FormAlert, TextField } from "~/ui/form";
import { AuthCard } from "~/ui/auth-card";
import { clientIp } from "~/utils/http.server";
import { safeRedirect } from "~/utils/request.server";
import { getActor, startSession } from "~/utils/session.server";
import { secondStepRedirect } from "~/utils/sign-in-challenge.server";
import { email, parseFormData } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("auth:title");

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getActor(request)) throw redirect("/");
  return null;
}

const schema = z.object({ email: email(), password: z.string().min(1, { message: "errors.required" }).max(200) });

/** "Try again in 20 seconds" / "in 3 minutes", as an i18n key with its count. */
function waitMessage(seconds: number) {
  return seconds < 60 ? { key: "auth:wait_seconds", values: { count: seconds } } : { key: "auth:wait_minutes", values: { count: Math.ceil(seconds / 60) } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = parseFormData(schema, form);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  // Settled before the session starts, so no session row is ever written without its cookie.
  const redirectTo = safeRedirect(form.get("redirectTo"));
  const result = await signIn({ ...parsed.data, ip: clientIp(context) });
  if (!result.ok) {
    if (result.reason === "invalid") return data({ errors: { form: { key: "auth:invalid" } } }, { status: 400 });
    return data({ errors: { form: waitMessage(result.retryAfterSeconds) } }, { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } });
  }
  await setUserLocale(result.userId, await getLocale(request));
  const secondStep = await secondStepRedirect(result.userId, redirectTo);
  if (secondStep) return secondStep;
  const cookie = await startSession(request, result.userId);
  return redirect(redirectTo, { headers: { "Set-Cookie": cookie } });
}

// The page answer of a throttled sign-in carries the action's Retry-After (Remix sends route headers only).
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export default function Login() {
  const { t } = useTranslation("auth");
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  return (
    <AuthCard title={t("title")}>
      {params.get("reset") === "done" && !actionData ? (
        <p className="alert ok" role="status">
          {t("reset_done")}
        </p>
      ) : null}
      <FormAlert errors={actionData?.errors} />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <TextField name="email" label={t("email")} type="email" dir="ltr" autoComplete="username" required errors={actionData?.errors} />
        <TextField name="password" label={t("password")} type="password" dir="ltr" autoComplete="current-password" required errors={actionData?.errors} />
        <button type="submit" disabled={busy}>
          {t("submit")}
        </button>
      </Form>
      <p>
        <Link to="/login/forgot">{t("forgot_link")}</Link>
      </p>
    </AuthCard>
  );
}
