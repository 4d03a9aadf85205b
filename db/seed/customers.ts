// Demo end customers of the demo brand: catalogue basics, ~300 customers with serving partners,
// consents, needs, a timeline, order headers, registration conflicts and notifications, and the
// computed value columns.
//
// Deterministic: every random choice comes from one seeded generator, every id is derived from an
// index, and every time is a whole number of seconds before one reference instant (the time of
// the first run, recovered from customer 1 on later runs). Idempotent: only rows whose ids are
// missing are inserted, so running the seed again changes nothing.
import { toJalaali } from "jalaali-js";
import { sql, type Insertable, type Kysely, type Transaction } from "kysely";
import { assignValueTier, computeRfm, estimateLifetimeValue, valueTierThresholds, type OrderFact } from "../../app/domain/customer-value";
import { parsePhone } from "../../app/domain/phone";
import type { Province } from "../../app/domain/provinces";
import { tehranToday } from "../../app/domain/promise-date";
import { toDisplayForm, toSearchKey } from "../../app/domain/text";
import { rebuildCustomerCounts } from "../../app/models/customer-counts.server";
import { nameKeys } from "../../app/models/customers.server";
import { rebuildServingRows } from "../../app/models/serving-rows.server";
import type {
  ConsentEventsTable,
  ContactChannel,
  CustomerNeedsTable,
  CustomerPartnersTable,
  CustomerPreferencesTable,
  CustomersTable,
  DB,
  InteractionChannel,
  InteractionKind,
  InteractionsTable,
  NeedCategoriesTable,
  NeedPriority,
  NeedStatus,
  NotificationsTable,
  OrdersTable,
  PreferenceKeysTable,
  ProductsTable,
  ServeRequestsTable,
} from "../schema";
import { DEMO_BRAND_ID, DEMO_PARTNERS, DEMO_USERS } from "./foundation";
import { fixedId, mulberry32 } from "./random";

export const DEMO_CUSTOMER_COUNT = 300;

export const demoCustomerId = (i: number) => fixedId("01DEMQCUST", i);
const categoryId = (n: number) => fixedId("01DEMQNEEDCAT", n);
const productId = (n: number) => fixedId("01DEMQPRODUCT", n);
const prefKeyId = (n: number) => fixedId("01DEMQPREFKEY", n);

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

const HOUR = 3600;
const DAY = 86_400;

// ---------------------------------------------------------------------------------------------
// Reference data

export type CategoryKey = "fridge" | "washer" | "oven" | "cooling" | "small" | "service" | "finance";

const CATEGORIES: { key: CategoryKey; fa: string; en: string }[] = [
  { key: "fridge", fa: "یخچال و فریزر", en: "Refrigerators and freezers" },
  { key: "washer", fa: "ماشین لباسشویی و ظرفشویی", en: "Washing machines and dishwashers" },
  { key: "oven", fa: "اجاق و فر", en: "Cookers and ovens" },
  { key: "cooling", fa: "کولر و تهویه", en: "Air conditioning and ventilation" },
  { key: "small", fa: "لوازم کوچک آشپزخانه", en: "Small kitchen appliances" },
  { key: "service", fa: "خدمات پس از فروش", en: "After-sales service" },
  { key: "finance", fa: "قسط و تأمین مالی", en: "Instalments and financing" },
];
const categoryIdOf = (key: CategoryKey) => categoryId(CATEGORIES.findIndex((c) => c.key === key) + 1);
/** Ids of the demo catalogue's basics, for the catalogue seed. */
export const demoCategoryId = categoryIdOf;
export const demoProductId = (sku: string) => productId(PRODUCTS.findIndex((p) => p.sku === sku) + 1);

const PRODUCTS: { sku: string; fa: string; en: string; category: CategoryKey; active: boolean }[] = [
  { sku: "RF-540", fa: "یخچال فریزر ساید بای ساید ۵۴۰ لیتری", en: "Side-by-side fridge freezer 540 L", category: "fridge", active: true },
  { sku: "RF-320", fa: "یخچال فریزر دوقلو ۳۲۰ لیتری", en: "Twin fridge and freezer 320 L", category: "fridge", active: true },
  { sku: "RF-480", fa: "یخچال فریزر بالا پایین ۴۸۰ لیتری", en: "Top-freezer fridge 480 L", category: "fridge", active: false },
  { sku: "FZ-260", fa: "فریزر ایستاده ۶ کشو", en: "Upright freezer, 6 drawers", category: "fridge", active: true },
  { sku: "WM-914", fa: "ماشین لباسشویی ۹ کیلویی ۱۴۰۰ دور", en: "Washing machine 9 kg, 1400 rpm", category: "washer", active: true },
  { sku: "WM-812", fa: "ماشین لباسشویی ۸ کیلویی ۱۲۰۰ دور", en: "Washing machine 8 kg, 1200 rpm", category: "washer", active: false },
  { sku: "DW-1412", fa: "ماشین ظرفشویی ۱۴ نفره", en: "Dishwasher, 14 place settings", category: "washer", active: true },
  { sku: "GS-590", fa: "اجاق گاز پنج شعله فردار", en: "Five-burner gas range with oven", category: "oven", active: true },
  { sku: "BO-600", fa: "فر توکار برقی ۶۰ سانتی", en: "Built-in electric oven 60 cm", category: "oven", active: true },
  { sku: "HD-900", fa: "هود مورب ۹۰ سانتی", en: "Slanted cooker hood 90 cm", category: "oven", active: true },
  { sku: "AC-24I", fa: "کولر گازی اینورتر ۲۴۰۰۰", en: "Inverter air conditioner 24,000 BTU", category: "cooling", active: true },
  { sku: "AC-18", fa: "کولر گازی ۱۸۰۰۰ (مدل قدیم)", en: "Air conditioner 18,000 BTU (old model)", category: "cooling", active: false },
  { sku: "EC-7000", fa: "کولر آبی سلولزی ۷۰۰۰", en: "Evaporative cooler 7000", category: "cooling", active: true },
  { sku: "AF-55", fa: "سرخ‌کن بدون روغن ۵٫۵ لیتری", en: "Air fryer 5.5 L", category: "small", active: true },
  { sku: "TM-210", fa: "چای‌ساز برقی", en: "Electric tea maker", category: "small", active: true },
  { sku: "VC-2200", fa: "جاروبرقی ۲۲۰۰ وات", en: "Vacuum cleaner 2200 W", category: "small", active: true },
];

const PREFERENCE_KEYS: { fa: string; en: string; values: string[] }[] = [
  { fa: "رنگ مورد علاقه", en: "Favourite colour", values: ["استیل", "سفید", "مشکی", "نقره‌ای", "کرم"] },
  { fa: "بازهٔ بودجه", en: "Budget range", values: ["تا ۲۰۰ میلیون ریال", "۲۰۰ تا ۴۰۰ میلیون ریال", "۴۰۰ تا ۸۰۰ میلیون ریال", "بیش از ۸۰۰ میلیون ریال"] },
  { fa: "زمان تحویل ترجیحی", en: "Preferred delivery time", values: ["صبح‌ها", "عصرها بعد از ساعت ۱۷", "پنجشنبه‌ها", "آخر هفته"] },
  { fa: "روش پرداخت", en: "Payment method", values: ["نقدی", "اقساطی", "کارت بانکی", "چک"] },
];

