import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ROLES } from "#db/schema";
import { inviteRolesFor } from "~/domain/permissions";
import { listPartnersForSelect } from "~/models/partners.server";
import { inviteUser } from "~/models/users.server";
import { FormAlert, SelectField, TextField } from "~/ui/form";
import { InviteLink } from "~/ui/invite-link";
import { requirePermission } from "~/utils/auth.server";
import { choice, email, optionalId, parseFormData, text } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("users:invite");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "users.manage");
  return {
    roles: inviteRolesFor(actor.role),
    partners: actor.role === "brand_admin" ? await listPartnersForSelect(actor) : [],
  };
}

const schema = z.object({ email: email(), displayName: text(120), role: choice(ROLES), partnerId: optionalId() });

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "users.manage");
  const parsed = parseFormData(schema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors, link: null }, { status: 400 });
  const result = await inviteUser(actor, parsed.data);
  if ("errors" in result) return data({ errors: result.errors, link: null }, { status: 400 });
  return { errors: undefined, link: `${new URL(request.url).origin}/invite/${result.token}` };
}

export default function InviteUser() {
  const { t, i18n } = useTranslation("users");
  const { roles, partners } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const fa = i18n.language === "fa";
  return (
    <>
      <h1>{t("invite")}</h1>
      {actionData?.link ? <InviteLink link={actionData.link} /> : null}
      <FormAlert errors={actionData?.errors} />
      <Form method="post" className="stack card" noValidate>
        <TextField name="displayName" label={t("name")} errors={actionData?.errors} required />
        <TextField name="email" label={t("email")} type="email" dir="ltr" errors={actionData?.errors} required />
        <SelectField name="role" label={t("role")} errors={actionData?.errors} options={roles.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))} />
        {partners.length > 0 ? (
          <SelectField
            name="partnerId"
            label={t("partner")}
            hint={t("partner_hint")}
            errors={actionData?.errors}
            options={[{ value: "", label: t("brand_staff") }, ...partners.map((p) => ({ value: p.id, label: fa ? p.name_fa : p.name_en }))]}
          />
        ) : null}
        <button type="submit">{t("send_invite")}</button>
      </Form>
    </>
  );
}
