import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CONSENT_PURPOSES } from "#db/schema";
import { can, type Actor } from "~/domain/permissions";
import type { Locale } from "~/domain/format";
import { parseDateInput } from "~/domain/jalali";
import { getLocale } from "~/i18n.server";
import { addInteraction, addNeed, customerOrders, listNeeds, profileLists, setNeedStatus, setPreferences, timeline } from "~/models/customer-activity.server";
import { askOwnerToShare, contactAccess, recordCollectedContact } from "~/models/customer-contact.server";
import { decideCorrection, proposeCorrection } from "~/models/customer-corrections.server";
import { collectedContactSchema, consentRecordSchema, consentSchema, correctionDecisionSchema, correctionWithoutContactSchema, customerSchema, interactionSchema, needSchema, needStatusSchema } from "~/models/customer-forms";
import { nextActionsFor } from "~/models/customer-value.server";
import { consentHistory, getCustomer, setConsents, updateCustomer } from "~/models/customers.server";
import { holdsRelationship, mayChangeNeed, mayEditCustomer, mayProposeCorrection, mayRecordConsent } from "~/models/scope.server";
import { ConsentSection, ContactActions, CorrectionsSection, IdentitySection, InteractionForm, NeedsSection, NextActions, OrdersSection, PurchaseForecast, TIMELINE_PREVIEW, TimelineSection, TimelineToggle, ValueSection } from "~/ui/customer-profile";
import { CustomerContactSection } from "~/ui/customer-contact";
import { FormAlert } from "~/ui/form";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { parseFormData, text, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle<typeof loader>((d) => d.customer.display_name);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.view");
  const customer = await getCustomer(actor, params.id!);
  invariantResponse(customer, 404);
  // The next actions use the needs read for the page rather than reading them again.
  const needsRead = listNeeds(actor, customer.id);
  const search = new URL(request.url).searchParams;
  // The catalogue's products only for the need form opened without JavaScript (?products=1).
  const lists = profileLists(actor, customer, { products: search.has("products") });
  const [{ partners, prefs, categories, products, corrections }, needs, events, orders, consents, actions, contact] = await Promise.all([
    lists,
    needsRead,
    timeline(actor, customer.id),
    customerOrders(actor, customer.id),
    consentHistory(actor, customer.id),
    needsRead.then((read) => nextActionsFor(actor, [customer], new Date(), read.map((n) => ({ ...n, customer_id: customer.id })))),
    lists.then((l) => contactAccess(actor, customer, l.askedAt)),
  ]);
  const owner = holdsRelationship(actor, customer);
  return {
    customer,
    partners,
    needs: needs.map((n) => ({ ...n, canChange: mayChangeNeed(actor, n) })),
    // Only the latest touchpoints unless the whole timeline is asked for (?timeline=all).
    events: search.get("timeline") === "all" ? events : events.slice(0, TIMELINE_PREVIEW),
    eventsTotal: events.length,
    orders,
    prefs,
    consents,
    categories,
    products,
    actions: actions.get(customer.id) ?? [],
    corrections,
    contact,
    canWrite: can(actor, "customers.register"),
    may: {
      consent: owner ? "record" : can(actor, "customers.steward") ? "withdraw" : "view",
      edit: mayEditCustomer(actor, customer),
      propose: mayProposeCorrection(actor, customer),
      decide: owner,
    } as const,
  };
}

const INTENTS = ["need", "need_status", "interaction", "consent", "preferences", "edit", "propose", "correction", "collected_contact", "ask_owner"] as const;
const intentSchema = z.object({ intent: z.enum(INTENTS) });
/** The brand may record a withdrawal, correct the record and close needs; the rest is serving partners' work. */
const STEWARD_INTENTS: readonly string[] = ["need_status", "consent", "edit"];
export type ProfileActionData = { intent: string; errors?: FieldErrors; saved?: boolean; savedAt?: number };

const mayUseIntent = (actor: Actor, intent: string) => can(actor, "customers.register") || (STEWARD_INTENTS.includes(intent) && can(actor, "customers.steward"));