// Persian names with a Latin spelling for the email address.
const MALE: [string, string][] = [
  ["محمد", "mohammad"], ["علی", "ali"], ["حسین", "hossein"], ["رضا", "reza"], ["مهدی", "mehdi"], ["امیر", "amir"],
  ["محمدحسین", "mohammadhossein"], ["علیرضا", "alireza"], ["محمدرضا", "mohammadreza"], ["حسن", "hasan"], ["سعید", "saeed"],
  ["مجید", "majid"], ["حمید", "hamid"], ["بهروز", "behrouz"], ["کاوه", "kaveh"], ["آرش", "arash"], ["بابک", "babak"],
  ["پویا", "pouya"], ["سینا", "sina"], ["امیرحسین", "amirhossein"], ["ابوالفضل", "abolfazl"], ["مصطفی", "mostafa"],
  ["جواد", "javad"], ["یوسف", "yousef"], ["داریوش", "dariush"], ["فرهاد", "farhad"], ["میلاد", "milad"], ["عباس", "abbas"],
  ["کوروش", "kourosh"], ["نیما", "nima"], ["پارسا", "parsa"], ["محمدمهدی", "mohammadmehdi"], ["احسان", "ehsan"], ["وحید", "vahid"],
];
const FEMALE: [string, string][] = [
  ["فاطمه", "fatemeh"], ["زهرا", "zahra"], ["مریم", "maryam"], ["سارا", "sara"], ["نگار", "negar"], ["الهام", "elham"],
  ["مینا", "mina"], ["نرگس", "narges"], ["لیلا", "leila"], ["شیرین", "shirin"], ["مهسا", "mahsa"], ["پریسا", "parisa"],
  ["سمیرا", "samira"], ["آزاده", "azadeh"], ["ریحانه", "reyhaneh"], ["کیمیا", "kimia"], ["نازنین", "nazanin"], ["هانیه", "haniyeh"],
  ["فرشته", "fereshteh"], ["طاهره", "tahereh"], ["زهرا\u200Cسادات", "zahrasadat"], ["فاطمه\u200Cزهرا", "fatemehzahra"],
  ["معصومه", "masoumeh"], ["شبنم", "shabnam"], ["یگانه", "yeganeh"], ["رویا", "roya"], ["ستاره", "setareh"], ["مهتاب", "mahtab"],
  ["ترانه", "taraneh"], ["گلاره", "gelareh"],
];
const SURNAMES: [string, string][] = [
  ["محمدی", "mohammadi"], ["حسینی", "hosseini"], ["احمدی", "ahmadi"], ["رضایی", "rezaei"], ["موسوی", "mousavi"], ["جعفری", "jafari"],
  ["کریمی", "karimi"], ["رحیمی", "rahimi"], ["صادقی", "sadeghi"], ["نوری", "nouri"], ["کاظمی", "kazemi"], ["قاسمی", "ghasemi"],
  ["حیدری", "heydari"], ["مرادی", "moradi"], ["عباسی", "abbasi"], ["اکبری", "akbari"], ["یزدانی", "yazdani"], ["طاهری", "taheri"],
  ["شریفی", "sharifi"], ["نجفی", "najafi"], ["ملکی", "maleki"], ["زارعی", "zarei"], ["بهرامی", "bahrami"], ["سلطانی", "soltani"],
  ["فرهادی", "farhadi"], ["امینی", "amini"], ["باقری", "bagheri"], ["اسدی", "asadi"], ["نظری", "nazari"], ["جلالی", "jalali"],
  ["حسین\u200Cزاده", "hosseinzadeh"], ["علی\u200Cپور", "alipour"], ["تقی\u200Cزاده", "taghizadeh"], ["ملک\u200Cزاده", "malekzadeh"],
  ["قلی\u200Cپور", "gholipour"], ["نیک\u200Cنام", "niknam"], ["صالحی\u200Cنیا", "salehinia"], ["شاه\u200Cمحمدی", "shahmohammadi"],
  ["کاظمی\u200Cنژاد", "kazeminejad"], ["میرزایی", "mirzaei"], ["اصفهانی", "esfahani"], ["شیرازی", "shirazi"], ["تهرانی", "tehrani"],
  ["گیلانی", "gilani"], ["آقایی", "aghaei"], ["پورمحمدی", "pourmohammadi"], ["رستمی", "rostami"], ["فتحی", "fathi"],
  ["دهقان", "dehghan"], ["کرمانی", "kermani"], ["یعقوبی", "yaghoubi"], ["سبحانی", "sobhani"], ["افشار", "afshar"],
  ["توکلی", "tavakoli"], ["مقدم", "moghadam"], ["انصاری", "ansari"], ["سعیدی", "saeedi"], ["کیانی", "kiani"],
];

/**
 * Names typed on an Arabic keyboard (Arabic yeh ي / alef maksura ى and kaf ك). They are stored in
 * the display form (ی / ک) like any other input; the typed form lives only here, so a test can
 * search with it.
 */
export const ARABIC_TYPED_NAMES: [string, string][] = [
  ["علي كريمي", "ali.karimi"], ["مهدي كاظمي", "mehdi.kazemi"], ["زينب يوسفي", "zeynab.yousefi"], ["كامران يزداني", "kamran.yazdani"],
  ["نيلوفر كاوياني", "niloufar.kaviani"], ["ياسمن كريمخاني", "yasaman.karimkhani"], ["مريم كياني", "maryam.kiani"],
  ["سعيد كرمي", "saeed.karami"], ["هادي ملكي", "hadi.maleki"], ["ليلا كاشاني", "leila.kashani"], ["حميد يگانه", "hamid.yeganeh"],
  ["كيوان رحيمي", "keyvan.rahimi"], ["سميه بيگي", "somayeh.beigi"], ["يحيى كوهي", "yahya.koohi"], ["شكوفه نيكپور", "shokoufeh.nikpour"],
];
const ARABIC_TYPED_FIRST = 7;
const ARABIC_TYPED_EVERY = 20;
const isArabicTyped = (i: number) => i % ARABIC_TYPED_EVERY === ARABIC_TYPED_FIRST;

/** The customers whose names were typed on an Arabic keyboard, with the name as typed. */
export const ARABIC_TYPED_CUSTOMERS = ARABIC_TYPED_NAMES.map(([typed], k) => ({ id: demoCustomerId(ARABIC_TYPED_FIRST + ARABIC_TYPED_EVERY * k), typedName: typed }));

