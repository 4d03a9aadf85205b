import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { partnerSchema } from "~/models/partner-forms";
import { createPartner, listDistributors } from "~/models/partners.server";
import { FormAlert } from "~/ui/form";
import { PartnerFields } from "~/ui/partner-fields";
import { requirePermission } from "~/utils/auth.server";
import { parseFormData } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("partners:new");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "partners.manage");
  return { distributors: await listDistributors(actor) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "partners.manage");
  const parsed = parseFormData(partnerSchema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const result = await createPartner(actor, parsed.data);
  if ("errors" in result) return data({ errors: result.errors }, { status: 400 });
  return redirect(`/partners/${result.id}`);
}

export default function NewPartner() {
  const { t } = useTranslation("partners");
  const { distributors } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>{t("new")}</h1>
      <FormAlert errors={actionData?.errors} />
      <Form method="post" className="stack card" noValidate>
        <PartnerFields defaults={{}} distributors={distributors} errors={actionData?.errors} />
        <button type="submit">{t("create")}</button>
      </Form>
    </>
  );
}
