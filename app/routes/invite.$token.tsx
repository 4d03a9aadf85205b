import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getLocale } from "~/i18n.server";
import { acceptInvitation, findInvitation, setUserLocale } from "~/models/users.server";
import { FormAlert } from "~/ui/form";
import { AuthCard, NewPasswordForm } from "~/ui/auth-card";
import { startSession } from "~/utils/session.server";
import { secondStepRedirect } from "~/utils/sign-in-challenge.server";
import { newPasswordSchema, parseFormData } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("auth:invite_title");

export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = await findInvitation(params.token ?? "");
  if (!invitation) return data({ invitation: null }, { status: 404 });
  return { invitation: { email: invitation.email, displayName: invitation.display_name } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = parseFormData(newPasswordSchema, await request.formData());
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
          <NewPasswordForm submit={t("invite_submit")} errors={actionData?.errors} />
        </>
      ) : (
        <p className="alert error">{t("invite_invalid")}</p>
      )}
    </AuthCard>
  );
}
