// Key pages over HTTP under load: builds the app with the benchmark's baseline page (BENCH_BUILD=1,
// into build-bench/), starts the built server (server.mjs, NODE_ENV=production) on pp_bench as a
// child process, signs in once as a rep of a large reseller, the admin of a distributor and the
// brand's admin, and drives each page with autocannon from this process. Each case is paired with a
// run of the baseline (a bare Remix page with one primary-key lookup, same server, same pool) right
// before it: a closed-loop pass (BENCH_HTTP_CONNECTIONS connections for BENCH_HTTP_SECONDS) and a
// fixed-rate pass (BENCH_HTTP_RATE req/s for BENCH_HTTP_RATE_SECONDS), whose percentiles are computed
// from every response's own time. Before the load, a second start of the server with
// SQL_STATEMENT_LOG records the SQL statements of one request per page; the slowest statement of a
// page that misses the targets is run again with ANALYZE FORMAT=JSON. Writes this data size's
// section of docs/benchmarks.md.
//
//   npm run bench:http                         200,000 customers (BENCH_CUSTOMERS; BENCH_REUSE=1 keeps pp_bench)
//   BENCH_HTTP_BUILD=0 npm run bench:http      use the existing build-bench/
//   BENCH_HTTP_ONLY=insights npm run bench:http only the cases whose key contains this (e.g. brand-home)
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { createPool } from "mysql2/promise";
import { BENCH_BASELINE_PATH } from "./baseline-path";
import { BENCH_ADMIN_EMAIL, BENCH_BRAND_ID, BENCH_DATABASE_URL, BENCH_PASSWORD, benchCustomerCount, benchCustomerId, prepareBenchData } from "../db/seed/bench-data";
import { accesses, describeAccesses, latencies, meetsTargets, ratio, TARGET_P95_MS, TARGET_RATIO, writeSection, type Latencies } from "./http-report";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DOC = path.join(ROOT, "docs/benchmarks.md");
const N = benchCustomerCount();
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 10);
const RATE = Number(process.env.BENCH_HTTP_RATE ?? 100);
const RATE_SECONDS = Number(process.env.BENCH_HTTP_RATE_SECONDS ?? 5);
/** A page whose single request takes longer than this gets no load passes: it is far from the targets anyway, and ten of them at once would hold the server for minutes. */
const SLOW_MS = Number(process.env.BENCH_HTTP_SLOW_MS ?? 2000);
const fmt = (x: number) => x.toLocaleString("en");
const num = (x: number) => (!Number.isFinite(x) ? "—" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const log = (line: string) => console.log(line);
const slowText = (ms: number) => (Number.isFinite(ms) ? `${num(ms / 1000)} s` : `over ${PROBE_TIMEOUT_MS / 1000} s (gave up)`);
const started = performance.now();

let codeVersion = "unknown commit";
try {
  const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  const dirty = execFileSync("git", ["status", "--porcelain", "--", "app", "db", "server.mjs"], { encoding: "utf8" }).trim();
  codeVersion = `commit ${sha}${dirty ? " with uncommitted changes" : ""}`;
} catch {
  // Not a git work tree.
}

// ---------------------------------------------------------------------------------------------
// Data, build, server

log(`Preparing ${fmt(N)} customers in ${BENCH_DATABASE_URL.replace(/.*\//, "")} …`);
const data = await prepareBenchData(N, { reuse: process.env.BENCH_REUSE === "1", log });
const generation = data.seconds ? `${data.seconds.total} s (rows ${data.seconds.rows} s, index build ${data.seconds.indexes} s, analyze ${data.seconds.analyze} s)` : "an unrecorded time";
log(data.reused ? `Reusing data generated in ${generation}.` : `Generated in ${generation}.`);

if (process.env.BENCH_HTTP_BUILD !== "0") {
  log("Building (BENCH_BUILD=1 npm run build) …");
  try {
    execFileSync("npm", ["run", "build"], { cwd: ROOT, env: { ...process.env, BENCH_BUILD: "1" }, stdio: "pipe" });
  } catch (e) {
    console.error(String((e as { stderr?: Buffer }).stderr ?? e));
    throw new Error("The build failed.");
  }
}
if (!existsSync(path.join(ROOT, "build-bench/server/index.js"))) throw new Error("No build-bench/: run without BENCH_HTTP_BUILD=0 once.");

const db = createPool({ uri: BENCH_DATABASE_URL, connectionLimit: 2, charset: "utf8mb4_unicode_ci", timezone: "Z", supportBigNumbers: true, bigNumberStrings: true });
async function rows<T>(query: string, params: unknown[] = []): Promise<T[]> {
  const [result] = await db.query(query, params);
  return result as T[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

// A server left running by a failed or interrupted run would hold its port and pool.
const children = new Set<ChildProcess>();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

const SESSION_SECRET = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}-session-secret`;

interface Server {
  base: string;
  child: ChildProcess;
  output: string[];
}

async function startServer(statementLog?: string): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), DATABASE_URL: BENCH_DATABASE_URL, SESSION_SECRET, BUILD_DIR: "build-bench" };
  delete env.SQL_STATEMENT_LOG;
  if (statementLog) env.SQL_STATEMENT_LOG = statementLog;
  const child = spawn(process.execPath, ["server.mjs"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString().split("\n").filter(Boolean).slice(-50));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}):\n${output.join("\n")}`);
    try {
      await fetch(`${base}${BENCH_BASELINE_PATH}`);
      return { base, child, output };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill("SIGTERM");
  throw new Error(`The server did not answer within 30 s:\n${output.join("\n")}`);
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.once("exit", r));
  s.child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (s.child.exitCode === null) s.child.kill("SIGKILL");
}

