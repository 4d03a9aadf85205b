import type { MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse } from "@remix-run/react";
import { createInstance, type TFunction } from "i18next";
import { i18nConfig, isLocale, LOCALES, type Locale } from "~/i18n";

// Translations are bundled, so an instance per language initialises synchronously.
const translators = Object.fromEntries(
  LOCALES.map((lng) => {
    const i18n = createInstance({ ...i18nConfig, lng, initImmediate: false });
    void i18n.init();
    return [lng, i18n.getFixedT(lng)];
  }),
) as Record<Locale, TFunction>;

const ERROR_PAGES: Record<number, string> = { 400: "bad_request", 403: "forbidden", 404: "not_found", 413: "too_large", 503: "unavailable" };

/** The errorPage.* key of an error thrown by a loader or action: its status, else a server error. */
export function errorPageKey(error: unknown): string {
  return (isRouteErrorResponse(error) && ERROR_PAGES[error.status]) || "server";
}

interface AppData {
  brand: { name_fa: string; name_en: string };
}

type Title<D> = string | ((data: D, t: TFunction, fa: boolean) => string);

/**
 * The page's `<title>` in the user's language, "page · brand": `title` is a translation key
 * ("customers:title"), or makes the text from the loader's data (a customer's name). A page that
 * failed is titled by its error. The brand is the signed-in user's brand, else the portal's name.
 */
export function pageTitle<Loader = unknown>(title: Title<NonNullable<Parameters<MetaFunction<Loader>>[0]["data"]>>): MetaFunction<Loader> {
  return ({ data, matches, error }) => {
    const root = matches[0]?.data as { locale?: unknown } | undefined;
    const locale: Locale = isLocale(root?.locale) ? root.locale : "fa";
    const t = translators[locale];
    const app = matches.find((m) => m.id === "routes/_app")?.data as AppData | undefined;
    const brand = app ? (locale === "fa" ? app.brand.name_fa : app.brand.name_en) : t("app.title");
    const page = error ? t(`errorPage.${errorPageKey(error)}.title`) : typeof title === "string" ? t(title) : data ? title(data, t, locale === "fa") : "";
    return [{ title: page ? `${page} · ${brand}` : brand }];
  };
}
