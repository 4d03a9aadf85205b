import { isRouteErrorResponse } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { errorPageKey } from "./page-title";

/** What a failed page says, in the user's language: not found, not allowed, too large, or our fault. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const key = errorPageKey(error);
  // A 503 means the database is unreachable: the server has logged the connection error already.
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status >= 500 && status !== 503) console.error(error);
  return (
    <div className="error-page">
      <h1>{t(`errorPage.${key}.title`)}</h1>
      <p>{t(`errorPage.${key}.body`)}</p>
      <a href="/">{t("errorPage.home")}</a>
    </div>
  );
}