// ---------------------------------------------------------------------------------------------
// Who signs in, and what they open

const served = await rows<{ id: string; type: string; parent_id: string | null; n: number }>(
  `select p.id, p.type, p.parent_id, count(cp.customer_id) as n from partners p left join customer_partners cp on cp.partner_id = p.id
   where p.brand_id = ? group by p.id, p.type, p.parent_id order by n desc, p.id`,
  [BENCH_BRAND_ID],
);
const family = (d: { id: string }) => served.filter((p) => p.id === d.id || p.parent_id === d.id);
const familySize = (d: { id: string }) => family(d).reduce((s, p) => s + Number(p.n), 0);
const bigReseller = served.find((p) => p.type === "reseller")!;
const distributor = served.filter((p) => p.type === "distributor").sort((a, b) => familySize(b) - familySize(a) || a.id.localeCompare(b.id))[0];

async function userOf(partnerId: string, role: string): Promise<string> {
  const [u] = await rows<{ email: string }>("select email from users where partner_id = ? and role = ? and status = 'active' order by id limit 1", [partnerId, role]);
  return u.email;
}
/** A customer the partners serve, from the middle of their list by id. */
async function customerOf(partnerIds: string[]): Promise<{ id: string; display_name: string; phone: string }> {
  const [c] = await rows<{ id: string; display_name: string; phone: string }>(
    `select c.id, c.display_name, c.phone from customers c where c.id = (select cp.customer_id from customer_partners cp where cp.partner_id in (?) order by cp.customer_id limit 1 offset 500)`,
    [partnerIds],
  );
  return c;
}
const [brandCustomer] = await rows<{ id: string; display_name: string; phone: string }>("select id, display_name, phone from customers where id = ?", [benchCustomerId(Math.floor(N / 2))]);

interface Actor {
  key: string;
  who: string;
  email: string;
  customer: { id: string; display_name: string; phone: string };
  cookie?: string;
}
const actors: Actor[] = [
  {
    key: "reseller",
    who: `large reseller (${fmt(Number(bigReseller.n))} customers), a rep`,
    email: await userOf(bigReseller.id, "partner_rep"),
    customer: await customerOf([bigReseller.id]),
  },
  {
    key: "distributor",
    who: `distributor (${family(distributor).length - 1} resellers, ${fmt(familySize(distributor))} serving rows), its admin`,
    email: await userOf(distributor.id, "partner_admin"),
    customer: await customerOf(family(distributor).map((p) => p.id)),
  },
  { key: "brand", who: `brand admin (${fmt(N)} customers)`, email: BENCH_ADMIN_EMAIL, customer: brandCustomer },
];
const baselineId = benchCustomerId(Math.floor(N / 3));
const [baselineCustomer] = await rows<{ display_name: string }>("select display_name from customers where id = ?", [baselineId]);

