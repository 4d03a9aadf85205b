import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { moneyInRial, productSchema } from "~/models/orders/product-forms";
import { createProduct, productCategories } from "~/models/orders/products.server";
import { brandMoneyUnit } from "~/models/settings.server";
import { FormAlert } from "~/ui/form";
import { ProductFields } from "~/ui/orders/product-fields";
import { requirePermission } from "~/utils/auth.server";
import { parseFormData } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("catalog:new_product");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "catalog.manage");
  return { categories: await productCategories(actor) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "catalog.manage");
  const parsed = parseFormData(productSchema, moneyInRial(await request.formData(), await brandMoneyUnit(actor)));
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const result = await createProduct(actor, parsed.data);
  if ("errors" in result) return data({ errors: result.errors }, { status: 400 });
  return redirect(`/products/${result.id}`);
}

export default function NewProduct() {
  const { t } = useTranslation("catalog");
  const { categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>{t("new_product")}</h1>
      <FormAlert errors={actionData?.errors} />
      <Form method="post" className="stack card" noValidate>
        <ProductFields categories={categories} errors={actionData?.errors} />
        <button type="submit">{t("common:save")}</button>
      </Form>
    </>
  );
}
