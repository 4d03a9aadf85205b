import { useTranslation } from "react-i18next";
import { useFormat, useMoney } from "~/ui/format";

/** What can be promised at a glance: free stock, made to order, or out of stock. */
export function Availability({ product }: { product: { available: number; fulfilment: string; daily_capacity: number } }) {
  const { t } = useTranslation("catalog");
  const f = useFormat();
  if (product.available > 0) return <span className="badge ok">{t("in_stock", { count: product.available, n: f.number(product.available) })}</span>;
  if (product.fulfilment === "made_to_order" && product.daily_capacity > 0) return <span className="badge">{t("made_to_order")}</span>;
  return <span className="badge off">{t("out_of_stock")}</span>;
}

/** The partner's margin against suggested retail, in money and percent. */
export function MarginCell({ price }: { price: { unitMargin: string; marginBp: number | null } }) {
  const { t } = useTranslation("catalog");
  const money = useMoney();
  const f = useFormat();
  return (
    <>
      {money(price.unitMargin)}
      {price.marginBp !== null ? ` (${t("percent", { n: f.number(price.marginBp / 100) })})` : null}
    </>
  );
}
