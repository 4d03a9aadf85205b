import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MATCHES, REASON_MAX } from "~/domain/serve-requests";
import { customerSchema } from "~/models/customer-forms";
import { listSentRequests, requestToServe } from "~/models/serve-requests.server";
import { DataTable } from "~/ui/data-table";
import { useFormat } from "~/ui/format";
import { Pagination } from "~/ui/pagination";
import { RequestToServeFields } from "~/ui/request-to-serve";
import { requirePermission } from "~/utils/auth.server";
import { pageParam } from "~/utils/request.server";
import { choice, parseFormData, text, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("conflicts:sent.title");

/** The partner's own requests to serve, with their status and the decision's reason. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.register");
  return { result: await listSentRequests(actor, pageParam(new URL(request.url))) };
}

/**
 * Where the duplicate notice of the registration page sends a request to serve. The customer is
 * named again by what the requester typed there, never by an id. Meant for a fetcher: field errors
 * come back as a 400 to show beside the form, success as a redirect to this page.
 */
const schema = customerSchema.pick({ phone: true, email: true, displayName: true, city: true }).extend({
  match: choice(MATCHES),
  reason: text(REASON_MAX, { multiline: true }),
});

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "customers.register");
  const form = await request.formData();
  // What was sent comes back with a refusal, so the page can show the form again without JavaScript.
  const values = Object.fromEntries(["match", "phone", "email", "displayName", "city", "reason"].map((k) => [k, String(form.get(k) ?? "")]));
  const parsed = parseFormData(schema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, values }, { status: 400 });
  const { reason, ...identity } = parsed.data;
  const result = await requestToServe(actor, identity, reason);
  if ("errors" in result) return data({ errors: result.errors as FieldErrors, values }, { status: 400 });
  return redirect("/serve-requests?sent=1");
}

type Row = Awaited<ReturnType<typeof loader>>["result"]["rows"][number];

export default function SentRequests() {
  const { t } = useTranslation("conflicts");
  const f = useFormat();
  const { result } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const refused = useActionData<typeof action>();
  return (
    <>
      <div className="page-head">
        <h1>{t("sent.title")}</h1>
      </div>
      {params.get("sent") ? (
        <div className="alert ok" role="status">
          {t("sent.sent")}
        </div>
      ) : null}
      {refused ? (
        <Form method="post" className="stack card">
          <RequestToServeFields match={refused.values.match} identity={refused.values} errors={refused.errors} reason={refused.values.reason} />
          <button type="submit">{t("customers:request_to_serve")}</button>
        </Form>
      ) : null}
      <p className="muted">{t("sent.intro")}</p>
      <DataTable<Row>
        rows={result.rows}
        rowKey={(r) => r.id}
        empty={t("sent.empty")}
        columns={[
          { header: t("list.requested_at"), cell: (r) => f.date(r.created_at) },
          { header: t("detail.reason"), cell: (r) => <bdi dir="auto">{r.reason}</bdi> },
          {
            header: t("list.status"),
            cell: (r) => <span className={`badge ${r.status === "pending" ? "warn" : r.status === "rejected" ? "off" : "ok"}`}>{r.status === "pending" ? t("sent.waiting") : t(`status.${r.status}`)}</span>,
          },
          { header: t("sent.decided_at"), cell: (r) => (r.decided_at ? f.date(r.decided_at) : "—") },
          { header: t("detail.decision_reason"), cell: (r) => (r.decision_reason ? <bdi dir="auto">{r.decision_reason}</bdi> : "—") },
          {
            header: t("list.customer"),
            cell: (r) =>
              r.customer_id ? (
                <Link to={`/customers/${r.customer_id}`}>
                  <bdi dir="auto">{r.customer_name}</bdi>
                </Link>
              ) : (
                "—"
              ),
          },
        ]}
      />
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
