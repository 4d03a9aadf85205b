import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { registrationSchema } from "~/models/customer-forms";
import { registerCustomer, type Duplicate } from "~/models/customers.server";
import { ConsentFields, CustomerFields, type CustomerDefaults } from "~/ui/customer-fields";
import { FormAlert } from "~/ui/form";
import { RequestToServeFields } from "~/ui/request-to-serve";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { parseFormData, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("customers:register");

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "customers.register");
  return null;
}

type ActionData = { errors?: FieldErrors; duplicates?: Duplicate[]; values: CustomerDefaults & { force?: boolean } };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "customers.register");
  const form = await request.formData();
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as CustomerDefaults;
  const parsed = parseFormData(registrationSchema, form);
  if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, values }, { status: 400 });
  const { consentPartnerContact, consentBrandContact, consentSharePartners, force, ...customer } = parsed.data;
  const result = await registerCustomer(
    actor,
    { ...customer, consents: { partner_contact: consentPartnerContact, brand_contact: consentBrandContact, share_partners: consentSharePartners } },
    { force },
  );
  if ("duplicates" in result) return data<ActionData>({ duplicates: result.duplicates, values }, { status: 409 });
  if ("errors" in result) return data<ActionData>({ errors: result.errors, values }, { status: 400 });
  return redirect(`/customers/${result.id}?registered=1`);
}

type Identity = Pick<CustomerDefaults, "phone" | "email" | "displayName" | "city">;

/**
 * The request names the customer again by what the rep typed (and how it matched), never by an
 * id: the page carries nothing that would open another partner's record before a decision.
 */
function RequestToServe({ match, identity }: { match: Duplicate["match"]; identity: Identity }) {
  const { t } = useTranslation("customers");
  // A fetcher keeps a refused request (400) on this page with its errors; success redirects.
  const fetcher = useFetcher<{ errors?: FieldErrors }>();
  return (
    <fetcher.Form method="post" action="/serve-requests" className="stack">
      <RequestToServeFields match={match} identity={identity} errors={fetcher.data?.errors} />
      <button type="submit" disabled={fetcher.state !== "idle"}>
        {t("request_to_serve")}
      </button>
    </fetcher.Form>
  );
}

function DuplicateNotice({ duplicates, identity }: { duplicates: Duplicate[]; identity: Identity }) {
  const { t } = useTranslation("customers");
  const f = useFormat();
  // One request per way of matching: it covers every record found that way.
  const offered = new Set<string>();
  return (
    <section className="card" role="alert" data-testid="duplicates">
      <h2>{t("duplicates_title")}</h2>
      {duplicates.map((d, i) => {
        const offer = !d.servedByYou && !d.pendingRequest && !offered.has(d.match);
        if (offer) offered.add(d.match);
        return (
          <div key={i} className="card">
            <p>
              {t(`duplicate_match.${d.match}`)} {t("duplicate_registered", { date: f.date(d.registeredAt) })}
              {d.protectedUntil ? ` ${t("duplicate_protected", { date: f.date(d.protectedUntil) })}` : ""}
            </p>
            {d.servedByYou ? (
              <Link to={`/customers/${d.id}`}>{t("duplicate_yours", { name: d.displayName })}</Link>
            ) : d.pendingRequest ? (
              <p className="muted">{t("duplicate_pending")}</p>
            ) : offer ? (
              <>
                <p className="muted">{t("request_explained")}</p>
                <RequestToServe match={d.match} identity={identity} />
              </>
            ) : null}
          </div>
        );
      })}
    </section>
  );
}

export default function RegisterCustomer() {
  const { t } = useTranslation("customers");
  const actionData = useActionData<ActionData>();
  const onlyNameMatches = actionData?.duplicates?.every((d) => d.match === "name_city");
  const values = actionData?.values ?? {};
  return (
    <>
      <h1>{t("register")}</h1>
      {actionData?.duplicates?.length ? <DuplicateNotice duplicates={actionData.duplicates} identity={values} /> : null}
      <FormAlert errors={actionData?.errors} />
      <Form method="post" className="stack card" noValidate key={JSON.stringify(values)}>
        <CustomerFields defaults={values} errors={actionData?.errors} />
        <ConsentFields
          prefix="consent"
          defaults={{ partner_contact: values && "consentPartnerContact" in values, brand_contact: values && "consentBrandContact" in values, share_partners: values && "consentSharePartners" in values }}
        />
        {onlyNameMatches ? (
          <label className="check">
            <input type="checkbox" name="force" /> {t("force_different_person")}
          </label>
        ) : null}
        <button type="submit">{t("register_submit")}</button>
      </Form>
    </>
  );
}