/** A date typed in the form (Jalali in fa), not in the future; the error is a field error key. */
function pastDate(input: string, locale: Locale, now: Date): { date: Date } | { error: string } {
  const date = parseDateInput(input, locale);
  if (!date.ok) return { error: date.reason === "impossible" ? "errors.date_impossible" : "errors.date_format" };
  if (date.date > now) return { error: "errors.date_future" };
  return { date: date.date };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "customers.view");
  const form = await request.formData();
  const intent = intentSchema.safeParse({ intent: form.get("intent") });
  invariantResponse(intent.success, 400);
  invariantResponse(mayUseIntent(actor, intent.data.intent), 403);
  const id = params.id!;
  const fail = (errors: FieldErrors) => data<ProfileActionData>({ intent: intent.data.intent, errors }, { status: 400 });
  const ok = (found: unknown) => {
    invariantResponse(found, 404);
    return { intent: intent.data.intent, saved: true, savedAt: Date.now() } satisfies ProfileActionData;
  };
  /** Refuses those the record's rules leave out before reading their form (the models check again when writing). */
  const guard = async (allowed: (customer: NonNullable<Awaited<ReturnType<typeof getCustomer>>>) => boolean) => {
    const customer = await getCustomer(actor, id);
    invariantResponse(customer, 404);
    invariantResponse(allowed(customer), 403);
    return customer;
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
        const day = pastDate(parsed.data.occurredOn, await getLocale(request), occurredAt);
        if ("error" in day) return fail({ occurredOn: { key: day.error } });
        occurredAt = day.date;
      }
      const result = await addInteraction(actor, id, { ...parsed.data, occurredAt });
      if (result && "errors" in result) return fail(result.errors);
      return ok(result);
    }
    case "consent": {
      // Who may record this change depends on whether it switches anything on (the brand may only withdraw).
      const wanted = consentSchema.parse(Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, form.get(p)])));
      await guard((c) => mayRecordConsent(actor, c, CONSENT_PURPOSES.some((p) => wanted[p] && !c[`consent_${p}`])));
      const parsed = parseFormData(consentRecordSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const { channel, givenOn, note, ...consents } = parsed.data;
      const day = pastDate(givenOn, await getLocale(request), new Date());
      if ("error" in day) return fail({ givenOn: { key: day.error } });
      return ok(await setConsents(actor, id, consents, { channel, givenAt: day.date, note }));
    }
    case "preferences": {
      const parsed = parseFormData(z.record(z.string().regex(/^pref_[0-9A-Z]{26}$/i), text(200, { optional: true })), Object.fromEntries([...form.entries()].filter(([k]) => k.startsWith("pref_"))));
      if (!parsed.ok) return fail(parsed.errors);
      return ok(await setPreferences(actor, id, Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k.slice(5), v]))));
    }
    case "edit": {
      await guard((c) => mayEditCustomer(actor, c));
      const parsed = parseFormData(customerSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await updateCustomer(actor, id, parsed.data);
      invariantResponse(result, 404);
      if ("errors" in result) return fail(result.errors);
      return ok(result);
    }
    case "propose": {
      const customer = await guard((c) => mayProposeCorrection(actor, c));
      // Without sight of the contact fields the form has none; whatever was sent for them is ignored.
      const parsed = parseFormData(customer.contact_visible ? customerSchema : correctionWithoutContactSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await proposeCorrection(actor, id, parsed.data);
      if (result && "errors" in result) return fail(result.errors);
      return ok(result);
    }
    case "collected_contact": {
      const customer = await guard((c) => !c.contact_visible);
      const parsed = parseFormData(collectedContactSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const day = pastDate(parsed.data.givenOn, await getLocale(request), new Date());
      if ("error" in day) return fail({ givenOn: { key: day.error } });
      const result = await recordCollectedContact(actor, customer, { ...parsed.data, givenAt: day.date });
      if ("errors" in result) return fail(result.errors);
      return ok(result);
    }
    case "ask_owner": {
      const customer = await guard(() => true);
      const result = await askOwnerToShare(actor, customer);
      if ("errors" in result) return data<ProfileActionData>({ intent: intent.data.intent, errors: result.errors }, { status: 409 });
      return ok(result);
    }
    case "correction": {
      await guard((c) => holdsRelationship(actor, c));
      const parsed = parseFormData(correctionDecisionSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await decideCorrection(actor, id, parsed.data.correctionId, parsed.data.decision === "accept", parsed.data.reason);
      invariantResponse(result, 404);
      if ("errors" in result) return fail(result.errors);
      if ("alreadyDecided" in result) return fail({ form: { key: "customers:errors.correction_decided" } });
      return ok(result);
    }
  }
}

export default function CustomerProfile() {
  const { t } = useTranslation("customers");
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<ProfileActionData>();
  const [params] = useSearchParams();
  // What a rep needs in front of the customer comes first (on a phone, the order of the page);
  // on a wide screen the record and its consent stand beside it.
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
      <ContactActions customer={d.customer} />
      <CustomerContactSection contact={d.contact} actionData={actionData} />
      {params.get("registered") ? <div className="alert ok" role="status">{t("registered")}</div> : null}
      {actionData?.saved ? <div className="alert ok" role="status">{t("common:saved")}</div> : null}
      <FormAlert errors={actionData?.errors} />
      <div className="profile">
        <div className="profile-main">
          <NextActions actions={d.actions} needs={d.needs} />
          <NeedsSection needs={d.needs} categories={d.categories} products={d.products} canWrite={d.canWrite} actionData={actionData} ideaFor={d.customer.id} />
          {d.canWrite ? <InteractionForm needs={d.needs} actionData={actionData} /> : null}
          <div>
            <TimelineSection events={d.events} />
            <TimelineToggle total={d.eventsTotal} all={params.get("timeline") === "all"} />
          </div>
          <PurchaseForecast customer={d.customer} />
          <OrdersSection orders={d.orders} customerId={d.customer.id} />
        </div>
        <div className="profile-side">
          <CorrectionsSection customer={d.customer} corrections={d.corrections} canDecide={d.may.decide} actionData={actionData} />
          <IdentitySection customer={d.customer} partners={d.partners} prefs={d.prefs} canWrite={d.canWrite} may={d.may} actionData={actionData} />
          <ValueSection customer={d.customer} />
          <ConsentSection customer={d.customer} history={d.consents} mode={d.may.consent} actionData={actionData} />
        </div>
      </div>
    </>
  );
}