const isBusiness = (i: number) => i % 10 === 4;
const BUSINESSES: [string, string][] = [
  ["رستوران سنتی شهرزاد", "shahrzad-restaurant"], ["هتل پارسیان", "parsian-hotel"], ["کافه\u200Cرستوران نارنج", "narenj-cafe"],
  ["هتل آپارتمان ستاره", "setareh-hotel"], ["مجتمع اقامتی گلستان", "golestan-residence"], ["آشپزخانهٔ مرکزی بهار", "bahar-kitchen"],
  ["تالار پذیرایی قصر سفید", "ghasr-sefid-hall"], ["کترینگ مهرگان", "mehregan-catering"], ["مهمان\u200Cسرای سپیدار", "sepidar-guesthouse"],
  ["مدرسهٔ غیرانتفاعی فرهیختگان", "farhikhtegan-school"], ["کلینیک دندان\u200Cپزشکی لبخند", "labkhand-clinic"],
  ["شیرینی\u200Cسرای نوبهار", "nobahar-pastry"], ["فست\u200Cفود هانی", "hani-fastfood"], ["اقامتگاه بوم\u200Cگردی خانهٔ مادربزرگ", "madarbozorg-ecolodge"],
  ["باشگاه ورزشی پردیس", "pardis-club"], ["دفتر مهندسی نقش جهان", "naghshejahan-eng"], ["رستوران دریایی صدف", "sadaf-seafood"],
  ["هتل جهانگردی زاگرس", "zagros-hotel"], ["شرکت ساختمانی بنیان\u200Cسازه", "bonyansazeh"], ["کافه کتاب سپهر", "sepehr-cafe"],
  ["مهدکودک گل\u200Cهای بهاری", "golhaye-bahari"], ["خوابگاه دانشجویی فرزانگان", "farzanegan-dorm"], ["کبابی حاج علی", "hajali-kabab"],
  ["پیتزا ناپل", "napoli-pizza"], ["هتل بوتیک ارگ", "arg-hotel"], ["سرای سالمندان آرامش", "aramesh-care"], ["کافه دنج", "denj-cafe"],
  ["رستوران محلی گیل\u200Cآوا", "gilava-restaurant"], ["مجموعهٔ ویلایی ساحل", "sahel-villas"], ["تهیهٔ غذای ممتاز", "momtaz-food"],
];

const CITIES: Partial<Record<Province, [string, number][]>> = {
  tehran: [["تهران", 12], ["شهریار", 1], ["پردیس", 1]],
  alborz: [["کرج", 8], ["فردیس", 2]],
  fars: [["شیراز", 8], ["مرودشت", 1], ["کازرون", 1]],
  isfahan: [["اصفهان", 7], ["کاشان", 1], ["نجف\u200Cآباد", 1], ["خمینی\u200Cشهر", 1]],
  khorasan_razavi: [["مشهد", 9], ["نیشابور", 1]],
  mazandaran: [["ساری", 5], ["بابل", 2], ["آمل", 2], ["قائم\u200Cشهر", 1]],
  gilan: [["رشت", 7], ["بندر انزلی", 2], ["لاهیجان", 1]],
  golestan: [["گرگان", 1]],
  yazd: [["یزد", 4], ["میبد", 1]],
  khuzestan: [["اهواز", 4], ["دزفول", 1]],
  azarbaijan_east: [["تبریز", 1]],
  kerman: [["کرمان", 3], ["رفسنجان", 1]],
  bushehr: [["بوشهر", 1]],
  hormozgan: [["بندرعباس", 1]],
  qom: [["قم", 1]],
  hamadan: [["همدان", 1]],
  kermanshah: [["کرمانشاه", 1]],
  qazvin: [["قزوین", 1]],
  markazi: [["اراک", 1]],
  semnan: [["سمنان", 1]],
};

const pid = (n: number) => DEMO_PARTNERS[n - 1].id;
// Where each partner's customers live.
const PARTNER_REGIONS: Record<string, [Province, number][]> = {
  [pid(1)]: [["tehran", 10], ["alborz", 2], ["azarbaijan_east", 2], ["khuzestan", 2], ["gilan", 2], ["qom", 1], ["hamadan", 1], ["kermanshah", 1], ["qazvin", 1], ["markazi", 1], ["semnan", 1]],
  [pid(2)]: [["fars", 5], ["bushehr", 2], ["hormozgan", 2], ["kerman", 2], ["khuzestan", 1]],
  [pid(3)]: [["tehran", 9], ["alborz", 1]],
  [pid(4)]: [["alborz", 8], ["tehran", 2]],
  [pid(5)]: [["fars", 1]],
  [pid(6)]: [["isfahan", 8], ["yazd", 2]],
  [pid(7)]: [["khorasan_razavi", 1]],
  [pid(8)]: [["mazandaran", 6], ["gilan", 3], ["golestan", 2]],
};
const REGISTRANTS: [string, number][] = [
  [pid(1), 22], [pid(3), 20], [pid(5), 17], [pid(6), 13], [pid(2), 7], [pid(4), 7], [pid(7), 7], [pid(8), 7],
];

const USERS_BY_PARTNER = new Map<string, string[]>();
for (const u of DEMO_USERS) if (u.partnerId) USERS_BY_PARTNER.set(u.partnerId, [...(USERS_BY_PARTNER.get(u.partnerId) ?? []), u.id]);
const usersOf = (partnerId: string) => USERS_BY_PARTNER.get(partnerId) ?? [];
const CHANNEL_MANAGER = DEMO_USERS.find((u) => u.role === "channel_manager")!.id;
const partnerById = new Map(DEMO_PARTNERS.map((p) => [p.id, p]));
/** A partner and its distributor (or resellers) are one family: they never compete for a customer. */
const related = (a: string, b: string) => a === b || partnerById.get(a)?.parent === b || partnerById.get(b)?.parent === a;
/** Another partner who might also serve a customer: mostly one working in the customer's province. */
const nearbyWeights = (partnerIds: string[], province: Province): [string, number][] =>
  partnerIds.map((id) => [id, PARTNER_REGIONS[id].some(([p]) => p === province) ? 8 : 1]);

const MOBILE_PREFIXES = ["0912", "0912", "0912", "0935", "0936", "0937", "0938", "0939", "0910", "0911", "0913", "0914", "0915", "0916", "0917", "0918", "0919", "0990", "0991", "0901", "0902", "0921", "0922", "0933"];
const EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example"];

const PREFERRED_TIMES = ["صبح\u200Cها ۹ تا ۱۲", "عصرها بعد از ساعت ۱۷", "فقط پنجشنبه\u200Cها", "ظهرها بین ۱۲ تا ۱۴", "روزهای زوج، عصر", "آخر هفته\u200Cها"];
const BUSINESS_TIMES = ["ساعات اداری ۸ تا ۱۶", "قبل از ساعت ۱۱ صبح", "شنبه تا چهارشنبه، صبح"];