const fa = Object.assign({}, ...["common", "customers"].map((ns) => ({ [ns]: JSON.parse(readFileSync(path.join(ROOT, `locales/fa/${ns}.json`), "utf8")) }))) as Record<string, Record<string, unknown>>;
const faText = (ns: string, key: string) => key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], fa[ns]) as string;
const persianDigits = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
const ROW = 'href="/customers/01BENCHCUST';

interface Case {
  key: string;
  actor: Actor;
  what: string;
  path: string;
  /** Strings the page must contain (checked once per case). */
  markers: string[];
  /** The p95 limit at the fixed rate (50 ms; 150 ms for network insights). */
  p95Limit: number;
}
const cases: Case[] = actors.flatMap((a) => {
  const list = `<title>${faText("customers", "title")}`;
  const q = (s: string) => `/customers?q=${encodeURIComponent(s)}`;
  const lastDigits = persianDigits(a.customer.phone.slice(-4));
  return [
    { key: `${a.key}-list`, actor: a, what: "customer list", path: "/customers", markers: [list, ROW], p95Limit: TARGET_P95_MS },
    { key: `${a.key}-contact`, actor: a, what: "customer list by last contact", path: "/customers?sort=recent_contact", markers: [list, ROW], p95Limit: TARGET_P95_MS },
    { key: `${a.key}-name`, actor: a, what: "search «محمد»", path: q("محمد"), markers: [list, ROW], p95Limit: TARGET_P95_MS },
    // A rare prefix, typed on an Arabic keyboard (ك, ي): «کیوان».
    { key: `${a.key}-rare`, actor: a, what: "search rare prefix «كيوان» (Arabic ك ي)", path: q("كيوان"), markers: [list, ROW], p95Limit: TARGET_P95_MS },
    { key: `${a.key}-phone`, actor: a, what: `phone search, last 4 digits «${lastDigits}»`, path: q(lastDigits), markers: [list, ROW], p95Limit: TARGET_P95_MS },
    { key: `${a.key}-profile`, actor: a, what: "customer profile", path: `/customers/${a.customer.id}`, markers: [escapeHtml(a.customer.display_name)], p95Limit: TARGET_P95_MS },
    { key: `${a.key}-today`, actor: a, what: "today's actions", path: "/customers/today", markers: [`<title>${faText("customers", "today_title")}`], p95Limit: TARGET_P95_MS },
    { key: `${a.key}-home`, actor: a, what: "home", path: "/", markers: [`<title>${faText("common", "nav.home")}`], p95Limit: a.key === "brand" ? 150 : TARGET_P95_MS },
    { key: `${a.key}-insights`, actor: a, what: "network insights", path: "/insights", markers: ["<title>"], p95Limit: 150 },
  ];
}).filter((c) => !process.env.BENCH_HTTP_ONLY || process.env.BENCH_HTTP_ONLY.split(",").includes(c.key)); // BENCH_HTTP_ONLY=reseller-today,brand-list: only these cases
const baselinePath = `${BENCH_BASELINE_PATH}?id=${baselineId}`;

async function signIn(base: string, a: Actor): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ email: a.email, password: BENCH_PASSWORD, redirectTo: "/" }),
    redirect: "manual",
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (res.status !== 302 || res.headers.get("location") !== "/" || !cookies.some((c) => c.startsWith("__session="))) {
    throw new Error(`Signing in as ${a.email} answered ${res.status} ${res.headers.get("location") ?? ""}`);
  }
  return cookies.join("; ");
}

const headersOf = (a?: Actor): Record<string, string> => ({ "accept-encoding": "gzip", "accept-language": "fa", ...(a?.cookie ? { cookie: a.cookie } : {}) });

// ---------------------------------------------------------------------------------------------
// Statements per page (a server started with SQL_STATEMENT_LOG)

