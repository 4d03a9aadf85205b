// npm run test:faults — the database dies (kill -9) in the middle of a burst of registrations and
// CSV imports. Checks that pages answer the Persian 503 page while it is down, that the app (never
// restarted) serves again once the database is back, and that nothing a client saw succeed is lost
// or written twice. Runs against its own MariaDB in a temp directory, never the shared server.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPool, type RowDataPacket } from "mysql2/promise";
import faCommon from "../../locales/fa/common.json" with { type: "json" };
import enCommon from "../../locales/en/common.json" with { type: "json" };
import { exited, freePort, OwnMariaDb, run, sleep, startApp, until } from "./processes";

const REPS = ["rep@alborz.example", "rep@noor.example", "rep@zandiyeh.example", "rep@aftab.example"];
// Imports run in sessions of their own, beside the same reps registering customers.
const IMPORTERS = ["rep@noor.example", "rep@zandiyeh.example"];
const PASSWORD = "portal-demo-1404";
const REGISTRATIONS = 150;
const AFTER_RECOVERY = 20;
const CONCURRENCY = 6;
const KILL_AFTER_ANSWERS = 50;
const IMPORT_ROWS = 300;

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(`[${elapsed()}] ${line}`);

const work = await mkdtemp(join(tmpdir(), "pp-faults-"));
const mariadb = new OwnMariaDb(work, await freePort());
const DATABASE_URL = `${mariadb.adminUrl}partner_portal`;
const BASE = `http://127.0.0.1:${await freePort()}`;
let app: ReturnType<typeof startApp> | null = null;

async function cleanUp() {
  if (app) {
    app.kill("SIGTERM");
    await Promise.race([exited(app), sleep(5000)]);
    app.kill("SIGKILL");
  }
  await mariadb.kill();
  if (process.env.FAULTS_KEEP) console.log(`Kept ${work} (logs of MariaDB, the seed and the app).`);
  else await rm(work, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

// ---------------------------------------------------------------------------------------------
// HTTP as a browser without JavaScript sends it: forms, same-origin, redirects not followed.

const http = { statuses: new Map<number, number>(), transportErrors: 0 };

async function request(path: string, o: { cookie?: string; body?: URLSearchParams | FormData } = {}): Promise<{ status: number; location: string; html: string; setCookie: string[] }> {
  const headers: Record<string, string> = { Origin: BASE };
  if (o.cookie) headers.Cookie = o.cookie;
  try {
    const response = await fetch(BASE + path, { method: o.body ? "POST" : "GET", headers, body: o.body, redirect: "manual" });
    const html = await response.text();
    http.statuses.set(response.status, (http.statuses.get(response.status) ?? 0) + 1);
    return { status: response.status, location: response.headers.get("Location") ?? "", html, setCookie: response.headers.getSetCookie() };
  } catch (e) {
    http.transportErrors++;
    throw e;
  }
}

const isPersian503 = (r: { status: number; html: string }) =>
  r.status === 503 && r.html.includes('<html lang="fa" dir="rtl"') && r.html.includes(`<h1>${faCommon.errorPage.unavailable.title}</h1>`) && r.html.includes(faCommon.errorPage.unavailable.body);

async function signIn(email: string): Promise<string> {
  const r = await request("/login", { body: new URLSearchParams({ email, password: PASSWORD, redirectTo: "/" }) });
  const session = r.setCookie.map((c) => c.split(";")[0]).find((c) => c.startsWith("__session="));
  if (r.status !== 302 || !session) throw new Error(`sign-in of ${email} answered ${r.status}`);
  return session;
}

// ---------------------------------------------------------------------------------------------
// The burst

type Outcome = "succeeded" | "failed_cleanly" | "refused" | "server_error" | "transport_error";
interface Registration {
  phone: string;
  n?: number;
  cookie?: string;
  outcome?: Outcome;
  status?: number;
  customerId?: string;
}
const e164 = (phone: string) => `+98${phone.slice(1)}`;

interface Import {
  phones: string[];
  jobId?: string;
  step: string;
}

/** Iranian mobiles that no seeded customer has; each registration and imported row gets its own. */
let seeded = new Set<string>();
let lastPhone = 0;
function phoneNumbers(count: number): string[] {
  const phones: string[] = [];
  while (phones.length < count) {
    const phone = `0939${String(++lastPhone).padStart(7, "0")}`;
    if (!seeded.has(e164(phone))) phones.push(phone);
  }
  return phones;
}

async function register(cookie: string, r: Registration, n: number): Promise<void> {
  [r.cookie, r.n] = [cookie, n];
  const form = new URLSearchParams({
    kind: "person",
    displayName: `مشتری آزمون خرابی ${n}`,
    phone: r.phone,
    province: "tehran",
    city: "تهران",
    preferredLocale: "fa",
    preferredChannel: "phone",
    consentPartnerContact: "on",
  });
  try {
    const answer = await request("/customers/new", { cookie, body: form });
    r.status = answer.status;
    const id = /^\/customers\/([0-9A-Z]{26})\?registered=1$/.exec(answer.location)?.[1];
    if (answer.status === 302 && id) [r.outcome, r.customerId] = ["succeeded", id];
    else if (isPersian503(answer)) r.outcome = "failed_cleanly";
    else r.outcome = answer.status >= 500 ? "server_error" : "refused";
  } catch {
    r.outcome = "transport_error";
  }
}

async function runRegistrations(regs: Registration[], cookies: string[], offset: number, onAnswer: (answered: number) => void) {
  let next = 0;
  let answered = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (next < regs.length) {
        const i = next++;
        await register(cookies[(worker + i) % cookies.length], regs[i], offset + i);
        onAnswer(++answered);
      }
    }),
  );
}

