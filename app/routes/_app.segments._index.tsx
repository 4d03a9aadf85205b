import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { can } from "~/domain/permissions";
import { getLocale } from "~/i18n.server";
import { needCategories } from "~/models/customer-activity.server";
import { FILTER_PARAMS, type FilterParam } from "~/models/customer-filters";
import { listPartnersForSelect } from "~/models/partners.server";
import { createSegment, deleteSegment, listSegments, SEGMENT_NAME_MAX } from "~/models/segments.server";
import { CustomerFilterFields } from "~/ui/customer-filter-fields";
import { DataTable } from "~/ui/data-table";
import { FormAlert, TextField } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("imports:segments.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.view");
  const locale = await getLocale(request);
  const [segments, categories, partners] = await Promise.all([
    listSegments(actor, locale),
    needCategories(actor.brandId),
    actor.scope === "network" ? listPartnersForSelect(actor) : [],
  ]);
  return { segments, categories, partners, canExport: can(actor, "customers.export"), nameMax: SEGMENT_NAME_MAX };
}

/** POST name + the customer list's filter fields creates; intent=delete with id deletes. */
export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "customers.view");
  const form = await request.formData();
  if (form.get("intent") === "delete") {
    const id = form.get("id");
    invariantResponse(typeof id === "string" && (await deleteSegment(actor, id)), 404);
    return redirect("/segments?deleted=1");
  }
  const result = await createSegment(actor, form, await getLocale(request));
  if (!result.ok) {
    const values = Object.fromEntries(["name", ...FILTER_PARAMS].map((name) => [name, String(form.get(name) ?? "")]));
    return data({ errors: result.errors, values }, { status: 400 });
  }
  return redirect(`/segments?saved=${result.id}`);
}

type Segment = ReturnType<typeof useLoaderData<typeof loader>>["segments"][number];

export default function Segments() {
  const { t } = useTranslation("imports");
  const f = useFormat();
  const { segments, categories, partners, canExport, nameMax } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const saved = segments.find((s) => s.id === search.get("saved"));

  return (
    <>
      <h1>{t("segments.title")}</h1>
      <p>{t("segments.intro")}</p>
      {saved ? (
        <div className="alert ok" role="status">
          {t("segments.saved", { name: saved.name })}
        </div>
      ) : null}
      {search.get("deleted") ? (
        <div className="alert ok" role="status">
          {t("segments.deleted")}
        </div>
      ) : null}

      <DataTable
        rows={segments}
        rowKey={(s) => s.id}
        empty={t("segments.none")}
        columns={[
          { header: t("segments.name"), cell: (s) => <bdi>{s.name}</bdi> },
          { header: t("segments.filters"), cell: filterChips },
          { header: t("segments.count"), numeric: true, cell: (s) => f.number(s.count) },
          { header: t("segments.created"), cell: (s) => f.date(s.created_at) },
          {
            header: t("segments.actions"),
            cell: (s) => (
              <div className="actions">
                <Link to={s.query ? `/customers?${s.query}` : "/customers"}>{t("segments.open")}</Link>
                {canExport ? (
                  <a href={`/customers/export.csv?segment=${s.id}`} download>
                    {t("segments.export")}
                  </a>
                ) : null}
                {s.own ? (
                  // Works without script: the real delete button sits behind the question.
                  <details>
                    <summary>{t("segments.delete")}</summary>
                    <Form method="post">
                      <p>{t("segments.delete_question", { name: s.name })}</p>
                      <input type="hidden" name="intent" value="delete" />
                      <input type="hidden" name="id" value={s.id} />
                      <button type="submit" className="danger" disabled={busy}>
                        {t("segments.delete_confirm")}
                      </button>
                    </Form>
                  </details>
                ) : null}
              </div>
            ),
          },
        ]}
      />

      <h2>{t("segments.create_title")}</h2>
      <FormAlert errors={actionData?.errors} />
      <Form method="post" className="stack card" noValidate key={search.get("saved") ?? "new"}>
        <TextField name="name" label={t("segments.name")} maxLength={nameMax} defaultValue={actionData?.values.name} errors={actionData?.errors} />
        <div className="filters">
          <CustomerFilterFields value={(name) => actionData?.values[name] ?? ""} errors={actionData?.errors} categories={categories} partners={partners} />
        </div>
        <button type="submit" disabled={busy}>
          {t("segments.create")}
        </button>
      </Form>
    </>
  );

  /** The segment's filters as chips in the viewer's language. */
  function filterChips(segment: Segment) {
    const params = new URLSearchParams(segment.filters);
    const set = FILTER_PARAMS.filter((name) => params.get(name));
    if (set.length === 0) return <>{t("segments.all_customers")}</>;
    return (
      <>
        {set.map((name) => (
          <span className="badge chip" key={name}>
            {t(`segments.filter.${name}`)}: <bdi>{describe(name, params.get(name)!)}</bdi>
          </span>
        ))}
      </>
    );
  }

  function describe(name: FilterParam, value: string): string {
    const named = (list: { id: string; name_fa: string; name_en: string }[]) => {
      const found = list.find((x) => x.id === value);
      return found ? (f.locale === "fa" ? found.name_fa : found.name_en) : t("segments.unavailable");
    };
    switch (name) {
      case "province":
        return t(`common:provinces.${value}`);
      case "needStatus":
        return t(`customers:needStatus.${value}`);
      case "valueTier":
        return t(`customers:tier.${value}`);
      case "sort":
        return t(`customers:sort_${value}`);
      case "needCategory":
        return named(categories);
      case "partnerId":
        return named(partners);
      case "contactFrom":
      case "contactTo":
        return f.date(value);
      case "q":
        return value;
    }
  }
}
