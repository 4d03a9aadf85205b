// Customer list and search at scale: times the app's own model functions (searchCustomers, which
// runs the page query and its count together, and getCustomer as the baseline) against the
// synthetic data set in pp_bench, explains each case's SQL, and rewrites this data size's section
// of docs/benchmarks.md.
//
//   npm run bench                              200,000 customers (data regenerated each run)
//   BENCH_CUSTOMERS=1000000 npm run bench      another size; each size has its own section
//   BENCH_REUSE=1 npm run bench                keep pp_bench when it already holds that many
//   BENCH_REPS=30 BENCH_CASE_BUDGET_S=60       timed runs per case, and the time one case may use
//
// The machines are shared and noisy: every timed run of a case comes right after a run of the
// baseline (a primary-key lookup), and the report gives medians, p95 and the ratio of the case to
// its paired baseline runs, never absolute thresholds. Cases run one after another (warm-up, then
// their runs), so a case that churns the buffer pool does not slow down the cases around it.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Kysely, MysqlDialect } from "kysely";
import { createPool } from "mysql2";
import type { Actor } from "../app/domain/permissions";
import type { DB } from "../db/schema";
import { BENCH_BRAND_ID, BENCH_DATABASE_URL, benchCustomerCount, benchCustomerId, prepareBenchData } from "../db/seed/bench-data";

// Which code the numbers belong to (read before the app's modules load): the commit, and whether
// the app or db code differed from it.
let codeVersion = "unknown commit";
try {
  const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  const dirty = execFileSync("git", ["status", "--porcelain", "--", "app", "db"], { encoding: "utf8" }).trim();
  codeVersion = `commit ${sha}${dirty ? " with uncommitted changes in app/ or db/" : ""}`;
} catch {
  // Not a git work tree.
}

// The app's db() reads DATABASE_URL on first use; point it at the bench database before any app
// module runs, and hand it a Kysely instance that records every statement with its duration.
process.env.DATABASE_URL = BENCH_DATABASE_URL;

interface Captured {
  sql: string;
  parameters: readonly unknown[];
  ms: number;
}
let captured: Captured[] = [];
const poolOptions = {
  uri: BENCH_DATABASE_URL,
  connectionLimit: 10,
  charset: "utf8mb4_unicode_ci",
  timezone: "Z",
  supportBigNumbers: true,
  bigNumberStrings: true,
  dateStrings: false,
} as const;
const appPool = createPool(poolOptions);
(globalThis as typeof globalThis & { __db?: Kysely<DB> }).__db = new Kysely<DB>({
  dialect: new MysqlDialect({ pool: appPool }),
  log: (event) => {
    if (event.level === "query") captured.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
  },
});

const { getCustomer } = await import("../app/models/customers.server");
const { searchCustomers } = await import("../app/models/customer-list.server");
const { parseCustomerFilters } = await import("../app/models/customer-filters");
const { PAGE_SIZE } = await import("../app/models/scope.server");
const { closeDb } = await import("../app/utils/db.server");

const N = benchCustomerCount();
const REPS = Number(process.env.BENCH_REPS ?? 30);
const MIN_REPS = Math.min(REPS, 3);
const WARMUP = 2;
const CASE_BUDGET_MS = Number(process.env.BENCH_CASE_BUDGET_S ?? 60) * 1000;
const DOC = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));

const fmt = (x: number) => x.toLocaleString("en");
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

// ---------------------------------------------------------------------------------------------
// Data and the people searching it

console.log(`Preparing ${fmt(N)} customers in ${BENCH_DATABASE_URL.replace(/.*\//, "")} …`);
const data = await prepareBenchData(N, { reuse: process.env.BENCH_REUSE === "1", log: (line) => console.log(line) });
const generation = data.seconds
  ? `${data.seconds.total} s (rows ${data.seconds.rows} s, index build ${data.seconds.indexes} s, analyze ${data.seconds.analyze} s)`
  : "an unrecorded time";
console.log(data.reused ? `Reusing data generated ${data.generatedAt?.toISOString() ?? "earlier"} in ${generation}.` : `Generated in ${generation}.`);

const admin = createPool({ ...poolOptions, connectionLimit: 2 }).promise();
async function rows<T>(query: string, params: unknown[] = []): Promise<T[]> {
  const [result] = await admin.query(query, params);
  return result as T[];
}

