// Production server: Express around the Remix build, plus the guards that belong before any route runs.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { isSafeMethod, newNonce, sameOrigin, securityHeaders } from "./security.mjs";

if (existsSync(".env")) process.loadEnvFile(".env");

const BODY_LIMITS = [
  { prefix: "/customers/import", bytes: 25 * 1024 * 1024 },
  // Toolkit assets (app/domain/toolkit-assets.ts ASSET_MAX_BYTES) plus the form around them.
  { prefix: "/toolkits/manage/", bytes: 21 * 1024 * 1024 },
  { prefix: "/", bytes: 1024 * 1024 },
];

const messages = Object.fromEntries(
  ["fa", "en"].map((lng) => [lng, JSON.parse(readFileSync(new URL(`./locales/${lng}/common.json`, import.meta.url), "utf8")).errorPage]),
);

// Remix cookies without secrets are base64-encoded JSON.
function cookieLocale(header = "") {
  const raw = /(?:^|;\s*)lng=([^;]+)/.exec(header)?.[1];
  try {
    return raw ? JSON.parse(Buffer.from(decodeURIComponent(raw), "base64").toString("utf8")) : null;
  } catch {
    return null;
  }
}

/** A short page in the user's language for refusals made before Remix runs. */
function refuse(req, res, status, key) {
  const lng = cookieLocale(req.headers.cookie) === "en" ? "en" : "fa";
  const m = messages[lng][key];
  res
    .status(status)
    .type("html")
    .send(`<!doctype html><html lang="${lng}" dir="${lng === "fa" ? "rtl" : "ltr"}"><meta charset="utf-8"><title>${m.title}</title><h1>${m.title}</h1><p>${m.body}</p><a href="/">${messages[lng].home}</a></html>`);
}

// BUILD_DIR: another build of the same app (the HTTP benchmark's, in build-bench/); normally build/.
const buildDir = process.env.BUILD_DIR || "build";
const build = await import(new URL(`./${buildDir}/server/index.js`, import.meta.url).href);
// Only the configured number of proxy hops is believed about the client's address and host (0: the socket's).
const proxyHops = build.entry.module.trustProxyHops();

const app = express();
app.set("trust proxy", proxyHops);
app.disable("x-powered-by");

// For the load balancer, before everything else (no session, no origin check, no log line):
// /healthz says the process is up; /readyz that the database and file store answer, and 503 from
// the moment shutdown begins, so the instance is drained.
let shuttingDown = false;
app.get("/healthz", (req, res) => res.type("text").send("ok"));
app.get("/readyz", async (req, res) => {
  const state = shuttingDown ? { ready: false, shuttingDown } : await build.entry.module.readiness();
  res.status(state.ready ? 200 : 503).set("Cache-Control", "no-store").json(state);
});
// While shutting down, clients keeping their connection open are told to open the next one elsewhere.
app.use((req, res, next) => (shuttingDown && res.setHeader("Connection", "close"), next()));
app.use(compression());
app.use((req, res, next) => {
  res.locals.cspNonce = newNonce();
  for (const [name, value] of Object.entries(securityHeaders(req.path, res.locals.cspNonce))) res.setHeader(name, value);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  if (!sameOrigin(req, proxyHops)) return refuse(req, res, 403, "forbidden");
  if (!isSafeMethod(req.method)) {
    const limit = BODY_LIMITS.find((l) => req.path.startsWith(l.prefix)).bytes;
    const length = req.headers["content-length"];
    if (length === undefined && req.headers["transfer-encoding"]) return res.status(411).end();
    if (Number(length) > limit) {
      res.setHeader("Connection", "close");
      return refuse(req, res, 413, "too_large");
    }
  }
  next();
});
app.use("/assets", express.static(`${buildDir}/client/assets`, { immutable: true, maxAge: "1y" }));
app.use(express.static(`${buildDir}/client`, { maxAge: "1h" }));

const handle = createRequestHandler({ build, getLoadContext: (req, res) => ({ clientIp: req.ip, cspNonce: res.locals.cspNonce }) });
// A page's loaders (layout and page) share one read of the session per safe request.
const serve = (req, res, next) => (isSafeMethod(req.method) ? build.entry.module.requestMemo.run(new Map(), () => handle(req, res, next)) : handle(req, res, next));
// SQL_STATEMENT_LOG=<file> (the HTTP benchmark): one JSON line per request with the SQL statements it
// ran: {method, path, requestId (the X-Request-Id header, if any), status, count, repeated, statements: [{sql, parameters, ms}]}.
const statementLog = process.env.SQL_STATEMENT_LOG;
app.all(
  "*",
  statementLog
    ? async (req, res, next) => {
        const { statements, details } = await build.entry.module.recordStatements(() => serve(req, res, next));
        const repeated = build.entry.module.repeatedStatements(statements);
        const line = { method: req.method, path: req.originalUrl, requestId: req.get("x-request-id") ?? null, status: res.statusCode, count: statements.length, repeated, statements: details };
        appendFileSync(statementLog, `${JSON.stringify(line, (_, v) => (typeof v === "bigint" ? String(v) : v))}\n`);
      }
    : serve,
);

// E-mail (and later other channels) leaves through the outbox: this process delivers what is due
// every few seconds; other instances and `npm run jobs:outbox` may run theirs beside it.
const stopOutbox = build.entry.module.startOutboxWorker();

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, () => console.log(`Partner portal on http://localhost:${port}`));
// An idle kept-alive connection is closed by the client or the balancer in front (60 s), not by us
// first: with Node's 5 s default, a client reusing a connection just as we close it gets a reset.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

// SIGTERM: stop accepting, let requests in flight finish (for SHUTDOWN_GRACE_MS at most), stop the
// outbox loop, hand back claimed work so another instance takes it now rather than when a lease runs
// out, then close the pool and the renderer.
async function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  const drained = new Promise((resolve) => server.close(resolve));
  // A kept-alive connection goes idle when its request is answered: close it then, not at its timeout.
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  const grace = new Promise((resolve) => setTimeout(resolve, build.entry.module.shutdownGraceMs()).unref());
  await Promise.all([Promise.race([drained, grace]), stopOutbox()]);
  clearInterval(sweep);
  server.closeAllConnections();
  try {
    const released = await build.entry.module.releaseInstanceClaims();
    console.log(`Shutting down: released ${released.jobs} scheduled runs and ${released.imports} import steps.`);
  } catch (e) {
    console.warn("Releasing claimed work failed (its leases run out instead):", e);
  }
  // The database pool and the co-brand renderer's Chromium (app/models/toolkits/render-browser.server.ts).
  await Promise.all([globalThis.__db?.destroy(), globalThis.__renderer?.close()]);
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
