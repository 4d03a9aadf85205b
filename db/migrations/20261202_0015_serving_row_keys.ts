import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
// A partner's customer list is read through its serving rows (customer_partners). With only
// (partner_id, customer_id) to go on, a page sorted by name had to join every one of the partner's
// serving rows to customers and sort them all to show twenty. The customer's search keys are copied
// onto each serving row, so the list and a name search are read in index order from
// (brand_id, partner_id, key, …) and stop after one page. The app writes the copies in the same transaction as
// the customer row (app/models/serving-rows.server.ts); this backfills the rows that exist.
const binary = (length: number) => sql.raw(`varchar(${length}) character set utf8mb4 collate utf8mb4_bin not null default ''`);

const SERVING_INDEXES = [
  ["customer_partners_partner_name", ["name_key", "customer_id"]],
  ["customer_partners_partner_name_alt", ["name_alt_key", "name_key", "customer_id"]],
  ["customer_partners_partner_city", ["city_key", "name_key", "customer_id"]],
] as const;
const CUSTOMER_INDEXES = [
  ["customers_brand_name_alt", "name_alt_key"],
  ["customers_brand_city", "city_key"],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table customer_partners
    add column name_key ${binary(200)},
    add column name_alt_key ${binary(200)},
    add column city_key ${binary(100)}`.execute(db);
  await sql`update customer_partners cp join customers c on c.id = cp.customer_id
    set cp.name_key = c.name_key, cp.name_alt_key = c.name_alt_key, cp.city_key = c.city_key`.execute(db);
  // The list in name order, and the two other prefix searches; each ends in the name order and the
  // customer id, so a search's matches are sorted from the index alone (covering).
  for (const [name, columns] of SERVING_INDEXES) await db.schema.createIndex(name).on("customer_partners").columns(["brand_id", "partner_id", ...columns]).execute();
  // The brand's own name search: the surname and city prefix scans carry the name order too.
  for (const [name, key] of CUSTOMER_INDEXES) {
    await db.schema.dropIndex(name).on("customers").execute();
    await db.schema.createIndex(name).on("customers").columns(["brand_id", key, "name_key"]).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, key] of CUSTOMER_INDEXES) {
    await db.schema.dropIndex(name).on("customers").execute();
    await db.schema.createIndex(name).on("customers").columns(["brand_id", key]).execute();
  }
  for (const [name] of SERVING_INDEXES) await db.schema.dropIndex(name).on("customer_partners").execute();
  await db.schema.alterTable("customer_partners").dropColumn("name_key").dropColumn("name_alt_key").dropColumn("city_key").execute();
}