const brandActor: Actor = { userId: "01BENCHUSER000000000000000", brandId: BENCH_BRAND_ID, role: "brand_manager", email: "manager@bench.example", displayName: "مدیر برند", partnerId: null, partnerType: null, scope: "network" };

/** A partner user as getActor builds one: the partner itself and, for a distributor, its resellers. */
async function partnerActor(partnerId: string): Promise<Actor> {
  const [p] = await rows<{ type: "distributor" | "reseller" }>("select type from partners where id = ?", [partnerId]);
  const scope = [partnerId];
  if (p.type === "distributor") scope.push(...(await rows<{ id: string }>("select id from partners where brand_id = ? and parent_id = ? order by id", [BENCH_BRAND_ID, partnerId])).map((r) => r.id));
  return { userId: "01BENCHUSER000000000000001", brandId: BENCH_BRAND_ID, role: "partner_rep", email: "rep@bench.example", displayName: "نماینده", partnerId, partnerType: p.type, scope };
}

const served = await rows<{ id: string; type: string; parent_id: string | null; n: number }>(
  `select p.id, p.type, p.parent_id, count(cp.customer_id) as n from partners p left join customer_partners cp on cp.partner_id = p.id
   where p.brand_id = ? group by p.id, p.type, p.parent_id order by n desc, p.id`,
  [BENCH_BRAND_ID],
);
const resellers = served.filter((p) => p.type === "reseller");
const bigReseller = resellers[0];
const typicalReseller = resellers[Math.floor(resellers.length / 2)];
const familySize = (d: { id: string }) => served.filter((p) => p.id === d.id || p.parent_id === d.id).reduce((s, p) => s + Number(p.n), 0);
const distributor = served.filter((p) => p.type === "distributor").sort((a, b) => familySize(b) - familySize(a) || a.id.localeCompare(b.id))[0];
const [bigResellerActor, typicalResellerActor, distributorActor] = await Promise.all([partnerActor(bigReseller.id), partnerActor(typicalReseller.id), partnerActor(distributor.id)]);