const jobStatus = async (pool: ReturnType<typeof createPool>, jobId: string) =>
  (await pool.query<RowDataPacket[]>("select status from import_jobs where id = ?", [jobId]))[0][0]?.status as string | undefined;

/** Upload, confirm the mapping, wait for the preview, commit all or nothing, wait for the end. Stops at the first refused step. */
async function importFile(cookie: string, imp: Import, pool: ReturnType<typeof createPool>, n: number, dbDown: () => boolean): Promise<boolean> {
  const csv = ["Full Name,Mobile,City", ...imp.phones.map((p, i) => `مشتری فایل ${n}-${i},${p},تهران`)].join("\n");
  const upload = new FormData();
  upload.set("file", new Blob([csv], { type: "text/csv" }), `faults-${n}.csv`);
  imp.step = "upload";
  const uploaded = await request("/customers/import", { cookie, body: upload });
  imp.jobId = /^\/customers\/import\/([0-9A-Z]{26})$/.exec(uploaded.location)?.[1];
  if (!imp.jobId) return false;
  // The job page shows the job's row; read it straight from there until the step ends (or the database is gone).
  const waitFor = async (statuses: string[]) => {
    for (let tries = 0; tries < 300 && !dbDown(); tries++) {
      const status = await jobStatus(pool, imp.jobId!).catch(() => undefined);
      if (status && statuses.includes(status)) return status;
      await sleep(100);
    }
    return "unknown";
  };
  const step = async (name: string, fields: Record<string, string>, waitStatuses: string[]) => {
    imp.step = name;
    const answer = await request(`/customers/import/${imp.jobId}`, { cookie, body: new URLSearchParams(fields) });
    if (answer.status !== 302) return false;
    imp.step = `${name}: ${await waitFor(waitStatuses)}`;
    return true;
  };
  return (
    (await step("map", { intent: "map", "map.displayName": "0", "map.phone": "1", "map.city": "2" }, ["previewed", "failed"])) &&
    (await step("commit", { intent: "commit", mode: "all_or_nothing" }, ["done", "failed"]))
  );
}

