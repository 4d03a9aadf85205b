import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { can, type Permission } from "~/domain/permissions";
import { unreadCount } from "~/models/notifications.server";
import { getPartner } from "~/models/partners.server";
import { useFormat } from "~/ui/format";
import { LanguageSwitch } from "~/ui/language-switch";
import { db } from "~/utils/db.server";
import { requireActor } from "~/utils/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const [brand, partner, unread] = await Promise.all([
    db().selectFrom("brands").select(["name_fa", "name_en", "money_unit"]).where("id", "=", actor.brandId).executeTakeFirstOrThrow(),
    actor.partnerId ? getPartner(actor, actor.partnerId) : undefined,
    unreadCount(actor),
  ]);
  // `end`: highlighted only on its own page, not on the pages under it that have their own entry.
  const nav: { to: string; key: string; when: Permission | "always"; end?: boolean }[] = [
    { to: "/", key: "home", when: "always", end: true },
    { to: "/customers", key: "customers", when: "customers.view" },
    { to: "/customers/today", key: "today", when: "customers.register" },
    { to: "/segments", key: "segments", when: "customers.view" },
    { to: "/customers/import", key: "import", when: "customers.import" },
    { to: "/conflicts", key: "conflicts", when: "conflicts.resolve" },
    { to: "/serve-requests/incoming", key: "incoming_requests", when: "serve_requests.decide" },
    { to: "/serve-requests", key: "sent_requests", when: "customers.register", end: true },
    { to: "/toolkits", key: "toolkits", when: "toolkits.view" },
    { to: "/toolkits/manage", key: "toolkits_manage", when: "toolkits.manage" },
    { to: "/toolkits/analytics", key: "toolkits_analytics", when: "toolkits.analytics" },
    { to: "/catalog", key: "catalog", when: "catalog.view" },
    { to: "/cart", key: "cart", when: "orders.place" },
    { to: "/orders", key: "orders", when: "orders.view" },
    { to: "/products", key: "products", when: "catalog.manage" },
    { to: "/pricing", key: "pricing", when: "catalog.manage" },
    { to: "/partners", key: "partners", when: "partners.view" },
    { to: "/users", key: "users", when: "users.manage" },
    { to: "/profile", key: "profile", when: "profile.edit" },
    { to: "/settings", key: "settings", when: "settings.manage" },
    { to: "/audit", key: "audit", when: "audit.view" },
    { to: "/notifications", key: "notifications", when: "always" },
    { to: "/account/security", key: "security", when: "always" },
  ];
  return {
    actor: { displayName: actor.displayName, email: actor.email, role: actor.role },
    brand,
    partner: partner ? { nameFa: partner.name_fa, nameEn: partner.name_en } : null,
    unread,
    nav: nav.filter((n) => n.when === "always" || can(actor, n.when)).map(({ to, key, end }) => ({ to, key, end: end ?? false })),
  };
}

export default function AppLayout() {
  const { t, i18n } = useTranslation();
  const { actor, brand, partner, nav, unread } = useLoaderData<typeof loader>();
  const f = useFormat();
  const fa = i18n.language === "fa";
  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t("nav.label")}>
        <div className="brand">{fa ? brand.name_fa : brand.name_en}</div>
        {nav.map((item) => (
          <NavLink key={item.to} to={item.to} end={item.end}>
            {t(`nav.${item.key}`)}
            {item.key === "notifications" && unread > 0 ? (
              <span className="badge warn" aria-label={t("nav.unread", { count: unread })}>
                {f.number(unread)}
              </span>
            ) : null}
          </NavLink>
        ))}
        <div className="spacer" />
        <div className="who">
          <div>{actor.displayName}</div>
          <div>{t(`roles.${actor.role}`)}</div>
          {partner ? <div>{fa ? partner.nameFa : partner.nameEn}</div> : null}
        </div>
        <Form method="post" action="/logout">
          <button type="submit" className="link">
            {t("nav.logout")}
          </button>
        </Form>
      </nav>
      <div className="main">
        <div className="topbar">
          <LanguageSwitch />
        </div>
        <Outlet />
      </div>
    </div>
  );
}
