// Demo ideas on the co-creation board: Persian ideas and unmet needs posted by demo partners and
// the brand, with supports and the customers who asked (each partner links customers it serves).
// None has shipped, so the demo's timelines and notifications stay as the customer seed wrote them.
// Fixed ids: a second run inserts nothing.
import type { Kysely } from "kysely";
import type { IdeaStatus } from "../../app/domain/ideas";
import { toDisplayForm, toSearchKey } from "../../app/domain/text";
import type { DB } from "../schema";
import { demoCategoryId, demoProductId, type CategoryKey } from "./customers";
import { DEMO_BRAND_ID, DEMO_USERS } from "./foundation";

const ideaId = (n: number) => `01DEMQIDEA${String(n).padStart(16, "0")}`;
const linkId = (n: number, k: number) => `01DEMQIDEALINK${String(n).padStart(4, "0")}${String(k).padStart(8, "0")}`;
const user = (email: string) => DEMO_USERS.find((u) => u.email === email)!;

interface DemoIdea {
  title: string;
  body: string;
  category: CategoryKey;
  sku?: string;
  by: string;
  status: IdeaStatus;
  answer?: string;
  supporters: string[];
  /** How many of the poster's (or, for the brand, the supporters') customers asked. */
  asked: number;
  daysAgo: number;
}

const IDEAS: DemoIdea[] = [
  {
    title: "یخچال با درب شیشه‌ای برای دیدن داخل بدون باز کردن در",
    body: "چند مشتری گفته‌اند می‌خواهند بدون باز کردن در ببینند چه چیزی در یخچال هست تا سرما هدر نرود.",
    category: "fridge",
    sku: "RF-540",
    by: "rep@noor.example",
    status: "planned",
    answer: "در طراحی مدل سال آینده، نسخهٔ درب شیشه‌ای ساید بای ساید در برنامه است.",
    supporters: ["rep@alborz.example", "rep@zandiyeh.example", "rep@aftab.example"],
    asked: 3,
    daysAgo: 40,
  },
  {
    title: "نصب رایگان در شهرستان‌های کوچک",
    body: "مشتریان شهرهای کوچک برای نصب کولر گازی باید هزینهٔ رفت‌وآمد نصاب را بدهند و از خرید منصرف می‌شوند.",
    category: "service",
    by: "rep@zandiyeh.example",
    status: "under_review",
    answer: "هزینهٔ نصب در شهرستان‌ها را با شرکای خدمات بررسی می‌کنیم.",
    supporters: ["rep@noor.example", "rep@aftab.example"],
    asked: 2,
    daysAgo: 25,
  },
  {
    title: "خرید اقساطی بدون ضامن برای مشتریان قدیمی",
    body: "مشتریانی که چند بار خرید کرده‌اند می‌پرسند چرا برای قسط باید دوباره ضامن بیاورند.",
    category: "finance",
    by: "rep@alborz.example",
    status: "new",
    supporters: ["rep@noor.example"],
    asked: 2,
    daysAgo: 12,
  },
  {
    title: "ماشین لباسشویی کم‌صدا برای آپارتمان",
    body: "در آپارتمان‌های کوچک صدای خشک‌کن شب‌ها همسایه‌ها را اذیت می‌کند؛ مشتری حالت شب بی‌صدا می‌خواهد.",
    category: "washer",
    sku: "WM-914",
    by: "rep@aftab.example",
    status: "new",
    supporters: ["rep@zandiyeh.example"],
    asked: 1,
    daysAgo: 6,
  },
  {
    title: "دفترچهٔ راهنمای فارسی با تصویر برای سرخ‌کن",
    body: "مشتریان مسن‌تر با دفترچهٔ فعلی کار با سرخ‌کن را یاد نمی‌گیرند.",
    category: "small",
    sku: "AF-55",
    by: "manager@brand.example",
    status: "declined",
    answer: "راهنمای تصویری را به‌جای دفترچه به شکل ویدیو در کیت‌های تبلیغاتی منتشر کرده‌ایم.",
    supporters: ["rep@alborz.example"],
    asked: 1,
    daysAgo: 60,
  },
];

export async function seedIdeas(db: Kysely<DB>, now = new Date()): Promise<number> {
  const existing = new Set((await db.selectFrom("ideas").select("id").where("brand_id", "=", DEMO_BRAND_ID).execute()).map((r) => r.id));
  let added = 0;
  for (const [k, idea] of IDEAS.entries()) {
    const id = ideaId(k + 1);
    if (existing.has(id)) continue;
    const poster = user(idea.by);
    // The customers who asked: those the poster's partner serves (for the brand, the first supporter's).
    const askingPartner = poster.partnerId ?? user(idea.supporters[0]).partnerId!;
    const customers = await db.selectFrom("customer_partners").select("customer_id").where("partner_id", "=", askingPartner).orderBy("customer_id").offset(k * 3).limit(idea.asked).execute();
    const at = new Date(now.getTime() - idea.daysAgo * 86_400_000);
    const title = toDisplayForm(idea.title);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("ideas")
        .values({
          id,
          brand_id: DEMO_BRAND_ID,
          title,
          title_key: toSearchKey(title),
          body: toDisplayForm(idea.body, { multiline: true }),
          category_id: demoCategoryId(idea.category),
          product_id: idea.sku ? demoProductId(idea.sku) : null,
          status: idea.status,
          answer: idea.answer ?? null,
          answered_at: idea.answer ? at : null,
          answered_by_user_id: idea.answer ? user("manager@brand.example").id : null,
          partner_id: poster.partnerId,
          created_by_user_id: poster.id,
          created_at: at,
          updated_at: at,
        })
        .execute();
      for (const email of idea.supporters) {
        const s = user(email);
        await trx.insertInto("idea_supports").values({ idea_id: id, user_id: s.id, brand_id: DEMO_BRAND_ID, partner_id: s.partnerId!, created_at: at }).execute();
      }
      for (const [j, c] of customers.entries()) {
        await trx.insertInto("idea_customers").values({ id: linkId(k + 1, j + 1), brand_id: DEMO_BRAND_ID, idea_id: id, customer_id: c.customer_id, partner_id: poster.partnerId, linked_by_user_id: poster.id, created_at: at }).execute();
      }
    });
    added++;
  }
  return added;
}