const NEED_BODIES: Record<CategoryKey, string[]> = {
  fridge: [
    "دنبال یخچال ساید بای ساید با مصرف برق کم است",
    "یخچال فریزر دوقلو برای آشپزخانهٔ کوچک می\u200Cخواهد",
    "به یخچال با آب\u200Cسردکن و یخ\u200Cساز علاقه دارد",
    "یخچال قدیمی برفک می\u200Cزند؛ دنبال جایگزین نوفراست است",
  ],
  washer: [
    "ماشین لباسشویی ۹ کیلویی با دور موتور بالا می\u200Cخواهد",
    "دنبال لباسشویی کم\u200Cصدا برای آپارتمان است",
    "ماشین ظرفشویی ۱۴ نفره برای خانوادهٔ پرجمعیت لازم دارد",
  ],
  oven: ["اجاق گاز پنج شعله با فر برقی می\u200Cخواهد", "برای بازسازی آشپزخانه فر توکار لازم دارد", "هود مورب هماهنگ با اجاق گاز می\u200Cخواهد"],
  cooling: ["کولر گازی اینورتر ۲۴ هزار برای پذیرایی می\u200Cخواهد", "کولر آبی سلولزی برای ویلا لازم دارد", "سرویس و شست\u200Cوشوی کولر پیش از تابستان"],
  small: ["سرخ\u200Cکن بدون روغن با ظرفیت بالا می\u200Cخواهد", "چای\u200Cساز برای دفتر کار لازم دارد", "دنبال جاروبرقی کم\u200Cصدا با کیسهٔ بزرگ است"],
  service: ["تمدید گارانتی یخچال خریداری\u200Cشده", "درخواست نصب رایگان و آموزش استفاده", "قطعهٔ یدکی درِ فریزر را لازم دارد"],
  finance: ["خرید اقساطی ۱۲ ماهه با پیش\u200Cپرداخت کم", "تخفیف نقدی برای خرید همزمان چند دستگاه", "شرایط خرید با چک برای سفارش عمده"],
};
const BUSINESS_NEED_BODIES: Partial<Record<CategoryKey, string[]>> = {
  fridge: ["فریزر ایستادهٔ ۶ کشو برای آشپزخانهٔ رستوران لازم دارد", "چند یخچال برای اتاق\u200Cهای هتل می\u200Cخواهد"],
  washer: ["ماشین ظرفشویی پرظرفیت برای آشپزخانهٔ صنعتی", "چند ماشین لباسشویی برای رخت\u200Cشوی\u200Cخانه لازم دارد"],
  cooling: ["کولر گازی برای سالن پذیرایی و اتاق\u200Cها", "قرارداد سرویس دوره\u200Cای کولرها"],
  finance: ["خرید عمده با تسویهٔ چهار ماهه", "پیش\u200Cفاکتور رسمی برای مناقصهٔ داخلی"],
};

const INTERACTION_NOTES: Record<"visit" | "call" | "message" | "support" | "material_sent" | "note", string[]> = {
  visit: [
    "بازدید از فروشگاه و بررسی مدل\u200Cهای یخچال",
    "مشتری برای دیدن ماشین لباسشویی به فروشگاه آمد",
    "مقایسهٔ حضوری دو مدل اجاق گاز",
    "بازدید از نمایشگاه فصلی و دریافت پیش\u200Cفاکتور",
  ],
  call: [
    "تماس برای هماهنگی زمان تحویل",
    "پیگیری رضایت از خرید قبلی",
    "استعلام قیمت کولر گازی",
    "پرسش دربارهٔ شرایط اقساط",
    "یادآوری پایان دورهٔ گارانتی",
  ],
  message: ["ارسال لیست قیمت جدید در واتس\u200Cاپ", "پیامک یادآوری سرویس دوره\u200Cای", "پاسخ به پرسش دربارهٔ ابعاد یخچال", "تبریک سال نو و اطلاع از جشنواره"],
  support: ["گزارش صدای غیرعادی کمپرسور؛ تکنسین اعزام شد", "درخواست نصب اجاق گاز", "نشتی آب ماشین ظرفشویی؛ قطعه تعویض شد", "راهنمایی تلفنی برای تنظیم دمای فریزر"],
  material_sent: ["ارسال کاتالوگ جشنوارهٔ پاییزه", "ارسال بروشور شرایط اقساط", "ارسال راهنمای نگهداری کولر", "ارسال معرفی مدل\u200Cهای جدید لباسشویی"],
  note: [
    "مشتری ترجیح می\u200Cدهد عصرها تماس گرفته شود",
    "به دنبال تخفیف نقدی است",
    "خانواده در حال بازسازی آشپزخانه است",
    "قصد خرید جهیزیه برای دخترش را دارد",
    "خرید را به بعد از عید موکول کرد",
  ],
};

const PENDING_REASONS = [
  "مشتری برای خرید کولر گازی مستقیماً به فروشگاه ما مراجعه کرده است",
  "مشتری نزدیک فروشگاه ما زندگی می\u200Cکند و ترجیح می\u200Cدهد از ما خرید کند",
  "مشتری پیش\u200Cفاکتور ما را پذیرفته و منتظر ثبت سفارش است",
  "سفارش عمده برای شعبهٔ جدید مشتری از طریق ما پیگیری می\u200Cشود",
  "مشتری از خدمات پس از فروش ما راضی است و خرید بعدی را با ما هماهنگ کرده",
];
const APPROVAL_REASONS = ["مشتری کتباً اعلام کرده است که از هر دو نماینده خرید می\u200Cکند", "خرید در شهر دیگری انجام می\u200Cشود و تداخلی ندارد"];
const REJECTION_REASONS = ["مشتری در دورهٔ حمایت نمایندهٔ ثبت\u200Cکننده است و خرید در جریان دارد", "مدرکی از مراجعهٔ مستقیم مشتری ارائه نشد"];

// ---------------------------------------------------------------------------------------------
// Generation: pure, from the reference instant only

type Row<T> = Insertable<T>;
type ServingRowKey = "name_key" | "name_alt_key" | "city_key";

interface Dataset {
  categories: Row<NeedCategoriesTable>[];
  products: Row<ProductsTable>[];
  preferenceKeys: Row<PreferenceKeysTable>[];
  customers: Row<CustomersTable>[];
  /** The search keys are copied from the customer when the rows are written. */
  customerPartners: Row<Omit<CustomerPartnersTable, ServingRowKey>>[];
  consents: Row<ConsentEventsTable>[];
  preferences: Row<CustomerPreferencesTable>[];
  needs: Row<CustomerNeedsTable>[];
  interactions: Row<InteractionsTable>[];
  orders: Row<OrdersTable>[];
  serveRequests: Row<ServeRequestsTable>[];
  notifications: Row<NotificationsTable>[];
}

type Activity = { kind: InteractionKind; channel: InteractionChannel | null; note: string | null; needId: string | null; ago: number; partnerId: string; userId: string | null };
/**
 * The days a delivered demo order shipped and arrived (Tehran calendar days): shipped a day after it
 * was placed and delivered three days later, never after `now`, nor delivered before it shipped.
 */
export function deliveryDays(placedAt: Date, now: Date): { shipped_on: string; delivered_on: string } {
  const day = (ms: number) => tehranToday(new Date(Math.min(ms, now.getTime())));
  return { shipped_on: day(placedAt.getTime() + DAY * 1000), delivered_on: day(placedAt.getTime() + 4 * DAY * 1000) };
}

type PlannedOrder = { customer: number; ago: number; partnerId: string; status: "delivered" | "cancelled"; total: bigint; margin: bigint };

function jalaliYear(d: Date): number {
  const tehran = new Date(d.getTime() + 3.5 * HOUR * 1000);
  return toJalaali(tehran.getUTCFullYear(), tehran.getUTCMonth() + 1, tehran.getUTCDate()).jy;
}

function channelFor(rng: Rng, kind: InteractionKind, hasEmail: boolean): InteractionChannel {
  switch (kind) {
    case "visit":
      return "in_person";
    case "call":
      return "phone";
    case "message":
      return rng.weighted<InteractionChannel>([["whatsapp", 5], ["sms", 3], ...(hasEmail ? ([["email", 2]] as const) : [])]);
    case "support":
      return rng.weighted<InteractionChannel>([["phone", 6], ["in_person", 3], ["web", 1]]);
    case "material_sent":
      return rng.weighted<InteractionChannel>([["whatsapp", 5], ["sms", 2], ...(hasEmail ? ([["email", 3]] as const) : [])]);
    default:
      return "in_person";
  }
}

