import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { IDEA_ANSWER_MAX, IDEA_STATUSES } from "~/domain/ideas";
import { can } from "~/domain/permissions";
import { customerChoices, getIdea, mergeTargets } from "~/models/ideas/board.server";
import { mergeIdeas, setIdeaStatus } from "~/models/ideas/decide.server";
import { parseLinkForm, parseMergeForm, parseStatusForm } from "~/models/ideas/idea-forms";
import { linkCustomers, supportIdea } from "~/models/ideas/write.server";
import { DataTable } from "~/ui/data-table";
import { FormAlert, SelectField, TextAreaField } from "~/ui/form";
import { useFormat, useMoney } from "~/ui/format";
import { IdeaStatusBadge } from "~/ui/ideas/idea-cells";
import { CustomerPicker } from "~/ui/ideas/idea-form";
import { pageTitle } from "~/ui/page-title";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import type { FieldErrors } from "~/utils/validation";

export const meta = pageTitle<typeof loader>((d) => d.idea.title);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "ideas.view");
  const found = await getIdea(actor, params.id!);
  invariantResponse(found, 404);
  if ("mergedInto" in found) throw redirect(`/ideas/${found.mergedInto}?merged=1`);
  const q = new URL(request.url).searchParams.get("q") ?? "";
  const mayLink = can(actor, "ideas.post");
  const [customers, targets] = await Promise.all([mayLink ? customerChoices(actor, q, []) : [], can(actor, "ideas.merge") ? mergeTargets(actor, found.idea.id) : []]);
  return {
    ...found,
    q,
    customers,
    targets,
    brandView: actor.scope === "network",
    may: { support: can(actor, "ideas.support"), link: mayLink, answer: can(actor, "ideas.answer"), merge: can(actor, "ideas.merge") },
  };
}

type ActionAnswer = { intent: string; errors?: FieldErrors; message?: string };

/** intent = support | link | status | merge; each checks its own permission in the model (403). */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "ideas.view");
  const id = params.id!;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const refused = (status: 400 | 409, answer: ActionAnswer) => data(answer, { status });
  switch (intent) {
    case "support": {
      const result = await supportIdea(actor, id);
      invariantResponse(result, 404);
      if (result === "already") return refused(409, { intent, message: "ideas:idea.already_supported" });
      return redirect(`/ideas/${id}?supported=1`);
    }
    case "link": {
      const parsed = parseLinkForm(form);
      if (!parsed.ok) return refused(400, { intent, errors: parsed.errors });
      const result = await linkCustomers(actor, id, parsed.data);
      invariantResponse(result, 404);
      if ("errors" in result) return refused(400, { intent, errors: result.errors });
      return redirect(`/ideas/${id}?linked=${result.linked}`);
    }
    case "status": {
      const parsed = parseStatusForm(form);
      if (!parsed.ok) return refused(400, { intent, errors: parsed.errors });
      const result = await setIdeaStatus(actor, id, parsed.data);
      invariantResponse(result, 404);
      if ("errors" in result) return refused(result.status, { intent, errors: result.errors });
      return redirect(`/ideas/${id}?answered=1`);
    }
    case "merge": {
      const parsed = parseMergeForm(form);
      if (!parsed.ok) return refused(400, { intent, errors: parsed.errors });
      const result = await mergeIdeas(actor, id, parsed.data.targetId);
      invariantResponse(result, 404);
      if ("errors" in result) return refused(result.status, { intent, errors: result.errors });
      return redirect(`/ideas/${parsed.data.targetId}?merged=1`);
    }
    default:
      return refused(400, { intent, errors: { form: { key: "errors.invalid" } } });
  }
}

