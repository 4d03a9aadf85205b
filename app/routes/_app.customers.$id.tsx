import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { can } from "~/domain/permissions";
import { parseDateInput } from "~/domain/jalali";
import { getLocale } from "~/i18n.server";
import { activeProducts, addInteraction, addNeed, customerOrders, listNeeds, needCategories, preferences, setNeedStatus, setPreferences, timeline } from "~/models/customer-activity.server";
import { consentSchema, customerSchema, interactionSchema, needSchema, needStatusSchema } from "~/models/customer-forms";
import { nextActionsFor } from "~/models/customer-value.server";
import { consentHistory, getCustomer, servingPartnersOf, setConsents, updateCustomer } from "~/models/customers.server";
import { ConsentSection, IdentitySection, InteractionForm, NeedsSection, NextActions, OrdersSection, TimelineSection, ValueSection } from "~/ui/customer-profile";
import { FormAlert } from "~/ui/form";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { parseFormData, text, type FieldErrors } from "~/utils/validation";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.view");
  const customer = await getCustomer(actor, params.id!);
  invariantResponse(customer, 404);
  const [partners, needs, events, orders, prefs, consents, categories, products, actions] = await Promise.all([
    servingPartnersOf(actor, [customer.id]).then((m) => m.get(customer.id) ?? []),
    listNeeds(actor, customer.id),
    timeline(actor, customer.id),
    customerOrders(actor, customer.id),
    preferences(actor, customer.id),
    consentHistory(actor, customer.id),
    needCategories(actor.brandId),
    activeProducts(actor.brandId),
    nextActionsFor(actor, [customer]),
  ]);
  return {
    customer,
    partners,
    needs,
    events,
    orders,
    prefs,
    consents,
    categories,
    products,
    actions: actions.get(customer.id) ?? [],
    canWrite: can(actor, "customers.register"),
  };
}

const intentSchema = z.object({ intent: z.enum(["need", "need_status", "interaction", "consent", "preferences", "edit"]) });
export type ProfileActionData = { intent: string; errors?: FieldErrors; saved?: boolean };

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "customers.register");
  const form = await request.formData();
  const intent = intentSchema.safeParse({ intent: form.get("intent") });
  invariantResponse(intent.success, 400);
  const id = params.id!;
  const fail = (errors: FieldErrors) => data<ProfileActionData>({ intent: intent.data.intent, errors }, { status: 400 });
  const ok = (found: unknown) => {
    invariantResponse(found, 404);
    return { intent: intent.data.intent, saved: true } satisfies ProfileActionData;
  };
  switch (intent.data.intent) {
    case "need": {
      const parsed = parseFormData(needSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await addNeed(actor, id, parsed.data);
      if (result && "errors" in result) return fail(result.errors);
      return ok(result);
    }
    case "need_status": {
      const parsed = parseFormData(needStatusSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      return ok(await setNeedStatus(actor, parsed.data.needId, parsed.data.status));
    }
    case "interaction": {
      const parsed = parseFormData(interactionSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      let occurredAt = new Date();
      if (parsed.data.occurredOn?.trim()) {
        const date = parseDateInput(parsed.data.occurredOn, await getLocale(request));
        if (!date.ok) return fail({ occurredOn: { key: date.reason === "impossible" ? "errors.date_impossible" : "errors.date_format" } });
        if (date.date > occurredAt) return fail({ occurredOn: { key: "errors.date_future" } });
        occurredAt = date.date;
      }
      const result = await addInteraction(actor, id, { ...parsed.data, occurredAt });
      if (result && "errors" in result) return fail(result.errors);
      return ok(result);
    }
    case "consent": {
      const parsed = parseFormData(consentSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      return ok(await setConsents(actor, id, parsed.data));
    }
    case "preferences": {
      const parsed = parseFormData(z.record(z.string().regex(/^pref_[0-9A-Z]{26}$/i), text(200, { optional: true })), Object.fromEntries([...form.entries()].filter(([k]) => k.startsWith("pref_"))));
      if (!parsed.ok) return fail(parsed.errors);
      return ok(await setPreferences(actor, id, Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k.slice(5), v]))));
    }
    case "edit": {
      const parsed = parseFormData(customerSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await updateCustomer(actor, id, parsed.data);
      invariantResponse(result, 404);
      if ("errors" in result) return fail(result.errors);
      return ok(result);
    }
  }
}

export default function CustomerProfile() {
  const { t } = useTranslation("customers");
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<ProfileActionData>();
  const [params] = useSearchParams();
  return (
    <>
      <div className="page-head">
        <h1>
          <bdi>{d.customer.display_name}</bdi>
        </h1>
        <div className="actions">
          {d.customer.kind === "business" ? <span className="badge">{t("kind.business")}</span> : null}
          {d.customer.value_tier ? <span className={`badge tier-${d.customer.value_tier}`}>{t(`tier.${d.customer.value_tier}`)}</span> : null}
        </div>
      </div>
      {params.get("registered") ? <div className="alert ok" role="status">{t("registered")}</div> : null}
      {actionData?.saved ? <div className="alert ok" role="status">{t("common:saved")}</div> : null}
      <FormAlert errors={actionData?.errors} />
      <NextActions actions={d.actions} needs={d.needs} />
      <div className="grid-2">
        <IdentitySection customer={d.customer} partners={d.partners} prefs={d.prefs} canWrite={d.canWrite} actionData={actionData} />
        <ValueSection customer={d.customer} />
      </div>
      <NeedsSection needs={d.needs} categories={d.categories} products={d.products} canWrite={d.canWrite} actionData={actionData} />
      <div className="grid-2">
        {d.canWrite ? <InteractionForm needs={d.needs} actionData={actionData} /> : null}
        <ConsentSection customer={d.customer} history={d.consents} canWrite={d.canWrite} />
      </div>
      <TimelineSection events={d.events} />
      <OrdersSection orders={d.orders} />
    </>
  );
}
