import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { can } from "~/domain/permissions";
import { getLocale } from "~/i18n.server";
import { needCategories } from "~/models/customer-activity.server";
import { listPartnersForSelect } from "~/models/partners.server";
import { createSegment, deleteSegment, listSegments, SEGMENT_NAME_MAX } from "~/models/segments.server";
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

/** POST name + filters (the customer list's query string) creates; intent=delete with id deletes. */
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
    const values = { name: String(form.get("name") ?? ""), filters: String(form.get("filters") ?? "") };
    return data({ errors: result.errors, values }, { status: 400 });
  }
  return redirect(`/segments?saved=${result.id}`);
}

const FILTER_NAMES = ["q", "needCategory", "needStatus", "valueTier", "province", "contactFrom", "contactTo", "partnerId"] as const;

export default function Segments() {
  const { t, i18n } = useTranslation("imports");
  const f = useFormat();
  const { segments, categories, partners, canExport, nameMax } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const fa = i18n.language === "fa";
  const saved = segments.find((s) => s.id === search.get("saved"));

  const describe = (name: (typeof FILTER_NAMES)[number], value: string): string => {
    switch (name) {
      case "province":
        return t(`common:provinces.${value}`);
      case "needStatus":
        return t(`segments.needStatus.${value}`);
      case "needCategory": {
        const c = categories.find((x) => x.id === value);
        return c ? (fa ? c.name_fa : c.name_en) : "—";
      }
      case "partnerId": {
        const p = partners.find((x) => x.id === value);
        return p ? (fa ? p.name_fa : p.name_en) : "—";
      }
      case "contactFrom":
      case "contactTo":
        return /^\d{4}-\d{2}-\d{2}$/.test(value) ? f.date(value) : f.digits(value);
      default:
        return value;
    }
  };

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

      <table>
        <thead>
          <tr>
            <th>{t("segments.name")}</th>
            <th>{t("segments.filters")}</th>
            <th>{t("segments.count")}</th>
            <th>{t("segments.created")}</th>
            <th>{t("segments.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {segments.length === 0 ? (
            <tr>
              <td colSpan={5} className="empty">
                {t("segments.none")}
              </td>
            </tr>
          ) : (
            segments.map((s) => {
              const params = new URLSearchParams(s.filters);
              const chips = FILTER_NAMES.filter((name) => params.get(name));
              return (
                <tr key={s.id}>
                  <td>
                    <bdi dir="auto">{s.name}</bdi>
                  </td>
                  <td>
                    {chips.length === 0
                      ? t("segments.all_customers")
                      : chips.map((name) => (
                          <span className="badge chip" key={name}>
                            {t(`segments.filter.${name}`)}: <bdi dir="auto">{describe(name, params.get(name)!)}</bdi>
                          </span>
                        ))}
                  </td>
                  <td>{f.number(s.count)}</td>
                  <td>{f.date(s.created_at)}</td>
                  <td>
                    <div className="actions">
                      <Link to={s.query ? `/customers?${s.query}` : "/customers"}>{t("segments.open")}</Link>
                      {canExport ? (
                        <a href={`/customers/export.csv?segment=${s.id}`} download>
                          {t("segments.export")}
                        </a>
                      ) : null}
                      {s.own ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="delete" />
                          <input type="hidden" name="id" value={s.id} />
                          <button type="submit" className="link" disabled={busy}>
                            {t("segments.delete")}
                          </button>
                        </Form>
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>

      <h2>{t("segments.create_title")}</h2>
      <FormAlert errors={actionData?.errors} />
      <Form method="post" className="stack card" noValidate key={search.get("saved") ?? "new"}>
        <TextField name="name" label={t("segments.name")} maxLength={nameMax} defaultValue={actionData?.values.name} errors={actionData?.errors} />
        <TextField name="filters" label={t("segments.filters")} hint={t("segments.filters_hint")} dir="ltr" defaultValue={actionData?.values.filters} errors={actionData?.errors} />
        <button type="submit" disabled={busy}>
          {t("segments.create")}
        </button>
      </Form>
    </>
  );
}
