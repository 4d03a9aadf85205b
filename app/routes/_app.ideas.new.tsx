import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { customerChoices, ideaFormOptions, similarTitles } from "~/models/ideas/board.server";
import { customerIdsOf, parseIdeaForm } from "~/models/ideas/idea-forms";
import { postIdea } from "~/models/ideas/write.server";
import { FormAlert } from "~/ui/form";
import { CustomerPicker, IdeaFields, TitleWithSuggestions } from "~/ui/ideas/idea-form";
import { pageTitle } from "~/ui/page-title";
import { requirePermission } from "~/utils/auth.server";
import { ID_PATTERN } from "~/utils/validation";

export const meta = pageTitle("ideas:new.title");

const FIELDS = ["title", "body", "categoryId", "productId", "q"] as const;

/** `?customer=<id>` (from a customer's profile) starts with that customer ticked, if the actor may see it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "ideas.post");
  const preset = new URL(request.url).searchParams.get("customer");
  const chosen = preset && ID_PATTERN.test(preset) ? [preset] : [];
  const [options, customers] = await Promise.all([ideaFormOptions(actor.brandId), customerChoices(actor, "", chosen)]);
  return { ...options, customers, chosen: chosen.filter((id) => customers.some((c) => c.id === id)) };
}

/**
 * intent=check: the similar ideas for the typed title (the no-script duplicate check);
 * intent=search: the customer picker searched; otherwise the idea is posted.
 * The first two answer 200 with the form as typed; a refused post answers 400.
 */
export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "ideas.post");
  const form = await request.formData();
  const intent = form.get("intent");
  const values = Object.fromEntries(FIELDS.map((name) => [name, String(form.get(name) ?? "")]));
  const chosen = customerIdsOf(form).filter((id) => ID_PATTERN.test(id));
  const customers = () => customerChoices(actor, values.q, chosen);
  if (intent === "check") return { values, chosen, customers: await customers(), similar: await similarTitles(actor, values.title), errors: undefined };
  if (intent === "search") return { values, chosen, customers: await customers(), similar: null, errors: undefined };
  const parsed = parseIdeaForm(form);
  const result = parsed.ok ? await postIdea(actor, parsed.data) : { errors: parsed.errors };
  if ("errors" in result) return data({ values, chosen, customers: await customers(), similar: null, errors: result.errors }, { status: 400 });
  return redirect(`/ideas/${result.id}?posted=1`);
}

export default function NewIdea() {
  const { t } = useTranslation("ideas");
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const values: Record<string, string> = acted?.values ?? {};
  return (
    <>
      <h1>{t("new.title")}</h1>
      <p>{t("new.intro")}</p>
      <FormAlert errors={acted?.errors} />
      <Form method="post" className="stack card" noValidate>
        <TitleWithSuggestions defaultValue={values.title} errors={acted?.errors} checked={acted?.similar ?? null} />
        <IdeaFields values={values} errors={acted?.errors} categories={loaded.categories} products={loaded.products} />
        <CustomerPicker q={values.q ?? ""} customers={acted?.customers ?? loaded.customers} chosen={acted?.chosen ?? loaded.chosen} errors={acted?.errors} />
        <button type="submit" name="intent" value="save" disabled={busy}>{t("new.submit")}</button>
      </Form>
    </>
  );
}
