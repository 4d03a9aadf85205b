import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { TIERS } from "#db/schema";
import { can } from "~/domain/permissions";
import { creditLimitSchema } from "~/models/orders/order-forms";
import { moneyInRial } from "~/models/orders/product-forms";
import { setCreditLimit } from "~/models/orders/orders.server";
import { partnerSchema, tierSchema } from "~/models/partner-forms";
import { getPartner, listDistributors, setPartnerActive, setPartnerTier, updatePartner } from "~/models/partners.server";
import { brandMoneyUnit } from "~/models/settings.server";
import { listUsers } from "~/models/users.server";
import { DataTable } from "~/ui/data-table";
import { useFormat, useMoneyInput } from "~/ui/format";
import { FormAlert, SelectField, TextField } from "~/ui/form";
import { PartnerFields } from "~/ui/partner-fields";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { parseFormData } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle<typeof loader>((d, _t, fa) => (fa ? d.partner.name_fa : d.partner.name_en));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "partners.view");
  const partner = await getPartner(actor, params.id!);
  invariantResponse(partner, 404);
  const manage = can(actor, "partners.manage");
  const [distributors, users] = await Promise.all([
    manage ? listDistributors(actor) : [],
    can(actor, "users.manage") ? listUsers(actor, { partnerId: partner.id, page: 1 }) : null,
  ]);
  return {
    partner,
    distributors: distributors.filter((d) => d.id !== partner.id),
    users: users?.rows ?? null,
    can: { manage, tier: can(actor, "partners.tier"), credit: can(actor, "orders.approve") },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "partners.view");
  const form = moneyInRial(await request.formData(), await brandMoneyUnit(actor));
  const intent = form.get("intent");
  if (intent === "tier") {
    invariantResponse(can(actor, "partners.tier"), 403);
    const parsed = parseFormData(tierSchema, form);
    if (!parsed.ok) return data({ errors: parsed.errors, saved: false }, { status: 400 });
    invariantResponse(await setPartnerTier(actor, params.id!, parsed.data.tier), 404);
    return { errors: undefined, saved: true };
  }
  if (intent === "credit") {
    invariantResponse(can(actor, "orders.approve"), 403);
    const parsed = parseFormData(creditLimitSchema, form);
    if (!parsed.ok) return data({ errors: parsed.errors, saved: false }, { status: 400 });
    invariantResponse(await setCreditLimit(actor, params.id!, parsed.data.creditLimit), 404);
    return { errors: undefined, saved: true };
  }
  if (intent === "active") {
    invariantResponse(can(actor, "partners.manage"), 403);
    const parsed = parseFormData(z.object({ active: z.enum(["true", "false"]) }), form);
    invariantResponse(parsed.ok, 400);
    invariantResponse(await setPartnerActive(actor, params.id!, parsed.data.active === "true"), 404);
    return redirect(`/partners/${params.id}`);
  }
  invariantResponse(can(actor, "partners.manage"), 403);
  const parsed = parseFormData(partnerSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, saved: false }, { status: 400 });
  const result = await updatePartner(actor, params.id!, parsed.data);
  invariantResponse(result, 404);
  if ("errors" in result) return data({ errors: result.errors, saved: false }, { status: 400 });
  return { errors: undefined, saved: true };
}

export default function PartnerPage() {
  const { t, i18n } = useTranslation("partners");
  const f = useFormat();
  const moneyInput = useMoneyInput();
  const { partner, distributors, users, can } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const fa = i18n.language === "fa";
  return (
    <>
      <div className="page-head">
        <h1>{fa ? partner.name_fa : partner.name_en}</h1>
        <span className={`badge ${partner.active ? "ok" : "off"}`}>{partner.active ? t("common:active") : t("common:inactive")}</span>
      </div>
      {actionData?.saved ? <div className="alert ok" role="status">{t("common:saved")}</div> : null}
      <FormAlert errors={actionData?.errors} />
      <div className="grid-2">
        <section className="card">
          <dl className="facts">
            <dt>{t("type")}</dt>
            <dd>{t(`common:partnerTypes.${partner.type}`)}</dd>
            <dt>{t("parent")}</dt>
            <dd>{(fa ? partner.parent_name_fa : partner.parent_name_en) ?? "—"}</dd>
            <dt>{t("tier")}</dt>
            <dd>{t(`common:tiers.${partner.tier}`)}</dd>
            <dt>{t("province")}</dt>
            <dd>{t(`common:provinces.${partner.province}`)}</dd>
            <dt>{t("city")}</dt>
            <dd><bdi dir="auto">{partner.city}</bdi></dd>
            <dt>{t("phone")}</dt>
            <dd>{partner.phone ? <bdi dir="ltr">{f.phone(partner.phone)}</bdi> : "—"}</dd>
            <dt>{t("created")}</dt>
            <dd>{f.date(partner.created_at)}</dd>
          </dl>
          {partner.logo_key ? <img className="logo" src={`/partners/${partner.id}/logo`} alt={t("logo")} /> : null}
        </section>
        {can.tier && !can.manage ? (
          <section className="card">
            <h2>{t("change_tier")}</h2>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="tier" />
              <SelectField name="tier" label={t("tier")} defaultValue={partner.tier} options={TIERS.map((v) => ({ value: v, label: t(`common:tiers.${v}`) }))} errors={actionData?.errors} />
              <button type="submit">{t("common:save")}</button>
            </Form>
          </section>
        ) : null}
        {can.credit ? (
          <section className="card">
            <h2>{t("orders:credit_title")}</h2>
            <Form method="post" className="stack" key={partner.credit_limit_rial ?? ""}>
              <input type="hidden" name="intent" value="credit" />
              <TextField name="creditLimit" label={t("orders:credit_limit", { unit: moneyInput.unit })} hint={t("orders:credit_hint")} defaultValue={partner.credit_limit_rial === null ? "" : moneyInput.value(partner.credit_limit_rial)} inputMode="numeric" errors={actionData?.errors} />
              <button type="submit">{t("common:save")}</button>
            </Form>
          </section>
        ) : null}
        {can.manage ? (
          <section className="card">
            <h2>{partner.active ? t("deactivate") : t("activate")}</h2>
            <p>{partner.active ? t("deactivate_hint") : t("activate_hint")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="active" />
              <input type="hidden" name="active" value={partner.active ? "false" : "true"} />
              <button type="submit" className={partner.active ? "danger" : undefined}>
                {partner.active ? t("deactivate") : t("activate")}
              </button>
            </Form>
          </section>
        ) : null}
      </div>
      {can.manage ? (
        <>
          <h2>{t("edit")}</h2>
          <Form method="post" className="stack card" noValidate key={partner.updated_at.toString()}>
            <PartnerFields defaults={partner} distributors={distributors} errors={actionData?.errors} />
            <button type="submit">{t("common:save")}</button>
          </Form>
        </>
      ) : null}
      {users ? (
        <>
          <h2>{t("users")}</h2>
          <DataTable
            rows={users}
            rowKey={(u) => u.id}
            columns={[
              { header: t("users:name"), cell: (u) => <Link to={`/users/${u.id}`}>{u.display_name}</Link> },
              { header: t("users:email"), cell: (u) => <bdi dir="ltr">{u.email}</bdi> },
              { header: t("users:role"), cell: (u) => t(`common:roles.${u.role}`) },
              { header: t("users:status"), cell: (u) => t(`common:userStatus.${u.status}`) },
            ]}
          />
        </>
      ) : null}
    </>
  );
}
