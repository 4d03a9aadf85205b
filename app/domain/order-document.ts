// An order's proforma (order confirmation) or packing slip as one self-contained HTML document for the renderer.
// Pure: the route gathers the order through the one data door and the labels in the reader's
// language. Everything from the database becomes escaped text; SKUs and the order number are
// left-to-right runs isolated inside right-to-left text so their characters keep their order.
import { escapeHtml, MATERIAL_CSP, type FontFace } from "./material-document";
import { formatDate, formatDigits, formatMoney, formatNumber, type Locale } from "./format";

export interface ProformaLine {
  sku: string;
  name: string;
  options: string[];
  quantity: number;
  unitNetRial: string;
  lineTotalRial: string;
  promisedShipOn: string | null;
}

export interface ProformaInput {
  locale: Locale;
  moneyUnit: "rial" | "toman";
  brand: string;
  partner: string;
  customer: string | null;
  number: string;
  placedAt: Date | string;
  promisedShipOn: string | null;
  promisedDeliveryOn: string | null;
  discountRial: string;
  totalRial: string;
  lines: ProformaLine[];
  /** False for a packing slip the partner asked to ship without prices (the end customer sees it). */
  showPrices: boolean;
  /** Labels in the reader's language, keyed as in locales/<lng>/orders.json "proforma". */
  labels: Record<"title" | "brand" | "partner" | "customer" | "number" | "date" | "sku" | "product" | "quantity" | "unit_net" | "line_total" | "promised_ship" | "promised_delivery" | "discount" | "total" | "money_unit", string>;
}

const ltr = (s: string) => `<bdi dir="ltr">${escapeHtml(s)}</bdi>`;

export function buildProformaDocument(o: ProformaInput, fonts: FontFace[]): string {
  const l = o.labels;
  const text = (s: string) => escapeHtml(formatDigits(s, o.locale));
  const money = (rial: string) => `${formatMoney(rial, o.locale, o.moneyUnit)}`;
  const day = (d: string | null) => (d ? formatDate(d, o.locale) : "—");
  const rows = o.lines
    .map(
      (x) => `<tr><td>${ltr(x.sku)}</td><td><bdi>${text(x.name)}</bdi>${x.options.length ? `<div class="opts">${x.options.map(text).join("، ")}</div>` : ""}</td><td class="num">${formatNumber(x.quantity, o.locale)}</td>${o.showPrices ? `<td class="num">${money(x.unitNetRial)}</td><td class="num">${money(x.lineTotalRial)}</td>` : ""}<td>${day(x.promisedShipOn)}</td></tr>`,
    )
    .join("\n");
  const fact = (label: string, value: string) => `<dt>${escapeHtml(label)}</dt><dd>${value}</dd>`;
  return `<!doctype html>
<html lang="${o.locale}" dir="${o.locale === "fa" ? "rtl" : "ltr"}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${MATERIAL_CSP}">
<title>${escapeHtml(l.title)}</title>
<style>
${fonts.map((f) => `@font-face { font-family: Vazirmatn; src: url("${f.url}") format("woff2"); font-weight: ${f.weight}; font-style: normal; font-display: block; }`).join("\n")}
@page { size: A4; margin: 15mm; }
body { font-family: Vazirmatn, sans-serif; font-size: 10.5pt; color: #111; }
bdi { unicode-bidi: isolate; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 6mm; margin: 0 0 6mm; }
dt { font-weight: 700; }
dd { margin: 0; }
table { width: 100%; border-collapse: collapse; }
th, td { border-bottom: 1px solid #bbb; padding: 1.5mm 2mm; text-align: start; vertical-align: top; }
th { background: #eee; }
.num { text-align: end; white-space: nowrap; }
.opts { color: #555; font-size: 9pt; }
.totals { margin-top: 6mm; }
</style>
</head>
<body>
<h1>${escapeHtml(l.title)}</h1>
<dl>
${fact(l.brand, `<bdi>${text(o.brand)}</bdi>`)}
${fact(l.partner, `<bdi>${text(o.partner)}</bdi>`)}
${o.customer ? fact(l.customer, `<bdi>${text(o.customer)}</bdi>`) : ""}
${fact(l.number, ltr(o.number))}
${fact(l.date, formatDate(o.placedAt, o.locale))}
${fact(l.promised_ship, day(o.promisedShipOn))}
${fact(l.promised_delivery, day(o.promisedDeliveryOn))}
</dl>
<table>
<thead><tr><th>${escapeHtml(l.sku)}</th><th>${escapeHtml(l.product)}</th><th>${escapeHtml(l.quantity)}</th>${o.showPrices ? `<th>${escapeHtml(l.unit_net)} (${escapeHtml(l.money_unit)})</th><th>${escapeHtml(l.line_total)} (${escapeHtml(l.money_unit)})</th>` : ""}<th>${escapeHtml(l.promised_ship)}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${
  o.showPrices
    ? `<dl class="totals">
${fact(l.discount, `${money(o.discountRial)} ${escapeHtml(l.money_unit)}`)}
${fact(l.total, `${money(o.totalRial)} ${escapeHtml(l.money_unit)}`)}
</dl>`
    : ""
}
</body>
</html>
`;
}
