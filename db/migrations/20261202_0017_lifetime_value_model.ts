import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
// The "buy till you die" lifetime value (BG/NBD + Gamma-Gamma), fitted per brand by the value job:
// - brands: the horizon (months) and the annual discount rate (basis points) the brand values over.
// - brand_value_fits: one row per brand, the fit in use (parameters, when, on how many customers,
//   log-likelihoods) with a plain summary for the settings page, and the outcome of the last run
//   (a fit that failed keeps the previous one, and says why).
// - customers: what the fit says of each customer — probability still active (and its value at the
//   fit before, so a sharp fall can be noticed), expected purchases over the horizon, expected margin
//   per purchase — and the fit it came from.
const id = "char(26)";
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("brands")
    .addColumn("ltv_horizon_months", "smallint", (c) => c.notNull().defaultTo(36))
    .addColumn("ltv_discount_bp", "integer", (c) => c.notNull().defaultTo(2000))
    .execute();

  await db.schema
    .createTable("brand_value_fits")
    .addColumn("brand_id", id, (c) => c.primaryKey())
    .addColumn("fitted_at", time)
    .addColumn("unit_days", "smallint", (c) => c.notNull())
    .addColumn("horizon_months", "smallint")
    .addColumn("discount_bp", "integer")
    .addColumn("customers", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("repeat_customers", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("bg_r", "double precision")
    .addColumn("bg_alpha", "double precision")
    .addColumn("bg_a", "double precision")
    .addColumn("bg_b", "double precision")
    .addColumn("bg_log_likelihood", "double precision")
    .addColumn("gg_customers", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("gg_p", "double precision")
    .addColumn("gg_q", "double precision")
    .addColumn("gg_gamma", "double precision")
    .addColumn("gg_log_likelihood", "double precision")
    .addColumn("active_share", "double precision")
    .addColumn("mean_ltv_rial", "bigint")
    .addColumn("last_run_at", time, (c) => c.notNull())
    .addColumn("last_outcome", "varchar(16)", (c) => c.notNull())
    .addColumn("last_reason", "varchar(32)")
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .alterTable("customers")
    .addColumn("p_alive", "double precision")
    .addColumn("p_alive_previous", "double precision")
    .addColumn("expected_purchases", "double precision")
    .addColumn("expected_margin_rial", "bigint")
    .addColumn("ltv_fit_at", time)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("customers").dropColumn("p_alive").dropColumn("p_alive_previous").dropColumn("expected_purchases").dropColumn("expected_margin_rial").dropColumn("ltv_fit_at").execute();
  await db.schema.dropTable("brand_value_fits").execute();
  await db.schema.alterTable("brands").dropColumn("ltv_horizon_months").dropColumn("ltv_discount_bp").execute();
}
