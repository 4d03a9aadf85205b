import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
// - customer_counts: the home page's numbers kept per brand and scope ('' the whole network, else a
//   partner: its own customers and, for a distributor, its resellers'), per metric ('tier': A, B, C,
//   none; 'need': a category with an open need the scope may see), counted once per customer. Written
//   in the same transaction as every change to them; filled here from the rows already there.
// - customer_needs (brand_id, status, customer_id, product_id, last_follow_up_at, created_at) and
//   (customer_id, status): the brand's open needs the day's actions check, and a customer's open
//   needs, read from the index alone.
// - customers (brand_id, value_tier, id, …the rules' columns) and (brand_id, value_tier, order_count):
//   the day's actions read their candidates rule by rule from an index, in list order.
const id = "char(26)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

function scopes(brandId: string) {
  return sql`select c.id as customer_id, '' as scope_id from customers c where c.brand_id = ${brandId}
    union select cp.customer_id, cp.partner_id from customer_partners cp where cp.brand_id = ${brandId}
    union select cp.customer_id, p.parent_id from customer_partners cp join partners p on p.id = cp.partner_id
      where cp.brand_id = ${brandId} and p.parent_id is not null`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("customer_counts")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("scope_id", "varchar(26)", (c) => c.notNull())
    .addColumn("metric", "varchar(8)", (c) => c.notNull())
    .addColumn("bucket", "varchar(26)", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("customer_counts_pk", ["brand_id", "scope_id", "metric", "bucket"])
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("customer_needs_brand_open").on("customer_needs").columns(["brand_id", "status", "customer_id", "product_id", "last_follow_up_at", "created_at"]).execute();
  await db.schema.createIndex("customer_needs_customer_status").on("customer_needs").columns(["customer_id", "status"]).execute();
  await db.schema.createIndex("customers_brand_tier_id").on("customers").columns(["brand_id", "value_tier", "id", "last_contact_at", "order_count", "last_order_at", "avg_interval_days"]).execute();
  await db.schema.createIndex("customers_brand_tier_orders").on("customers").columns(["brand_id", "value_tier", "order_count"]).execute();

  const brands = await db.selectFrom("brands").select("id").execute();
  for (const { id: brandId } of brands) {
    await sql`insert into customer_counts (brand_id, scope_id, metric, bucket, n)
      select ${brandId}, scope_id, metric, bucket, count(*) from (
        select s.customer_id, s.scope_id, 'tier' as metric, coalesce(c.value_tier, 'none') as bucket
          from (${scopes(brandId)}) s join customers c on c.id = s.customer_id
        union all
        select distinct s.customer_id, s.scope_id, 'need', n.category_id
          from (${scopes(brandId)}) s
          join customers c on c.id = s.customer_id
          join customer_needs n on n.customer_id = s.customer_id and n.status = 'open'
          left join partners np on np.id = n.partner_id
          where s.scope_id = '' or c.consent_share_partners = 1 or n.partner_id = s.scope_id or np.parent_id = s.scope_id
      ) x group by scope_id, metric, bucket`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("customers_brand_tier_orders").on("customers").execute();
  await db.schema.dropIndex("customers_brand_tier_id").on("customers").execute();
  await db.schema.dropIndex("customer_needs_customer_status").on("customer_needs").execute();
  await db.schema.dropIndex("customer_needs_brand_open").on("customer_needs").execute();
  await db.schema.dropTable("customer_counts").execute();
}
