import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { OWNER_DECISIONS, REASON_MAX } from "~/domain/serve-requests";
import { decideAsOwner, listIncomingRequests } from "~/models/serve-requests.server";
import { FormAlert, TextAreaField } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { pageParam } from "~/utils/request.server";
import { choice, id, parseFormData, text, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("conflicts:incoming.title");

/** Requests from other partners to serve one of this partner's customers, for its admin to answer. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "serve_requests.decide");
  return { result: await listIncomingRequests(actor, pageParam(new URL(request.url))) };
}

// Whether a decline needs a reason is the model's rule, checked in one place there.
const schema = z.object({ id: id(), decision: choice(OWNER_DECISIONS), reason: text(REASON_MAX, { optional: true, multiline: true }) });

type ActionData = { id?: string; errors: FieldErrors };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "serve_requests.decide");
  const form = await request.formData();
  const parsed = parseFormData(schema, form);
  const requestId = typeof form.get("id") === "string" ? String(form.get("id")) : undefined;
  if (!parsed.ok) return data<ActionData>({ id: requestId, errors: parsed.errors }, { status: 400 });
  const result = await decideAsOwner(actor, parsed.data.id, parsed.data.decision, parsed.data.reason);
  invariantResponse(result, 404);
  if ("errors" in result) return data<ActionData>({ id: parsed.data.id, errors: result.errors }, { status: 400 });
  if ("alreadyDecided" in result) return data<ActionData>({ id: parsed.data.id, errors: { form: { key: `conflicts:errors.already_${result.alreadyDecided}` } } }, { status: 409 });
  if ("windowOver" in result || "waitingForOwner" in result) return data<ActionData>({ id: parsed.data.id, errors: { form: { key: "conflicts:errors.owner_window_over" } } }, { status: 409 });
  return redirect("/serve-requests/incoming?decided=1");
}

export default function IncomingRequests() {
  const { t, i18n } = useTranslation("conflicts");
  const f = useFormat();
  const { result } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const [params] = useSearchParams();
  const fa = i18n.language === "fa";
  return (
    <>
      <div className="page-head">
        <h1>{t("incoming.title")}</h1>
      </div>
      {params.get("decided") ? (
        <div className="alert ok" role="status">
          {t("detail.decided")}
        </div>
      ) : null}
      <p className="muted">{t("incoming.intro")}</p>
      {result.rows.length === 0 ? <p className="empty">{t("incoming.empty")}</p> : null}
      {result.rows.map((r) => {
        const errors = actionData?.id === r.id ? actionData.errors : undefined;
        return (
          <section key={r.id} className="card" data-testid="incoming-request">
            <dl className="facts">
              <dt>{t("list.customer")}</dt>
              <dd>
                {r.customer_name ? (
                  <Link to={`/customers/${r.customer_id}`}>
                    <bdi dir="auto">{r.customer_name}</bdi>
                  </Link>
                ) : (
                  "—"
                )}
              </dd>
              <dt>{t("list.requester")}</dt>
              <dd>{fa ? r.requester_name_fa : r.requester_name_en}</dd>
              <dt>{t("detail.requested_at")}</dt>
              <dd>{f.dateTime(r.created_at)}</dd>
              <dt>{t("detail.reason")}</dt>
              <dd dir="auto">{r.reason}</dd>
              <dt>{t("list.status")}</dt>
              <dd>
                {r.stage === "owner"
                  ? t("incoming.yours_until", { date: f.dateTime(r.owner_deadline!) })
                  : r.stage === "channel"
                    ? t("incoming.with_channel")
                    : `${t(`status.${r.status}`)}${r.decided_by_owner ? "" : ` (${t("incoming.by_channel")})`}`}
              </dd>
              {r.decision_reason ? (
                <>
                  <dt>{t("detail.decision_reason")}</dt>
                  <dd dir="auto">{r.decision_reason}</dd>
                </>
              ) : null}
            </dl>
            {r.stage === "owner" ? (
              <Form method="post" className="stack" noValidate>
                <FormAlert errors={errors} />
                <input type="hidden" name="id" value={r.id} />
                <TextAreaField idPrefix={r.id} name="reason" label={t("decide.reason")} hint={t("incoming.reason_hint")} errors={errors} maxLength={REASON_MAX} />
                <div className="actions">
                  <button type="submit" name="decision" value="approve">
                    {t("incoming.accept")}
                  </button>
                  <button type="submit" name="decision" value="reject" className="danger">
                    {t("incoming.decline")}
                  </button>
                </div>
              </Form>
            ) : null}
          </section>
        );
      })}
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
