// Times the loaders of the home page, today's actions and a customer profile (each with the
// signed-in layout's loader, as one request runs them) on the benchmark database, for a large
// reseller, the largest distributor and a brand admin: median and p95 over RUNS calls, and the SQL
// statements one request issues.
//   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/pp_bench npx tsx --import ./bench/css.mjs bench/home-loaders.ts
// The data set comes from db/seed/bench-data.ts (generate it first).
import { BENCH_BRAND_ID, BENCH_DATABASE_URL } from "../db/seed/bench-data";

process.env.DATABASE_URL = BENCH_DATABASE_URL;
const RUNS = Number(process.env.RUNS ?? 30);

const { db } = await import("../app/utils/db.server");
const { startSession } = await import("../app/utils/session.server");
const { requestMemo } = await import("../app/utils/request-memo.server");
const { recordStatements, repeatedStatements } = await import("../app/utils/sql-log.server");
const layout = await import("../app/routes/_app");
const home = await import("../app/routes/_app._index");
const today = await import("../app/routes/_app.customers.today");
const profile = await import("../app/routes/_app.customers.$id");
const { sql } = await import("kysely");

type Loader = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;

const one = async <T>(q: string, params: unknown[] = []) => ((await sql.raw(q.replace(/\?/g, () => `'${String(params.shift())}'`)).execute(db())).rows as T[])[0];

const bigReseller = await one<{ partner_id: string }>(
  "select cp.partner_id from customer_partners cp join partners p on p.id = cp.partner_id where p.type = 'reseller' group by cp.partner_id order by count(*) desc limit 1",
);
const bigDistributor = await one<{ id: string }>(
  "select coalesce(p.parent_id, p.id) as id from customer_partners cp join partners p on p.id = cp.partner_id where coalesce(p.parent_id, p.id) in (select id from partners where type = 'distributor') group by coalesce(p.parent_id, p.id) order by count(*) desc limit 1",
);
const userOf = async (partnerId: string) => (await one<{ id: string }>("select id from users where partner_id = ? limit 1", [partnerId])).id;
const ADMIN_ID = "01BENCHADMN000000000000001";
await db()
  .insertInto("users")
  .values({ id: ADMIN_ID, brand_id: BENCH_BRAND_ID, partner_id: null, email: "admin@bench.example", display_name: "مدیر برند", name_key: "مدیر برند", role: "brand_admin", status: "active", password_hash: null, created_at: new Date(), updated_at: new Date() })
  .onDuplicateKeyUpdate({ status: "active" })
  .execute();
const users = { "large reseller": await userOf(bigReseller.partner_id), distributor: await userOf(bigDistributor.id), brand: ADMIN_ID };

// A customer of the large reseller with needs and several serving partners, for the profile.
const customer = await one<{ customer_id: string }>(
  "select cp.customer_id from customer_partners cp join customer_needs n on n.customer_id = cp.customer_id where cp.partner_id = ? order by cp.customer_id limit 1",
  [bigReseller.partner_id],
);

async function cookieOf(userId: string) {
  return (await startSession(new Request("http://localhost/"), userId)).split(";")[0];
}

async function request(cookie: string, path: string, page: Loader, params: Record<string, string> = {}) {
  const req = () => new Request(`http://localhost${path}`, { headers: { Cookie: cookie } });
  return requestMemo.run(new Map(), () =>
    recordStatements(() => Promise.all([(layout.loader as Loader)({ request: req(), params, context: {} }), page({ request: req(), params, context: {} })])),
  );
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const pages: [string, string, Loader, Record<string, string>, (keyof typeof users)[]][] = [
  ["home", "/", home.loader as Loader, {}, ["large reseller", "distributor", "brand"]],
  ["today's actions", "/customers/today", today.loader as Loader, {}, ["large reseller", "distributor"]],
  ["profile", `/customers/${customer.customer_id}`, profile.loader as Loader, { id: customer.customer_id }, ["large reseller", "brand"]],
];

console.log(`| page | who | median ms | p95 ms | statements | repeated |`);
console.log(`|---|---|---:|---:|---:|---:|`);
for (const [name, path, loader, params, who] of pages) {
  for (const w of who) {
    const cookie = await cookieOf(users[w]);
    const first = await request(cookie, path, loader, params);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await request(cookie, path, loader, params);
      times.push(performance.now() - t);
    }
    console.log(`| ${name} | ${w} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} | ${first.statements.length} | ${repeatedStatements(first.statements).length} |`);
    if (process.env.SHOW_SQL) for (const s of first.statements) console.log(`    ${s.slice(0, 400)}`);
  }
}
await db().destroy();
