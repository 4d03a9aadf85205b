import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { INTERACTION_CHANNELS } from "#db/schema";
import { markContacted, listFollowUps } from "~/models/ideas/follow-ups.server";
import { parseContactedForm } from "~/models/ideas/idea-forms";
import { DataTable } from "~/ui/data-table";
import { FormAlert } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { pageTitle } from "~/ui/page-title";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { pageParam } from "~/utils/request.server";
import type { FieldErrors } from "~/utils/validation";

export const meta = pageTitle("ideas:built.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "ideas.follow_up");
  return { result: await listFollowUps(actor, pageParam(new URL(request.url))) };
}

/** Marks one customer told (followUpId, channel, optional note): an interaction on their timeline, and the row leaves the list. */
export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "ideas.follow_up");
  const parsed = parseContactedForm(await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors as FieldErrors }, { status: 400 });
  const { followUpId, ...input } = parsed.data;
  const result = await markContacted(actor, followUpId, input);
  invariantResponse(result, 404);
  return redirect(`/ideas/built?contacted=${result === "done" ? 1 : 0}`);
}

export default function YouAskedWeBuilt() {
  const { t } = useTranslation("ideas");
  const f = useFormat();
  const { result } = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const [search] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>{t("built.title")}</h1>
      <p>{t("built.intro")}</p>
      {search.get("contacted") ? <div className="alert ok" role="status">{t(search.get("contacted") === "1" ? "built.contacted" : "built.already")}</div> : null}
      <FormAlert errors={acted?.errors} />
      <DataTable
        rows={result.rows}
        rowKey={(r) => r.id}
        empty={t("built.none")}
        columns={[
          { header: t("customer"), cell: (r) => <Link to={`/customers/${r.customer_id}`}><bdi dir="auto">{r.display_name}</bdi></Link> },
          { header: t("city"), cell: (r) => r.city },
          { header: t("built.idea"), cell: (r) => <Link to={`/ideas/${r.idea_id}`}><bdi dir="auto">{r.title}</bdi></Link> },
          { header: t("built.shipped_at"), cell: (r) => f.date(r.created_at) },
          {
            header: t("built.tell"),
            wide: true,
            cell: (r) => (
              <Form method="post" className="filters" aria-label={t("built.tell_customer", { name: r.display_name })}>
                <input type="hidden" name="followUpId" value={r.id} />
                <select name="channel" defaultValue="phone" aria-label={t("built.channel")}>
                  {INTERACTION_CHANNELS.map((c) => (
                    <option key={c} value={c}>{t(`customers:interactionChannel.${c}`)}</option>
                  ))}
                </select>
                <input type="text" name="note" dir="auto" maxLength={1000} aria-label={t("built.note")} placeholder={t("built.note")} />
                <button type="submit" disabled={busy}>{t("built.mark_contacted")}</button>
              </Form>
            ),
          },
        ]}
      />
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