export function generateDemoCustomers(anchorMs: number, protectionDays = 90): Dataset {
  const rng = new Rng(1404);
  const at = (ago: number) => new Date(anchorMs - ago * 1000);
  const brand_id = DEMO_BRAND_ID;

  const categories = CATEGORIES.map((c, k) => ({ id: categoryId(k + 1), brand_id, name_fa: toDisplayForm(c.fa), name_en: c.en, sort: (k + 1) * 10, active: true }));
  const products = PRODUCTS.map((p, k) => ({ id: productId(k + 1), brand_id, sku: p.sku, name_fa: toDisplayForm(p.fa), name_en: p.en, category_id: categoryIdOf(p.category), active: p.active }));
  const preferenceKeys = PREFERENCE_KEYS.map((p, k) => ({ id: prefKeyId(k + 1), brand_id, label_fa: toDisplayForm(p.fa), label_en: p.en, sort: (k + 1) * 10 }));
  const productsIn = (key: CategoryKey) => PRODUCTS.map((p, k) => ({ ...p, id: productId(k + 1) })).filter((p) => p.category === key);

  const customers: Row<CustomersTable>[] = [];
  const customerPartners: Dataset["customerPartners"] = [];
  const consents: Row<ConsentEventsTable>[] = [];
  const preferences: Row<CustomerPreferencesTable>[] = [];
  const needs: Row<CustomerNeedsTable>[] = [];
  const activities = new Map<number, Activity[]>();
  const plannedOrders: PlannedOrder[] = [];
  const facts = { registeredAgo: new Map<number, number>(), serving: new Map<number, string[]>() };

  const phones = new Set<string>();
  const emails = new Set<string>();
  const nameCity = new Set<string>();
  let businessNo = 0;
  let consentNo = 0;
  let needNo = 0;

  for (let i = 1; i <= DEMO_CUSTOMER_COUNT; i++) {
    const id = demoCustomerId(i);
    const registrant = rng.weighted(REGISTRANTS);
    const province = rng.weighted(PARTNER_REGIONS[registrant]);
    const city = toDisplayForm(rng.weighted(CITIES[province]!));
    const business = isBusiness(i);

    // Name (as typed) and the Latin part of an email address.
    let typedName: string;
    let emailLocal: string;
    if (isArabicTyped(i)) {
      [typedName, emailLocal] = ARABIC_TYPED_NAMES[(i - ARABIC_TYPED_FIRST) / ARABIC_TYPED_EVERY];
    } else if (business) {
      const [name, slug] = BUSINESSES[businessNo++ % BUSINESSES.length];
      typedName = name;
      emailLocal = `info@${slug}`;
    } else {
      for (;;) {
        const [first, firstLatin] = rng.pick(rng.chance(0.5) ? MALE : FEMALE);
        const [last, lastLatin] = rng.pick(SURNAMES);
        typedName = `${first} ${last}`;
        emailLocal = rng.weighted([[`${firstLatin}.${lastLatin}`, 5], [`${firstLatin}${lastLatin}${rng.int(10, 99)}`, 3], [`${firstLatin[0]}.${lastLatin}`, 2]]);
        if (!nameCity.has(`${typedName}|${city}`)) break;
      }
    }
    const display_name = toDisplayForm(typedName);
    nameCity.add(`${typedName}|${city}`);

    let phone: string | null = null;
    while (!phone) {
      const digits = String(rng.int(0, 9_999_999)).padStart(7, "0");
      const candidate = parsePhone(`${rng.pick(MOBILE_PREFIXES)} ${digits.slice(0, 3)} ${digits.slice(3)}`);
      if (candidate && !phones.has(candidate)) phone = candidate;
    }
    phones.add(phone);

    let email: string | null = null;
    if (rng.chance(business ? 0.7 : 0.38)) {
      const candidate = (emailLocal.includes("@") ? `${emailLocal}.example` : `${emailLocal}@${rng.pick(EMAIL_DOMAINS)}`).toLowerCase();
      if (!emails.has(candidate)) email = candidate;
    }
    if (email) emails.add(email);

    // Registered over the last two years, a few of them in the last weeks (still protected).
    const registeredAgo = (rng.chance(0.15) ? rng.int(1, 85) : rng.int(90, 729)) * DAY + rng.int(0, DAY - 1);
    facts.registeredAgo.set(i, registeredAgo);
    const registeredAt = at(registeredAgo);
    const registrar = usersOf(registrant).length ? rng.pick(usersOf(registrant)) : null;

    const consent = { partner_contact: rng.chance(0.92), brand_contact: rng.chance(0.55), share_partners: rng.chance(0.3) };

    // A second serving partner for some customers, with or without consent to share.
    let second: { partnerId: string; sinceAgo: number } | null = null;
    if (rng.chance(0.08) && registeredAgo > 10 * DAY) {
      const options = DEMO_PARTNERS.filter((p) => !related(p.id, registrant)).map((p) => p.id);
      second = { partnerId: rng.weighted(nearbyWeights(options, province)), sinceAgo: rng.int(HOUR, registeredAgo - DAY) };
      consent.share_partners = rng.chance(0.5);
    }
    facts.serving.set(i, second ? [registrant, second.partnerId] : [registrant]);
    customerPartners.push({ customer_id: id, partner_id: registrant, brand_id, since: registeredAt });
    if (second) customerPartners.push({ customer_id: id, partner_id: second.partnerId, brand_id, since: at(second.sinceAgo) });
    for (const purpose of ["partner_contact", "brand_contact", "share_partners"] as const) {
      consents.push({ id: fixedId("01DEMQCONSENT", ++consentNo), brand_id, customer_id: id, purpose, granted: consent[purpose], user_id: registrar, partner_id: registrant, recorded_at: registeredAt });
    }

    const channelWeights: [ContactChannel, number][] = business
      ? [["phone", 5], ["visit", 2], ...(email ? ([["email", 3]] as [ContactChannel, number][]) : [])]
      : [["phone", 4], ["whatsapp", 3], ["sms", 2], ["visit", 1], ...(email ? ([["email", 1]] as [ContactChannel, number][]) : [])];
    const preferredTimes = rng.chance(0.6) ? toDisplayForm(rng.pick(business ? BUSINESS_TIMES : PREFERRED_TIMES)) : null;

    customers.push({
      id,
      brand_id,
      kind: business ? "business" : "person",
      display_name,
      ...nameKeys(display_name),
      phone,
      email,
      province,
      city,
      city_key: toSearchKey(city).slice(0, 100),
      preferred_locale: rng.chance(0.04) ? "en" : "fa",
      preferred_channel: rng.weighted(channelWeights),
      preferred_times: preferredTimes,
      consent_partner_contact: consent.partner_contact,
      consent_brand_contact: consent.brand_contact,
      consent_share_partners: consent.share_partners,
      registered_by_partner_id: registrant,
      registered_at: registeredAt,
      created_by_user_id: registrar,
      created_at: registeredAt,
      updated_at: registeredAt,
    });

    if (rng.chance(0.5)) {
      PREFERENCE_KEYS.forEach((key, k) => {
        if (rng.chance(0.55)) preferences.push({ customer_id: id, key_id: prefKeyId(k + 1), brand_id, value: toDisplayForm(rng.pick(key.values)), updated_at: at(rng.int(HOUR, registeredAgo)) });
      });
    }

    // Who may act for the customer at a given moment (seconds ago).
    const partnersAt = (ago: number) => [registrant, ...(second && ago < second.sinceAgo ? [second.partnerId] : [])];
    const userOf = (partnerId: string) => (usersOf(partnerId).length ? rng.pick(usersOf(partnerId)) : null);
    const acts: Activity[] = [];
    activities.set(i, acts);
    const windowAgo = Math.min(registeredAgo - HOUR, 365 * DAY);

    // Orders: regular buyers, overdue regulars and occasional buyers.
    if (rng.chance(0.6) && registeredAgo > 3 * DAY) {
      const pattern = rng.weighted([["regular", 3], ["overdue", 1.5], ["occasional", 5.5]] as const);
      const registeredDays = registeredAgo / DAY;
      let agoDays: number[] = [];
      if (pattern === "regular" && registeredDays > 60) {
        const interval = business ? rng.int(30, 75) : rng.int(50, 120);
        let t = rng.float() * interval * 0.8 + 1;
        while (agoDays.length < 8 && t < registeredDays - 1) {
          agoDays.push(t);
          t += interval * (0.9 + rng.float() * 0.2);
        }
      } else if (pattern === "overdue" && registeredDays > 150) {
        const interval = rng.int(35, 80);
        let t = interval * (2 + rng.float() * 2);
        const n = rng.int(3, 6);
        while (agoDays.length < n && t < registeredDays - 1) {
          agoDays.push(t);
          t += interval * (0.9 + rng.float() * 0.2);
        }
      }
      if (agoDays.length < 2) {
        const n = rng.weighted([[1, 45], [2, 25], [3, 15], [4, 10], [5, 5]]);
        agoDays = Array.from({ length: n }, () => 0.5 + rng.float() * (registeredDays - 1));
      }
      for (const days of agoDays) {
        const ago = Math.floor(days * DAY);
        const options = partnersAt(ago);
        const partnerId = options.length > 1 && rng.chance(0.4) ? options[1] : options[0];
        const total = BigInt(business ? rng.int(300, 2400) : rng.int(150, 899)) * 1_000_000n + BigInt(rng.int(0, 9)) * 100_000n;
        const margin = ((total * BigInt(rng.int(120, 250))) / 1000n / 10_000n) * 10_000n;
        plannedOrders.push({ customer: i, ago, partnerId, status: rng.chance(0.07) ? "cancelled" : "delivered", total, margin });
      }
    }

    // Needs, recorded by a user of a partner that serves the customer.
    const needCount = windowAgo > DAY ? rng.weighted([[0, 35], [1, 35], [2, 20], [3, 10]]) : 0;
    for (let k = 0; k < needCount; k++) {
      const createdAgo = rng.int(HOUR, windowAgo);
      const recorder = partnersAt(createdAgo).find((p) => usersOf(p).length);
      if (!recorder) continue;
      const category = rng.weighted<CategoryKey>(
        business
          ? [["fridge", 3], ["washer", 2], ["cooling", 3], ["oven", 1], ["finance", 2], ["service", 1]]
          : [["fridge", 4], ["washer", 3], ["oven", 2], ["cooling", 2], ["small", 2], ["service", 1], ["finance", 1]],
      );
      const bodies = business && BUSINESS_NEED_BODIES[category] && rng.chance(0.6) ? BUSINESS_NEED_BODIES[category]! : NEED_BODIES[category];
      const body = toDisplayForm(rng.pick(bodies), { multiline: true });
      const status: NeedStatus = rng.weighted<NeedStatus>(createdAgo > 30 * DAY ? [["open", 4], ["met", 4], ["declined", 2]] : [["open", 8], ["met", 1.5], ["declined", 0.5]]);
      const candidates = productsIn(category);
      const linked = candidates.length > 0 && rng.chance(status === "met" ? 0.7 : 0.4);
      // Open needs may point at a discontinued model (a next action suggests a replacement).
      const product = linked ? rng.pick(status === "open" ? candidates : candidates.filter((p) => p.active)) : null;
      const recordedBy = rng.pick(usersOf(recorder));
      const needId = fixedId("01DEMQNEED", ++needNo);
      const changedAgo = status === "open" ? null : Math.max(HOUR / 2, createdAgo - rng.int(3 * DAY, 60 * DAY));
      let followUpAgo: number | null = null;
      acts.push({ kind: "need_recorded", channel: null, note: body, needId, ago: createdAgo, partnerId: recorder, userId: recordedBy });
      if (status === "open" && rng.chance(0.5) && createdAgo > 2 * DAY) {
        followUpAgo = createdAgo - rng.int(DAY, Math.min(20 * DAY, createdAgo - HOUR));
        acts.push({ kind: "call", channel: "phone", note: toDisplayForm("پیگیری نیاز ثبت\u200Cشده"), needId, ago: followUpAgo, partnerId: recorder, userId: userOf(recorder) });
      }
      if (status === "met") acts.push({ kind: "need_met", channel: null, note: body, needId, ago: changedAgo!, partnerId: recorder, userId: userOf(recorder) });
      needs.push({
        id: needId,
        brand_id,
        customer_id: id,
        partner_id: recorder,
        category_id: categoryIdOf(category),
        body,
        priority: rng.weighted<NeedPriority>([["high", 1], ["medium", 2], ["low", 1]]),
        status,
        product_id: product?.id ?? null,
        recorded_by_user_id: recordedBy,
        last_follow_up_at: followUpAgo === null ? null : at(followUpAgo),
        status_changed_at: changedAgo === null ? null : at(changedAgo),
        created_at: at(createdAgo),
        updated_at: at(changedAgo ?? createdAgo),
      });
    }

    // Everyday touchpoints over the last year.
    const touchpoints = windowAgo > DAY ? rng.weighted([[0, 20], [1, 20], [2, 15], [3, 15], [4, 12], [5, 8], [6, 5], [8, 5]]) : 0;
    for (let k = 0; k < touchpoints; k++) {
      const ago = rng.int(HOUR, windowAgo);
      const options = partnersAt(ago);
      const partnerId = rng.pick(options);
      const kind = rng.weighted([["visit", 20], ["call", 30], ["message", 20], ["support", 10], ["material_sent", 12], ["note", 8]] as const);
      const note = kind === "call" && rng.chance(0.15) ? null : toDisplayForm(rng.pick(INTERACTION_NOTES[kind]), { multiline: true });
      acts.push({ kind, channel: channelFor(rng, kind, email !== null), note, needId: null, ago, partnerId, userId: userOf(partnerId) });
    }
  }

  // Order headers: numbered per Solar Hijri year in the order they were placed.
  plannedOrders.sort((a, b) => b.ago - a.ago || a.customer - b.customer);
  const perYear = new Map<number, number>();
  const orders: Row<OrdersTable>[] = [];
  const ordersByCustomer = new Map<number, OrderFact[]>();
  plannedOrders.forEach((o, k) => {
    const placedAt = at(o.ago);
    const year = jalaliYear(placedAt);
    const seq = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, seq);
    const number = `SO-${year}-${String(seq).padStart(6, "0")}`;
    orders.push({ id: fixedId("01DEMQORDER", k + 1), brand_id, partner_id: o.partnerId, customer_id: demoCustomerId(o.customer), number, status: o.status, total_rial: o.total, margin_rial: o.margin, placed_at: placedAt, created_at: placedAt, ...(o.status === "delivered" ? deliveryDays(placedAt, at(0)) : {}) });
    const note = o.status === "cancelled" ? `سفارش ${number} به درخواست مشتری لغو شد` : `ثبت سفارش ${number}`;
    const users = usersOf(o.partnerId);
    activities.get(o.customer)!.push({
      kind: "order",
      channel: rng.weighted<InteractionChannel>([["in_person", 6], ["phone", 2.5], ["web", 1.5]]),
      note,
      needId: null,
      ago: o.ago,
      partnerId: o.partnerId,
      userId: users.length ? rng.pick(users) : null,
    });
    if (o.status !== "cancelled") ordersByCustomer.set(o.customer, [...(ordersByCustomer.get(o.customer) ?? []), { placedAt, totalRial: o.total, marginRial: o.margin }]);
  });

  // Requests to serve a customer another partner registered: pending ones for customers still in
  // protection, and some the channel team has decided.
  const serveRequests: Row<ServeRequestsTable>[] = [];
  const notifications: Row<NotificationsTable>[] = [];
  const notify = (n: Omit<Row<NotificationsTable>, "id" | "brand_id">) => notifications.push({ id: fixedId("01DEMQNOTIFY", notifications.length + 1), brand_id, ...n });
  const requesters = DEMO_PARTNERS.filter((p) => usersOf(p.id).length).map((p) => p.id);
  const nameOf = (prefix: string, partnerId: string) => ({ [`${prefix}_fa`]: partnerById.get(partnerId)!.nameFa, [`${prefix}_en`]: partnerById.get(partnerId)!.nameEn });
  const requested = new Set<number>();
  const request = (i: number, status: "pending" | "approved" | "rejected", createdAgo: number, decidedAgo: number | null) => {
    const serving = facts.serving.get(i)!;
    const options = requesters.filter((p) => serving.every((s) => !related(p, s)));
    if (options.length === 0) return false;
    const customer = customers[i - 1];
    const partnerId = rng.weighted(nearbyWeights(options, customer.province as Province));
    const id = fixedId("01DEMQSERVEREQ", serveRequests.length + 1);
    const reason = toDisplayForm(rng.pick(PENDING_REASONS));
    const decisionReason = status === "approved" ? toDisplayForm(rng.pick(APPROVAL_REASONS)) : status === "rejected" ? toDisplayForm(rng.pick(REJECTION_REASONS)) : null;
    const decidedAt = decidedAgo === null ? null : at(decidedAgo);
    serveRequests.push({
      id,
      brand_id,
      customer_id: customer.id,
      partner_id: partnerId,
      requested_by_user_id: rng.pick(usersOf(partnerId)),
      reason,
      status,
      decided_by_user_id: decidedAt ? CHANNEL_MANAGER : null,
      decision_reason: decisionReason,
      decided_at: decidedAt,
      created_at: at(createdAgo),
    });
    const registrant = customer.registered_by_partner_id!;
    notify({
      partner_id: null,
      kind: "serve_request.pending",
      params: JSON.stringify({
        customer: customer.display_name,
        city: customer.city,
        ...nameOf("partner", partnerId),
        ...nameOf("registrant", registrant),
        protected_until: new Date((customer.registered_at as Date).getTime() + protectionDays * DAY * 1000).toISOString(),
      }),
      link: `/conflicts/${id}`,
      read_at: decidedAt,
      created_at: at(createdAgo),
    });
    if (decidedAt && decidedAgo !== null) {
      const readAt = decidedAgo > DAY ? at(decidedAgo - rng.int(HOUR, DAY)) : null;
      if (status === "approved") customerPartners.push({ customer_id: customer.id, partner_id: partnerId, brand_id, since: decidedAt });
      notify({
        partner_id: partnerId,
        kind: `serve_request.${status}`,
        params: JSON.stringify(status === "rejected" ? { requested_at: at(createdAgo).toISOString(), reason: decisionReason } : { customer: customer.display_name, reason: decisionReason }),
        link: status === "rejected" ? null : `/customers/${customer.id}`,
        read_at: readAt,
        created_at: decidedAt,
      });
      for (const other of serving) {
        notify({
          partner_id: other,
          kind: `serve_request.${status}_others`,
          params: JSON.stringify({ customer: customer.display_name, ...nameOf("partner", partnerId), reason: decisionReason }),
          link: `/customers/${customer.id}`,
          read_at: readAt,
          created_at: decidedAt,
        });
      }
    }
    requested.add(i);
    return true;
  };
  const byIndex = Array.from({ length: DEMO_CUSTOMER_COUNT }, (_, k) => k + 1);
  let pending = 0;
  for (const i of rng.shuffle(byIndex.filter((i) => facts.registeredAgo.get(i)! < 80 * DAY && facts.registeredAgo.get(i)! > 2 * DAY))) {
    if (pending >= 8) break;
    const registeredAgo = facts.registeredAgo.get(i)!;
    if (request(i, "pending", rng.int(HOUR, Math.min(registeredAgo - HOUR, 20 * DAY)), null)) pending++;
  }
  const decided: ("approved" | "rejected")[] = ["approved", "approved", "approved", "approved", "rejected", "rejected", "rejected"];
  for (const i of rng.shuffle(byIndex.filter((i) => facts.registeredAgo.get(i)! > 100 * DAY && facts.serving.get(i)!.length === 1))) {
    if (decided.length === 0) break;
    if (requested.has(i)) continue;
    const createdAgo = facts.registeredAgo.get(i)! - rng.int(3 * DAY, 75 * DAY);
    if (request(i, decided[0], createdAgo, createdAgo - rng.int(2 * HOUR, 5 * DAY))) decided.shift();
  }

  // The timeline in time order, and each customer's last contact and value columns.
  const interactions: Row<InteractionsTable>[] = [];
  const now = new Date(anchorMs);
  for (const [k, customer] of customers.entries()) {
    const acts = activities.get(k + 1)!.sort((a, b) => b.ago - a.ago);
    for (const a of acts) {
      interactions.push({
        id: fixedId("01DEMQINTERACT", interactions.length + 1),
        brand_id,
        customer_id: customer.id,
        partner_id: a.partnerId,
        user_id: a.userId,
        kind: a.kind,
        channel: a.channel,
        note: a.note,
        need_id: a.needId,
        occurred_at: at(a.ago),
        created_at: at(a.ago),
      });
    }
    const contact = acts.filter((a) => a.kind !== "note").at(-1);
    customer.last_contact_at = contact ? at(contact.ago) : null;
    // The same columns as the scheduled pass (app/models/customer-value.server.ts) writes; the
    // tiers follow once the brand's thresholds are known.
    const counted = ordersByCustomer.get(k + 1) ?? [];
    const rfm = computeRfm(counted, now);
    customer.order_count = rfm.frequency;
    customer.monetary_rial = rfm.monetaryRial;
    customer.ltv_rial = estimateLifetimeValue(counted, now);
    customer.first_order_at = rfm.firstOrderAt;
    customer.last_order_at = rfm.lastOrderAt;
    customer.avg_interval_days = rfm.averageIntervalDays === null ? null : Math.round(rfm.averageIntervalDays);
  }
  const thresholds = valueTierThresholds(customers.map((c) => BigInt(c.ltv_rial!)));
  for (const c of customers) c.value_tier = c.order_count ? assignValueTier(BigInt(c.ltv_rial!), thresholds) : null;

  return { categories, products, preferenceKeys, customers, customerPartners, consents, preferences, needs, interactions, orders, serveRequests, notifications };
}

