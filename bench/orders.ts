// Order submits on the real database: how many submits per second the app's own submitOrder
// manages with N concurrent clients (each a partner user with its own cart and checkout key), and
// the oversell count, which must be 0: stock reserved beyond on hand, units ordered beyond what was
// reserved, or a production day filled beyond its capacity. Rewrites its section of
// docs/benchmarks.md.
//
//   npm run bench:orders                         (also part of `npm run bench`)
//   BENCH_ORDER_CLIENTS=1,4,16,32 BENCH_ORDER_ROUNDS=10 npm run bench:orders
//
// Each level runs ROUNDS rounds: every client fills its cart (not timed), then all submit at once
// (timed, wall clock of the round). Plenty of stock: this measures the submit itself. A last
// "scarce" run has 200 clients race for 25 units of one product and 30 units of made-to-order
// capacity, where exactly 25 and the capacity's worth may succeed.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { ulid } from "ulid";
import { createDb, dropDatabase, ensureDatabase } from "../db/client";
import { migrateToLatest } from "../db/migrator";
import type { Actor } from "../app/domain/permissions";

const url = new URL(process.env.BENCH_DATABASE_ADMIN_URL ?? "mysql://root@127.0.0.1:3306/");
url.pathname = "/pp_bench_orders";
process.env.DATABASE_URL = url.toString();
await dropDatabase(url.toString()).catch(() => undefined);
await ensureDatabase(url.toString());
const admin = createDb(url.toString(), 2);
await migrateToLatest(admin);

const { confirmQuickOrder } = await import("../app/models/orders/cart.server");
const { submitOrder } = await import("../app/models/orders/submit.server");
const { closeDb } = await import("../app/utils/db.server");

const LEVELS = (process.env.BENCH_ORDER_CLIENTS ?? "1,4,16,32").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_ORDER_ROUNDS ?? 10);
const DOC = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const now = new Date();

const brandId = ulid();
await admin.insertInto("brands").values({ id: brandId, name_fa: "برند سنجش", name_en: "Bench brand", money_unit: "rial", created_at: now }).execute();

async function product(sku: string, o: { stock: number; capacity?: number }) {
  const id = ulid();
  await admin
    .insertInto("products")
    .values({ id, brand_id: brandId, sku, name_fa: sku, name_en: sku, category_id: null, active: true, list_price_rial: 1_000_000n, retail_price_rial: 1_200_000n, stock_on_hand: o.stock, fulfilment: o.capacity ? "made_to_order" : "stock", daily_capacity: o.capacity ?? 0, lead_time_days: 2, handling_days: 1 })
    .execute();
  return id;
}

