import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import fontCss from "vazirmatn/Vazirmatn-Variable-font-face.css?url";
import { dirOf, resources, type Locale } from "./i18n";
import { getLocale } from "./i18n.server";
import styles from "./styles.css?url";
import { useNonce } from "./ui/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: fontCss },
  { rel: "stylesheet", href: styles },
];

export async function loader({ request }: LoaderFunctionArgs) {
  return { locale: await getLocale(request) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: resources[data?.locale ?? "fa"].common.app.title }];

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale: Locale = data?.locale ?? "fa";
  const { i18n } = useTranslation();
  const nonce = useNonce();
  // The server renders in the cookie's language; keep the client instance in step after a switch.
  useEffect(() => {
    if (i18n.language !== locale) void i18n.changeLanguage(locale);
  }, [i18n, locale]);
  return (
    <html lang={locale} dir={dirOf(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="data:," />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

const ERROR_PAGES: Record<number, string> = { 400: "bad_request", 403: "forbidden", 404: "not_found", 413: "too_large", 503: "unavailable" };

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = ERROR_PAGES[status] ?? "server";
  // A 503 means the database is unreachable: the server has logged the connection error already.
  if (status >= 500 && status !== 503) console.error(error);
  return (
    <main className="error-page">
      <h1>{t(`errorPage.${key}.title`)}</h1>
      <p>{t(`errorPage.${key}.body`)}</p>
      <a href="/">{t("errorPage.home")}</a>
    </main>
  );
}
