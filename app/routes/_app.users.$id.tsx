import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ROLES } from "#db/schema";
import { assignableRoles, canManageUser } from "~/domain/permissions";
import { getUser, reissueInvitation, setUserRole, setUserStatus } from "~/models/users.server";
import { useFormat } from "~/ui/format";
import { FormAlert, SelectField } from "~/ui/form";
import { InviteLink } from "~/ui/invite-link";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { choice, parseFormData } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle<typeof loader>((d) => d.user.display_name);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "users.manage");
  const user = await getUser(actor, params.id!);
  invariantResponse(user, 404);
  const target = { id: user.id, role: user.role, partnerId: user.partner_id };
  return { user, manageable: canManageUser(actor, target), roleChoices: assignableRoles(actor, target) };
}

const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("status"), status: z.enum(["active", "disabled"]) }),
  z.object({ intent: z.literal("role"), role: choice(ROLES) }),
  z.object({ intent: z.literal("reinvite") }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "users.manage");
  const parsed = parseFormData(schema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors, link: null, saved: false }, { status: 400 });
  const input = parsed.data;
  if (input.intent === "status") {
    invariantResponse(await setUserStatus(actor, params.id!, input.status), 404);
  } else if (input.intent === "role") {
    const result = await setUserRole(actor, params.id!, input.role);
    invariantResponse(result, 404);
    if ("errors" in result) return data({ errors: result.errors, link: null, saved: false }, { status: 400 });
  } else {
    const token = await reissueInvitation(actor, params.id!);
    invariantResponse(token, 404);
    return { errors: undefined, link: `${new URL(request.url).origin}/invite/${token}`, saved: true };
  }
  return { errors: undefined, link: null, saved: true };
}

export default function UserPage() {
  const { t, i18n } = useTranslation("users");
  const f = useFormat();
  const { user, manageable, roleChoices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const fa = i18n.language === "fa";
  return (
    <>
      <h1>{user.display_name}</h1>
      {actionData?.link ? <InviteLink link={actionData.link} /> : actionData?.saved ? <div className="alert ok" role="status">{t("common:saved")}</div> : null}
      <FormAlert errors={actionData?.errors} />
      <section className="card">
        <dl className="facts">
          <dt>{t("email")}</dt>
          <dd><bdi dir="ltr">{user.email}</bdi></dd>
          <dt>{t("role")}</dt>
          <dd>{t(`common:roles.${user.role}`)}</dd>
          <dt>{t("partner")}</dt>
          <dd>{(fa ? user.partner_name_fa : user.partner_name_en) ?? t("brand_staff")}</dd>
          <dt>{t("status")}</dt>
          <dd>{t(`common:userStatus.${user.status}`)}</dd>
          <dt>{t("created")}</dt>
          <dd>{f.date(user.created_at)}</dd>
        </dl>
      </section>
      {manageable ? (
        <div className="grid-2">
          {user.status === "invited" ? (
            <Form method="post" className="card stack">
              <input type="hidden" name="intent" value="reinvite" />
              <p>{t("reinvite_hint")}</p>
              <button type="submit">{t("reinvite")}</button>
            </Form>
          ) : (
            <Form method="post" className="card stack">
              <input type="hidden" name="intent" value="status" />
              <input type="hidden" name="status" value={user.status === "active" ? "disabled" : "active"} />
              <p>{user.status === "active" ? t("disable_hint") : t("enable_hint")}</p>
              <button type="submit" className={user.status === "active" ? "danger" : undefined}>
                {user.status === "active" ? t("disable") : t("enable")}
              </button>
            </Form>
          )}
          {roleChoices.length > 0 ? (
            <Form method="post" className="card stack">
              <input type="hidden" name="intent" value="role" />
              <SelectField name="role" label={t("role")} defaultValue={user.role} errors={actionData?.errors} options={roleChoices.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))} />
              <button type="submit">{t("change_role")}</button>
            </Form>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
