import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import type { Actor } from "~/domain/permissions";
import { db } from "~/utils/db.server";
import { customersInScope } from "./customer-counts.server";
import type { CustomerFilters, CustomerSort } from "./customer-filters";
import { contactSearch, filterConditions, filtersNeedCustomerRow, namePrefix, SEARCH_KEY_COLUMNS, servedByPartner, visibleCustomerColumns } from "./customers.server";
import { assertCan, customerScope, PAGE_SIZE } from "./scope.server";

/**
 * One page of the customer list, at any size of network. Pages are found by a cursor on the sort key
 * and the id (keyset pagination), so page 500 costs what page 1 costs; the total is counted up to
 * COUNT_CAP and shown as "more than …" beyond, as counting a partner's 100,000 matches exactly on
 * every page is the slowest part of the list and tells the reader nothing more. Without a search or
 * filter the counters hold the exact total at no cost, so it is never capped.
 *
 * The rows come from one or more "branches", each read in the order of an index and stopped after
 * one page: a partner's customers from its serving rows (customer_partners, which carry copies of
 * the search keys: app/models/serving-rows.server.ts), one branch per partner in the actor's scope
 * and per search key; the brand's from customers. The union of the branches, sorted and cut to one
 * page, is the page: the same rows, in the same order, as one query over all of them would give.
 */
export const COUNT_CAP = 1_000;

interface SortSpec {
  column: "name_key" | "last_contact_at" | "ltv_rial";
  desc: boolean;
  /** The serving rows' index on (brand_id, partner_id, column, customer_id). */
  servingIndex: string;
}
const SORTS: Record<CustomerSort, SortSpec> = {
  name: { column: "name_key", desc: false, servingIndex: "customer_partners_partner_name" },
  // DESC puts customers never contacted last (MariaDB sorts NULL lowest).
  recent_contact: { column: "last_contact_at", desc: true, servingIndex: "customer_partners_partner_contact" },
  value: { column: "ltv_rial", desc: true, servingIndex: "customer_partners_partner_ltv" },
};

/** Where a page starts: after the row a "next" link names, or before the one a "previous" link names. */
export interface Cursor {
  after?: string;
  before?: string;
}

/** A row's place in the order: its sort value (as text; null for never contacted) and its id. */
type Position = [string | null, string];

const encode = (p: Position) => Buffer.from(JSON.stringify(p)).toString("base64url");

/** A cursor from a URL, checked: anything malformed means the first page, never an error or odd SQL. */
function decode(token: string | undefined, sort: CustomerSort): Position | null {
  if (!token || token.length > 600) return null;
  try {
    const p: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (!Array.isArray(p) || p.length !== 2 || typeof p[1] !== "string" || !/^[0-9A-Z]{26}$/.test(p[1])) return null;
    const [value] = p as [unknown, string];
    if (sort === "name") return typeof value === "string" && value.length <= 200 ? [value, p[1]] : null;
    if (sort === "value") return typeof value === "string" && /^-?\d{1,19}$/.test(value) ? [value, p[1]] : null;
    if (value === null) return [null, p[1]];
    return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? [value, p[1]] : null;
  } catch {
    return null;
  }
}

const sortValueOf = (sort: CustomerSort, row: { name_key: string; last_contact_at: Date | null; ltv_rial: string | number | bigint }): string | null =>
  sort === "name" ? row.name_key : sort === "value" ? String(row.ltv_rial) : row.last_contact_at ? new Date(row.last_contact_at).toISOString() : null;

/** The SQL value of a cursor's sort value, typed as its column. */
function sqlValue(sort: CustomerSort, value: string): RawBuilder<unknown> {
  if (sort === "value") return sql`cast(${value} as signed)`;
  if (sort === "recent_contact") return sql`${new Date(value)}`;
  return sql`${value}`;
}

/**
 * Rows strictly past `at` in the order read (ascending, or descending when `desc`), NULL counting
 * lowest as MariaDB sorts it. Written as a range on the sort column plus a tie-break on the id, so
 * an index on (…, column, id) serves it.
 */
