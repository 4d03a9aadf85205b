import { Form, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useLocale } from "./format";

export function LanguageSwitch() {
  const { t } = useTranslation();
  const locale = useLocale();
  const location = useLocation();
  const other = locale === "fa" ? "en" : "fa";
  return (
    <Form method="post" action="/locale" reloadDocument>
      <input type="hidden" name="lng" value={other} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button type="submit" className="secondary" lang={other}>
        {t(`language.${other}`)}
      </button>
    </Form>
  );
}