export default function IdeaPage() {
  const { t, i18n } = useTranslation("ideas");
  const f = useFormat();
  const money = useMoney();
  const d = useLoaderData<typeof loader>();
  const acted = useActionData<ActionAnswer>();
  const [search] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const fa = i18n.language === "fa";
  const { idea } = d;
  const errorsFor = (intent: string) => (acted?.intent === intent ? acted.errors : undefined);
  const notice = search.get("posted") ? t("idea.posted") : search.get("supported") ? t("idea.supported") : search.get("answered") ? t("idea.answered") : search.get("merged") ? t("idea.merged") : search.get("linked") ? t("idea.linked", { count: Number(search.get("linked")) || 0 }) : null;
  return (
    <>
      <div className="page-head">
        <h1><bdi dir="auto">{idea.title}</bdi></h1>
        <Link to="/ideas">{t("board.title")}</Link>
      </div>
      {notice ? <div className="alert ok" role="status">{notice}</div> : null}
      {acted?.message ? <div className="alert error" role="alert">{t(acted.message)}</div> : null}
      <section className="card stack">
        <p>
          <IdeaStatusBadge status={idea.status} /> · {fa ? idea.category_fa : idea.category_en}
          {idea.sku ? <> · {fa ? idea.product_fa : idea.product_en} (<bdi dir="ltr">{idea.sku}</bdi>)</> : null}
        </p>
        <p dir="auto" className="prewrap">{idea.body}</p>
        <p className="muted">
          {t("idea.posted_by", { who: idea.poster ? `${idea.poster}${idea.partner_fa ? ` · ${fa ? idea.partner_fa : idea.partner_en}` : ""}` : t("idea.network"), date: f.date(idea.created_at) })}
        </p>
        {idea.answer ? (
          <div className="alert" data-testid="idea-answer">
            <strong>{t("idea.answer")}</strong>
            <p dir="auto" className="prewrap">{idea.answer}</p>
          </div>
        ) : null}
        <dl className="facts">
          <dt>{t("supports")}</dt>
          <dd>{f.number(idea.supports)}</dd>
          <dt>{t("customers_asked")}</dt>
          <dd>{f.number(idea.customers)}</dd>
          {d.brandView ? (
            <>
              <dt>{t("customers_value")}</dt>
              <dd>{money(idea.value ?? 0)}</dd>
            </>
          ) : null}
        </dl>
        {d.may.support ? (
          idea.supported ? (
            <p className="badge ok">{t("idea.you_support")}</p>
          ) : (
            <Form method="post">
              <button type="submit" name="intent" value="support" disabled={busy}>{t("idea.support")}</button>
            </Form>
          )
        ) : null}
      </section>

      <h2>{t("idea.customers_title")}</h2>
      <DataTable
        rows={d.askers}
        rowKey={(a) => a.id}
        empty={t("idea.no_customers_shown")}
        columns={[
          { header: t("customer"), cell: (a) => <Link to={`/customers/${a.id}`}><bdi dir="auto">{a.display_name}</bdi></Link> },
          { header: t("city"), cell: (a) => a.city },
          { header: t("linked_by"), cell: (a) => (a.partner_fa ? (fa ? a.partner_fa : a.partner_en) : t("idea.brand")) },
          d.brandView && { header: t("ltv"), numeric: true, cell: (a) => money(a.ltv_rial ?? 0) },
        ]}
      />
      {d.otherCustomers > 0 ? <p className="muted" data-testid="other-customers">{t("idea.other_customers", { count: d.otherCustomers })}</p> : null}

      {d.may.link ? (
        <section className="card stack">
          <h2>{t("idea.link_title")}</h2>
          <Form method="get" className="filters" role="search">
            <input type="search" name="q" defaultValue={d.q} aria-label={t("new.customer_search")} />
            <button type="submit" className="secondary">{t("new.search")}</button>
          </Form>
          <Form method="post" className="stack" noValidate>
            <FormAlert errors={errorsFor("link")} />
            <CustomerPickerList customers={d.customers} errors={errorsFor("link")} />
            <button type="submit" name="intent" value="link" disabled={busy}>{t("idea.link")}</button>
          </Form>
        </section>
      ) : null}

      {d.may.answer ? (
        <section className="card stack">
          <h2>{t("idea.status_title")}</h2>
          <Form method="post" className="stack" noValidate>
            <FormAlert errors={errorsFor("status")} />
            <SelectField name="status" label={t("status")} defaultValue={idea.status} errors={errorsFor("status")} options={IDEA_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} />
            <TextAreaField name="answer" label={t("idea.public_answer")} hint={t("idea.public_answer_hint")} required maxLength={IDEA_ANSWER_MAX} defaultValue={idea.answer ?? ""} errors={errorsFor("status")} />
            <button type="submit" name="intent" value="status" disabled={busy}>{t("idea.set_status")}</button>
          </Form>
        </section>
      ) : null}

      {d.may.merge && d.targets.length > 0 ? (
        <section className="card stack">
          <h2>{t("idea.merge_title")}</h2>
          <p className="hint">{t("idea.merge_hint")}</p>
          <Form method="post" className="stack" noValidate>
            <FormAlert errors={errorsFor("merge")} />
            <SelectField name="targetId" label={t("idea.merge_into")} errors={errorsFor("merge")} options={[{ value: "", label: t("new.choose") }, ...d.targets.map((x) => ({ value: x.id, label: x.title }))]} />
            <button type="submit" name="intent" value="merge" className="danger" disabled={busy}>{t("idea.merge")}</button>
          </Form>
        </section>
      ) : null}
    </>
  );
}

/** The picker's list without its own search (the page's search form above feeds it). */
function CustomerPickerList({ customers, errors }: { customers: { id: string; name: string; city: string }[]; errors?: FieldErrors }) {
  return <CustomerPicker q={null} customers={customers} chosen={[]} errors={errors} />;
}