function pastPosition(sort: CustomerSort, column: RawBuilder<unknown>, id: RawBuilder<unknown>, desc: boolean, [value, atId]: Position): Expression<SqlBool> {
  if (!desc) {
    if (value === null) return sql<SqlBool>`(${column} is not null or ${id} > ${atId})`;
    const v = sqlValue(sort, value);
    return sql<SqlBool>`(${column} >= ${v} and (${column} > ${v} or ${id} > ${atId}))`;
  }
  if (value === null) return sql<SqlBool>`(${column} is null and ${id} < ${atId})`;
  const v = sqlValue(sort, value);
  return sql<SqlBool>`(${column} is null or (${column} <= ${v} and (${column} < ${v} or ${id} < ${atId})))`;
}

const and = (conditions: Expression<SqlBool>[]) => (conditions.length ? sql<SqlBool>`${sql.join(conditions, sql` and `)}` : sql<SqlBool>`true`);

interface Branch {
  /** `from …` with its joins. */
  from: RawBuilder<unknown>;
  /** The branch's own conditions (tenant, partner, search key, filters). */
  where: Expression<SqlBool>[];
  sortColumn: RawBuilder<unknown>;
  idColumn: RawBuilder<unknown>;
}

/**
 * The branches whose union is the actor's filtered customer set. A partner user's customers, and the
 * brand's when it filters by one partner, come from the serving rows of each partner in scope; a
 * name search adds one branch per search key (a UNION of prefix scans reads three index ranges, where
 * an OR across the columns reads the partner's whole set). A contact search (phone, e-mail, last
 * digits) finds a handful of rows through its own indexes, so it reads customers directly.
 */
function branches(actor: Actor, f: CustomerFilters, opts: { forCount?: boolean } = {}): Branch[] {
  const sort = SORTS[f.sort];
  const prefix = namePrefix(f);
  const contact = contactSearch(actor, f.q);
  const partners = actor.scope !== "network" ? actor.scope : f.partnerId ? [f.partnerId] : null;

  if (partners && !contact) {
    // Sorted and filtered by the serving rows' copies (name, last contact, value, tier), read in the
    // order of their indexes; the customers row is joined only for a filter on its other columns.
    const filters = filterConditions(actor, f, "cp");
    const keys = prefix ? SEARCH_KEY_COLUMNS : [null];
    // A partner's whole list is read in its sort index. Named, because with sampled statistics the
    // optimizer now and then prefers another (brand, partner) index and sorts the partner's whole set.
    const serving = !prefix && filters.length === 0 && !opts.forCount ? sql`customer_partners cp force index (${sql.raw(sort.servingIndex)})` : sql`customer_partners cp`;
    const from = filtersNeedCustomerRow(f) ? sql`${serving} join customers on customers.id = cp.customer_id` : serving;
    const sortColumn = sql.ref(`cp.${sort.column}`);
    // Counting needs no order: one branch per key reads all partners' ranges of the index at once.
    const groups = opts.forCount ? [partners] : partners.map((p) => [p]);
    return groups.flatMap((group) =>
      keys.map((key) => ({
        from,
        where: [sql<SqlBool>`cp.brand_id = ${actor.brandId}`, sql<SqlBool>`cp.partner_id in (${sql.join(group)})`, ...(key ? [sql<SqlBool>`${sql.ref(`cp.${key}`)} like ${prefix}`] : []), ...filters],
        sortColumn,
        idColumn: sql`cp.customer_id`,
      })),
    );
  }

  const base = [customerScope(actor), ...filterConditions(actor, f), ...(f.partnerId && actor.scope === "network" ? [servedByPartner(f.partnerId)] : [])];
  const customersBranch = (where: Expression<SqlBool>[]): Branch => ({ from: sql`customers`, where: [...base, ...where], sortColumn: sql.ref(`customers.${sort.column}`), idColumn: sql`customers.id` });
  if (contact) return contact.map((alternative) => customersBranch([alternative]));
  if (prefix) return SEARCH_KEY_COLUMNS.map((key) => customersBranch([sql<SqlBool>`${sql.ref(`customers.${key}`)} like ${prefix}`]));
  return [customersBranch([])];
}

