import { hash } from "@node-rs/argon2";
import type { Kysely } from "kysely";
import { toSearchKey } from "../../app/domain/text";
import type { DB, PartnerType, Role, Tier } from "../schema";

export const DEMO_PASSWORD = "portal-demo-1404";
export const DEMO_BRAND_ID = "01DEMQBRAND000000000000000";

// Fixed ids make the seed idempotent: a second run inserts nothing new.
const pid = (n: number) => `01DEMQPARTNER${String(n).padStart(13, "0")}`;
const uid = (n: number) => `01DEMQUSER${String(n).padStart(16, "0")}`;

export const DEMO_PARTNERS: { id: string; nameFa: string; nameEn: string; type: PartnerType; parent?: string; tier: Tier; province: string; city: string; phone: string }[] = [
  { id: pid(1), nameFa: "پخش سراسری البرز", nameEn: "Alborz Nationwide Distribution", type: "distributor", tier: "platinum", province: "tehran", city: "تهران", phone: "+982188001122" },
  { id: pid(2), nameFa: "بازرگانی پارس جنوب", nameEn: "Pars Jonoub Trading", type: "distributor", tier: "gold", province: "fars", city: "شیراز", phone: "+987136250000" },
  { id: pid(3), nameFa: "فروشگاه نور ونک", nameEn: "Noor Vanak Store", type: "reseller", parent: pid(1), tier: "gold", province: "tehran", city: "تهران", phone: "+982188771234" },
  { id: pid(4), nameFa: "لوازم خانگی کوثر", nameEn: "Kowsar Home Appliances", type: "reseller", parent: pid(1), tier: "silver", province: "alborz", city: "کرج", phone: "+982632201234" },
  { id: pid(5), nameFa: "فروشگاه زندیه", nameEn: "Zandiyeh Store", type: "reseller", parent: pid(2), tier: "silver", province: "fars", city: "شیراز", phone: "+987132301234" },
  { id: pid(6), nameFa: "نمایندگی آفتاب اصفهان", nameEn: "Aftab Isfahan Agency", type: "reseller", tier: "registered", province: "isfahan", city: "اصفهان", phone: "+983136201234" },
  { id: pid(7), nameFa: "فروشگاه مهر مشهد", nameEn: "Mehr Mashhad Store", type: "reseller", tier: "gold", province: "khorasan_razavi", city: "مشهد", phone: "+985138401234" },
  { id: pid(8), nameFa: "پخش خزر", nameEn: "Khazar Distribution", type: "distributor", tier: "silver", province: "mazandaran", city: "ساری", phone: "+981133201234" },
];

export const DEMO_USERS: { id: string; email: string; name: string; role: Role; partnerId: string | null }[] = [
  { id: uid(1), email: "admin@brand.example", name: "سارا احمدی", role: "brand_admin", partnerId: null },
  { id: uid(2), email: "manager@brand.example", name: "علی رضایی", role: "brand_manager", partnerId: null },
  { id: uid(3), email: "channel@brand.example", name: "مریم کریمی", role: "channel_manager", partnerId: null },
  { id: uid(4), email: "admin@alborz.example", name: "حسین محمدی", role: "partner_admin", partnerId: pid(1) },
  { id: uid(5), email: "rep@alborz.example", name: "نگار حسینی", role: "partner_rep", partnerId: pid(1) },
  { id: uid(6), email: "admin@noor.example", name: "رضا موسوی", role: "partner_admin", partnerId: pid(3) },
  { id: uid(7), email: "rep@noor.example", name: "زهرا جعفری", role: "partner_rep", partnerId: pid(3) },
  { id: uid(8), email: "admin@zandiyeh.example", name: "مهدی کاظمی", role: "partner_admin", partnerId: pid(5) },
  { id: uid(9), email: "rep@zandiyeh.example", name: "فاطمه صادقی", role: "partner_rep", partnerId: pid(5) },
  { id: uid(10), email: "rep@aftab.example", name: "امیر نوری", role: "partner_rep", partnerId: pid(6) },
];

export async function seedFoundation(db: Kysely<DB>): Promise<void> {
  const now = new Date();
  await db
    .insertInto("brands")
    .values({ id: DEMO_BRAND_ID, name_fa: "لوازم خانگی آرمان", name_en: "Arman Home Appliances", money_unit: "toman", created_at: now })
    .onDuplicateKeyUpdate({ id: DEMO_BRAND_ID })
    .execute();
  for (const p of DEMO_PARTNERS) {
    await db
      .insertInto("partners")
      .values({
        id: p.id,
        brand_id: DEMO_BRAND_ID,
        name_fa: p.nameFa,
        name_en: p.nameEn,
        name_key: toSearchKey(`${p.nameFa} ${p.nameEn}`),
        type: p.type,
        parent_id: p.parent ?? null,
        tier: p.tier,
        province: p.province,
        city: p.city,
        phone: p.phone,
        address: null,
        active: true,
        created_at: now,
        updated_at: now,
      })
      .onDuplicateKeyUpdate({ id: p.id })
      .execute();
  }
  const existing = new Set((await db.selectFrom("users").select("id").execute()).map((u) => u.id));
  const passwordHash = await hash(DEMO_PASSWORD);
  for (const u of DEMO_USERS.filter((u) => !existing.has(u.id))) {
    await db
      .insertInto("users")
      .values({
        id: u.id,
        brand_id: DEMO_BRAND_ID,
        partner_id: u.partnerId,
        email: u.email,
        display_name: u.name,
        name_key: toSearchKey(u.name),
        role: u.role,
        status: "active",
        password_hash: passwordHash,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}