let people = 0;
async function clients(n: number): Promise<Actor[]> {
  const out: Actor[] = [];
  for (let i = 0; i < n; i++) {
    const partnerId = ulid();
    const userId = ulid();
    people += 1;
    await admin.insertInto("partners").values({ id: partnerId, brand_id: brandId, name_fa: `شریک ${people}`, name_en: `Partner ${people}`, name_key: `p ${people}`, type: "reseller", parent_id: null, tier: "registered", province: "tehran", city: "تهران", phone: null, address: null, active: true, created_at: now, updated_at: now }).execute();
    await admin.insertInto("users").values({ id: userId, brand_id: brandId, partner_id: partnerId, email: `b${people}@bench.example`, display_name: `کاربر ${people}`, name_key: `u ${people}`, role: "partner_rep", status: "active", password_hash: "-", created_at: now, updated_at: now }).execute();
    out.push({ userId, brandId, role: "partner_rep", email: `b${people}@bench.example`, displayName: `کاربر ${people}`, partnerId, partnerType: "reseller", scope: [partnerId] });
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

/** Everything that would be an oversell, counted from the database. */
async function oversell(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select
      (select count(*) from products where brand_id = ${brandId} and (stock_reserved > stock_on_hand or stock_reserved < 0))
    + (select count(*) from products p where p.brand_id = ${brandId} and p.stock_reserved <> (select coalesce(sum(l.quantity), 0) from order_lines l join orders o on o.id = l.order_id where l.product_id = p.id and l.source = 'stock' and o.status in ('submitted', 'awaiting_approval', 'approved', 'confirmed')))
    + (select count(*) from capacity_ledger c join products p on p.id = c.product_id where c.brand_id = ${brandId} and c.units_taken > p.daily_capacity) as n`.execute(admin);
  return Number(rows[0].n);
}

interface Level {
  clients: number;
  submits: number;
  perSecond: number;
  medianMs: number;
  p95Ms: number;
  failed: number;
}

const loadBefore = os.loadavg();
const plentiful = await product("BENCH-STOCK", { stock: 10_000_000 });
const levels: Level[] = [];
for (const n of LEVELS) {
  const actors = await clients(n);
  const latencies: number[] = [];
  let wall = 0;
  let failed = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const a of actors) await confirmQuickOrder(a, "BENCH-STOCK 1");
    const start = performance.now();
    const results = await Promise.all(
      actors.map(async (a) => {
        const t = performance.now();
        const res = await submitOrder(a, { key: ulid() });
        latencies.push(performance.now() - t);
        return res;
      }),
    );
    wall += performance.now() - start;
    failed += results.filter((x) => !x.ok).length;
  }
  const submits = n * ROUNDS;
  levels.push({ clients: n, submits, perSecond: submits / (wall / 1000), medianMs: median(latencies), p95Ms: p95(latencies), failed });
  console.log(`${n} clients: ${submits} submits, ${(submits / (wall / 1000)).toFixed(1)}/s, median ${median(latencies).toFixed(1)} ms, p95 ${p95(latencies).toFixed(1)} ms, ${failed} failed`);
}
void plentiful;

// Scarcity: 200 clients race for the last 25 units, then for 30 units of production capacity (3 a day).
const racers = await clients(200);
const scarce = await product("BENCH-LAST", { stock: 25 });
const made = await product("BENCH-MADE", { stock: 0, capacity: 3 });
const race = async (sku: string) => {
  // A fresh cart each: the losers of the last race still hold their line.
  await admin.deleteFrom("cart_lines").where("brand_id", "=", brandId).execute();
  for (const a of racers) await confirmQuickOrder(a, `${sku} 1`);
  const start = performance.now();
  const results = await Promise.all(racers.map((a) => submitOrder(a, { key: ulid() })));
  return { ok: results.filter((r) => r.ok).length, ms: performance.now() - start };
};
const stockRace = await race("BENCH-LAST");
const scarceRow = await admin.selectFrom("products").select(["stock_on_hand", "stock_reserved"]).where("id", "=", scarce).executeTakeFirstOrThrow();
// The horizon is a year: with 3 a day every one of the 200 gets a (later) day; none may overfill one.
const capacityRace = await race("BENCH-MADE");
const fullest = await admin.selectFrom("capacity_ledger").select((eb) => eb.fn.max("units_taken").as("n")).where("product_id", "=", made).executeTakeFirstOrThrow();
const oversold = await oversell();
const loadAfter = os.loadavg();
console.log(`stock race: ${stockRace.ok} of 200 succeeded for 25 units (reserved ${scarceRow.stock_reserved}); capacity race: ${capacityRace.ok} succeeded, fullest day ${fullest.n}/3; oversell ${oversold}`);

// ---------------------------------------------------------------------------------------------
// Report

const { rows: version } = await sql<{ v: string }>`select version() as v`.execute(admin);
let sha = "unknown commit";
try {
  sha = `commit ${execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim()}`;
} catch {
  // Not a git work tree.
}
const section = [
  "## Order submits",
  "",
  "`npm run bench:orders` (also run by `npm run bench`; about a minute) drives the app's own `submitOrder` on a scratch database",
  "(`pp_bench_orders`, dropped and migrated at the start of each run). Every client is a partner user of its own partner with its own cart;",
  `each level runs ${ROUNDS} rounds in which every client fills its cart (not timed) and then all submit at once with fresh checkout keys;`,
  "submits per second is submits over the summed wall time of the rounds. Each submit is one transaction: lock the partner row",
  "(credit check), re-price, reserve stock with a conditional update, write the order, lines, history and audit entry.",
  "",
  "| Concurrent clients | Submits | Submits/s | Median latency | p95 latency | Refused |",
  "|---:|---:|---:|---:|---:|---:|",
  ...levels.map((l) => `| ${l.clients} | ${l.submits} | ${l.perSecond.toFixed(1)} | ${l.medianMs.toFixed(1)} ms | ${l.p95Ms.toFixed(1)} ms | ${l.failed} |`),
  "",
  `**Races.** 200 clients submitted at once for the last 25 units of a stock product: ${stockRace.ok} succeeded (reserved ${scarceRow.stock_reserved} of ${scarceRow.stock_on_hand} on hand; ${(stockRace.ms / 1000).toFixed(1)} s for all 200).`,
  `The same 200 then ordered one unit each of a made-to-order product with 3 units of capacity a day: ${capacityRace.ok} succeeded, the fullest production day holds ${fullest.n} of 3.`,
  "",
  `**Oversell count: ${oversold}** (products whose reserved stock exceeds on hand or differs from the open orders' stock lines, plus production days over capacity; must be 0).`,
  "",
  `- Code: ${sha}; MariaDB ${version[0].v}; Node ${process.version}`,
  `- Machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? "unknown"}), ${Math.round(os.totalmem() / 1073741824)} GiB RAM, load average ${loadBefore[0].toFixed(2)} before and ${loadAfter[0].toFixed(2)} after (shared with other work: compare levels within one run, not runs on different days)`,
  `- The app's pool has 10 connections, so beyond 10 clients submits queue for a connection; submits of one partner take turns on its row, different partners do not wait for each other except on the same product row.`,
  "",
].join("\n");

const doc = readFileSync(DOC, "utf8");
const start = doc.indexOf("## Order submits");
const next = start === -1 ? -1 : doc.indexOf("\n## ", start + 1);
const updated = start === -1 ? `${doc.trimEnd()}\n\n${section}` : `${doc.slice(0, start)}${section}${next === -1 ? "" : doc.slice(next + 1)}`;
writeFileSync(DOC, updated.endsWith("\n") ? updated : `${updated}\n`);

await closeDb();
await admin.destroy();
if (oversold !== 0) {
  console.error(`Oversell count ${oversold}: must be 0.`);
  process.exitCode = 1;
}
