import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { DECISIONS, REASON_MAX } from "~/domain/serve-requests";
import { decideServeRequest, getServeRequest } from "~/models/serve-requests.server";
import { FormAlert, TextAreaField } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { Place } from "~/ui/place";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { choice, parseFormData, text, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("conflicts:detail.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "conflicts.resolve");
  const serveRequest = await getServeRequest(actor, params.id!);
  invariantResponse(serveRequest, 404);
  return { serveRequest };
}

// Whether a decision needs a reason is the model's rule, checked in one place there.
const schema = z.object({ decision: choice(DECISIONS), reason: text(REASON_MAX, { optional: true, multiline: true }) });

type ActionData = { errors: FieldErrors };

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "conflicts.resolve");
  const parsed = parseFormData(schema, await request.formData());
  if (!parsed.ok) return data<ActionData>({ errors: parsed.errors }, { status: 400 });
  const result = await decideServeRequest(actor, params.id!, parsed.data.decision, parsed.data.reason);
  invariantResponse(result, 404);
  if ("errors" in result) return data<ActionData>({ errors: result.errors }, { status: 400 });
  if ("alreadyDecided" in result) {
    return data<ActionData>({ errors: { form: { key: `conflicts:errors.already_${result.alreadyDecided}` } } }, { status: 409 });
  }
  if ("waitingForOwner" in result || "windowOver" in result) return data<ActionData>({ errors: { form: { key: "conflicts:errors.waiting_for_owner" } } }, { status: 409 });
  return redirect(`/conflicts/${params.id}?decided=1`);
}

export default function ConflictPage() {
  const { t, i18n } = useTranslation("conflicts");
  const f = useFormat();
  const { serveRequest: r } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const [search] = useSearchParams();
  const fa = i18n.language === "fa";
  const pending = r.status === "pending";
  return (
    <>
      <div className="page-head">
        <h1>{t("detail.title")}</h1>
        <span className={`badge ${pending ? "warn" : r.status === "rejected" ? "off" : "ok"}`}>{t(`status.${r.status}`)}</span>
      </div>
      <p>
        <Link to="/conflicts" className="tap">{t("detail.back")}</Link>
      </p>
      {search.get("decided") && !pending ? (
        <div className="alert ok" role="status">
          {t("detail.decided")}
        </div>
      ) : null}
      <FormAlert errors={actionData?.errors} />
      <div className="grid-2">
        <section className="card">
          <h2>{t("detail.customer")}</h2>
          <dl className="facts">
            <dt>{t("detail.name")}</dt>
            <dd>
              <Link to={`/customers/${r.customer_id}`} className="tap">
                <bdi dir="auto">{r.customer_name}</bdi>
              </Link>
            </dd>
            <dt>{t("detail.place")}</dt>
            <dd>
              <Place city={r.customer_city} province={r.customer_province} />
            </dd>
            <dt>{t("detail.registrant")}</dt>
            <dd>{(fa ? r.registrant_name_fa : r.registrant_name_en) ?? "—"}</dd>
            <dt>{t("detail.registered_at")}</dt>
            <dd>{f.date(r.registered_at)}</dd>
            <dt>{t("detail.protected_until")}</dt>
            <dd>{r.protection_active ? f.date(r.protected_until) : t("detail.protection_over", { date: f.date(r.protected_until) })}</dd>
            <dt>{t("detail.owner")}</dt>
            <dd>{(fa ? r.owner_name_fa : r.owner_name_en) ?? t("detail.no_owner")}</dd>
            <dt>{t("detail.serving")}</dt>
            <dd>{r.serving.length ? r.serving.map((p) => (fa ? p.name_fa : p.name_en)).join(t("list.separator")) : "—"}</dd>
          </dl>
        </section>
        <section className="card">
          <h2>{t("detail.request")}</h2>
          <dl className="facts">
            <dt>{t("detail.requester")}</dt>
            <dd>{fa ? r.requester_name_fa : r.requester_name_en}</dd>
            <dt>{t("detail.requested_by")}</dt>
            <dd>{r.requested_by_name}</dd>
            <dt>{t("detail.requested_at")}</dt>
            <dd>{f.dateTime(r.created_at)}</dd>
            <dt>{t("detail.reason")}</dt>
            <dd dir="auto">{r.reason}</dd>
            {!pending ? (
              <>
                <dt>{t("detail.decided_by")}</dt>
                <dd>
                  {r.decided_by_name ?? t("detail.decided_automatically")}
                  {r.decided_by_owner ? ` (${t("detail.decided_by_owner")})` : ""}
                </dd>
                <dt>{t("detail.decided_at")}</dt>
                <dd>{r.decided_at ? f.dateTime(r.decided_at) : "—"}</dd>
                <dt>{t("detail.decision_reason")}</dt>
                <dd dir="auto">{r.decision_reason ?? "—"}</dd>
              </>
            ) : null}
          </dl>
        </section>
      </div>
      {r.stage === "owner" ? (
        <div className="alert" role="status" data-testid="waiting-for-owner">
          {t("detail.waiting_for_owner", { partner: fa ? r.owner_name_fa : r.owner_name_en, date: f.dateTime(r.owner_deadline!) })}
        </div>
      ) : null}
      {r.stage === "channel" ? (
        <Form method="post" className="stack card" noValidate>
          <h2>{t("decide.title")}</h2>
          <ul>
            <li>{t("decide.approve_hint")}</li>
            <li>{t("decide.transfer_hint")}</li>
            <li>{t("decide.reject_hint")}</li>
          </ul>
          <TextAreaField name="reason" label={t("decide.reason")} hint={t("decide.reason_hint")} errors={actionData?.errors} maxLength={REASON_MAX} />
          <div className="actions">
            <button type="submit" name="decision" value="approve">
              {t("decide.approve")}
            </button>
            <button type="submit" name="decision" value="transfer" className="secondary">
              {t("decide.transfer")}
            </button>
            <button type="submit" name="decision" value="reject" className="danger">
              {t("decide.reject")}
            </button>
          </div>
        </Form>
      ) : null}
    </>
  );
}
