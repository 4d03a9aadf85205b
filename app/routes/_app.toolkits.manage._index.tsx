import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { can } from "~/domain/permissions";
import { getLocale } from "~/i18n.server";
import { toolkitSchema } from "~/models/toolkits/forms";
import { createToolkit, listToolkits } from "~/models/toolkits/manage.server";
import { DataTable } from "~/ui/data-table";
import { DateField } from "~/ui/date-field";
import { FormAlert, TextField } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { AudienceSummary } from "~/ui/toolkits/audience";
import { requirePermission } from "~/utils/auth.server";
import { parseFormData } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("toolkits:manage_title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.manage");
  return { toolkits: await listToolkits(actor), canSeeAnalytics: can(actor, "toolkits.analytics") };
}

/** A new toolkit starts as a draft with its titles and campaign dates; the rest is added on its page. */
export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.manage");
  const parsed = parseFormData(toolkitSchema(await getLocale(request)), await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  return redirect(`/toolkits/manage/${await createToolkit(actor, parsed.data)}`);
}

export default function ManageToolkits() {
  const { t, i18n } = useTranslation("toolkits");
  const f = useFormat();
  const { toolkits, canSeeAnalytics } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.errors;
  const fa = i18n.language === "fa";
  return (
    <>
      <div className="page-head">
        <h1>{t("manage_title")}</h1>
        {canSeeAnalytics ? <Link to="/toolkits/analytics">{t("analytics.title")}</Link> : null}
      </div>
      <DataTable
        rows={toolkits}
        rowKey={(k) => k.id}
        empty={t("none_yet")}
        columns={[
          { header: t("title"), cell: (k) => <Link to={`/toolkits/manage/${k.id}`}>{fa ? k.title_fa : k.title_en}</Link> },
          {
            header: t("status.label"),
            cell: (k) => (
              <>
                <span className={`badge ${k.status === "published" ? "ok" : "off"}`}>{t(`status.${k.status}`)}</span>
                {k.status !== "archived" && k.draft_version !== null && k.current_version !== null ? <> {t("has_draft")}</> : null}
              </>
            ),
          },
          { header: t("version"), numeric: true, cell: (k) => (k.current_version ? f.number(k.current_version) : "—") },
          { header: t("campaign"), cell: (k) => (k.starts_at || k.ends_at ? `${k.starts_at ? f.date(k.starts_at) : "…"} – ${k.ends_at ? f.date(k.ends_at) : "…"}` : "—") },
          { header: t("audience.title"), cell: (k) => <AudienceSummary audience={k.audience} /> },
        ]}
      />
      <Form method="post" className="stack card" noValidate>
        <h2>{t("new")}</h2>
        <FormAlert errors={errors} />
        <TextField name="titleFa" label={t("title_fa")} errors={errors} />
        <TextField name="titleEn" label={t("title_en")} errors={errors} dir="ltr" />
        <DateField name="startsOn" label={t("starts_on")} errors={errors} />
        <DateField name="endsOn" label={t("ends_on")} errors={errors} />
        <button type="submit">{t("create")}</button>
      </Form>
    </>
  );
}
