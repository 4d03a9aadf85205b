import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, Outlet, useLoaderData, useLocation, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { can, type Permission } from "~/domain/permissions";
import { ErrorMessage } from "~/ui/error-message";
import { useFormat } from "~/ui/format";
import { LanguageSwitch } from "~/ui/language-switch";
import { activeEntry } from "~/ui/nav";
import { pageTitle } from "~/ui/page-title";
import { requireSession } from "~/utils/session.server";

type Entry = { to: string; key: string; when: Permission | "always" };

/** The menu in labelled groups; each user sees the entries their role may use, and a group only if any remain. */
const MENU: { group: string | null; entries: Entry[] }[] = [
  {
    group: null,
    entries: [
      { to: "/", key: "home", when: "always" },
      { to: "/notifications", key: "notifications", when: "always" },
    ],
  },
  {
    group: "customers",
    entries: [
      { to: "/customers", key: "customers", when: "customers.view" },
      { to: "/customers/today", key: "today", when: "customers.register" },
      { to: "/segments", key: "segments", when: "customers.view" },
      { to: "/insights", key: "insights", when: "insights.view" },
      { to: "/customers/import", key: "import", when: "customers.import" },
      { to: "/conflicts", key: "conflicts", when: "conflicts.resolve" },
      { to: "/serve-requests/incoming", key: "incoming_requests", when: "serve_requests.decide" },
      { to: "/serve-requests", key: "sent_requests", when: "customers.register" },
      { to: "/ideas", key: "ideas", when: "ideas.view" },
      { to: "/ideas/built", key: "ideas_built", when: "ideas.follow_up" },
    ],
  },
  {
    group: "materials",
    entries: [
      { to: "/toolkits", key: "toolkits", when: "toolkits.view" },
      { to: "/toolkits/manage", key: "toolkits_manage", when: "toolkits.manage" },
      { to: "/toolkits/analytics", key: "toolkits_analytics", when: "toolkits.analytics" },
    ],
  },
  {
    group: "ordering",
    entries: [
      { to: "/catalog", key: "catalog", when: "catalog.view" },
      { to: "/cart", key: "cart", when: "orders.place" },
      { to: "/orders", key: "orders", when: "orders.view" },
      { to: "/products", key: "products", when: "catalog.manage" },
      { to: "/pricing", key: "pricing", when: "catalog.manage" },
    ],
  },
  {
    group: "admin",
    entries: [
      { to: "/partners", key: "partners", when: "partners.view" },
      { to: "/users", key: "users", when: "users.manage" },
      { to: "/profile", key: "profile", when: "profile.edit" },
      { to: "/settings", key: "settings", when: "settings.manage" },
      { to: "/audit", key: "audit", when: "audit.view" },
      { to: "/account/security", key: "security", when: "always" },
    ],
  },
];

export const meta = pageTitle("");

export async function loader({ request }: LoaderFunctionArgs) {
  // The session's one statement brings the brand's and partner's names and the unread count too.
  const { actor, shell } = await requireSession(request);
  const menu = MENU.map(({ group, entries }) => ({
    group,
    entries: entries.filter((e) => e.when === "always" || can(actor, e.when)).map(({ to, key }) => ({ to, key })),
  })).filter((g) => g.entries.length > 0);
  return {
    actor: { displayName: actor.displayName, email: actor.email, role: actor.role },
    brand: shell.brand,
    partner: shell.partner,
    unread: shell.unread,
    menu,
  };
}

type LayoutData = Awaited<ReturnType<typeof loader>>;

/**
 * Sidebar on wide screens; on a phone a bar with the brand and a menu button that opens the same
 * menu. Without JavaScript the button is a link to #menu, which the stylesheet opens by :target.
 */
function Shell({ data, children }: { data: LayoutData; children: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const { actor, brand, partner, menu, unread } = data;
  const f = useFormat();
  const { pathname } = useLocation();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [pathname]);
  const fa = i18n.language === "fa";
  const active = activeEntry(
    pathname,
    menu.flatMap((g) => g.entries.map((e) => e.to)),
  );
  const unreadBadge =
    unread > 0 ? (
      <>
        <span className="badge warn" aria-hidden="true">
          {f.number(unread)}
        </span>
        <span className="visually-hidden">{t("nav.unread", { count: unread })}</span>
      </>
    ) : null;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <div className="sidebar">
        <div className="appbar">
          <Link to="/" className="brand">
            {fa ? brand.name_fa : brand.name_en}
          </Link>
          <a
            href="#menu"
            role="button"
            className="menu-button"
            aria-controls="menu"
            aria-expanded={open}
            onClick={(e) => {
              e.preventDefault();
              setOpen(!open);
            }}
            onKeyDown={(e) => {
              // A button also answers the space bar (a link only Enter, which clicks).
              if (e.key !== " ") return;
              e.preventDefault();
              setOpen(!open);
            }}
          >
            <span className="menu-icon" aria-hidden="true" />
            {t("nav.menu")}
            {unreadBadge}
          </a>
        </div>
        <nav id="menu" className={open ? "menu open" : "menu"} aria-label={t("nav.label")} onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          {menu.map(({ group, entries }) => (
            <div key={group ?? "top"} className="menu-group">
              {group ? (
                <p className="menu-heading" id={`menu-${group}`}>
                  {t(`nav.groups.${group}`)}
                </p>
              ) : null}
              <ul aria-labelledby={group ? `menu-${group}` : undefined}>
                {entries.map((item) => (
                  <li key={item.to}>
                    <Link to={item.to} aria-current={item.to === active ? "page" : undefined}>
                      {t(`nav.${item.key}`)}
                      {item.key === "notifications" ? unreadBadge : null}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
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
      </div>
      <div className="content">
        <div className="topbar">
          <LanguageSwitch />
        </div>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

export default function AppLayout() {
  return (
    <Shell data={useLoaderData<typeof loader>()}>
      <Outlet />
    </Shell>
  );
}

/** A page that failed inside the app (not found, not allowed) keeps the menu around its message. */
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("routes/_app");
  return data ? (
    <Shell data={data}>
      <ErrorMessage error={error} />
    </Shell>
  ) : (
    <main id="main">
      <ErrorMessage error={error} />
    </main>
  );
}
