// Rebuilds one brand's insight summaries from the raw rows, in plain SQL, inside one transaction:
// readers see either the previous run or this one, never half of each. Called by the daily job
// (scripts/rebuild-insights.ts), at the end of the demo seed and by the benchmark generator, each
// with its own Kysely instance, so nothing here reaches for the app's connection.
import { sql, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { ACTIVE_DAYS, calendarDays, LAPSE_FACTOR, LIST_SIZE } from "~/domain/insights";

/** Monthly buckets exist for these days; data outside them is not counted (and a test says so). */
export const CALENDAR_FROM = "2010-01-01";
export const CALENDAR_TO = "2040-12-31";
/** The holder of the rows that sum the whole network, and the month of the rows that sum all months (see migration 0022). */
export const NETWORK = "*";
export const ALL_MONTHS = "1900-01-01";
/** Rows that do not count as demand or sales: the order never went ahead. */
const DEAD_ORDERS = ["rejected", "cancelled"];
const DAY_SECONDS = 86_400;
/**
 * The statements that group hundreds of thousands of rows keep their groups in memory up to 512 MB
 * (the server's default of 16 MB spills them to disk, about three times as slow): for that statement
 * only, so the pooled connection keeps its own settings.
 */
const bigGroups = sql`set statement tmp_table_size = ${sql.lit(536_870_912)}, max_heap_table_size = ${sql.lit(536_870_912)} for`;

/** Iran keeps UTC+03:30 all year (no summer time since 2022): the Tehran calendar day of a UTC time. */
const tehranDay = (column: string) => sql`date(${sql.ref(column)} + interval 210 minute)`;

/** Fills insight_days once (about 11,000 rows); later calls find it complete and write nothing. */
export async function ensureCalendar(db: Kysely<DB>): Promise<void> {
  const days = calendarDays(CALENDAR_FROM, CALENDAR_TO);
  const { n } = await db.selectFrom("insight_days").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  if (Number(n) === days.length) return;
  for (let i = 0; i < days.length; i += 2000) {
    await db.insertInto("insight_days").values(days.slice(i, i + 2000)).onDuplicateKeyUpdate({ month: sql`values(month)` }).execute();
  }
}

/** Seconds since the last order, minus the lapse allowance: the customer's days past their usual cycle, times 86,400. */
const overdueSeconds = (now: Date) => sql`(timestampdiff(second, c.last_order_at, ${now}) - c.avg_interval_days * ${LAPSE_FACTOR} * ${DAY_SECONDS})`;
const hasCycle = sql`(c.last_order_at is not null and c.avg_interval_days > 0)`;

export async function rebuildInsights(db: Kysely<DB>, brandId: string, now = new Date()): Promise<{ ms: number }> {
  const started = Date.now();
  await ensureCalendar(db);
  const activeSince = new Date(now.getTime() - ACTIVE_DAYS * DAY_SECONDS * 1000);
  const lapsing = sql`(${hasCycle} and ${overdueSeconds(now)} >= ${DAY_SECONDS})`;
  const overdueDays = sql`case when ${hasCycle} then floor(${overdueSeconds(now)} / ${DAY_SECONDS}) end`;
  const live = sql.join(DEAD_ORDERS);

  await db.transaction().execute(async (trx) => {
    for (const table of ["insight_needs", "insight_sales", "insight_activity", "insight_customers", "insight_wanted", "insight_customer_list", ...ROLLUPS] as const) {
      await trx.deleteFrom(table).where("brand_id", "=", brandId).execute();
    }

    // Needs drive the join (read in key order, each finding its customer by key), and the groups
    // leave out the brand every row shares: the group key is the cost of this statement.
    await sql`${bigGroups} insert into insight_needs (brand_id, partner_id, month, category_id, product_id, province, status, needs)
      select ${brandId}, coalesce(n.partner_id, ''), d.month, n.category_id, coalesce(n.product_id, ''), c.province, n.status, count(*)
      from customer_needs n
      straight_join customers c on c.id = n.customer_id
      join insight_days d on d.day = ${tehranDay("n.created_at")}
      where n.brand_id = ${brandId}
      group by coalesce(n.partner_id, ''), d.month, n.category_id, coalesce(n.product_id, ''), c.province, n.status`.execute(trx);

    // Lines drive the join, read in key order, each finding its order by key: through the
    // partners' orders, every order and line would cost a lookup.
    await sql`insert into insight_sales (brand_id, partner_id, month, product_id, category_id, province, orders, units, revenue_rial, margin_rial, shipped_lines, on_time_lines)
      select o.brand_id, o.partner_id, d.month, l.product_id, coalesce(p.category_id, ''), coalesce(c.province, pa.province),
        count(distinct o.id), sum(l.quantity), sum(l.line_total_rial), sum(l.line_margin_rial),
        sum(case when o.shipped_on is not null then 1 else 0 end), sum(case when o.shipped_on <= l.promised_ship_on then 1 else 0 end)
      from order_lines l
      straight_join orders o on o.id = l.order_id
      join products p on p.id = l.product_id
      join partners pa on pa.id = o.partner_id
      left join customers c on c.id = o.customer_id
      join insight_days d on d.day = ${tehranDay("o.placed_at")}
      where l.brand_id = ${brandId} and o.brand_id = ${brandId} and o.status not in (${live})
      group by o.brand_id, o.partner_id, d.month, l.product_id, coalesce(p.category_id, ''), coalesce(c.province, pa.province)`.execute(trx);

    await sql`insert into insight_activity (brand_id, partner_id, month, province, orders, toolkit_uses)
      select brand_id, partner_id, month, province, sum(orders), sum(uses) from (
        select o.brand_id, o.partner_id, d.month, coalesce(c.province, pa.province) as province, count(*) as orders, 0 as uses
        from orders o
        join partners pa on pa.id = o.partner_id
        left join customers c on c.id = o.customer_id
        join insight_days d on d.day = ${tehranDay("o.placed_at")}
        where o.brand_id = ${brandId} and o.status not in (${live})
        group by o.brand_id, o.partner_id, d.month, coalesce(c.province, pa.province)
        union all
        select e.brand_id, e.partner_id, d.month, pa.province, 0, count(*)
        from toolkit_events e
        join partners pa on pa.id = e.partner_id
        join insight_days d on d.day = ${tehranDay("e.created_at")}
        where e.brand_id = ${brandId}
        group by e.brand_id, e.partner_id, d.month, pa.province
      ) a group by brand_id, partner_id, month, province`.execute(trx);

    // Each customer counts once, under the partner holding the relationship ('' when none does).
    await sql`insert into insight_customers (brand_id, partner_id, province, value_tier, customers, active, lapsing, ltv_rial)
      select c.brand_id, coalesce(c.registered_by_partner_id, ''), c.province, coalesce(c.value_tier, ''), count(*),
        sum(case when c.last_order_at >= ${activeSince} or c.last_contact_at >= ${activeSince} then 1 else 0 end),
        sum(case when ${lapsing} then 1 else 0 end), sum(c.ltv_rial)
      from customers c
      where c.brand_id = ${brandId}
      group by c.brand_id, coalesce(c.registered_by_partner_id, ''), c.province, coalesce(c.value_tier, '')`.execute(trx);

    // A customer wanting a category (or a product) counts once, under the partner that recorded their
    // earliest open need for it: that partner saw the need itself, and the counts add up across partners.
    await sql`insert into insight_wanted (brand_id, partner_id, category_id, product_id, province, customers, ltv_rial)
      select ${brandId}, w.partner_id, w.category_id, w.product_id, c.province, count(*), sum(c.ltv_rial)
      from (
        select n.customer_id, n.category_id, '' as product_id, coalesce(n.partner_id, '') as partner_id,
          row_number() over (partition by n.customer_id, n.category_id order by n.created_at, n.id) as rn
        from customer_needs n where n.brand_id = ${brandId} and n.status = 'open'
        union all
        select n.customer_id, n.category_id, n.product_id, coalesce(n.partner_id, ''),
          row_number() over (partition by n.customer_id, n.category_id, n.product_id order by n.created_at, n.id)
        from customer_needs n where n.brand_id = ${brandId} and n.status = 'open' and n.product_id is not null
      ) w
      straight_join customers c on c.id = w.customer_id
      where w.rn = 1
      group by w.partner_id, w.category_id, w.product_id, c.province`.execute(trx);

    // Customers are ranked on the few columns the ranking needs, read in key order (through the
    // value index, each customer would cost a lookup); only the ranked ones are read in full.
    for (const [list, condition, order] of [
      ["top", sql`c.ltv_rial > 0`, sql`c.ltv_rial desc, c.id`],
      ["lapsing", lapsing, sql`c.ltv_rial desc, c.id`],
    ] as const) {
      await sql`insert into insight_customer_list (brand_id, list, partner_id, province, customer_id, display_name, value_tier, ltv_rial, last_order_at, overdue_days)
        select c.brand_id, ${list}, coalesce(c.registered_by_partner_id, ''), c.province, c.id, c.display_name,
          coalesce(c.value_tier, ''), c.ltv_rial, c.last_order_at, ${overdueDays}
        from (
          select c.id, row_number() over (partition by c.registered_by_partner_id, c.province order by ${order}) as rn
          from customers c force index (primary) where c.brand_id = ${brandId} and ${condition}
        ) ranked
        straight_join customers c on c.id = ranked.id
        where ranked.rn <= ${LIST_SIZE}`.execute(trx);
    }

    await rebuildRollups(trx, brandId);

    await trx
      .insertInto("insight_runs")
      .values({ brand_id: brandId, computed_at: now, duration_ms: Date.now() - started })
      .onDuplicateKeyUpdate({ computed_at: now, duration_ms: Date.now() - started })
      .execute();
  });
  return { ms: Date.now() - started };
}

const ROLLUPS = ["insight_need_totals", "insight_month_totals", "insight_tier_totals", "insight_top"] as const;

const needSums = sql`sum(case when n.status = 'open' then n.needs else 0 end), sum(case when n.status = 'met' then n.needs else 0 end),
  sum(case when n.status = 'declined' then n.needs else 0 end)`;
const needKey = sql`case d.dim when 'category' then n.category_id when 'product' then n.product_id else n.province end`;
const needDims = sql`(select 'category' as dim union all select 'product' union all select 'province') d on d.dim <> 'product' or n.product_id <> ''`;

/**
 * The rollups the insights page reads, from the summaries just written in the same transaction. Only the
 * finest rows of each rollup are grouped from the summaries; every coarser row is the sum of rows
 * already written one step finer (all provinces from the rows per province, the network from the
 * partners' rows, all months from the rows per month), so each step groups a few rows per result.
 */
async function rebuildRollups(trx: Kysely<DB>, brandId: string) {
  // Needs: the partners' rows per province (all months only: a window over partners reads
  // insight_needs) and the network's per province and month, from the summary; then all provinces
  // of both, then the network's all months.
  await sql`${bigGroups} insert into insight_need_totals (brand_id, dim, province, holder, month, \`key\`, open, met, declined)
    select ${brandId}, d.dim, n.province, n.partner_id, ${ALL_MONTHS}, ${needKey}, ${needSums}
    from insight_needs n join ${needDims}
    where n.brand_id = ${brandId}
    group by d.dim, n.province, n.partner_id, 6`.execute(trx);
  await sql`${bigGroups} insert into insight_need_totals (brand_id, dim, province, holder, month, \`key\`, open, met, declined)
    select ${brandId}, d.dim, n.province, ${NETWORK}, n.month, ${needKey}, ${needSums}
    from insight_needs n join ${needDims}
    where n.brand_id = ${brandId}
    group by d.dim, n.province, n.month, 6`.execute(trx);
  await sql`${bigGroups} insert into insight_need_totals (brand_id, dim, province, holder, month, \`key\`, open, met, declined)
    select ${brandId}, dim, '', holder, month, \`key\`, sum(open), sum(met), sum(declined)
    from insight_need_totals
    where brand_id = ${brandId} and province <> ''
    group by dim, holder, month, \`key\``.execute(trx);
  await sql`${bigGroups} insert into insight_need_totals (brand_id, dim, province, holder, month, \`key\`, open, met, declined)
    select ${brandId}, dim, province, ${NETWORK}, ${ALL_MONTHS}, \`key\`, sum(open), sum(met), sum(declined)
    from insight_need_totals
    where brand_id = ${brandId} and holder = ${NETWORK} and month <> ${ALL_MONTHS}
    group by dim, province, \`key\``.execute(trx);

  // Months: each partner's per province and month, then its all-months rows with the customers it
  // holds (customers have no month), then all provinces, then the network.
  const monthSums = ["customers", "active", "needs", "met", "orders", "units", "revenue_rial", "toolkit_uses"];
  const columns = sql.join(monthSums.map((c) => sql.ref(c)));
  const sums = sql.join(monthSums.map((c) => sql`sum(${sql.ref(c)})`));
  const into = sql`insert into insight_month_totals (brand_id, province, holder, month, ${columns})`;
  await sql`${bigGroups} ${into}
    select ${brandId}, province, partner_id, month, ${sums} from (
      select province, partner_id, month, 0 as customers, 0 as active, needs, case when status = 'met' then needs else 0 end as met, 0 as orders, 0 as units, 0 as revenue_rial, 0 as toolkit_uses
      from insight_needs where brand_id = ${brandId}
      union all
      select province, partner_id, month, 0, 0, 0, 0, 0, units, revenue_rial, 0 from insight_sales where brand_id = ${brandId}
      union all
      select province, partner_id, month, 0, 0, 0, 0, orders, 0, 0, toolkit_uses from insight_activity where brand_id = ${brandId}
    ) x
    group by province, partner_id, month`.execute(trx);
  await sql`${into}
    select ${brandId}, province, holder, ${ALL_MONTHS}, ${sums} from (
      select province, partner_id as holder, customers, active, 0 as needs, 0 as met, 0 as orders, 0 as units, 0 as revenue_rial, 0 as toolkit_uses
      from insight_customers where brand_id = ${brandId}
      union all
      select province, holder, 0, 0, needs, met, orders, units, revenue_rial, toolkit_uses from insight_month_totals where brand_id = ${brandId}
    ) x
    group by province, holder`.execute(trx);
  await sql`${into}
    select ${brandId}, '', holder, month, ${sums} from insight_month_totals where brand_id = ${brandId} and province <> '' group by holder, month`.execute(trx);
  await sql`${into}
    select ${brandId}, province, ${NETWORK}, month, ${sums} from insight_month_totals where brand_id = ${brandId} group by province, month`.execute(trx);

  // Tiers: each partner's per province, then all provinces, then the network.
  const tierSums = ["customers", "active", "lapsing", "ltv_rial"];
  const tierColumns = sql.join(tierSums.map((c) => sql.ref(c)));
  const tierTotals = sql.join(tierSums.map((c) => sql`sum(${sql.ref(c)})`));
  const intoTiers = sql`insert into insight_tier_totals (brand_id, province, holder, value_tier, ${tierColumns})`;
  await sql`${intoTiers}
    select ${brandId}, province, partner_id, value_tier, ${tierTotals} from insight_customers where brand_id = ${brandId} group by province, partner_id, value_tier`.execute(trx);
  await sql`${intoTiers}
    select ${brandId}, '', holder, value_tier, ${tierTotals} from insight_tier_totals where brand_id = ${brandId} group by holder, value_tier`.execute(trx);
  await sql`${intoTiers}
    select ${brandId}, province, ${NETWORK}, value_tier, ${tierTotals} from insight_tier_totals where brand_id = ${brandId} group by province, value_tier`.execute(trx);

  // The first customers of the union of lists are the first of each list: each partner's lists per
  // province are the rows of its own, then each step ranks the lists one step finer (all provinces
  // from a partner's provinces, the network's province from its partners', the network's all from
  // its provinces).
  const topColumns = sql`customer_id, partner_id, display_name, value_tier, ltv_rial, last_order_at, overdue_days`;
  await sql`insert into insight_top (brand_id, list, province, holder, ${topColumns})
    select brand_id, list, province, partner_id, ${topColumns} from insight_customer_list where brand_id = ${brandId}`.execute(trx);
  for (const [province, holder, from] of [
    [sql`''`, sql`holder`, sql`holder <> ${NETWORK}`],
    [sql`province`, sql`${NETWORK}`, sql`holder <> ${NETWORK} and province <> ''`],
    [sql`''`, sql`${NETWORK}`, sql`holder = ${NETWORK}`],
  ] as const) {
    await sql`insert into insight_top (brand_id, list, province, holder, ${topColumns})
      select ${brandId}, list, province, holder, ${topColumns} from (
        select list, ${province} as province, ${holder} as holder, ${topColumns},
          row_number() over (partition by list, ${province}, ${holder} order by ltv_rial desc, customer_id) as rn
        from insight_top where brand_id = ${brandId} and ${from}
      ) ranked where rn <= ${LIST_SIZE}`.execute(trx);
  }
}

/** Every brand, one after another: what the daily job runs. */
export async function rebuildAllInsights(db: Kysely<DB>, now = new Date()): Promise<{ brandId: string; ms: number }[]> {
  const out: { brandId: string; ms: number }[] = [];
  for (const { id } of await db.selectFrom("brands").select("id").execute()) out.push({ brandId: id, ...(await rebuildInsights(db, id, now)) });
  return out;
}
