// Synthetic data for the benchmarks: N Persian end customers (BENCH_CUSTOMERS, default 200,000) of
// one brand with 300 partners (30 distributors with their resellers, plus independent resellers;
// three large resellers hold about a third of the customers), 10 users per partner and a few brand
// users (all with the password BENCH_PASSWORD), each customer served by one or two partners, with
// value tiers, last contact times and lifetime values; per customer about 3 needs, 5 interactions
// and 0.2 orders (1–3 lines each) of 2,000 products. So 1,000,000 customers come with 3,000,000
// needs, 5,000,000 interactions and 200,000 orders. Written to its own database (pp_bench), never
// the app's: `npx tsx db/seed/bench-data.ts` (BENCH_REUSE=1 keeps a database that already holds N
// customers). Drop it with `mysql -uroot -h127.0.0.1 -e 'drop database pp_bench'`.
//
// Deterministic (one seeded generator, ids derived from indexes) and fast: rows are streamed to
// LOAD DATA LOCAL INFILE in chunks of 50,000, two in flight while the next are generated, with the
// secondary indexes of the big tables dropped during the load and rebuilt afterwards (two tables at
// a time) from the definitions the migrations created. What the app derives from rows (the serving
// rows' copied keys, the home page's counters, reserved stock) is written with the rows, not by
// passes over the loaded tables; tests/integration/bench-data.test.ts checks it against the app's
// rebuild functions.
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { hash } from "@node-rs/argon2";
import { createPool, type Pool, type ResultSetHeader } from "mysql2/promise";
import { OPEN_STATUSES, type OrderStatus } from "../../app/domain/orders";
import { parsePhone } from "../../app/domain/phone";
import { PROVINCES, type Province } from "../../app/domain/provinces";
import { toDisplayForm, toSearchKey } from "../../app/domain/text";
import { nameKeys } from "../../app/models/customers.server";
import { rebuildInsights } from "../../app/models/insights/rebuild.server";
import { createDb, dropDatabase, ensureDatabase } from "../client";
import { migrateToLatest, migrator } from "../migrator";
import type { PartnerType, Tier } from "../schema";
import { fixedId, mulberry32 } from "./random";

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL || "mysql://root@127.0.0.1:3306/pp_bench";
export const BENCH_BRAND_ID = "01BENCHBRAND00000000000000";
export const DEFAULT_BENCH_CUSTOMERS = 200_000;
/** The moment the data describes: the newest row, and the "now" of its insight summaries. */
export const BENCH_NOW = new Date(Date.UTC(2026, 10, 1));
const PARTNER_COUNT = 300;
const DISTRIBUTOR_COUNT = 30;
const INDEPENDENT_RESELLERS = 30;
export const USERS_PER_PARTNER = 10;
const PRODUCT_COUNT = 2_000;
/** Shares of all customers registered by the three large resellers (so ~100,000+ each at 1M). */
const LARGE_RESELLER_SHARES = [0.14, 0.12, 0.11];
/** Every bench user's password (users exist only in the scratch database). */
export const BENCH_PASSWORD = "bench-password-1404";
export const BENCH_ADMIN_EMAIL = "admin@bench.example";
const ROWS_PER_INSERT = 2_000;
/** Rows per LOAD DATA, and how many loads run at once (each on its own connection). */
const ROWS_PER_LOAD = 50_000;
const ROWS_PER_PACKET = 1_000;
const IN_FLIGHT = 2;
/** Session settings of every connection: sorts and groups of up to half a gigabyte stay in memory. */
const SORT_SESSION = "set session sort_buffer_size = 67108864, tmp_table_size = 536870912, max_heap_table_size = 536870912";
/** And of the loading connections: no per-row unique or foreign-key checks, no binary log. */
const LOAD_SESSION = "unique_checks = 0, foreign_key_checks = 0, sql_log_bin = 0";
/** The big tables whose secondary indexes are rebuilt after the load, in two lanes run at once. */
/** Balanced by their times at 1,000,000 customers: needs 266 s, serving rows 229 s, customers 203 s, interactions 52 s, orders 16 s. */
const INDEX_LANES = [
  ["customer_needs", "interactions", "orders", "order_lines", "order_status_history"],
  ["customer_partners", "customers"],
];