const pkId = benchCustomerId(Math.floor(N / 2));
const [phoneRow] = await rows<{ phone: string }>("select phone from customers where brand_id = ? and consent_brand_contact = 1 and id >= ? order by id limit 1", [BENCH_BRAND_ID, benchCustomerId(Math.floor(N / 3))]);
// As a person types it: national format, Persian digits, spaces.
const national = `0${phoneRow.phone.slice(3)}`;
const persianPhone = `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const [needCategory] = await rows<{ id: string }>("select id from need_categories where brand_id = ? order by sort limit 1", [BENCH_BRAND_ID]);

// ---------------------------------------------------------------------------------------------
// Cases

interface Case {
  key: string;
  who: string;
  what: string;
  pageNo: number;
  /** Runs the case once and returns the number of matching customers. */
  run: () => Promise<number>;
}

/**
 * One customer-list page as the route loads it: filters parsed from the query string, then
 * searchCustomers. A later page is reached as a reader reaches it, by "next" links: the cursor of
 * page N is found once by walking there (not timed), then every timed run loads page N from it.
 */
const page = (actor: Actor, query: string, pageNo = 1) => {
  let after: string | undefined;
  return {
    pageNo,
    run: async () => {
      const { filters } = parseCustomerFilters(new URLSearchParams(query), "fa");
      if (pageNo > 1 && after === undefined) {
        let cursor: string | null = null;
        for (let k = 1; k < pageNo; k++) cursor = (await searchCustomers(actor, filters, { after: cursor ?? undefined })).next;
        after = cursor ?? "";
        captured = [];
      }
      const result = await searchCustomers(actor, filters, { after });
      return result.capped ? result.total + 1 : result.total;
    },
  };
};
const bigName = `reseller (${fmt(Number(bigReseller.n))} customers)`;
const typicalName = `reseller (${fmt(Number(typicalReseller.n))} customers)`;
const distributorName = `distributor (${distributorActor.scope.length - 1} resellers, ${fmt(familySize(distributor))} serving rows)`;

const cases: Case[] = [
  { key: "baseline", who: "brand", what: "getCustomer by primary key (baseline)", pageNo: 1, run: async () => ((await getCustomer(brandActor, pkId)) ? 1 : 0) },
  { key: "brand-list", who: "brand", what: "list, sort by name, page 1", ...page(brandActor, "") },
  { key: "brand-list-p50", who: "brand", what: "list, sort by name, page 50", ...page(brandActor, "", 50) },
  { key: "brand-name", who: "brand", what: "search name prefix «محمد» (common)", ...page(brandActor, "q=محمد") },
  { key: "brand-name-rare", who: "brand", what: "search name prefix «کیوان» (less common)", ...page(brandActor, "q=کیوان") },
  { key: "brand-surname", who: "brand", what: "search surname prefix «کاظمی»", ...page(brandActor, "q=کاظمی") },
  { key: "brand-phone", who: "brand", what: `search phone «${persianPhone}» (Persian digits)`, ...page(brandActor, `q=${encodeURIComponent(persianPhone)}`) },
  { key: "brand-city", who: "brand", what: "search city «شیراز»", ...page(brandActor, "q=شیراز") },
  { key: "brand-tier-province", who: "brand", what: "filter tier A + province tehran", ...page(brandActor, "valueTier=A&province=tehran") },
  { key: "brand-recent", who: "brand", what: "sort by recent contact, page 1", ...page(brandActor, "sort=recent_contact") },
  { key: "brand-recent-p50", who: "brand", what: "sort by recent contact, page 50", ...page(brandActor, "sort=recent_contact", 50) },
  { key: "brand-value", who: "brand", what: "sort by value, page 1", ...page(brandActor, "sort=value") },
  { key: "brand-value-p50", who: "brand", what: "sort by value, page 50", ...page(brandActor, "sort=value", 50) },
  { key: "brand-need", who: "brand", what: "filter need category + open", ...page(brandActor, `needCategory=${needCategory.id}&needStatus=open`) },
  { key: "brand-partner", who: "brand", what: "filter by one partner (the big reseller)", ...page(brandActor, `partnerId=${bigReseller.id}`) },
  { key: "reseller-list", who: bigName, what: "list, sort by name, page 1", ...page(bigResellerActor, "") },
  { key: "reseller-name", who: bigName, what: "search name prefix «محمد»", ...page(bigResellerActor, "q=محمد") },
  { key: "reseller-recent", who: bigName, what: "sort by recent contact, page 1", ...page(bigResellerActor, "sort=recent_contact") },
  { key: "median-reseller-list", who: typicalName, what: "list, sort by name, page 1", ...page(typicalResellerActor, "") },
  { key: "median-reseller-name", who: typicalName, what: "search name prefix «محمد»", ...page(typicalResellerActor, "q=محمد") },
  { key: "distributor-list", who: distributorName, what: "list, sort by name, page 1", ...page(distributorActor, "") },
  { key: "distributor-name", who: distributorName, what: "search name prefix «محمد»", ...page(distributorActor, "q=محمد") },
];

// ---------------------------------------------------------------------------------------------
// Timing

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const p95 = (xs: number[]) => sorted(xs)[Math.max(0, Math.ceil(xs.length * 0.95) - 1)];

interface Result {
  c: Case;
  matches: number;
  times: number[];
  /** The baseline runs made just before each of this case's runs. */
  paired: number[];
  listMs: number[];
  countMs: number[];
  queries: Captured[];
}
const isCount = (q: Captured) => /count\(\*\)/i.test(q.sql);
const results: Result[] = cases.map((c) => ({ c, matches: 0, times: [], paired: [], listMs: [], countMs: [], queries: [] }));
const baseline = results[0];

async function once(r: Result): Promise<number> {
  captured = [];
  const t0 = performance.now();
  r.matches = await r.c.run();
  const elapsed = performance.now() - t0;
  if (captured.length === 0) throw new Error(`No statement was recorded for ${r.c.key}: the app no longer uses the shared db() instance.`);
  r.queries = captured;
  for (const q of captured) (isCount(q) ? r.countMs : r.listMs).push(q.ms);
  return elapsed;
}

const loadBefore = os.loadavg();
const benchStarted = performance.now();
for (let w = 0; w < WARMUP; w++) await once(baseline);
baseline.listMs = [];
for (const r of results.slice(1)) {
  // Warm-up, shortened for cases so slow that one run eats a good part of the budget.
  let warm = 0;
  for (let w = 0; w < WARMUP && warm < CASE_BUDGET_MS / 4; w++) warm += await once(r);
  r.listMs = [];
  r.countMs = [];
  let spent = 0;
  while (r.times.length < REPS && (spent < CASE_BUDGET_MS || r.times.length < MIN_REPS)) {
    const b = await once(baseline);
    r.paired.push(b);
    baseline.times.push(b);
    const t = await once(r);
    r.times.push(t);
    spent += t;
  }
  console.log(`  ${r.c.key.padEnd(22)} ${String(r.times.length).padStart(2)} runs, median ${ms(median(r.times))} ms`);
}
const benchSeconds = Math.round((performance.now() - benchStarted) / 1000);
const loadAfter = os.loadavg();


// ---------------------------------------------------------------------------------------------
// Plans: ANALYZE FORMAT=JSON is EXPLAIN plus one real execution, so each table access has the
// optimizer's estimate (rows) and what was actually read (r_rows per loop × r_loops).

interface Access {
  table: string;
  type: string;
  key: string | null;
  covering: boolean;
  estimate: number;
  read: number;
  pages: number | null;
  sorted: boolean;
}
interface Plan {
  kind: "lookup" | "page" | "count";
  accesses: Access[];
}

function accesses(node: unknown, out: Access[] = [], sorted = false): Access[] {
  if (Array.isArray(node)) {
    for (const x of node) accesses(x, out, sorted);
  } else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (typeof o.table_name === "string") {
      // const/system tables are read once while planning: no r_rows, r_loops 0.
      const planned = o.access_type === "const" || o.access_type === "system" || o.r_rows === undefined || o.r_rows === null;
      const stats = o.r_engine_stats as { pages_accessed?: number } | undefined;
      out.push({
        table: o.table_name,
        type: String(o.access_type ?? ""),
        key: typeof o.key === "string" ? o.key : null,
        covering: o.using_index === true,
        estimate: Number(o.rows ?? 0),
        read: planned ? Number(o.rows ?? 1) : Math.round(Number(o.r_rows) * Number(o.r_loops ?? 1)),
        pages: stats?.pages_accessed ?? null,
        sorted,
      });
    }
    for (const [k, v] of Object.entries(o)) accesses(v, out, sorted || k === "filesort");
  }
  return out;
}

async function plan(q: Captured, kind: Plan["kind"]): Promise<Plan> {
  const [row] = await rows<Record<string, string>>(`analyze format=json ${q.sql}`, [...q.parameters]);
  return { kind, accesses: accesses(JSON.parse(Object.values(row)[0])) };
}

const mainAccess = (p: Plan | undefined) => p?.accesses.find((a) => a.table === "customers");
const scanned = (a: Access) => a.type === "ALL" || a.type === "index";
const accessText = (a: Access | undefined) =>
  !a ? "—" : scanned(a) ? `**full ${a.type === "ALL" ? "table" : "index"} scan**` : `${a.key ?? "none"} (${a.type}${a.covering ? ", covering" : ""})`;

/** The aliases the model functions give joined tables. */
const TABLE_OF: Record<string, string> = { fn: "customer_needs", fp: "customer_partners", cp: "customer_partners" };

interface Finding {
  scan: boolean;
  notes: string[];
}
function findings(r: Result, plans: Plan[]): Finding {
  const notes: string[] = [];
  let scan = false;
  const returned = Math.min(r.matches, r.c.pageNo * PAGE_SIZE);
  for (const p of plans) {
    // Temporary tables (<subqueryN>, <derivedN>) are the query's own intermediate results, not scans of stored data.
    for (const a of p.accesses.filter((x) => !x.table.startsWith("<"))) {
      if (scanned(a) && a.read > 1000) {
        scan = true;
        notes.push(`${p.kind}: full ${a.type === "ALL" ? "table" : "index"} scan of ${TABLE_OF[a.table] ?? a.table}, ${fmt(a.read)} rows read`);
      }
    }
    const main = mainAccess(p);
    if (!main || p.kind === "lookup") continue;
    if (p.kind === "page") {
      if (main.read > Math.max(4 * returned, returned + 1000)) {
        notes.push(`page: reads ${fmt(main.read)} customer rows${main.sorted ? " and sorts them" : ""} to show ${fmt(Math.min(PAGE_SIZE, r.matches))} (offset ${fmt((r.c.pageNo - 1) * PAGE_SIZE)})${main.pages && main.pages > main.read ? `, ${fmt(main.pages)} buffer-pool page accesses` : ""}`);
        if (main.read >= N * 0.25) scan = true;
      }
    } else if (main.read > Math.max(4 * r.matches, r.matches + 1000)) {
      notes.push(`count: reads ${fmt(main.read)} customer rows to count ${fmt(r.matches)}`);
      if (main.read >= N * 0.25) scan = true;
    } else if (main.read >= N * 0.25) {
      notes.push(`count: reads all ${fmt(main.read)} matching rows for the exact total (${Math.round((100 * main.read) / N)}% of the table)`);
    }
  }
  return { scan, notes: [...new Set(notes)] };
}

console.log("Explaining …");
const KIND_ORDER = { lookup: 0, page: 1, count: 2 } as const;
const explained: { r: Result; plans: Plan[]; f: Finding }[] = [];
for (const r of results) {
  const plans: Plan[] = [];
  for (const q of r.queries) plans.push(await plan(q, r.c.key === "baseline" ? "lookup" : isCount(q) ? "count" : "page"));
  plans.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  explained.push({ r, plans, f: findings(r, plans) });
}

// ---------------------------------------------------------------------------------------------
// Report

const [{ version }] = await rows<{ version: string }>("select version() as version");
const [{ bp }] = await rows<{ bp: string }>("select @@innodb_buffer_pool_size as bp");
const [size] = await rows<{ data: string; idx: string }>("select data_length as data, index_length as idx from information_schema.tables where table_schema = database() and table_name = 'customers'");
let nproc = String(os.availableParallelism());
try {
  nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
} catch {
  // os.availableParallelism() is the same number where nproc is missing.
}
const mib = (bytes: number | string) => `${fmt(Math.round(Number(bytes) / 1048576))} MiB`;

const base = median(baseline.times);
const ratio = (r: Result) => (r === baseline ? 1 : median(r.times) / median(r.paired));
const times = (x: number) => `${x >= 100 ? fmt(Math.round(x)) : x.toFixed(1)}×`;
const peerMedian = median(results.slice(1).map((r) => median(r.times)));
const slow = (r: Result) => r.c.key !== "baseline" && median(r.times) >= 5 * peerMedian;

const cell = (s: string) => s.replace(/\|/g, "\\|");
const timingRows = explained.map(({ r, plans }) => {
  const page = plans.find((p) => p.kind !== "count");
  const count = plans.find((p) => p.kind === "count");
  const split = r.listMs.length ? `${ms(median(r.listMs))} / ${r.countMs.length ? ms(median(r.countMs)) : "—"}` : "—";
  const mark = slow(r) ? " **slow**" : "";
  return `| ${cell(r.c.who)} | ${cell(r.c.what)} | ${fmt(r.matches)} | ${ms(median(r.times))}${mark} | ${ms(p95(r.times))} | ${times(ratio(r))} | ${split} | ${accessText(mainAccess(page))} | ${mainAccess(page)?.read === undefined ? "—" : fmt(mainAccess(page)!.read)} | ${accessText(mainAccess(count))} | ${mainAccess(count) ? fmt(mainAccess(count)!.read) : "—"} | ${r.times.length} |`;
});
const planRows = explained.flatMap(({ r, plans }) =>
  plans.flatMap((p) =>
    p.accesses.map(
      (a) =>
        `| ${r.c.key} | ${p.kind} | ${a.table} | ${a.type} | ${a.key ?? ""}${a.covering ? " (covering)" : ""} | ${fmt(a.estimate)} | ${fmt(a.read)} | ${a.pages === null ? "" : fmt(a.pages)} | ${a.sorted ? "filesort" : ""} |`,
    ),
  ),
);
const flagged = explained.filter(({ r, f }) => f.scan || slow(r));
const flagLines = flagged.map(({ r, f }) => {
  const why = [slow(r) ? `**far slower than its peers** (${times(median(r.times) / peerMedian)} the median case)` : "", f.scan ? "**scans the table or reads most of it**" : ""].filter(Boolean);
  return `- \`${r.c.key}\` (${r.c.who}, ${r.c.what}; median ${ms(median(r.times))} ms, ${times(ratio(r))} baseline): ${[...why, ...f.notes].join("; ")}.`;
});
const noteLines = explained
  .filter(({ r, f }) => !(f.scan || slow(r)) && f.notes.length > 0)
  .map(({ r, f }) => `- \`${r.c.key}\` (${r.c.who}, ${r.c.what}; median ${ms(median(r.times))} ms): ${f.notes.join("; ")}.`);