// ---------------------------------------------------------------------------------------------
// Writing

const CHUNK = 400;

async function insertMissing<R>(rows: R[], existing: Set<string>, key: (row: R) => string, insert: (chunk: R[]) => Promise<unknown>): Promise<number> {
  const missing = rows.filter((r) => !existing.has(key(r)));
  for (let k = 0; k < missing.length; k += CHUNK) await insert(missing.slice(k, k + CHUNK));
  return missing.length;
}

async function idsOf(trx: Kysely<DB>, table: "need_categories" | "products" | "preference_keys" | "customers" | "consent_events" | "customer_needs" | "interactions" | "orders" | "serve_requests" | "notifications") {
  const rows = await trx.selectFrom(table).select("id").where("brand_id", "=", DEMO_BRAND_ID).execute();
  return new Set(rows.map((r) => r.id));
}

/** The reference instant of the demo data: when customer 1 was first seeded, else now. */
async function referenceInstant(db: Kysely<DB>, protectionDays: number): Promise<number> {
  const first = await db.selectFrom("customers").select("registered_at").where("id", "=", demoCustomerId(1)).executeTakeFirst();
  if (!first) return Math.floor(Date.now() / 1000) * 1000;
  // Every time is anchor − offset, so customer 1's offset gives the anchor back exactly.
  const offset = 0 - (generateDemoCustomers(0, protectionDays).customers[0].registered_at as Date).getTime();
  return first.registered_at.getTime() + offset;
}