export const benchCustomerId = (i: number) => fixedId("01BENCHCUST", i);
export const benchPartnerId = (i: number) => fixedId("01BENCHPRTN", i);
const userId = (i: number) => fixedId("01BENCHUSER", i);
/** The k-th user (0: the partner admin, then reps) of partner n; ids 1–3,000, then the brand's users. */
const partnerUserNo = (n: number, k: number) => (n - 1) * USERS_PER_PARTNER + k + 1;
/** The e-mail of the k-th user of partner n (k 0 is its partner admin). */
export const benchUserEmail = (n: number, k = 0) => `p${n}u${k}@bench.example`;
const needId = (i: number) => fixedId("01BENCHNEED", i);
const categoryId = (i: number) => fixedId("01BENCHNCAT", i);
const interactionId = (i: number) => fixedId("01BENCHINTR", i);
const productId = (i: number) => fixedId("01BENCHPROD", i);
const orderId = (i: number) => fixedId("01BENCHORDR", i);
const lineId = (i: number) => fixedId("01BENCHOLIN", i);

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** Picks from weighted items in O(log n) (cumulative weights, binary search). */
class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;
  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    let sum = 0;
    for (const w of weights) this.cumulative.push((sum += w));
    this.total = sum;
  }
  pick(r: number): T {
    const x = r * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

/** Popularity by rank: the first names of a list are much more common than the last. */
const zipf = <T>(items: readonly T[], s = 0.9) => new Weighted(items, items.map((_, k) => 1 / Math.pow(k + 1, s)));

// ---------------------------------------------------------------------------------------------
// Reference data (roughly ordered by how common each name is)

const MALE = [
  "محمد", "علی", "حسین", "رضا", "مهدی", "امیر", "محمدرضا", "علیرضا", "حسن", "محمدحسین", "امیرحسین", "ابوالفضل", "محمدمهدی",
  "مصطفی", "سعید", "مجید", "حمید", "جواد", "احمد", "محسن", "عباس", "یوسف", "اکبر", "ناصر", "محمدعلی", "سجاد", "مرتضی", "هادی",
  "وحید", "امین", "میلاد", "احسان", "سینا", "پویا", "پارسا", "آرش", "بابک", "کاوه", "فرهاد", "داریوش", "کوروش", "نیما", "بهروز",
  "بهزاد", "کامران", "کیوان", "فرشید", "شهرام", "پیمان", "رامین", "سامان", "آرمان", "ایمان", "یاسر", "حامد", "مسعود", "منصور",
  "اسماعیل", "ابراهیم", "صادق", "محمدجواد", "محمدامین", "امیرعلی", "امیرمحمد", "طاها", "یاسین", "آرین", "بردیا", "سهیل", "شهاب",
];
const FEMALE = [
  "فاطمه", "زهرا", "مریم", "معصومه", "زینب", "سارا", "نرگس", "مهسا", "الهام", "لیلا", "سمیرا", "نگار", "مینا", "شیرین", "پریسا",
  "آزاده", "ریحانه", "کیمیا", "نازنین", "هانیه", "فرشته", "طاهره", "شبنم", "یگانه", "رویا", "ستاره", "مهتاب", "ترانه", "گلاره",
  "فاطمه\u200Cزهرا", "زهرا\u200Cسادات", "سمیه", "اعظم", "اکرم", "منیژه", "مهناز", "بهناز", "ژیلا", "نسرین", "پروین", "شهلا", "سحر",
  "الناز", "مهشید", "نیلوفر", "آیدا", "هستی", "یاسمن", "رها", "آتنا", "حدیث", "عاطفه", "محدثه", "کوثر", "ملیکا", "مائده", "نیوشا",
  "پرستو", "ساناز", "سپیده", "شادی", "مرجان", "مژگان", "فرزانه", "فریبا", "راضیه", "صدیقه", "طیبه", "هدی", "بهاره",
];
const SURNAMES = [
  "محمدی", "حسینی", "احمدی", "رضایی", "موسوی", "جعفری", "کریمی", "رحیمی", "صادقی", "نوری", "کاظمی", "قاسمی", "حیدری", "مرادی",
  "عباسی", "اکبری", "یزدانی", "طاهری", "شریفی", "نجفی", "ملکی", "زارعی", "بهرامی", "سلطانی", "فرهادی", "امینی", "باقری", "اسدی",
  "نظری", "جلالی", "حسین\u200Cزاده", "علی\u200Cپور", "تقی\u200Cزاده", "ملک\u200Cزاده", "قلی\u200Cپور", "نیک\u200Cنام", "صالحی\u200Cنیا",
  "شاه\u200Cمحمدی", "کاظمی\u200Cنژاد", "میرزایی", "اصفهانی", "شیرازی", "تهرانی", "گیلانی", "آقایی", "پورمحمدی", "رستمی", "فتحی",
  "دهقان", "کرمانی", "یعقوبی", "سبحانی", "افشار", "توکلی", "مقدم", "انصاری", "سعیدی", "کیانی", "محمدزاده", "محمدپور", "رحمانی",
  "ابراهیمی", "اسماعیلی", "قربانی", "خسروی", "سلیمانی", "فراهانی", "هاشمی", "جمالی", "نادری", "عزیزی", "یوسفی", "حسنی", "کامرانی",
  "منصوری", "رنجبر", "زمانی", "شجاعی", "بابایی", "خلیلی", "شکوهی", "عسگری", "فاضلی", "صفری", "قنبری", "وکیلی", "پاکزاد", "نیکزاد",
  "رفیعی", "ثابتی", "طالبی", "بیگی", "خانی", "ولی\u200Cزاده", "رسولی", "حبیبی", "فرجی", "مختاری", "زندی", "شیخی", "امیری", "نصیری",
  "دلاوری", "کمالی", "عطایی", "مهدوی", "نوروزی", "پارسا", "پاکدل", "صدری", "رزاقی", "وحیدی", "فلاحی", "غفاری", "طاهرخانی", "یگانه",
  "افشاری", "ایزدی", "اشرفی", "بهشتی", "جهانگیری", "چراغی", "حقیقی", "خدایی", "درویشی", "رحمتی", "زرگر", "سهرابی", "شاکری",
  "صمدی", "ضیایی", "عرب", "غلامی", "فدایی", "قادری", "کرمی", "گودرزی", "لطفی", "مشهدی", "نیکو", "هوشمند", "یاری", "آزادی", "بخشی",
  "پیری", "ترابی", "ثقفی", "جوادی", "حاتمی", "خرمی",
];
const BUSINESS_TYPES = ["فروشگاه", "رستوران", "هتل", "شرکت", "کافه", "تالار پذیرایی", "کلینیک", "مهمان\u200Cسرا", "آشپزخانهٔ مرکزی", "مجتمع اقامتی"];
const BUSINESS_WORDS = [
  "ستاره", "بهار", "پارسیان", "آرمان", "نارنج", "سپیدار", "مهرگان", "گلستان", "صدف", "البرز", "زاگرس", "سپهر", "آفتاب", "نگین",
  "الماس", "فیروزه", "کوثر", "پردیس", "آسمان", "شهرزاد", "نقش جهان", "ارگ", "ساحل", "مهتاب", "آریا", "پارس", "کیان", "رز", "یاس", "ارغوان",
];

// [province, city, weight ≈ population in 100,000s]
const CITIES: [Province, string, number][] = [
  ["tehran", "تهران", 90], ["tehran", "اسلامشهر", 5], ["tehran", "شهریار", 4], ["tehran", "ورامین", 3], ["tehran", "قدس", 3], ["tehran", "پردیس", 1],
  ["alborz", "کرج", 15], ["alborz", "فردیس", 2], ["alborz", "نظرآباد", 1],
  ["isfahan", "اصفهان", 20], ["isfahan", "کاشان", 3], ["isfahan", "نجف\u200Cآباد", 2], ["isfahan", "خمینی\u200Cشهر", 2],
  ["khorasan_razavi", "مشهد", 33], ["khorasan_razavi", "نیشابور", 3], ["khorasan_razavi", "سبزوار", 2],
  ["fars", "شیراز", 18], ["fars", "مرودشت", 1.5], ["fars", "کازرون", 1],
  ["khuzestan", "اهواز", 13], ["khuzestan", "دزفول", 3], ["khuzestan", "آبادان", 2],
  ["azarbaijan_east", "تبریز", 16], ["azarbaijan_east", "مراغه", 2], ["azarbaijan_east", "مرند", 1],
  ["mazandaran", "ساری", 3], ["mazandaran", "بابل", 2.5], ["mazandaran", "آمل", 2.3], ["mazandaran", "قائم\u200Cشهر", 2],
  ["kerman", "کرمان", 5.4], ["kerman", "سیرجان", 2], ["kerman", "رفسنجان", 1.6],
  ["sistan_baluchestan", "زاهدان", 6], ["sistan_baluchestan", "زابل", 1.4], ["sistan_baluchestan", "چابهار", 1],
  ["azarbaijan_west", "ارومیه", 7.4], ["azarbaijan_west", "خوی", 2], ["azarbaijan_west", "مهاباد", 1.7],
  ["gilan", "رشت", 7], ["gilan", "بندر انزلی", 1.2], ["gilan", "لاهیجان", 1],
  ["kermanshah", "کرمانشاه", 9.5], ["kermanshah", "اسلام\u200Cآباد غرب", 1],
  ["golestan", "گرگان", 3.5], ["golestan", "گنبد کاووس", 1.5],
  ["hormozgan", "بندرعباس", 5.3], ["hormozgan", "قشم", 0.4],
  ["lorestan", "خرم\u200Cآباد", 3.7], ["lorestan", "بروجرد", 2.3],
  ["hamadan", "همدان", 5.5], ["hamadan", "ملایر", 1.7],
  ["kurdistan", "سنندج", 4.1], ["kurdistan", "سقز", 1.7],
  ["markazi", "اراک", 5.2], ["markazi", "ساوه", 2],
  ["qom", "قم", 12],
  ["qazvin", "قزوین", 4], ["qazvin", "تاکستان", 0.8],
  ["ardabil", "اردبیل", 5.3], ["ardabil", "پارس\u200Cآباد", 0.9],
  ["bushehr", "بوشهر", 2.2], ["bushehr", "برازجان", 1.2],
  ["yazd", "یزد", 5.3], ["yazd", "میبد", 0.8],
  ["zanjan", "زنجان", 4.3], ["zanjan", "ابهر", 0.8],
  ["chaharmahal_bakhtiari", "شهرکرد", 1.9], ["chaharmahal_bakhtiari", "بروجن", 0.6],
  ["khorasan_north", "بجنورد", 2.3], ["khorasan_north", "شیروان", 0.8],
  ["kohgiluyeh_boyerahmad", "یاسوج", 1.3], ["kohgiluyeh_boyerahmad", "دهدشت", 0.5],
  ["semnan", "سمنان", 1.9], ["semnan", "شاهرود", 1.5],
  ["ilam", "ایلام", 1.9], ["ilam", "دهلران", 0.4],
  ["khorasan_south", "بیرجند", 1.9], ["khorasan_south", "قائن", 0.4],
];

// Mobile prefixes after +98; those libphonenumber does not accept in full are dropped at start.
const MOBILE_PREFIXES = ["912", "935", "936", "937", "938", "939", "910", "911", "913", "914", "915", "916", "917", "918", "919", "990", "991", "901", "902", "921", "922", "933"];

const NEED_CATEGORIES: [string, string][] = [
  ["یخچال و فریزر", "Refrigerators and freezers"],
  ["ماشین لباسشویی و ظرفشویی", "Washing machines and dishwashers"],
  ["اجاق و فر", "Cookers and ovens"],
  ["کولر و تهویه", "Air conditioning and ventilation"],
  ["لوازم کوچک آشپزخانه", "Small kitchen appliances"],
  ["خدمات پس از فروش", "After-sales service"],
  ["قسط و تأمین مالی", "Instalments and financing"],
];
const NEED_BODIES = ["دنبال مدل کم\u200Cمصرف است", "برای بازسازی آشپزخانه لازم دارد", "خرید اقساطی ۱۲ ماهه می\u200Cخواهد", "پیش\u200Cفاکتور رسمی خواسته است", "منتظر جشنوارهٔ فروش است"];
const CHANNELS = new Weighted(["phone", "sms", "whatsapp", "email", "visit"], [5, 2, 4, 1, 1]);
// What a rep records by hand, and over which channel.
const INTERACTIONS = new Weighted<[string, string]>(
  [["call", "phone"], ["message", "whatsapp"], ["message", "sms"], ["visit", "in_person"], ["note", "phone"], ["support", "phone"], ["material_sent", "whatsapp"]],
  [35, 15, 10, 15, 10, 8, 7],
);
const INTERACTION_NOTES = ["قرار شد هفتهٔ بعد تماس بگیرم", "قیمت‌ها را فرستادم", "برای بازدید از فروشگاه می‌آید", "از خرید قبلی راضی بود", "پیش‌فاکتور خواست"];
const PRODUCT_WORDS = ["پرو", "مکس", "پلاس", "اکو", "نوین", "کلاسیک", "اسمارت", "مینی", "لوکس", "سری ۷"];
const ORDER_STATUSES = new Weighted<OrderStatus>(["delivered", "shipped", "confirmed", "approved", "submitted", "cancelled"], [70, 8, 6, 4, 6, 6]);

// ---------------------------------------------------------------------------------------------
// Partners

interface BenchPartner {
  id: string;
  n: number;
  type: PartnerType;
  parent: string | null;
  province: Province;
  city: string;
}

function planPartners(rand: () => number): BenchPartner[] {
  const cities = new Weighted(CITIES, CITIES.map((c) => c[2]));
  const partners: BenchPartner[] = [];
  for (let n = 1; n <= PARTNER_COUNT; n++) {
    const [province, city] = cities.pick(rand());
    const type: PartnerType = n <= DISTRIBUTOR_COUNT ? "distributor" : "reseller";
    partners.push({ id: benchPartnerId(n), n, type, parent: null, province, city });
  }
  const distributors = partners.filter((p) => p.type === "distributor");
  for (const p of partners.slice(DISTRIBUTOR_COUNT + INDEPENDENT_RESELLERS)) {
    // Mostly the distributor of the reseller's own province, if there is one.
    const local = distributors.filter((d) => d.province === p.province);
    const candidates = local.length && rand() < 0.8 ? local : distributors;
    p.parent = candidates[Math.floor(rand() * candidates.length)].id;
  }
  return partners;
}

const TIERS: Tier[] = ["registered", "silver", "gold", "platinum"];

/**
 * The home page's counters (customer_counts) as rebuildCustomerCounts counts them, tallied while the
 * customers are generated: per scope (the network '', each serving partner and the distributor above
 * it) the customers of each value tier ('none' when not valued), and per need category those with an
 * open need the scope may see (recorded by one of its partners, or shared by the customer's consent).
 */
class CountTally {
  private readonly counts = new Map<string, number>();
  addCustomer(serving: BenchPartner[], tier: string | null, openNeeds: { category: string; partner: BenchPartner }[], shared: boolean): void {
    const scopes = new Set([""]);
    for (const p of serving) {
      scopes.add(p.id);
      if (p.parent) scopes.add(p.parent);
    }
    for (const scope of scopes) {
      this.bump(`${scope}\ttier\t${tier ?? "none"}`);
      const visible = openNeeds.filter((o) => scope === "" || shared || o.partner.id === scope || o.partner.parent === scope);
      for (const category of new Set(visible.map((o) => o.category))) this.bump(`${scope}\tneed\t${category}`);
    }
  }
  private bump(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  rows(brandId: string) {
    return [...this.counts].map(([key, n]) => {
      const [scope_id, metric, bucket] = key.split("\t");
      return { brand_id: brandId, scope_id, metric: metric as "tier" | "need", bucket, n };
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Bulk loading: tab-separated rows streamed to LOAD DATA LOCAL INFILE

type Field = string | number | null;
const TSV_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
/** One field in LOAD DATA's default format: NULL as \N, backslash, tab and line breaks escaped. */
const tsv = (v: Field) => (v === null ? "\\N" : typeof v === "number" ? String(v) : v.replace(/[\\\t\n\r]/g, (c) => TSV_ESCAPES[c]));
const dt = (ms: number) => {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
};
const dtOrNull = (ms: number | null) => (ms === null ? null : dt(ms));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function* pieces(rows: string[], size: number): Generator<Buffer> {
  for (let k = 0; k < rows.length; k += size) yield Buffer.from(`${rows.slice(k, k + size).join("\n")}\n`);
}

/**
 * Collects rows per table and loads them in chunks with LOAD DATA LOCAL INFILE (the rows streamed
 * from memory, no file), a bounded number of loads in flight while the next rows are generated.
 * LOAD DATA LOCAL turns bad values and duplicate keys into warnings, so any warning, or a row count
 * other than the chunk's, fails the run.
 */
class BulkLoader {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly buffers = new Map<string, string[]>();
  private failure: unknown;
  constructor(
    private readonly pool: Pool,
    private readonly columns: Record<string, string>,
  ) {}
  add(table: string, fields: Field[]): void {
    let rows = this.buffers.get(table);
    if (!rows) this.buffers.set(table, (rows = []));
    rows.push(fields.map(tsv).join("\t"));
  }
  /** Loads the tables whose buffers have reached a chunk (waiting while too many loads are in flight). */
  async flushFull(): Promise<void> {
    for (const [table, rows] of this.buffers) if (rows.length >= ROWS_PER_LOAD) await this.flush(table);
  }
  private async flush(table: string): Promise<void> {
    const rows = this.buffers.get(table);
    if (!rows?.length) return;
    this.buffers.set(table, []);
    while (this.pending.size >= IN_FLIGHT) await Promise.race(this.pending);
    if (this.failure) throw this.failure;
    const p: Promise<unknown> = this.pool
      .query({
        // The default field and line format (tab, backslash escapes, newline) is the one tsv() writes.
        sql: `load data local infile '${table}' into table ${table} character set utf8mb4 (${this.columns[table]})`,
        // Each piece of the stream goes out as one packet, so the rows go in pieces well under max_allowed_packet.
        infileStreamFactory: () => Readable.from(pieces(rows, ROWS_PER_PACKET)),
      })
      .then(([result]) => {
        const { affectedRows, warningStatus } = result as ResultSetHeader;
        if (affectedRows !== rows.length || warningStatus) throw new Error(`Loading ${table}: ${affectedRows} of ${rows.length} rows, ${warningStatus} warnings`);
      })
      .catch((e: unknown) => (this.failure ??= e))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }
  async close(): Promise<void> {
    for (const table of this.buffers.keys()) await this.flush(table);
    await Promise.all(this.pending);
    if (this.failure) throw this.failure;
  }
}

const CUSTOMER_COLUMNS = [
  "id", "brand_id", "kind", "display_name", "name_key", "name_alt_key", "phone", "email", "province", "city", "city_key",
  "preferred_locale", "preferred_channel", "preferred_times", "consent_partner_contact", "consent_brand_contact", "consent_share_partners",
  "registered_by_partner_id", "registered_at", "created_by_user_id", "last_contact_at", "order_count", "monetary_rial", "ltv_rial",
  "value_tier", "first_order_at", "last_order_at", "avg_interval_days", "created_at", "updated_at",
].join(", ");
/** The serving rows with the customer columns addServingRows copies (COPIED; no P(alive) before the value job). */
const CUSTOMER_PARTNER_COLUMNS = "customer_id, partner_id, brand_id, since, name_key, name_alt_key, city_key, value_tier, last_contact_at, ltv_rial, order_count, last_order_at, avg_interval_days";
const NEED_COLUMNS = "id, brand_id, customer_id, partner_id, category_id, body, priority, status, product_id, recorded_by_user_id, last_follow_up_at, status_changed_at, created_at, updated_at";
const INTERACTION_COLUMNS = "id, brand_id, customer_id, partner_id, user_id, kind, channel, note, need_id, occurred_at, created_at";
const ORDER_COLUMNS =
  "id, brand_id, partner_id, customer_id, number, status, total_rial, margin_rial, placed_at, created_at, created_by_user_id, promised_ship_on, promised_delivery_on, shipped_on, delivered_on, updated_at";
const ORDER_LINE_COLUMNS =
  "id, brand_id, order_id, product_id, sort, options, personalisation, quantity, unit_list_rial, unit_net_rial, discount_rial, line_total_rial, line_margin_rial, source, promised_ship_on, promised_delivery_on";
const ORDER_HISTORY_COLUMNS = "id, brand_id, order_id, status, user_id, reason, created_at";
/** A product's list price in Rial, from its number: 5 to ~500 million, in thousands. */
const productPrice = (n: number) => 5_000_000 + ((n * 7_919_113) % 495_000) * 1000;

// ---------------------------------------------------------------------------------------------
// Secondary indexes: dropped for the load, rebuilt as the migrations defined them

interface IndexDef {
  name: string;
  unique: boolean;
  parts: string[];
}

async function secondaryIndexes(pool: Pool, table: string): Promise<IndexDef[]> {
  const [rows] = await pool.query(
    `select index_name, non_unique, column_name, sub_part, collation from information_schema.statistics
     where table_schema = database() and table_name = ? and index_name <> 'PRIMARY' order by index_name, seq_in_index`,
    [table],
  );
  const byName = new Map<string, IndexDef>();
  for (const r of rows as { index_name: string; non_unique: number; column_name: string; sub_part: number | null; collation: string | null }[]) {
    const def = byName.get(r.index_name) ?? { name: r.index_name, unique: Number(r.non_unique) === 0, parts: [] };
    def.parts.push(`\`${r.column_name}\`${r.sub_part ? `(${r.sub_part})` : ""}${r.collation === "D" ? " desc" : ""}`);
    byName.set(r.index_name, def);
  }
  return [...byName.values()];
}

const describeIndexes = (defs: IndexDef[]) => defs.map((d) => `${d.unique ? "unique " : ""}${d.name}(${d.parts.join(",")})`).sort().join("; ");

// ---------------------------------------------------------------------------------------------
// The run

export interface BenchDataResult {
  customers: number;
  reused: boolean;
  /** When the data was generated and how long that took (for reused data: the run that generated it). */
  generatedAt: Date | null;
  seconds: { total: number; rows: number; indexes: number; analyze: number } | null;
  counts: Record<(typeof COUNTED)[number], number>;
}

/** The tables whose sizes a report gives. */
export const COUNTED = ["partners", "users", "customers", "customer_partners", "customer_needs", "interactions", "products", "orders", "order_lines"] as const;

// How the data in pp_bench was made, kept beside it so a run that reuses the data can still report it.
const INFO_TABLE = "bench_data_info";

async function readInfo(pool: Pool, n: number): Promise<Pick<BenchDataResult, "generatedAt" | "seconds">> {
  try {
    const [rows] = await pool.query(`select generated_at, seconds_total, seconds_rows, seconds_indexes, seconds_analyze from ${INFO_TABLE} where customers = ?`, [n]);
    const r = (rows as { generated_at: Date; seconds_total: number; seconds_rows: number; seconds_indexes: number; seconds_analyze: number }[])[0];
    if (r) return { generatedAt: r.generated_at, seconds: { total: r.seconds_total, rows: r.seconds_rows, indexes: r.seconds_indexes, analyze: r.seconds_analyze } };
  } catch {
    // No record of how the data was made.
  }
  return { generatedAt: null, seconds: null };
}

async function existingCount(url: string, n: number): Promise<number | null> {
  const admin = createPool({ uri: url, connectionLimit: 1 });
  try {
    const [tables] = await admin.query("select count(*) as n from information_schema.tables where table_schema = database() and table_name = 'customers'");
    if (Number((tables as { n: number }[])[0].n) === 0) return null;
    const [rows] = await admin.query("select count(*) as n from customers where brand_id = ?", [BENCH_BRAND_ID]);
    const count = Number((rows as { n: number }[])[0].n);
    return count === n ? count : null;
  } catch {
    return null;
  } finally {
    await admin.end();
  }
}

async function tableCounts(pool: Pool): Promise<BenchDataResult["counts"]> {
  const counts = {} as BenchDataResult["counts"];
  for (const table of COUNTED) {
    const [rows] = await pool.query(`select count(*) as n from ${table}`);
    counts[table] = Number((rows as { n: number }[])[0].n);
  }
  return counts;
}

/** Makes sure the database at `url` (pp_bench unless told) holds exactly the benchmark data set for n customers, and says how long that took. */
export async function prepareBenchData(n: number, opts: { reuse?: boolean; log?: (line: string) => void; url?: string } = {}): Promise<BenchDataResult> {
  const url = opts.url ?? BENCH_DATABASE_URL;
  const log = opts.log ?? (() => {});
  const started = performance.now();
  const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

  if (opts.reuse && (await existingCount(url, n)) !== null) {
    const db = createDb(url, 1);
    try {
      const pending = (await migrator(db).getMigrations()).filter((m) => !m.executedAt);
      if (pending.length === 0) {
        const pool = createPool({ uri: url, connectionLimit: 1, timezone: "Z" });
        try {
          log(`Reusing ${url.replace(/.*\//, "")} with ${n.toLocaleString("en")} customers.`);
          return { customers: n, reused: true, ...(await readInfo(pool, n)), counts: await tableCounts(pool) };
        } finally {
          await pool.end();
        }
      }
      log(`Pending migrations (${pending.map((m) => m.name).join(", ")}): regenerating.`);
    } finally {
      await db.destroy();
    }
  }

  await dropDatabase(url);
  await ensureDatabase(url);
  // Every connection sorts and groups in memory; the loading ones also skip unique and foreign-key
  // checks and the binary log (the tables start empty and every key is generated unique).
  const db = createDb(url, 2, (p) => p.on("connection", (c) => c.query(SORT_SESSION)));
  const pool = createPool({ uri: url, connectionLimit: IN_FLIGHT + 1, charset: "utf8mb4_unicode_ci", timezone: "Z" });
  pool.on("connection", (c) => c.query(`${SORT_SESSION}, ${LOAD_SESSION}`));
  try {
    const migrationsStarted = performance.now();
    await migrateToLatest(db);

    const bigTables = ["customers", "customer_partners", "customer_needs", "interactions", "orders", "order_lines", "order_status_history"];
    const indexes = new Map<string, IndexDef[]>();
    for (const table of bigTables) {
      const defs = await secondaryIndexes(pool, table);
      indexes.set(table, defs);
      if (defs.length) await pool.query(`alter table ${table} ${defs.map((d) => `drop index \`${d.name}\``).join(", ")}`);
    }
    log(`Schema migrated, secondary indexes dropped in ${seconds(migrationsStarted)} s.`);

    const rand = mulberry32(1404);
    const anchor = BENCH_NOW.getTime();
    const DAY = 86_400_000;

    // Brand, partners, one rep per partner, need categories.
    await db
      .insertInto("brands")
      .values({ id: BENCH_BRAND_ID, name_fa: "برند آزمون کارایی", name_en: "Benchmark Brand", money_unit: "rial", protection_days: 90, value_tier_a_rial: 2_000_000_000n, value_tier_b_rial: 500_000_000n, created_at: new Date(anchor - 6 * 365 * DAY) })
      .execute();
    const partners = planPartners(rand);
    const pickWord = zipf(BUSINESS_WORDS, 0.3);
    await db
      .insertInto("partners")
      .values(
        partners.map((p) => {
          const name_fa = toDisplayForm(`${p.type === "distributor" ? "پخش" : "فروشگاه"} ${pickWord.pick(rand())} ${p.city} ${p.n}`);
          const name_en = `${p.type === "distributor" ? "Distributor" : "Reseller"} ${p.n}`;
          return {
            id: p.id,
            brand_id: BENCH_BRAND_ID,
            name_fa,
            name_en,
            name_key: toSearchKey(`${name_fa} ${name_en}`),
            type: p.type,
            parent_id: p.parent,
            tier: TIERS[Math.floor(rand() * TIERS.length)],
            province: p.province,
            city: p.city,
            phone: null,
            address: null,
            active: true,
            created_at: new Date(anchor - 6 * 365 * DAY),
            updated_at: new Date(anchor - 6 * 365 * DAY),
          };
        }),
      )
      .execute();
    // Ten users per partner (its admin, then reps) and the brand's own, all with one password
    // hashed once; sign-ins of the HTTP benchmark use them.
    const passwordHash = await hash(BENCH_PASSWORD);
    const brandUsers = [
      { email: BENCH_ADMIN_EMAIL, role: "brand_admin" as const, name: "مدیر برند" },
      { email: "manager@bench.example", role: "brand_manager" as const, name: "مدیر فروش برند" },
      { email: "channel@bench.example", role: "channel_manager" as const, name: "مدیر کانال" },
    ];
    const users = [
      ...partners.flatMap((p) =>
        Array.from({ length: USERS_PER_PARTNER }, (_, k) => ({
          id: userId(partnerUserNo(p.n, k)),
          partner_id: p.id,
          email: benchUserEmail(p.n, k),
          display_name: k === 0 ? `مدیر همکار ${p.n}` : `نمایندهٔ ${k} همکار ${p.n}`,
          role: k === 0 ? ("partner_admin" as const) : ("partner_rep" as const),
        })),
      ),
      ...brandUsers.map((u, k) => ({ id: userId(partners.length * USERS_PER_PARTNER + k + 1), partner_id: null, email: u.email, display_name: u.name, role: u.role })),
    ];
    for (let k = 0; k < users.length; k += ROWS_PER_INSERT)
      await db
        .insertInto("users")
        .values(
          users.slice(k, k + ROWS_PER_INSERT).map((u) => ({
            ...u,
            brand_id: BENCH_BRAND_ID,
            name_key: toSearchKey(u.display_name),
            status: "active" as const,
            password_hash: passwordHash,
            created_at: new Date(anchor),
            updated_at: new Date(anchor),
          })),
        )
        .execute();
    await db
      .insertInto("need_categories")
      .values(NEED_CATEGORIES.map(([fa, en], k) => ({ id: categoryId(k + 1), brand_id: BENCH_BRAND_ID, name_fa: fa, name_en: en, sort: (k + 1) * 10, active: true })))
      .execute();
    // The catalogue: products in the need categories, in stock; written after the orders, with the stock they reserve.
    const products = Array.from({ length: PRODUCT_COUNT }, (_, k) => {
      const n = k + 1;
      const [categoryFa, categoryEn] = NEED_CATEGORIES[k % NEED_CATEGORIES.length];
      const name_fa = toDisplayForm(`${categoryFa} ${PRODUCT_WORDS[Math.floor(k / NEED_CATEGORIES.length) % PRODUCT_WORDS.length]} مدل ${n}`);
      const name_en = `${categoryEn} model ${n}`;
      const sku = `BN-${String(n).padStart(5, "0")}`;
      const list = productPrice(n);
      return {
        id: productId(n),
        brand_id: BENCH_BRAND_ID,
        sku,
        name_fa,
        name_en,
        category_id: categoryId((k % NEED_CATEGORIES.length) + 1),
        active: rand() < 0.95,
        list_price_rial: BigInt(list),
        retail_price_rial: BigInt(Math.round((list * 1.2) / 1000) * 1000),
        cost_rial: BigInt(Math.round(list * 0.7)),
        search_key: toSearchKey(`${sku} ${name_fa} ${name_en}`),
        stock_on_hand: 50 + Math.floor(rand() * 500),
        updated_at: new Date(anchor),
      };
    });
    // Who registers customers: a few big partners, many small ones; distributors register less.
    const partnerOrder = [...partners].sort((a, b) => (a.n * 7919) % 211 - (b.n * 7919) % 211);
    const weights = partnerOrder.map((p, k) => (p.type === "distributor" ? 0.4 : 1) / Math.pow(k + 1, 0.7));
    // The first resellers in that order are the large ones, with fixed shares of all customers.
    const large = partnerOrder.flatMap((p, k) => (p.type === "reseller" ? [k] : [])).slice(0, LARGE_RESELLER_SHARES.length);
    const largeShare = LARGE_RESELLER_SHARES.reduce((a, b) => a + b, 0);
    const restWeight = weights.reduce((sum, w, k) => (large.includes(k) ? sum : sum + w), 0);
    large.forEach((k, j) => (weights[k] = (LARGE_RESELLER_SHARES[j] * restWeight) / (1 - largeShare)));
    const registrants = new Weighted(partnerOrder, weights);
    const byProvince = new Map<Province, BenchPartner[]>();
    for (const p of partners) byProvince.set(p.province, [...(byProvince.get(p.province) ?? []), p]);
    const family = (p: BenchPartner) => p.parent ?? p.id;
    const citiesOf = new Map<Province, Weighted<[Province, string, number]>>();
    for (const province of PROVINCES) {
      const list = CITIES.filter((c) => c[0] === province);
      citiesOf.set(province, new Weighted(list, list.map((c) => c[2])));
    }
    const allCities = new Weighted(CITIES, CITIES.map((c) => c[2]));
    const male = zipf(MALE);
    const female = zipf(FEMALE);
    const surname = zipf(SURNAMES, 0.7);
    const businessType = zipf(BUSINESS_TYPES, 0.5);
    const businessWord = zipf(BUSINESS_WORDS, 0.3);
    const keysOf = new Map<string, { name_key: string; name_alt_key: string }>();
    const cityKeyOf = new Map<string, string>();

    // Unique phones: a bijection i → k = (i·A + B) mod M over M = prefixes × 10^7 numbers.
    const prefixes = MOBILE_PREFIXES.filter((p) => [0, 1234567, 5550123, 9999999].every((s) => parsePhone(`+98${p}${String(s).padStart(7, "0")}`) !== null));
    const M = prefixes.length * 10_000_000;
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    let A = 7_654_321;
    while (gcd(A, M) !== 1) A++;
    if (n > M) throw new Error(`At most ${M} customers have distinct phones.`);
    const phoneOf = (i: number) => {
      const k = (i * A + 1_234_567) % M;
      return `+98${prefixes[Math.floor(k / 10_000_000)]}${String(k % 10_000_000).padStart(7, "0")}`;
    };

    const loader = new BulkLoader(pool, {
      customers: CUSTOMER_COLUMNS,
      customer_partners: CUSTOMER_PARTNER_COLUMNS,
      customer_needs: NEED_COLUMNS,
      interactions: INTERACTION_COLUMNS,
      orders: ORDER_COLUMNS,
      order_lines: ORDER_LINE_COLUMNS,
      order_status_history: ORDER_HISTORY_COLUMNS,
    });
    const counts = new CountTally();
    // Units of each product (by number) held by open orders.
    const reserved = new Array<number>(PRODUCT_COUNT + 1).fill(0);
    const rowsStarted = performance.now();
    let needNo = 0;
    let interactionNo = 0;
    let orderNo = 0;
    let lineNo = 0;
    let lastReport = performance.now();
    for (let i = 1; i <= n; i++) {
      const id = benchCustomerId(i);
      const registrant = registrants.pick(rand());
      const [province, city] = (rand() < 0.75 ? citiesOf.get(registrant.province)! : allCities).pick(rand());
      const business = rand() < 0.04;
      let typed: string;
      if (business) typed = `${businessType.pick(rand())} ${businessWord.pick(rand())}`;
      else {
        const isMale = rand() < 0.5;
        const first = (isMale ? male : female).pick(rand());
        typed = `${rand() < 0.04 ? (isMale ? "سید " : "سیده ") : ""}${first} ${surname.pick(rand())}`;
      }
      // One in ten typed on an Arabic keyboard (ي, ك); stored as the app stores it, in display form.
      if (rand() < 0.1) typed = typed.replace(/ی/g, "ي").replace(/ک/g, "ك");
      const display_name = toDisplayForm(typed);
      let keys = keysOf.get(display_name);
      if (!keys) keysOf.set(display_name, (keys = nameKeys(display_name)));
      let city_key = cityKeyOf.get(city);
      if (city_key === undefined) cityKeyOf.set(city, (city_key = toSearchKey(city).slice(0, 100)));

      // Registered over the last five years; most contacted since, some never.
      const registeredAt = anchor - Math.floor(rand() * 5 * 365 * DAY);
      const lastContact = rand() < 0.88 ? Math.min(anchor, registeredAt + Math.floor(Math.pow(rand(), 0.5) * (anchor - registeredAt))) : null;
      // Value: ~30% never ordered; of the buyers 15% tier A, 30% B, 55% C (log-uniform within a tier).
      const buyer = rand() < 0.7;
      const t = rand();
      const tier = !buyer ? null : t < 0.15 ? "A" : t < 0.45 ? "B" : "C";
      const [lo, hi] = tier === "A" ? [2e9, 2e10] : tier === "B" ? [5e8, 2e9] : [2e7, 5e8];
      const ltv = tier ? Math.round((lo * Math.pow(hi / lo, rand())) / 1000) * 1000 : 0;
      const orders = tier ? 1 + Math.floor(-Math.log(1 - rand()) * (tier === "A" ? 8 : tier === "B" ? 4 : 1.5)) : 0;
      const monetary = tier ? Math.round((ltv * (0.4 + 0.4 * rand())) / 1000) * 1000 : 0;
      const firstOrder = tier ? registeredAt + Math.floor(rand() * 30 * DAY) : null;
      const lastOrder = firstOrder === null ? null : Math.min(anchor, firstOrder + Math.floor(rand() * (anchor - firstOrder)));
      const interval = orders > 1 && firstOrder !== null && lastOrder !== null ? Math.round((lastOrder - firstOrder) / DAY / (orders - 1)) : null;
      const email = rand() < 0.35 ? `c${i.toString(36)}@example.${rand() < 0.5 ? "com" : "net"}` : null;
      const updated = Math.max(registeredAt, lastContact ?? 0);
      const locale = rand() < 0.97 ? "fa" : "en";
      const channel = CHANNELS.pick(rand());
      const times = rand() < 0.1 ? "عصرها بعد از ساعت ۱۷" : null;
      const consents = [rand() < 0.8, rand() < 0.6, rand() < 0.4];
      const sharesWithPartners = consents[2];
      const createdBy = userId(partnerUserNo(registrant.n, Math.floor(rand() * USERS_PER_PARTNER)));

      loader.add("customers", [
        id, BENCH_BRAND_ID, business ? "business" : "person", display_name, keys.name_key, keys.name_alt_key, phoneOf(i), email, province, toDisplayForm(city), city_key,
        locale, channel, times, ...consents.map((c) => (c ? 1 : 0)), registrant.id, dt(registeredAt), createdBy, dtOrNull(lastContact), orders, monetary, ltv,
        tier, dtOrNull(firstOrder), dtOrNull(lastOrder), interval, dt(registeredAt), dt(updated),
      ]);

      // Served by the registrant and, for a quarter, by an unrelated partner (mostly of the same province).
      const serving = [registrant];
      if (rand() < 0.25) {
        const local = byProvince.get(province) ?? [];
        for (let attempt = 0; attempt < 5; attempt++) {
          const other = local.length && rand() < 0.7 ? local[Math.floor(rand() * local.length)] : partners[Math.floor(rand() * partners.length)];
          if (family(other) !== family(registrant)) {
            serving.push(other);
            break;
          }
        }
      }
      // The serving rows carry the customer's search keys and value facts, as addServingRows copies them.
      const copied = [keys.name_key, keys.name_alt_key, city_key, tier, dtOrNull(lastContact), ltv, orders, dtOrNull(lastOrder), interval];
      for (const [k, p] of serving.entries()) loader.add("customer_partners", [id, p.id, BENCH_BRAND_ID, dt(registeredAt + k * 45 * DAY), ...copied]);

      const repOf = (p: BenchPartner) => userId(partnerUserNo(p.n, 1 + Math.floor(rand() * (USERS_PER_PARTNER - 1))));
      const since = (from: number) => from + Math.floor(Math.pow(rand(), 0.7) * (anchor - from));

      // Needs: 0–6 per customer (3 on average), a third of them still open.
      const needCount = Math.floor(rand() * 7);
      const needs: string[] = [];
      const openNeeds: { category: string; partner: BenchPartner }[] = [];
      for (let k = 0; k < needCount; k++) {
        const p = serving[Math.floor(rand() * serving.length)];
        const createdAt = since(registeredAt);
        const status = rand() < 0.35 ? "open" : rand() < 0.7 ? "met" : "declined";
        const nid = needId(++needNo);
        needs.push(nid);
        const category = categoryId(1 + Math.floor(rand() * NEED_CATEGORIES.length));
        if (status === "open") openNeeds.push({ category, partner: p });
        loader.add("customer_needs", [
          nid, BENCH_BRAND_ID, id, p.id, category, NEED_BODIES[Math.floor(rand() * NEED_BODIES.length)], rand() < 0.3 ? "high" : rand() < 0.6 ? "medium" : "low", status,
          rand() < 0.3 ? productId(1 + Math.floor(rand() * PRODUCT_COUNT)) : null, repOf(p),
          rand() < 0.5 ? dt(createdAt + Math.floor(rand() * (anchor - createdAt))) : null, status === "open" ? null : dt(createdAt), dt(createdAt), dt(createdAt),
        ]);
      }
      counts.addCustomer(serving, tier, openNeeds, sharesWithPartners);

      // Interactions: 0–10 per customer (5 on average), recorded by reps of its partners.
      const interactionCount = Math.floor(rand() * 11);
      for (let k = 0; k < interactionCount; k++) {
        const p = serving[Math.floor(rand() * serving.length)];
        const at = since(registeredAt);
        const [kind, channel] = INTERACTIONS.pick(rand());
        loader.add("interactions", [
          interactionId(++interactionNo), BENCH_BRAND_ID, id, p.id, repOf(p), kind, channel,
          rand() < 0.4 ? INTERACTION_NOTES[Math.floor(rand() * INTERACTION_NOTES.length)] : null,
          needs.length && rand() < 0.2 ? needs[Math.floor(rand() * needs.length)] : null, dt(at), dt(at),
        ]);
      }

      // Orders: one for a fifth of the customers, placed through the registrant, with 1–3 lines.
      if (rand() < 0.2) {
        const o = orderId(++orderNo);
        const status = ORDER_STATUSES.pick(rand());
        const placed = since(registeredAt);
        const shipped = status === "shipped" || status === "delivered";
        let total = 0;
        let margin = 0;
        const lineCount = 1 + Math.floor(rand() * 3);
        for (let k = 0; k < lineCount; k++) {
          const product = 1 + Math.floor(rand() * PRODUCT_COUNT);
          const qty = 1 + Math.floor(rand() * 4);
          const list = productPrice(product);
          const net = Math.round((list * 0.85) / 1000) * 1000;
          total += net * qty;
          margin += (net - Math.round(list * 0.7)) * qty;
          // Every line is served from stock: an open order holds its units.
          if (OPEN_STATUSES.includes(status)) reserved[product] += qty;
          loader.add("order_lines", [
            lineId(++lineNo), BENCH_BRAND_ID, o, productId(product), k, "{}", "{}", qty, list, net, (list - net) * qty, net * qty,
            (net - Math.round(list * 0.7)) * qty, "stock", day(placed + 2 * DAY), day(placed + 5 * DAY),
          ]);
        }
        loader.add("orders", [
          o, BENCH_BRAND_ID, registrant.id, id, `BN-${orderNo}`, status, total, margin, dt(placed), dt(placed),
          repOf(registrant), day(placed + 2 * DAY), day(placed + 5 * DAY), shipped ? day(placed + 2 * DAY) : null, status === "delivered" ? day(placed + 5 * DAY) : null, dt(placed),
        ]);
        loader.add("order_status_history", [o, BENCH_BRAND_ID, o, status, null, null, dt(placed)]);
      }
      await loader.flushFull();

      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        log(`  ${i.toLocaleString("en")} / ${n.toLocaleString("en")} customers (${seconds(rowsStarted)} s)`);
      }
    }
    await loader.close();
    // The catalogue, with the stock the open orders reserve (never above what is on hand, as submits keep it),
    // and the home page's counters as every write keeps them.
    const catalogue = products.map((p, k) => ({ ...p, stock_reserved: reserved[k + 1], stock_on_hand: Math.max(p.stock_on_hand, reserved[k + 1]) }));
    for (let k = 0; k < catalogue.length; k += 500) await db.insertInto("products").values(catalogue.slice(k, k + 500)).execute();
    await db.insertInto("customer_counts").values(counts.rows(BENCH_BRAND_ID)).execute();
    const rowsSeconds = seconds(rowsStarted);
    log(`Rows written in ${rowsSeconds} s.`);

    // Two lanes of index builds at once; the insight summaries once the tables they read are indexed.
    const indexStarted = performance.now();
    const addIndexes = async (table: string) => {
      const tableStarted = performance.now();
      const defs = indexes.get(table)!;
      if (defs.length) await pool.query(`alter table ${table} ${defs.map((d) => `add ${d.unique ? "unique " : ""}index \`${d.name}\` (${d.parts.join(", ")})`).join(", ")}`);
      const rebuilt = await secondaryIndexes(pool, table);
      if (describeIndexes(rebuilt) !== describeIndexes(defs)) throw new Error(`Indexes of ${table} differ after the rebuild: ${describeIndexes(rebuilt)}`);
      log(`  indexes of ${table} in ${seconds(tableStarted)} s`);
    };
    await Promise.all(
      INDEX_LANES.map(async (lane) => {
        for (const table of lane) await addIndexes(table);
      }),
    );
    const indexSeconds = seconds(indexStarted);
    log(`Secondary indexes rebuilt in ${indexSeconds} s.`);

    const analyzeStarted = performance.now();
    await pool.query(`analyze table ${[...bigTables, "partners", "users", "products"].join(", ")}`);
    const analyzeSeconds = seconds(analyzeStarted);

    // The insight pages' summaries, as the daily job builds them.
    const summariesStarted = performance.now();
    await rebuildInsights(db, BENCH_BRAND_ID, BENCH_NOW);
    log(`Insight summaries rebuilt in ${seconds(summariesStarted)} s.`);

    const generatedAt = new Date();
    const secs = { total: seconds(started), rows: rowsSeconds, indexes: indexSeconds, analyze: analyzeSeconds };
    await pool.query(`create table ${INFO_TABLE} (customers int primary key, generated_at datetime(3) not null, seconds_total double not null, seconds_rows double not null, seconds_indexes double not null, seconds_analyze double not null)`);
    await pool.query(`insert into ${INFO_TABLE} values (?, ?, ?, ?, ?, ?)`, [n, generatedAt, secs.total, secs.rows, secs.indexes, secs.analyze]);
    return { customers: n, reused: false, generatedAt, seconds: secs, counts: await tableCounts(pool) };
  } finally {
    await pool.end();
    await db.destroy();
  }
}

export function benchCustomerCount(): number {
  const raw = process.env.BENCH_CUSTOMERS?.replace(/[_,]/g, "");
  const n = raw ? Number(raw) : DEFAULT_BENCH_CUSTOMERS;
  if (!Number.isSafeInteger(n) || n < 1000) throw new Error(`BENCH_CUSTOMERS must be a whole number of at least 1000, not ${process.env.BENCH_CUSTOMERS}`);
  return n;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = benchCustomerCount();
  const result = await prepareBenchData(n, { reuse: process.env.BENCH_REUSE === "1", log: console.log });
  const s = result.seconds;
  console.log(
    result.reused || !s
      ? `Bench data already in place (${n.toLocaleString("en")} customers).`
      : `Generated ${Object.entries(result.counts).map(([table, count]) => `${count.toLocaleString("en")} ${table}`).join(", ")} in ${s.total} s (rows ${s.rows} s, indexes ${s.indexes} s, analyze ${s.analyze} s).`,
  );
}