const runDate = new Date().toISOString().slice(0, 16).replace("T", " ");
const section = [
  `<!-- customer-search:${N}:start -->`,
  `## Customer list and search: ${fmt(N)} customers`,
  "",
  `Run ${runDate} UTC on ${codeVersion}, by \`${N === 200_000 ? "" : `BENCH_CUSTOMERS=${N} `}npm run bench\`. This section is rewritten by every run with this many customers.`,
  "",
  `- Machine: ${nproc} CPUs (${os.cpus()[0]?.model ?? "unknown"}), ${fmt(Math.round(os.totalmem() / 1073741824))} GiB RAM, load average ${loadBefore[0].toFixed(2)} before and ${loadAfter[0].toFixed(2)} after the timed runs`,
  `- MariaDB ${version}, innodb_buffer_pool_size ${mib(bp)}; customers table ${mib(size.data)} data + ${mib(size.idx)} indexes`,
  `- Node ${process.version}`,
  `- Data: ${fmt(N)} customers, ${fmt(data.counts.customer_partners)} serving rows (customer_partners), ${fmt(data.counts.customer_needs)} needs, ${fmt(data.counts.partners)} partners` +
    `; generated in ${generation}${data.reused ? ` by an earlier run (${data.generatedAt ? `${data.generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "date unknown"}) and reused` : ""}`,
  `- Timing: per case up to ${WARMUP} warm-up runs, then up to ${REPS} runs, each right after a baseline run; a case stops early once it has used ${CASE_BUDGET_MS / 1000} s and has ${MIN_REPS} runs (see "runs"); ${benchSeconds} s in all`,
  "",
  `Times are per call of the model function, as a page load makes it (searchCustomers runs the page query and the count at once). Ratio = the case's median / the median of the baseline runs paired with it (the baseline's median over the whole run: ${ms(base)} ms). "page / count ms" are the two statements' own medians. Index and rows read: how the customers table is read by the page query and by the count, from MariaDB \`ANALYZE FORMAT=JSON\` (the EXPLAIN plan plus one real execution).`,
  "",
  "| who | case | matches | median ms | p95 ms | ratio | page / count ms | page: index | page: rows read | count: index | count: rows read | runs |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: |",
  ...timingRows,
  "",
  "### Flagged in this run",
  "",
  "A case is flagged when it scans a table, reads at least a quarter of the customers to answer, or its median is at least 5× the median of all cases.",
  "",
  ...(flagLines.length ? flagLines : ["Nothing: no case scans the table or is far slower than its peers."]),
  "",
  ...(noteLines.length ? ["### Other notes", "", "Cases that read noticeably more rows than they show, without being flagged:", "", ...noteLines, ""] : []),
  "<details><summary>Plans: every table access (estimate = optimizer's rows; read = rows actually read, all loops; pages = buffer pool pages touched)</summary>",
  "",
  "| case | query | table | type | key | estimate | read | pages | sort |",
  "| --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |",
  ...planRows,
  "",
  "</details>",
  `<!-- customer-search:${N}:end -->`,
].join("\n");

