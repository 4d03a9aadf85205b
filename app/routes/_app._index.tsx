import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TIERS } from "#db/schema";
import { can, isBrandRole } from "~/domain/permissions";
import { customerStats } from "~/models/customers.server";
import { partnersByTier } from "~/models/partners.server";
import { countUsersByStatus } from "~/models/users.server";
import { useFormat } from "~/ui/format";
import { requireActor } from "~/utils/session.server";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("nav.home");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const [partners, users, customers] = await Promise.all([partnersByTier(actor), countUsersByStatus(actor), customerStats(actor)]);
  const byTier = Object.fromEntries(TIERS.map((tier) => [tier, 0])) as Record<(typeof TIERS)[number], number>;
  const byType = { distributor: 0, reseller: 0 };
  for (const row of partners) {
    byTier[row.tier] += Number(row.n);
    byType[row.type] += Number(row.n);
  }
  const userCounts = { active: 0, invited: 0, disabled: 0 };
  for (const row of users) userCounts[row.status] = Number(row.n);
  return {
    brandView: isBrandRole(actor.role),
    distributor: actor.partnerType === "distributor",
    // Cards link to their list only where the user may open it.
    links: { customers: can(actor, "customers.view"), partners: can(actor, "partners.view"), users: can(actor, "users.manage") },
    displayName: actor.displayName,
    partnersTotal: byType.distributor + byType.reseller,
    byTier,
    byType,
    userCounts,
    usersTotal: userCounts.active + userCounts.invited + userCounts.disabled,
    customers,
  };
}

export default function Home() {
  const { t, i18n } = useTranslation("home");
  const f = useFormat();
  const data = useLoaderData<typeof loader>();
  const stat = (label: string, value: number, to: string | false) => {
    const body = (
      <>
        <div className="value">{f.number(value)}</div>
        <div className="label">{label}</div>
      </>
    );
    return to ? (
      <Link className="stat" to={to} key={label}>
        {body}
      </Link>
    ) : (
      <div className="stat" key={label}>
        {body}
      </div>
    );
  };
  const customers = (query: string) => data.links.customers && `/customers${query}`;
  const partners = (query: string) => data.links.partners && `/partners?status=active${query}`;
  const users = (query: string) => data.links.users && `/users${query}`;
  return (
    <>
      <h1>{t("welcome", { name: data.displayName })}</h1>
      <h2>{data.brandView ? t("customers_network") : t("customers_yours")}</h2>
      <div className="stats">
        {stat(t("customers_total"), data.customers.total, customers(""))}
        {(["A", "B", "C", "none"] as const).map((tier) => stat(t(`customers:tier.${tier}`), data.customers.byTier[tier], customers(`?valueTier=${tier}`)))}
      </div>
      {data.customers.topNeeds.length > 0 ? (
        <>
          <h2>{t("top_needs")}</h2>
          <p className="muted">{t("top_needs_hint")}</p>
          <div className="stats">
            {data.customers.topNeeds.map((n) => stat(i18n.language === "fa" ? n.name_fa : n.name_en, n.n, customers(`?needCategory=${n.id}&needStatus=open`)))}
          </div>
        </>
      ) : null}
      {data.brandView ? (
        <>
          <h2>{t("partners_by_tier")}</h2>
          <div className="stats">
            {stat(t("partners_total"), data.partnersTotal, partners(""))}
            {TIERS.map((tier) => stat(t(`common:tiers.${tier}`), data.byTier[tier], partners(`&tier=${tier}`)))}
          </div>
          <h2>{t("partners_by_type")}</h2>
          <div className="stats">
            {stat(t("partners_total"), data.partnersTotal, partners(""))}
            {stat(t("common:partnerTypes.distributor"), data.byType.distributor, partners("&type=distributor"))}
            {stat(t("common:partnerTypes.reseller"), data.byType.reseller, partners("&type=reseller"))}
          </div>
        </>
      ) : data.distributor ? (
        <>
          <h2>{t("your_network")}</h2>
          <div className="stats">{stat(t("resellers"), data.byType.reseller, false)}</div>
        </>
      ) : null}
      <h2>{data.brandView ? t("users_network") : t("users_partner")}</h2>
      <div className="stats">
        {stat(t("users_total"), data.usersTotal, users(""))}
        {(["active", "invited", "disabled"] as const).map((status) => stat(t(`common:userStatus.${status}`), data.userCounts[status], users(`?status=${status}`)))}
      </div>
    </>
  );
}
