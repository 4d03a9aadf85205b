import type { Kysely } from "kysely";
import sharp from "sharp";
import { parseJalaliDate } from "../../app/domain/jalali";
import { toSearchKey } from "../../app/domain/text";
import { EMPTY_AUDIENCE, type Audience } from "../../app/domain/toolkit-audience";
import { templateProblems, type OutputFormat, type TemplateFields } from "../../app/domain/toolkit-templates";
import { localStorage } from "../../app/utils/storage.server";
import type { DB } from "../schema";
import { DEMO_BRAND_ID, DEMO_USERS } from "./foundation";

// Two published Persian campaigns for different audiences (so the demo partners see different
// libraries) and one draft. Fixed ids and fixed files: a second run inserts and changes nothing.
const tid = (n: number) => `01DEMQTOOLKIT${String(n).padStart(13, "0")}`;
const aid = (n: number) => `01DEMQTKASSET${String(n).padStart(13, "0")}`;
const tplId = (n: number) => `01DEMQTKTEMPL${String(n).padStart(13, "0")}`;
export const DEMO_TOOLKITS = { nowruz: tid(1), launch: tid(2), yaldaDraft: tid(3) };

const day = (jalali: string) => {
  const parsed = parseJalaliDate(jalali);
  if (!parsed.ok) throw new Error(`bad seed date ${jalali}`);
  return parsed.date;
};

const CSS = `@page { size: A4; margin: 0 }
.card { direction: rtl; font-family: Vazirmatn, sans-serif; padding: 24px; }
.brand { background: #0b5; color: #fff; padding: 16px; font-weight: 700; }
.logo { max-height: 80px; }
.phone { direction: rtl; unicode-bidi: plaintext; }`;

const template = (brandLine: string) => `<div class="card" dir="rtl" lang="fa">
  <header class="brand">لوازم خانگی آرمان · ${brandLine}</header>
  <img class="logo" src="{{partner_logo}}" alt="">
  <h1>{{partner_name}}</h1>
  <p class="to">{{customer_name}} عزیز،</p>
  <p class="message">{{message}}</p>
  <p class="phone">تلفن: {{partner_phone}}</p>
</div>`;

const FIELDS: TemplateFields = {
  fields: { partner_name: "required", partner_logo: "optional", partner_phone: "required", partner_address: "off", partner_website: "off", message: "optional", customer_name: "optional" },
  messageMax: 160,
};

/** A one-page PDF with a line of text: small, valid, made here rather than shipped. */
function tinyPdf(text: string): Uint8Array {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${text.length + 35} >>\nstream\nBT /F1 24 Tf 72 760 Td (${text}) Tj ET\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets = objects.map((o, i) => {
    const at = body.length;
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, "latin1"));
}

const poster = async (background: string) => new Uint8Array(await sharp({ create: { width: 600, height: 400, channels: 3, background } }).png().toBuffer());

interface SeedToolkit {
  id: string;
  published: boolean;
  titleFa: string;
  titleEn: string;
  descriptionFa: string;
  descriptionEn: string;
  starts: string;
  ends: string;
  audience: Audience;
  assets: { id: string; title: string; language: "fa" | "en" | "both"; fileName: string; mime: string; ext: string; bytes: () => Promise<Uint8Array> }[];
  template: { id: string; nameFa: string; nameEn: string; brandLine: string; formats: OutputFormat[] };
}

