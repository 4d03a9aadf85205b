import type { InitOptions } from "i18next";
import enAuth from "#locales/en/auth.json";
import enCatalog from "#locales/en/catalog.json";
import enCommon from "#locales/en/common.json";
import enImports from "#locales/en/imports.json";
import enInsights from "#locales/en/insights.json";
import enMail from "#locales/en/mail.json";
import enOrders from "#locales/en/orders.json";
import enConflicts from "#locales/en/conflicts.json";
import enCustomers from "#locales/en/customers.json";
import enHome from "#locales/en/home.json";
import enIdeas from "#locales/en/ideas.json";
import enPartners from "#locales/en/partners.json";
import enSecurity from "#locales/en/security.json";
import enToolkits from "#locales/en/toolkits.json";
import enUsers from "#locales/en/users.json";
import faAuth from "#locales/fa/auth.json";
import faCatalog from "#locales/fa/catalog.json";
import faCommon from "#locales/fa/common.json";
import faImports from "#locales/fa/imports.json";
import faInsights from "#locales/fa/insights.json";
import faMail from "#locales/fa/mail.json";
import faOrders from "#locales/fa/orders.json";
import faConflicts from "#locales/fa/conflicts.json";
import faCustomers from "#locales/fa/customers.json";
import faHome from "#locales/fa/home.json";
import faIdeas from "#locales/fa/ideas.json";
import faPartners from "#locales/fa/partners.json";
import faSecurity from "#locales/fa/security.json";
import faToolkits from "#locales/fa/toolkits.json";
import faUsers from "#locales/fa/users.json";

export const LOCALES = ["fa", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "fa";

// Both languages are small enough to ship whole; no backend round trips for translations.
export const resources = {
  fa: { common: faCommon, home: faHome, customers: faCustomers, conflicts: faConflicts, imports: faImports, auth: faAuth, partners: faPartners, users: faUsers, security: faSecurity, toolkits: faToolkits, catalog: faCatalog, mail: faMail, orders: faOrders, ideas: faIdeas, insights: faInsights },
  en: { common: enCommon, home: enHome, customers: enCustomers, conflicts: enConflicts, imports: enImports, auth: enAuth, partners: enPartners, users: enUsers, security: enSecurity, toolkits: enToolkits, catalog: enCatalog, mail: enMail, orders: enOrders, ideas: enIdeas, insights: enInsights },
};

export const i18nConfig = {
  supportedLngs: [...LOCALES],
  fallbackLng: DEFAULT_LOCALE,
  defaultNS: "common",
  ns: Object.keys(resources.fa),
  resources,
  interpolation: { escapeValue: false },
} satisfies InitOptions;

export const isLocale = (v: unknown): v is Locale => LOCALES.includes(v as Locale);
export const dirOf = (locale: Locale) => (locale === "fa" ? "rtl" : "ltr");