export type SeedCustomersResult = Record<keyof Dataset, number>;

/** Loads the demo customers of the demo brand; returns how many rows of each kind were inserted. */
export async function seedCustomers(db: Kysely<DB>): Promise<SeedCustomersResult> {
  const brand = await db.selectFrom("brands").select("protection_days").where("id", "=", DEMO_BRAND_ID).executeTakeFirstOrThrow();
  const anchor = await referenceInstant(db, brand.protection_days);
  const data = generateDemoCustomers(anchor, brand.protection_days);

  return db.transaction().execute(async (trx: Transaction<DB>) => {
    const byId = <R extends { id: string }>(r: R) => r.id;
    const keysOf = new Map(data.customers.map((c) => [c.id, c]));
    const servingKeys = (c: Row<CustomersTable>) => ({ name_key: c.name_key, name_alt_key: c.name_alt_key, city_key: c.city_key });
    const cp = await trx.selectFrom("customer_partners").select(["customer_id", "partner_id"]).where("brand_id", "=", DEMO_BRAND_ID).execute();
    const prefs = await trx.selectFrom("customer_preferences").select(["customer_id", "key_id"]).where("brand_id", "=", DEMO_BRAND_ID).execute();
    const result: SeedCustomersResult = {
      categories: await insertMissing(data.categories, await idsOf(trx, "need_categories"), byId, (c) => trx.insertInto("need_categories").values(c).execute()),
      products: await insertMissing(data.products, await idsOf(trx, "products"), byId, (c) => trx.insertInto("products").values(c).execute()),
      preferenceKeys: await insertMissing(data.preferenceKeys, await idsOf(trx, "preference_keys"), byId, (c) => trx.insertInto("preference_keys").values(c).execute()),
      customers: await insertMissing(data.customers, await idsOf(trx, "customers"), byId, (c) => trx.insertInto("customers").values(c).execute()),
      customerPartners: await insertMissing(
        data.customerPartners,
        new Set(cp.map((r) => `${r.customer_id}|${r.partner_id}`)),
        (r) => `${r.customer_id}|${r.partner_id}`,
        (c) => trx.insertInto("customer_partners").values(c.map((r) => ({ ...r, ...servingKeys(keysOf.get(r.customer_id)!) }))).execute(),
      ),
      consents: await insertMissing(data.consents, await idsOf(trx, "consent_events"), byId, (c) => trx.insertInto("consent_events").values(c).execute()),
      preferences: await insertMissing(
        data.preferences,
        new Set(prefs.map((r) => `${r.customer_id}|${r.key_id}`)),
        (r) => `${r.customer_id}|${r.key_id}`,
        (c) => trx.insertInto("customer_preferences").values(c).execute(),
      ),
      needs: await insertMissing(data.needs, await idsOf(trx, "customer_needs"), byId, (c) => trx.insertInto("customer_needs").values(c).execute()),
      interactions: await insertMissing(data.interactions, await idsOf(trx, "interactions"), byId, (c) => trx.insertInto("interactions").values(c).execute()),
      orders: await insertMissing(data.orders, await idsOf(trx, "orders"), byId, (c) => trx.insertInto("orders").values(c).execute()),
      serveRequests: await insertMissing(data.serveRequests, await idsOf(trx, "serve_requests"), byId, (c) => trx.insertInto("serve_requests").values(c).execute()),
      notifications: await insertMissing(data.notifications, await idsOf(trx, "notifications"), byId, (c) => trx.insertInto("notifications").values(c).execute()),
    };

    // Brand-wide thresholds and tiers, as the scheduled pass computes them (over every customer
    // of the brand, not only the seeded ones). Only when something new arrived, so a second run
    // leaves the values as they are.
    if (Object.values(result).some((n) => n > 0)) {
      const values = await trx.selectFrom("customers").select("ltv_rial").where("brand_id", "=", DEMO_BRAND_ID).where("ltv_rial", ">", "0").execute();
      const thresholds = valueTierThresholds(values.map((v) => BigInt(v.ltv_rial)));
      await trx
        .updateTable("customers")
        .set({
          value_tier: sql`case when order_count = 0 then null when ltv_rial > 0 and ltv_rial >= ${thresholds.a} then 'A' when ltv_rial > 0 and ltv_rial >= ${thresholds.b} then 'B' else 'C' end`,
        })
        .where("brand_id", "=", DEMO_BRAND_ID)
        .execute();
      await trx.updateTable("brands").set({ value_tier_a_rial: thresholds.a, value_tier_b_rial: thresholds.b, values_computed_at: new Date(anchor) }).where("id", "=", DEMO_BRAND_ID).execute();
      // Rows written here bypass the app's write paths: the serving rows' copied facts and the home page's counters are rebuilt.
      await rebuildServingRows(trx, DEMO_BRAND_ID);
      await rebuildCustomerCounts(trx, DEMO_BRAND_ID);
    }
    return result;
  });
}
