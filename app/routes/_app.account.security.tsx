import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { beginSetup, confirmSetup, disableTwoFactor, regenerateRecoveryCodes, twoFactorState } from "~/models/two-factor.server";
import { FormAlert } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { CodeField, codeVia, RecoveryCodes, SecondFactorForm, SetupPanel, type CodeVia } from "~/ui/two-factor";
import { clientIp, invariantResponse } from "~/utils/http.server";
import { requireActor } from "~/utils/session.server";
import { setupDetails } from "~/utils/two-factor.server";
import { parseFormData, text, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("security:title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const state = await twoFactorState(actor.userId);
  return {
    enabled: state.enabled,
    enabledAt: state.enabledAt,
    required: state.required,
    recoveryLeft: state.recoveryLeft,
    setup: state.pendingSecret ? await setupDetails(state.pendingSecret, actor.email) : null,
  };
}

const codeSchema = z.object({ code: text(40) });

type ActionData = { intent: string; errors?: FieldErrors; via?: CodeVia; recoveryCodes?: string[]; disabled?: boolean };

const wrongCode = (intent: string, via?: CodeVia) => data<ActionData>({ intent, via, errors: { code: { key: "security:code_invalid" } } }, { status: 400 });
const locked = (intent: string) => data<ActionData>({ intent, errors: { form: { key: "security:locked" } } }, { status: 429 });

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const intent = z.enum(["start", "confirm", "regenerate", "disable"]).safeParse(form.get("intent"));
  invariantResponse(intent.success, 400);
  if (intent.data === "start") {
    await beginSetup(actor.userId, { restart: true });
    return { intent: intent.data } satisfies ActionData;
  }
  const via = codeVia(form);
  const parsed = parseFormData(codeSchema, form);
  if (!parsed.ok) return data<ActionData>({ intent: intent.data, via, errors: parsed.errors }, { status: 400 });
  const ip = clientIp(context);
  if (intent.data === "disable") {
    const outcome = await disableTwoFactor(actor, parsed.data.code, ip);
    if (outcome === "required") return data<ActionData>({ intent: intent.data, errors: { form: { key: "security:required_by_brand" } } }, { status: 400 });
    if (outcome === "locked") return locked(intent.data);
    if (outcome === "invalid") return wrongCode(intent.data, via);
    return { intent: intent.data, disabled: true } satisfies ActionData;
  }
  const codes = intent.data === "confirm" ? await confirmSetup(actor.userId, parsed.data.code, ip) : await regenerateRecoveryCodes(actor, parsed.data.code, ip);
  if (codes === "locked") return locked(intent.data);
  if (!codes) return wrongCode(intent.data);
  return { intent: intent.data, recoveryCodes: codes } satisfies ActionData;
}

export default function AccountSecurity() {
  const { t } = useTranslation("security");
  const f = useFormat();
  const { enabled, enabledAt, required, recoveryLeft, setup } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.errors : undefined);
  return (
    <>
      <h1>{t("title")}</h1>
      {actionData?.disabled ? (
        <div className="alert ok" role="status">
          {t("disabled_done")}
        </div>
      ) : null}
      {actionData?.errors?.form ? <FormAlert errors={actionData.errors} /> : null}
      {actionData?.recoveryCodes ? <RecoveryCodes codes={actionData.recoveryCodes} /> : null}
      <section className="card">
        <h2>{t("two_factor")}</h2>
        {required ? <p className="muted">{t("required_for_role")}</p> : null}
        {enabled ? (
          <div className="stack">
            <p>
              <span className="badge ok">{t("status_on")}</span> {t("enabled_since", { date: f.date(enabledAt!) })}
            </p>
            <p>{t("recovery.left", { count: recoveryLeft })}</p>
            <h3>{t("recovery.regenerate_title")}</h3>
            <p className="muted">{t("recovery.regenerate_hint")}</p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="regenerate" />
              <CodeField idPrefix="regenerate" label={t("code")} errors={errorsFor("regenerate")} />
              <button type="submit">{t("recovery.regenerate")}</button>
            </Form>
            {required ? null : (
              <>
                <h3>{t("disable.title")}</h3>
                <p className="muted">{t("disable.hint")}</p>
                <SecondFactorForm intent="disable" label={t("code")} submit={t("disable.submit")} errors={errorsFor("disable")} failedVia={actionData?.via} danger />
              </>
            )}
          </div>
        ) : setup ? (
          <>
            <h3>{t("setup.title")}</h3>
            <SetupPanel setup={setup} errors={errorsFor("confirm")} />
          </>
        ) : (
          <div className="stack">
            <p>
              <span className="badge">{t("status_off")}</span> {t("intro")}
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="start" />
              <button type="submit">{t("setup.start")}</button>
            </Form>
          </div>
        )}
      </section>
    </>
  );
}
