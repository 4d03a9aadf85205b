import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getLocale } from "~/i18n.server";
import { acceptInvitation, findInvitation, setUserLocale } from "~/models/users.server";
import { FormAlert, TextField } from "~/ui/form";
import { AuthCard } from "~/ui/auth-card";
import { startSession } from "~/utils/session.server";
import { secondStepRedirect } from "~/utils/sign-in-challenge.server";
import { parseFormData, password } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("auth:invite_title");

export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = await findInvitation(params.token ?? "");
  if (!invitation) return data({ invitation: null }, { status: 404 });
  return { invitation: { email: invitation.email, displayName: invitation.display_name } };
}

const schema = z
  .object({ password: password(), confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "errors.password_mismatch", path: ["confirm"] });

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = parseFormData(schema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const userId = await acceptInvitation(params.token ?? "", parsed.data.password);
  if (!userId) return data({ errors: { form: { key: "auth:invite_invalid" } } }, { status: 410 });
  await setUserLocale(userId, await getLocale(request));
  // Brand staff of a brand that requires two-factor set it up before their first session.
  const secondStep = await secondStepRedirect(userId, "/");
  if (secondStep) return secondStep;
  return redirect("/", { headers: { "Set-Cookie": await startSession(request, userId) } });
}

export default function AcceptInvitation() {
  const { t } = useTranslation("auth");
  const { invitation } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <AuthCard title={t("invite_title")}>
      {invitation ? (
        <>
          <p>
            {t("invite_welcome", { name: invitation.displayName })} <bdi dir="ltr">{invitation.email}</bdi>
          </p>
          <FormAlert errors={actionData?.errors} />
          <Form method="post" className="stack" noValidate>
            <TextField name="password" label={t("new_password")} type="password" dir="ltr" autoComplete="new-password" hint={t("password_hint")} errors={actionData?.errors} />
            <TextField name="confirm" label={t("confirm_password")} type="password" dir="ltr" autoComplete="new-password" errors={actionData?.errors} />
            <button type="submit">{t("invite_submit")}</button>
          </Form>
        </>
      ) : (
        <p className="alert error">{t("invite_invalid")}</p>
      )}
    </AuthCard>
  );
}
