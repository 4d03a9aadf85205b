import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { auditWrongCode, claimAttempt, closeChallenge, type Challenge } from "~/models/sign-in-challenges.server";
import { beginSetup, confirmSetup, twoFactorState, spendSecondFactor } from "~/models/two-factor.server";
import { FormAlert } from "~/ui/form";
import { AuthCard } from "~/ui/auth-card";
import { codeVia, RecoveryCodes, SecondFactorForm, SetupPanel, type CodeVia } from "~/ui/two-factor";
import { clientIp } from "~/utils/http.server";
import { startSession } from "~/utils/session.server";
import { clearPendingCookie, readChallenge } from "~/utils/sign-in-challenge.server";
import { setupDetails } from "~/utils/two-factor.server";
import { parseFormData, text, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

/** No pending sign-in (none, forged, expired, out of attempts): back to the password. */
const backToPassword = async () => redirect("/login", { headers: { "Set-Cookie": await clearPendingCookie() } });

export const meta = pageTitle("security:verify.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const challenge = await readChallenge(request);
  if (!challenge || !(challenge.user.enabled || challenge.user.required)) throw await backToPassword();
  if (challenge.user.enabled) return { mode: "verify" as const, setup: null };
  // The brand requires two-factor and this user has none yet: set it up before the first session.
  await beginSetup(challenge.user.userId, { restart: false });
  const { pendingSecret } = await twoFactorState(challenge.user.userId);
  return { mode: "enrol" as const, setup: await setupDetails(pendingSecret!, challenge.user.email) };
}

// After setting up, the action has started the session and shows the recovery codes: the loader
// (whose pending sign-in is gone) must not run again and send the user back to the password.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult && typeof actionResult === "object" && "recoveryCodes" in actionResult ? false : defaultShouldRevalidate;

const schema = z.object({ code: text(40) });

type ActionData = { errors?: FieldErrors; via?: CodeVia; restart?: boolean; recoveryCodes?: string[]; redirectTo?: string };

async function finish(request: Request, ip: string | null, challenge: Challenge, how: "totp" | "recovery" | "enrolled", recoveryCodes: string[] | null) {
  if (!(await closeChallenge(challenge, how, ip))) throw await backToPassword();
  const headers = new Headers();
  headers.append("Set-Cookie", await startSession(request, challenge.user.userId));
  headers.append("Set-Cookie", await clearPendingCookie());
  if (recoveryCodes) return data<ActionData>({ recoveryCodes, redirectTo: challenge.redirectTo }, { headers });
  return redirect(challenge.redirectTo, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const challenge = await readChallenge(request);
  if (!challenge || !(challenge.user.enabled || challenge.user.required)) throw await backToPassword();
  const form = await request.formData();
  const via = codeVia(form);
  const parsed = parseFormData(schema, form);
  if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, via }, { status: 400 });
  const left = await claimAttempt(challenge);
  if (left === null) throw await backToPassword();
  const ip = clientIp(context);
  const { user } = challenge;
  if (user.enabled) {
    const used = await spendSecondFactor(user, parsed.data.code, { ip });
    if (used === "totp" || used === "recovery") return finish(request, ip, challenge, used, null);
    if (used === "locked") return data<ActionData>({ errors: { form: { key: "security:locked" } } }, { status: 429 });
  } else {
    const codes = await confirmSetup(user.userId, parsed.data.code, ip);
    if (Array.isArray(codes)) return finish(request, ip, challenge, "enrolled", codes);
    if (codes === "locked") return data<ActionData>({ errors: { form: { key: "security:locked" } } }, { status: 429 });
  }
  await auditWrongCode(challenge, ip);
  if (left === 0) return data<ActionData>({ errors: { form: { key: "security:too_many" } }, restart: true }, { status: 400, headers: { "Set-Cookie": await clearPendingCookie() } });
  return data<ActionData>({ errors: { code: { key: "security:code_invalid" } }, via }, { status: 400 });
}

export default function SecondStep() {
  const { t } = useTranslation("security");
  const { mode, setup } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  let body;
  if (actionData?.recoveryCodes) {
    body = (
      <>
        <RecoveryCodes codes={actionData.recoveryCodes} />
        {/* A full page load, so the whole app renders with the new session. */}
        <a href={actionData.redirectTo} className="button">
          {t("continue")}
        </a>
      </>
    );
  } else if (actionData?.restart) {
    body = (
      <>
        <FormAlert errors={actionData.errors} />
        <a href="/login">{t("back_to_sign_in")}</a>
      </>
    );
  } else if (mode === "enrol" && setup) {
    body = (
      <>
        <p>{t("required_notice")}</p>
        <FormAlert errors={actionData?.errors} />
        <SetupPanel setup={setup} errors={actionData?.errors} />
      </>
    );
  } else {
    body = (
      <>
        <p>{t("verify.intro")}</p>
        <FormAlert errors={actionData?.errors} />
        <SecondFactorForm label={t("verify.code")} submit={t("verify.submit")} errors={actionData?.errors} failedVia={actionData?.via} />
        <p>
          <a href="/login">{t("back_to_sign_in")}</a>
        </p>
      </>
    );
  }
  return (
    <AuthCard title={t(mode === "enrol" ? "setup.title" : "verify.title")}>
      {body}
    </AuthCard>
  );
}
