import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TIERS } from "#db/schema";
import { isBrandRole } from "~/domain/permissions";
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
  return { brandView: isBrandRole(actor.role), distributor: actor.partnerType === "distributor", displayName: actor.displayName, byTier, byType, userCounts, customers };
}

export default function Home() {
  const { t, i18n } = useTranslation("home");
  const f = useFormat();
  const data = useLoaderData<typeof loader>();
  const stat = (label: string, value: number) => (
    <div className="stat" key={label}>
      <div className="value">{f.number(value)}</div>
      <div className="label">{label}</div>
    </div>
  );
  return (
    <>
      <h1>{t("welcome", { name: data.displayName })}</h1>
      <h2>{data.brandView ? t("customers_network") : t("customers_yours")}</h2>
      <div className="stats">
        {stat(t("customers_total"), data.customers.total)}
        {(["A", "B", "C"] as const).map((tier) => stat(t(`customers:tier.${tier}`), data.customers.byTier[tier]))}
      </div>
      {data.customers.topNeeds.length > 0 ? (
        <>
          <h2>{t("top_needs")}</h2>
          <div className="stats">{data.customers.topNeeds.map((n) => stat(i18n.language === "fa" ? n.name_fa : n.name_en, n.n))}</div>
        </>
      ) : null}
      {data.brandView ? (
        <>
          <h2>{t("partners_by_tier")}</h2>
          <div className="stats">{TIERS.map((tier) => stat(t(`common:tiers.${tier}`), data.byTier[tier]))}</div>
          <h2>{t("partners_by_type")}</h2>
          <div className="stats">
            {stat(t("common:partnerTypes.distributor"), data.byType.distributor)}
            {stat(t("common:partnerTypes.reseller"), data.byType.reseller)}
          </div>
        </>
      ) : data.distributor ? (
        <>
          <h2>{t("your_network")}</h2>
          <div className="stats">{stat(t("resellers"), data.byType.reseller)}</div>
        </>
      ) : null}
      <h2>{data.brandView ? t("users_network") : t("users_partner")}</h2>
      <div className="stats">
        {stat(t("common:userStatus.active"), data.userCounts.active)}
        {stat(t("common:userStatus.invited"), data.userCounts.invited)}
        {stat(t("common:userStatus.disabled"), data.userCounts.disabled)}
      </div>
    </>
  );
}
