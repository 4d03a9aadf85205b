// npm run test:shutdown — graceful shutdown of the built server (run after `npm run build`): SIGTERM
// arrives while a request is half-way in; the server stops taking connections, the request gets its
// answer, the work the instance had claimed is handed back, and the process exits 0 in time.
import { request as httpRequest } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { createDb, ensureDatabase } from "../../db/client";
import { migrateToLatest } from "../../db/migrator";
import { exited, freePort, sleep, startApp, until } from "./processes";

const admin = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? "mysql://root@127.0.0.1:3306/");
const database = `pp_shutdown_${process.pid}`;
const DATABASE_URL = new URL(`/${database}`, admin).toString();
const port = await freePort();
const BASE = `http://127.0.0.1:${port}`;
const work = await mkdtemp(join(tmpdir(), "pp-shutdown-"));
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

await ensureDatabase(DATABASE_URL);
const migrator = createDb(DATABASE_URL, 1);
await migrateToLatest(migrator);
await migrator.destroy();
const sqlConn = await createConnection({ uri: DATABASE_URL });

const app = startApp(
  { NODE_ENV: "production", PORT: String(port), DATABASE_URL, SESSION_SECRET: "shutdown-check-session-secret-0123456789", COOKIE_SECURE: "false", UPLOAD_DIR: join(work, "uploads"), INSTANCE_NAME: "shutdown-check", SHUTDOWN_GRACE_MS: "10000" },
  join(work, "app.log"),
);
try {
  await until("the app to answer /healthz", 60_000, async () => ((await fetch(`${BASE}/healthz`)).ok ? true : undefined));
  const ready = await fetch(`${BASE}/readyz`);
  const state = (await ready.json()) as { ready: boolean; database: string; storage: string; instance: string };
  check(ready.status === 200 && state.ready && state.database === "ok" && state.storage === "ok", `/readyz answers 200 while serving: ${JSON.stringify(state)}`);

  // Work this instance holds: a scheduled run, claimed for ten more minutes.
  await sqlConn.query("insert into job_claims (name, claimed_by, claimed_until, started_at) values ('values:shutdown-check', ?, now(3) + interval 10 minute, now(3))", [state.instance]);

  // A sign-in form whose body is still arriving when SIGTERM comes.
  const body = "email=nobody%40example.test&password=not-the-password";
  const answer = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    const req = httpRequest(`${BASE}/login`, { method: "POST", headers: { Origin: BASE, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
    });
    req.on("error", reject);
    req.write(body.slice(0, 20));
    setTimeout(() => req.end(body.slice(20)), 1500);
  });
  await sleep(300);
  const signalled = Date.now();
  app.kill("SIGTERM");
  await sleep(500);
  const refused = await fetch(`${BASE}/healthz`).then(
    () => false,
    () => true,
  );
  check(refused, "new connections are refused once shutdown has begun");
  const { status, connection } = await answer;
  check(status > 0 && status < 500, `the request in flight got its answer (${status}, connection: ${connection})`);
  await Promise.race([exited(app), sleep(20_000)]);
  const tookMs = Date.now() - signalled;
  check(app.exitCode === 0, `the process exited with 0 (${app.exitCode ?? app.signalCode}) ${tookMs} ms after SIGTERM`);
  const [rows] = await sqlConn.query("select claimed_by from job_claims where name = 'values:shutdown-check'");
  check((rows as { claimed_by: string | null }[])[0]?.claimed_by === null, "the run it had claimed is handed back, for another instance to take at once");
} finally {
  if (app.exitCode === null && app.signalCode === null) app.kill("SIGKILL");
  await sqlConn.query(`drop database if exists \`${database}\``);
  await sqlConn.end();
  if (failures.length) console.log(`App log kept in ${work}`);
  else await rm(work, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