interface Logged {
  method: string;
  path: string;
  requestId: string | null;
  status: number;
  count: number;
  repeated: string[];
  statements: { sql: string; parameters: unknown[]; ms: number }[];
}
const statementsOf = new Map<string, Logged>();
const logFile = path.join(os.tmpdir(), `pp-bench-statements-${process.pid}.jsonl`);
rmSync(logFile, { force: true });
const linesIn = () => (existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").filter(Boolean) : []);

interface Probe {
  /** The page check: why the page is not timed (404: skipped; anything else: failed). */
  skipped?: string;
  failed?: string;
  /** The time of the reported request (the warm one when the cold one was fast). */
  ms: number;
}
const probed = new Map<string, Probe>();
/** A page check gives up after this long (the page is then reported as taking longer). */
const PROBE_TIMEOUT_MS = 30_000;

log("Checking every page and recording the SQL statements of one request per page …");
const probe = await startServer(logFile);
try {
  for (const a of actors) a.cookie = await signIn(probe.base, a);
  const baselineCase = { key: "baseline", path: baselinePath, actor: undefined as Actor | undefined, markers: [escapeHtml(baselineCustomer.display_name)] };
  for (const c of [baselineCase, ...cases]) {
    // Twice, the second (warm) request reported; once for a page that takes seconds.
    for (let attempt = 0; attempt < 2; attempt++) {
      const before = linesIn().length;
      const t0 = performance.now();
      const res = await fetch(`${probe.base}${c.path}`, {
        headers: { ...headersOf(c.actor), "x-request-id": `${c.key}/${attempt}` },
        redirect: "manual",
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      }).catch((e: Error) => e);
      if (res instanceof Error) {
        probed.set(c.key, { ms: Infinity });
        break;
      }
      const body = await res.text();
      const ms = performance.now() - t0;
      for (let i = 0; i < 50 && linesIn().length === before; i++) await new Promise((r) => setTimeout(r, 20));
      const line = linesIn()
        .slice(before)
        .map((l) => JSON.parse(l) as Logged)
        .find((l) => l.requestId === `${c.key}/${attempt}`);
      if (line) statementsOf.set(c.key, line);
      const missing = c.markers.filter((m) => !body.includes(m));
      const p: Probe = { ms };
      if (res.status === 404 && c.key !== "baseline") p.skipped = "404: no such page yet";
      else if (res.status === 403 && c.key !== "baseline") p.skipped = "403: not a page for this role";
      else if (res.status !== 200 || missing.length) p.failed = `answered ${res.status}${res.headers.get("location") ? ` → ${res.headers.get("location")}` : ""}${missing.length ? `, without ${missing.map((m) => `\`${m}\``).join(", ")}` : ""}`;
      probed.set(c.key, p);
      if (p.skipped || p.failed || ms > SLOW_MS) break;
    }
    const p = probed.get(c.key)!;
    log(`  ${c.key.padEnd(22)} ${p.skipped ?? p.failed ?? `${Number.isFinite(p.ms) ? num(p.ms) : `over ${PROBE_TIMEOUT_MS}`} ms, ${statementsOf.get(c.key)?.count ?? "?"} statements`}`);
  }
  // A page the check gave up on is logged once the server finishes it: wait a little for those.
  const pending = () => cases.filter((c) => !statementsOf.has(c.key) && probed.get(c.key)?.ms === Infinity);
  for (let i = 0; i < 90 && pending().length; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const all = linesIn().map((l) => JSON.parse(l) as Logged);
    for (const c of pending()) {
      const line = all.find((l) => l.requestId === `${c.key}/0`);
      if (line) statementsOf.set(c.key, line);
    }
  }
  if (probed.get("baseline")?.failed) throw new Error(`The baseline page ${probed.get("baseline")!.failed}.`);
} finally {
  await stopServer(probe);
  rmSync(logFile, { force: true });
}

// ---------------------------------------------------------------------------------------------
// The load

interface Pass {
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
  lat: Latencies;
  seconds: number;
}

async function pass(base: string, urlPath: string, headers: Record<string, string>, fixedRate: boolean): Promise<Pass> {
  const times: number[] = [];
  let ok = 0;
  let non2xx = 0;
  const options: autocannon.Options = {
    url: `${base}${urlPath}`,
    headers,
    duration: fixedRate ? RATE_SECONDS : SECONDS,
    connections: fixedRate ? Math.max(CONNECTIONS, 20) : CONNECTIONS,
    ...(fixedRate ? { overallRate: RATE } : {}),
    timeout: 30,
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, r) => (error ? reject(error) : resolve(r)));
    // Every response's own time (autocannon's own fixed-rate percentiles include synthetic samples).
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) {
        ok++;
        times.push(ms);
      } else non2xx++;
    });
  });
  // Let requests the pass left behind finish before the next one starts.
  await fetch(`${base}${baselinePath}`).then((r) => r.arrayBuffer());
  await new Promise((r) => setTimeout(r, 500));
  const seconds = result.duration;
  return { rps: ok / seconds, ok, non2xx, errors: result.errors + result.timeouts, lat: latencies(times), seconds };
}