const DEFAULT_HEAD = `# Benchmarks

\`npm run bench\` (not part of \`npm test\`) measures the customer list and search at scale.
`;
const existing = existsSync(DOC) ? readFileSync(DOC, "utf8") : DEFAULT_HEAD;
const SECTION_RE = /<!-- customer-search:(\d+):start -->[\s\S]*?<!-- customer-search:\1:end -->\n?/g;
const sections = new Map<number, string>();
for (const m of existing.matchAll(SECTION_RE)) sections.set(Number(m[1]), m[0].trimEnd());
sections.set(N, section);
const firstAt = existing.search(/<!-- customer-search:\d+:start -->/);
const head = (firstAt >= 0 ? existing.slice(0, firstAt) : existing).trimEnd();
const tail = firstAt >= 0 ? existing.slice(firstAt).replace(SECTION_RE, "").trim() : "";
const ordered = [...sections.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
writeFileSync(DOC, `${head}\n\n${ordered.join("\n\n")}\n${tail ? `\n${tail}\n` : ""}`);

console.log(`\nBaseline ${ms(base)} ms. Median per case (ms, ratio):`);
for (const r of results) console.log(`  ${r.c.key.padEnd(22)} ${ms(median(r.times)).padStart(8)}  ${times(ratio(r)).padStart(8)}  p95 ${ms(p95(r.times))}  matches ${fmt(r.matches)}`);
if (flagLines.length) console.log(`\nFlagged:\n${flagLines.join("\n")}`);
console.log(`\nWrote ${DOC}.`);

await admin.end();
await closeDb();