async function runImports(cookies: string[], pool: ReturnType<typeof createPool>, keepGoing: () => boolean, dbDown: () => boolean, imports: Import[]) {
  await Promise.all(
    cookies.map(async (cookie) => {
      while (keepGoing()) {
        const imp: Import = { phones: phoneNumbers(IMPORT_ROWS), step: "start" };
        imports.push(imp);
        if (!(await importFile(cookie, imp, pool, imports.length, dbDown).catch(() => false))) return;
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
};

try {
  say(`own MariaDB on port ${mariadb.port} in ${work}`);
  mariadb.install();
  await mariadb.start();
  run(join("node_modules", ".bin", "tsx"), ["db/seed/index.ts"], { env: { DATABASE_URL }, log: join(work, "seed.log") });
  say("schema and Persian demo data in place");
  if (!existsSync("build/server/index.js")) {
    say("no build/ yet: building");
    run("npm", ["run", "build"], { log: join(work, "build.log") });
  }
  const appEnv = { NODE_ENV: "production", PORT: new URL(BASE).port, DATABASE_URL, SESSION_SECRET: "faults-only-session-secret-0123456789abcdef", COOKIE_SECURE: "false", UPLOAD_DIR: join(work, "uploads") };
  app = startApp(appEnv, join(work, "app.log"));
  const appPid = app.pid;
  await until("the app to answer", 30_000, async () => ((await fetch(`${BASE}/login`)).ok ? true : undefined));
  say(`app (pid ${appPid}) on ${BASE}`);

  const pool = createPool({ uri: DATABASE_URL, connectionLimit: 2 });
  seeded = new Set((await pool.query<RowDataPacket[]>("select phone from customers where phone like '+98939%'"))[0].map((r) => r.phone as string));
  const repCookies = await Promise.all(REPS.map(signIn));
  const importerCookies = await Promise.all(IMPORTERS.map(signIn));

  // Phase 1: the burst, with the database killed once KILL_AFTER_ANSWERS registrations were answered.
  const regs: Registration[] = phoneNumbers(REGISTRATIONS).map((phone) => ({ phone }));
  const imports: Import[] = [];
  let killed: Promise<void> | null = null;
  let killedAt = 0;
  let burstDone = false;
  const importing = runImports(importerCookies, pool, () => !burstDone && !killed, () => killed !== null, imports);
  await runRegistrations(regs, repCookies, 0, (answered) => {
    if (answered === KILL_AFTER_ANSWERS) {
      say(`kill -9 the database after ${answered} answered registrations`);
      killedAt = Date.now();
      killed = mariadb.kill();
    }
  });
  burstDone = true;
  await killed;
  await importing;
  say(`burst over: ${regs.filter((r) => r.outcome === "succeeded").length} registered, ${regs.filter((r) => r.outcome === "failed_cleanly").length} answered 503`);

  // While it is down: the Persian 503 page for pages and data requests, English with the lng cookie.
  const page = await request("/customers", { cookie: repCookies[0] });
  check(isPersian503(page), `while down, /customers answered ${page.status} without the Persian 503 page`);
  const data = await request("/customers.data", { cookie: repCookies[0] });
  check(data.status === 503, `while down, the data request answered ${data.status}`);
  const english = await request("/customers", { cookie: `${repCookies[0]}; lng=${Buffer.from('"en"').toString("base64")}` });
  check(english.status === 503 && english.html.includes(`<h1>${enCommon.errorPage.unavailable.title}</h1>`), `while down, the English page answered ${english.status} without the English 503 page`);
  const home = await request("/", { cookie: repCookies[1] });
  check(isPersian503(home), `while down, / answered ${home.status} without the Persian 503 page`);
  say("while down: 503 pages checked");

  // The database comes back on the same datadir; the app is not restarted.
  const restartMs = await mariadb.start();
  const dbBack = Date.now();
  await until("the app to serve again", 30_000, async () => ((await request("/customers", { cookie: repCookies[0] })).status === 200 ? true : undefined));
  const appBackMs = Date.now() - dbBack;
  const downMs = Date.now() - killedAt;
  say(`database back after ${restartMs} ms of start-up (crash recovery); app answering ${appBackMs} ms later; down ${downMs} ms in all`);

  // Phase 2: writes work again, through the same app process.
  const after: Registration[] = phoneNumbers(AFTER_RECOVERY).map((phone) => ({ phone }));
  const afterImports: Import[] = [];
  await Promise.all([runRegistrations(after, repCookies, REGISTRATIONS, () => {}), runImports(importerCookies.slice(0, 1), pool, () => afterImports.length === 0, () => false, afterImports)]);
  check(app.exitCode === null && app.pid === appPid, "the app process did not survive");

  // ---------------------------------------------------------------------------------------------
  // The database is the judge.
  const all = [...regs, ...after];
  // A 503 during COMMIT may hide a registration that was saved: sent again, it must show as the duplicate it is.
  const [saved] = await pool.query<RowDataPacket[]>("select phone from customers where phone in (?)", [all.filter((r) => r.outcome !== "succeeded").map((r) => e164(r.phone))]);
  const inDoubt = all.filter((r) => r.outcome !== "succeeded" && saved.some((row) => row.phone === e164(r.phone)));
  for (const r of inDoubt) {
    const again: Registration = { phone: r.phone };
    await register(r.cookie!, again, r.n!);
    check(again.status === 409, `registration ${r.phone}, saved but answered 503, answered ${again.status} when sent again (expected the duplicate notice, 409)`);
  }
  const [rows] = await pool.query<RowDataPacket[]>(
    `select c.phone, c.id, (select count(*) from customer_partners cp where cp.customer_id = c.id) as serving,
            (select count(*) from audit_log a where a.target_id = c.id and a.action = 'customer.registered') as audited
       from customers c where c.phone in (?)`,
    [all.map((r) => e164(r.phone))],
  );
  const byPhone = new Map<string, RowDataPacket[]>();
  for (const row of rows) byPhone.set(row.phone, [...(byPhone.get(row.phone) ?? []), row]);
  const count = (outcome: Outcome, list = all) => list.filter((r) => r.outcome === outcome).length;
  let lost = 0;
  let duplicates = 0;
  for (const r of all) {
    const found = byPhone.get(e164(r.phone)) ?? [];
    if (found.length > 1) duplicates++;
    if (r.outcome === "succeeded" && !(found.length === 1 && found[0].id === r.customerId)) lost++;
    for (const row of found) check(Number(row.serving) === 1 && Number(row.audited) === 1, `customer ${row.id} is missing its serving partner or audit entry`);
  }
  check(lost === 0, `${lost} registrations the client saw succeed are not in the database`);
  check(duplicates === 0, `${duplicates} phones are in the database more than once`);
  check(count("server_error") === 0 && count("refused") === 0 && count("transport_error") === 0, "registrations answered with something other than a redirect or the 503 page");
  check(count("succeeded", after) === AFTER_RECOVERY, `after recovery only ${count("succeeded", after)} of ${AFTER_RECOVERY} registrations succeeded`);

  const importStates: string[] = [];
  for (const imp of [...imports, ...afterImports]) {
    const status = imp.jobId ? await jobStatus(pool, imp.jobId) : "not uploaded";
    const [[{ n }]] = await pool.query<RowDataPacket[]>("select count(*) as n from customers where phone in (?)", [imp.phones.map(e164)]);
    const expected = status === "done" ? IMPORT_ROWS : 0;
    check(Number(n) === expected, `import ${imp.jobId ?? "(no job)"} is ${status} with ${n} of its ${IMPORT_ROWS} rows written`);
    importStates.push(`${status}${status === "done" ? ` (${n} rows)` : ` at ${imp.step} (${n} rows)`}`);
  }
  check(afterImports.length === 1 && importStates.at(-1) === `done (${IMPORT_ROWS} rows)`, "the import after recovery did not complete");
  check(http.transportErrors === 0, `${http.transportErrors} requests got no HTTP answer`);
  check(!http.statuses.has(500), `${http.statuses.get(500)} answers were 500`);
  await pool.end();
  const reasons = new Map<string, number>();
  for (const [, reason] of (await readFile(join(work, "app.log"), "utf8")).matchAll(/Database unavailable \(([^)]+)\)/g)) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);

  console.log(`
Fault run summary (${elapsed()} in all)
  registrations attempted          ${all.length} (${REGISTRATIONS} in the burst, ${AFTER_RECOVERY} after recovery)
    succeeded (redirect)           ${count("succeeded")}
    failed cleanly (Persian 503)   ${count("failed_cleanly")}, of which saved before the connection dropped: ${inDoubt.length} (sent again: duplicate notice)
    other answers / 500 / no answer ${count("refused")} / ${count("server_error")} / ${count("transport_error")}
    lost                           ${lost}
    duplicates                     ${duplicates}
  imports (${IMPORT_ROWS} rows each)           ${importStates.join("; ")}
  database down                    ${downMs} ms (restart with crash recovery ${restartMs} ms, app serving ${appBackMs} ms after)
  503s by cause (app log)          ${[...reasons].map(([r, n]) => `${r}: ${n}`).join(", ")}
  HTTP answers by status           ${[...http.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(", ")}
${failures.length ? `FAILED:\n${failures.map((f) => `  - ${f}`).join("\n")}` : "OK: nothing lost, nothing written twice, no 500."}`);
} catch (e) {
  failures.push(e instanceof Error ? e.message : String(e));
  console.error(e);
  console.error(`Logs are in ${work} with FAULTS_KEEP=1.`);
} finally {
  await cleanUp();
}
process.exit(failures.length ? 1 : 0);