interface Outcome {
  c: Case;
  skipped?: string;
  failed?: string;
  /** A single request took this long (ms): no load passes. */
  slow?: number;
  closed?: Pass;
  closedBase?: Pass;
  fixed?: Pass;
  fixedBase?: Pass;
  fixedSkipped?: string;
}
const outcomes: Outcome[] = [];
const loadBefore = os.loadavg();

log("Starting the server for the load …");
const server = await startServer();
try {
  // Warm the baseline and the pool.
  await pass(server.base, baselinePath, headersOf(), false);

  for (const c of cases) {
    const p = probed.get(c.key)!;
    if (p.skipped || p.failed) {
      outcomes.push({ c, skipped: p.skipped, failed: p.failed });
      continue;
    }
    if (p.ms > SLOW_MS) {
      outcomes.push({ c, slow: p.ms });
      log(`  ${c.key.padEnd(22)} not loaded: one request took ${slowText(p.ms)}`);
      continue;
    }
    const o: Outcome = { c };
    o.closedBase = await pass(server.base, baselinePath, headersOf(), false);
    o.closed = await pass(server.base, c.path, headersOf(c.actor), false);
    if (o.closed.rps < RATE / 2) {
      o.fixedSkipped = `its closed-loop maximum (${num(o.closed.rps)} req/s) is far below ${RATE} req/s`;
    } else {
      o.fixedBase = await pass(server.base, baselinePath, headersOf(), true);
      o.fixed = await pass(server.base, c.path, headersOf(c.actor), true);
    }
    outcomes.push(o);
    log(
      `  ${c.key.padEnd(22)} ${num(o.closed.rps).padStart(6)} req/s (baseline ${num(o.closedBase.rps)}, ratio ${num(ratio(o.closed.rps, o.closedBase.rps))}), p50 ${num(o.closed.lat.p50)} ms` +
        `${o.fixed ? `; at ${RATE}/s p95 ${num(o.fixed.lat.p95)} ms` : ""}${o.closed.non2xx + (o.fixed?.non2xx ?? 0) ? `; NON-2XX ${o.closed.non2xx + (o.fixed?.non2xx ?? 0)}` : ""}`,
    );
  }
} finally {
  await stopServer(server);
}
const loadAfter = os.loadavg();

// ---------------------------------------------------------------------------------------------
// Plans of the slowest statement of each page that misses the targets

