import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import fontCss from "vazirmatn/Vazirmatn-Variable-font-face.css?url";
import { dirOf, type Locale } from "./i18n";
import { getLocale } from "./i18n.server";
import styles from "./styles.css?url";
import { ErrorMessage } from "./ui/error-message";
import { useNonce } from "./ui/nonce";
import { pageTitle } from "./ui/page-title";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: fontCss },
  { rel: "stylesheet", href: styles },
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "icon", href: "/icon.svg", type: "image/svg+xml" },
  { rel: "icon", href: "/icon-192.png", type: "image/png", sizes: "192x192" },
  { rel: "apple-touch-icon", href: "/apple-touch-icon.png" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  return { locale: await getLocale(request) };
}

export const meta = pageTitle("");

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
        <meta name="theme-color" content="#141f38" />
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

export function ErrorBoundary() {
  return (
    <main id="main">
      <ErrorMessage error={useRouteError()} />
    </main>
  );
}