const TOOLKITS: SeedToolkit[] = [
  {
    id: DEMO_TOOLKITS.nowruz,
    published: true,
    titleFa: "فروش ویژهٔ نوروز ۱۴۰۵",
    titleEn: "Nowruz 1405 sale",
    descriptionFa: "پوستر و کارت تبریک هم‌برند برای جشنوارهٔ فروش نوروزی؛ ویژهٔ شرکای طلایی و پلاتینی.",
    descriptionEn: "Co-branded poster and greeting card for the Nowruz sale; for gold and platinum partners.",
    starts: "1404/12/20",
    ends: "1405/01/13",
    audience: { ...EMPTY_AUDIENCE, tiers: ["gold", "platinum"] },
    assets: [
      { id: aid(1), title: "پوستر جشنوارهٔ نوروزی", language: "fa", fileName: "پوستر-نوروز.png", mime: "image/png", ext: "png", bytes: () => poster("#1a7f37") },
      { id: aid(2), title: "فهرست قیمت‌های ویژه", language: "fa", fileName: "nowruz-prices.pdf", mime: "application/pdf", ext: "pdf", bytes: async () => tinyPdf("Nowruz 1405 sale price list") },
    ],
    template: { id: tplId(1), nameFa: "کارت تبریک نوروزی", nameEn: "Nowruz greeting card", brandLine: "جشنوارهٔ فروش نوروز", formats: ["pdf_a4", "png_square", "png_story"] },
  },
  {
    id: DEMO_TOOLKITS.launch,
    published: true,
    titleFa: "معرفی یخچال هوشمند آرمان",
    titleEn: "Arman smart fridge launch",
    descriptionFa: "بروشور و آگهی هم‌برند معرفی محصول تازه برای شرکای استان تهران.",
    descriptionEn: "Co-branded brochure and ad for the new product, for partners in Tehran province.",
    starts: "1404/09/01",
    ends: "1404/10/30",
    audience: { ...EMPTY_AUDIENCE, provinces: ["tehran"] },
    assets: [{ id: aid(3), title: "بروشور یخچال هوشمند", language: "fa", fileName: "smart-fridge.pdf", mime: "application/pdf", ext: "pdf", bytes: async () => tinyPdf("Arman smart fridge") }],
    template: { id: tplId(2), nameFa: "آگهی معرفی محصول", nameEn: "Product launch ad", brandLine: "یخچال هوشمند تازه", formats: ["pdf_a4", "png_square"] },
  },
  {
    id: DEMO_TOOLKITS.yaldaDraft,
    published: false,
    titleFa: "شب یلدا (پیش‌نویس)",
    titleEn: "Yalda night (draft)",
    descriptionFa: "هنوز منتشر نشده است.",
    descriptionEn: "Not published yet.",
    starts: "1404/09/25",
    ends: "1404/09/30",
    audience: { ...EMPTY_AUDIENCE, all: true },
    assets: [{ id: aid(4), title: "پوستر یلدا", language: "fa", fileName: "yalda.png", mime: "image/png", ext: "png", bytes: () => poster("#8b1a1a") }],
    template: { id: tplId(3), nameFa: "کارت یلدا", nameEn: "Yalda card", brandLine: "شب یلدا", formats: ["png_square"] },
  },
];

export async function seedToolkits(db: Kysely<DB>): Promise<number> {
  const existing = new Set((await db.selectFrom("toolkits").select("id").where("brand_id", "=", DEMO_BRAND_ID).execute()).map((t) => t.id));
  const manager = DEMO_USERS.find((u) => u.role === "brand_manager")!.id;
  const store = localStorage();
  let added = 0;
  for (const k of TOOLKITS.filter((k) => !existing.has(k.id))) {
    const html = template(k.template.brandLine);
    if (templateProblems(html, FIELDS).length) throw new Error(`seed template of ${k.titleEn} does not match its fields`);
    const now = new Date();
    const files = await Promise.all(k.assets.map(async (a) => ({ ...a, key: `toolkits/${k.id}/${a.id.toLowerCase()}.${a.ext}`, data: await a.bytes() })));
    for (const f of files) await store.put(f.key, f.data);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("toolkits")
        .values({
          id: k.id,
          brand_id: DEMO_BRAND_ID,
          status: k.published ? "published" : "draft",
          current_version: k.published ? 1 : null,
          draft_version: k.published ? null : 1,
          published_at: k.published ? now : null,
          search_key: k.published ? toSearchKey(`${k.titleFa} ${k.titleEn}`) : "",
          created_by: manager,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx
        .insertInto("toolkit_versions")
        .values({
          toolkit_id: k.id,
          version: 1,
          brand_id: DEMO_BRAND_ID,
          title_fa: k.titleFa,
          title_en: k.titleEn,
          description_fa: k.descriptionFa,
          description_en: k.descriptionEn,
          starts_at: day(k.starts),
          ends_at: day(k.ends),
          cover_key: null,
          cover_mime: null,
          audience_all: k.audience.all,
          audience_tiers: JSON.stringify(k.audience.tiers),
          audience_types: JSON.stringify(k.audience.types),
          audience_provinces: JSON.stringify(k.audience.provinces),
          audience_partner_ids: JSON.stringify(k.audience.partnerIds),
          published_at: k.published ? now : null,
          published_by: k.published ? manager : null,
          created_at: now,
        })
        .execute();
      await trx
        .insertInto("toolkit_assets")
        .values(files.map((f) => ({ id: f.id, brand_id: DEMO_BRAND_ID, toolkit_id: k.id, version: 1, title: f.title, language: f.language, storage_key: f.key, mime: f.mime, size_bytes: f.data.byteLength, file_name: f.fileName, created_at: now })))
        .execute();
      await trx
        .insertInto("toolkit_templates")
        .values({ id: k.template.id, brand_id: DEMO_BRAND_ID, toolkit_id: k.id, version: 1, name_fa: k.template.nameFa, name_en: k.template.nameEn, lang: "fa", html, css: CSS, fields: JSON.stringify(FIELDS), formats: JSON.stringify(k.template.formats), created_at: now })
        .execute();
    });
    added += 1;
  }
  return added;
}