const isoDate = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const asSqlParam = (v: unknown) => (typeof v === "string" && isoDate.test(v) ? v.replace("T", " ").replace("Z", "") : v);
const misses = (o: Outcome) => o.slow !== undefined || (!!o.closed && !meetsTargets(ratio(o.closed.rps, o.closedBase!.rps), o.fixed ? o.fixed.lat.p95 : Infinity, o.c.p95Limit));
const plans = new Map<string, string>();
const ANALYZE_MAX_MS = 5000;
for (const o of outcomes.filter(misses)) {
  const logged = statementsOf.get(o.c.key);
  const slowest = logged?.statements.filter((s) => /^\s*(select|with)\b/i.test(s.sql)).sort((a, b) => b.ms - a.ms)[0];
  if (!slowest) continue;
  try {
    // A statement that took seconds is explained, not run again: its rows are the optimizer's estimates.
    const run = slowest.ms <= ANALYZE_MAX_MS;
    const [row] = await rows<Record<string, string>>(`${run ? "analyze" : "explain"} format=json ${slowest.sql}`, slowest.parameters.map(asSqlParam));
    const what = describeAccesses(accesses(JSON.parse(Object.values(row)[0])));
    plans.set(
      o.c.key,
      `${num(slowest.ms)} ms in the recorded request${run ? "" : " (EXPLAIN only, rows are estimates)"}: ${run ? what : what.replace(/rows read/g, "rows estimated")}. \`${slowest.sql.slice(0, 400)}${slowest.sql.length > 400 ? " …" : ""}\``,
    );
  } catch (e) {
    plans.set(o.c.key, `could not be analysed: ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The report

const [[version]] = (await db.query("select version() as v, @@innodb_buffer_pool_size as bp")) as unknown as [{ v: string; bp: string }[]];
await db.end();
const mib = (b: number) => `${fmt(Math.round(b / 1048576))} MiB`;
const runDate = new Date().toISOString().slice(0, 16).replace("T", " ");
const counts = Object.entries(data.counts).map(([t, n]) => `${fmt(n)} ${t}`).join(", ");

const COLUMNS = 16;
const tableRow = (cells: string[]) => `| ${[...cells, ...Array(Math.max(0, COLUMNS - cells.length)).fill("")].join(" | ")} |`;
const tableRows = outcomes.map((o) => {
  const s = statementsOf.get(o.c.key);
  const stm = s ? `${s.count}${s.repeated.length ? ` (**${s.repeated.length} repeated**)` : ""}` : "—";
  const head = [o.c.actor.key, o.c.what];
  if (o.skipped) return tableRow([...head, `skipped: ${o.skipped}`]);
  if (o.failed) return tableRow([...head, `**page check failed**: ${o.failed}`, ...Array(11).fill(""), stm, "**no**"]);
  if (o.slow !== undefined) return tableRow([...head, `**one request: ${slowText(o.slow)}**, not loaded`, ...Array(11).fill(""), stm, "**no**"]);
  const r = ratio(o.closed!.rps, o.closedBase!.rps);
  const ok = !misses(o);
  const f = o.fixed;
  const non2xx = o.closed!.non2xx + o.closed!.errors + (f ? f.non2xx + f.errors : 0);
  return tableRow([
    ...head,
    num(o.closed!.rps),
    num(o.closedBase!.rps),
    ok ? num(r) : `**${num(r)}**`,
    num(o.closed!.lat.p50),
    num(o.closed!.lat.p95),
    num(o.closed!.lat.p99),
    ...(f ? [num(f.rps), num(f.lat.p50), num(f.lat.p95), num(f.lat.p99), num(o.fixedBase!.lat.p95)] : ["not run", "", "", "", ""]),
    non2xx ? `**${fmt(non2xx)}**` : "0",
    stm,
    ok ? "yes" : "**no**",
  ]);
});
const baseStm = statementsOf.get("baseline");
const slowLines = outcomes
  .filter(misses)
  .map((o) => {
    if (o.slow !== undefined) {
      // A request the check gave up on was cut off: the statement still running then was never logged.
      const cut = Number.isFinite(o.slow) ? "slowest statement" : "cut off, so the statement still running then is not recorded; slowest finished statement";
      return `- \`${o.c.key}\` (${o.c.actor.key}, ${o.c.what}; one request took ${slowText(o.slow)}): ${cut} ${plans.get(o.c.key) ?? "not recorded"}`;
    }
    const why = [
      ratio(o.closed!.rps, o.closedBase!.rps) < TARGET_RATIO ? `${num(ratio(o.closed!.rps, o.closedBase!.rps))}× the baseline` : "",
      o.fixed ? (o.fixed.lat.p95 > o.c.p95Limit ? `p95 ${num(o.fixed.lat.p95)} ms at ${RATE}/s` : "") : `no fixed-rate pass: ${o.fixedSkipped}`,
    ].filter(Boolean);
    return `- \`${o.c.key}\` (${o.c.actor.key}, ${o.c.what}; ${why.join("; ")}): slowest statement ${plans.get(o.c.key) ?? "not recorded"}`;
  });
