import { useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDate, formatDateTime, formatDigits, formatMoney, formatNumber, formatPhone } from "~/domain/format";
import type { Locale } from "~/i18n";

export function useLocale(): Locale {
  return useRouteLoaderData<{ locale: Locale }>("root")?.locale ?? "fa";
}

/** Formatters bound to the page's language, identical on server and client. */
export function useFormat() {
  const locale = useLocale();
  return {
    locale,
    number: (n: number | bigint | string) => formatNumber(n, locale),
    money: (rial: bigint | number | string, unit: "rial" | "toman" = "rial") => formatMoney(rial, locale, unit),
    date: (d: Date | string) => formatDate(d, locale),
    dateTime: (d: Date | string) => formatDateTime(d, locale),
    digits: (s: string) => formatDigits(s, locale),
    phone: (e164: string) => formatPhone(e164, locale),
  };
}

const useMoneyUnit = () => useRouteLoaderData<{ brand: { money_unit: "rial" | "toman" } }>("routes/_app")?.brand.money_unit ?? "rial";

/** Money in the brand's display unit (Rial or Toman) with its unit word. */
export function useMoney() {
  const f = useFormat();
  const { t } = useTranslation();
  const unit = useMoneyUnit();
  const word = t(`money.${unit}`);
  return (rial: bigint | number | string) => `${f.money(rial, unit)} ${word}`;
}

/** Money fields are typed in the brand's unit (the server turns Toman into Rial): its word for labels, and a stored amount as the field shows it. */
export function useMoneyInput() {
  const f = useFormat();
  const { t } = useTranslation();
  const unit = useMoneyUnit();
  return { unit: t(`money.${unit}`), value: (rial: bigint | number | string) => f.money(rial, unit) };
}