/** The union of the branches, each cut to `limit` rows; past `at` in the order read, when given. */
function union(list: Branch[], opts: { limit: number; desc?: boolean; at?: Position | null; sort?: CustomerSort; distinct?: boolean }) {
  const dir = sql.raw(opts.desc ? "desc" : "asc");
  return sql.join(
    list.map((b) => {
      const where = opts.at && opts.sort ? [...b.where, pastPosition(opts.sort, b.sortColumn, b.idColumn, Boolean(opts.desc), opts.at)] : b.where;
      const order = opts.sort ? sql` order by ${b.sortColumn} ${dir}, ${b.idColumn} ${dir}` : sql``;
      return sql`(select ${sql.raw(opts.distinct ? "distinct " : "")}${b.idColumn} as customer_id${opts.sort ? sql`, ${b.sortColumn} as sort_value` : sql``} from ${b.from} where ${and(where)}${order} limit ${sql.raw(String(opts.limit))})`;
    }),
    sql` union `,
  );
}

export interface CustomerPage<Row> {
  rows: Row[];
  /** Matching customers, exact up to COUNT_CAP; `capped` says there are more. */
  total: number;
  capped: boolean;
  /** Cursors of the neighbouring pages, or null at either end. */
  next: string | null;
  prev: string | null;
}

/**
 * The two statements of a list page: the page itself and the capped count. Exported so tests can
 * hold their plans to the indexes (EXPLAIN), not only their answers.
 */
export function customerListQueries(actor: Actor, f: CustomerFilters, cursor: Cursor = {}) {
  const list = branches(actor, f);
  const before = decode(cursor.before, f.sort);
  const after = before ? null : decode(cursor.after, f.sort);
  // A "previous" page is read backwards from its cursor, then turned round.
  const desc = before ? !SORTS[f.sort].desc : SORTS[f.sort].desc;
  const dir = sql.raw(desc ? "desc" : "asc");
  const page = db()
    .selectFrom(sql<{ customer_id: string; sort_value: unknown }>`(${union(list, { limit: PAGE_SIZE + 1, desc, at: before ?? after, sort: f.sort })})`.as("page"))
    .innerJoin("customers", "customers.id", "page.customer_id")
    .select(visibleCustomerColumns(actor))
    .select("customers.name_key")
    .orderBy(sql`page.sort_value ${dir}, page.customer_id ${dir}`)
    .limit(PAGE_SIZE + 1);
  // Without a search or a filter other than the value tier, the counters hold the total.
  const { q, valueTier, sort: _sort, ...others } = f;
  const fromCounters = !namePrefix(f) && !contactSearch(actor, q) && Object.values(others).every((v) => v === undefined);
  const count = fromCounters
    ? customersInScope(actor, valueTier)
    : sql<{ n: number | string }>`select count(*) as n from (${union(branches(actor, f, { forCount: true }), { limit: COUNT_CAP + 1, distinct: true })} limit ${sql.raw(String(COUNT_CAP + 1))}) matching`;
  return { page, count, cap: fromCounters ? Infinity : COUNT_CAP, backwards: Boolean(before), fromCursor: Boolean(before ?? after) };
}

/** The customer list: one page of the actor's customers matching the filters, and their capped total. */
export async function searchCustomers(actor: Actor, f: CustomerFilters, cursor: Cursor = {}) {
  assertCan(actor, "customers.view");
  const { page, count, cap, backwards, fromCursor } = customerListQueries(actor, f, cursor);
  const [found, counted] = await Promise.all([page.execute(), count.execute(db())]);
  const more = found.length > PAGE_SIZE;
  const rows = found.slice(0, PAGE_SIZE);
  if (backwards) rows.reverse();
  const n = Number(counted.rows[0]?.n ?? 0);
  const position = (row: (typeof rows)[number]) => encode([sortValueOf(f.sort, row), row.id]);
  const first = rows.at(0);
  const last = rows.at(-1);
  const result: CustomerPage<(typeof rows)[number]> = {
    rows,
    total: Math.min(n, cap),
    capped: n > cap,
    // Read backwards, "more" means more before; read forwards from a cursor, there were rows before it.
    next: last && (backwards || more) ? position(last) : null,
    prev: first && (backwards ? more : fromCursor) ? position(first) : null,
  };
  return result;
}