const repeatedLines = [...statementsOf.entries()].filter(([, s]) => s.repeated.length).map(([k, s]) => `- \`${k}\`: ${s.repeated.map((q) => `\`${q.slice(0, 160)}${q.length > 160 ? " …" : ""}\``).join("; ")}`);

const section = [
  `<!-- http:${N}:start -->`,
  `## Pages over HTTP: ${fmt(N)} customers`,
  "",
  `Run ${runDate} UTC on ${codeVersion}, by \`${N === 200_000 ? "" : `BENCH_CUSTOMERS=${N} `}npm run bench:http\`. This section is rewritten by every run with this many customers.`,
  "",
  `- Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"}), ${fmt(Math.round(os.totalmem() / 1073741824))} GiB RAM; load average ${loadBefore.map((x) => x.toFixed(2)).join(" / ")} before and ${loadAfter.map((x) => x.toFixed(2)).join(" / ")} after the load (1 / 5 / 15 minutes; the machine is shared)`,
  `- MariaDB ${version.v}, innodb_buffer_pool_size ${mib(Number(version.bp))}; Node ${process.version}; autocannon on loopback from the benchmark's process, the server a child process (server.mjs, NODE_ENV=production)`,
  `- Data: ${counts}; generated in ${generation}${data.reused ? " by an earlier run and reused" : ""}`,
  `- Load: per case, the baseline then the page, closed loop (${CONNECTIONS} connections, ${SECONDS} s each), then the baseline then the page at a fixed ${RATE} req/s (${RATE_SECONDS} s each, up to ${Math.max(CONNECTIONS, 20)} connections; skipped when the page's closed-loop maximum is under ${RATE / 2} req/s); ${Math.round((performance.now() - started) / 1000)} s in all`,
  `- Baseline: \`${BENCH_BASELINE_PATH}\` (in the benchmark's build only), one primary-key lookup of a customer; ${baseStm ? `${baseStm.count} SQL statement${baseStm.count === 1 ? "" : "s"} per request` : ""}`,
  "",
  `req/s counts 2xx answers only; latencies (ms) are from every 2xx response's own time. Ratio = the page's req/s / the req/s of the baseline run right before it. Targets: ratio ≥ ${TARGET_RATIO}, and p95 ≤ ${TARGET_P95_MS} ms at ${RATE} req/s (network insights and the brand home: 150 ms). "non-2xx" counts answers other than 2xx plus errors and timeouts in both passes; they are never in the figures. Statements: SQL statements of one warm request (SQL_STATEMENT_LOG), and how many were issued more than once.`,
  "",
  `| who | page | req/s | baseline req/s | ratio | p50 | p95 | p99 | at ${RATE}/s: req/s | p50 | p95 | p99 | baseline p95 | non-2xx | statements | meets targets |`,
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ...tableRows,
  "",
  "Who: " + actors.map((a) => `${a.key} = ${a.who} (${a.email})`).join("; ") + ".",
  "",
  "### Pages that miss the targets: the slowest statement's plan",
  "",
  "From MariaDB `ANALYZE FORMAT=JSON` of the slowest SELECT in the page's recorded request (the plan plus one real execution: rows read are what was actually read, over all loops).",
  "",
  ...(slowLines.length ? slowLines : ["None."]),
  "",
  "### Statements issued more than once in one request",
  "",
  ...(repeatedLines.length ? repeatedLines : ["None."]),
  `<!-- http:${N}:end -->`,
].join("\n");

writeFileSync(DOC, writeSection(existsSync(DOC) ? readFileSync(DOC, "utf8") : "# Benchmarks\n", "http", N, section, "## Customer list and search"));
log(`\nWrote ${DOC}.`);
const failures = outcomes.filter((o) => o.failed);
if (failures.length) {
  console.error(`${failures.length} page(s) failed their check: ${failures.map((o) => o.c.key).join(", ")}`);
  process.exitCode = 1;
}
