import { expect, request as http, test, type APIRequestContext } from "@playwright/test";
import type { RowDataPacket } from "mysql2";
import { createPool, type Pool } from "mysql2/promise";
import faConflicts from "../../locales/fa/conflicts.json" with { type: "json" };
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import { DEMO_PASSWORD } from "./support";

// The independent reseller's rep: no other spec signs in as this account or changes its data.
const REP = "rep@aftab.example";

let pool: Pool;
test.beforeAll(() => {
  pool = createPool({ uri: new URL(process.env.E2E_DB_NAME!, process.env.E2E_DB_ADMIN_URL).toString(), connectionLimit: 1 });
});
test.afterAll(async () => {
  await pool?.end();
});

/**
 * A demo customer another, unrelated partner registered and the rep's partner does not serve.
 * Mehr Mashhad has no users, so no other spec's pages change when its customer gets a request.
 */
async function othersCustomer(owner = "Mehr Mashhad Store"): Promise<{ id: string; phone: string }> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `select c.id, c.phone from customers c join partners p on p.id = c.registered_by_partner_id
     join users u on u.email = ?
     where p.name_en = ?
       and not exists (select 1 from customer_partners cp where cp.customer_id = c.id and cp.partner_id = u.partner_id)
       and not exists (select 1 from serve_requests sr where sr.customer_id = c.id and sr.partner_id = u.partner_id)
     order by c.id limit 1`,
    [REP, owner],
  );
  expect(rows).toHaveLength(1);
  return rows[0] as { id: string; phone: string };
}

async function signIn(request: APIRequestContext, origin: string, email = REP) {
  const response = await request.post("/login", { form: { email, password: DEMO_PASSWORD }, headers: { Origin: origin }, maxRedirects: 0 });
  expect(response.status()).toBe(302);
}

test("an unrelated reseller who knows only a phone number learns nothing and reaches nothing before a decision", async ({ request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const customer = await othersCustomer();
  await signIn(request, origin);

  // Registering with that phone: told that a record exists, with no id in the page or the action's data.
  const typed = { kind: "person", displayName: "مشتری آزمایشی", phone: customer.phone, email: "", province: "isfahan", city: "اصفهان", preferredLocale: "fa", preferredChannel: "phone" };
  const page = await request.post("/customers/new", { form: typed, headers: { Origin: origin }, maxRedirects: 0 });
  expect(page.status()).toBe(409);
  const html = await page.text();
  expect(html).toContain(faCustomers.duplicate_match.phone);
  expect(html).toContain(faCustomers.request_to_serve);
  expect(html).not.toContain(customer.id);
  const data = await request.post("/customers/new.data", { form: typed, headers: { Origin: origin }, maxRedirects: 0 });
  const body = await data.text();
  expect(body).toContain("duplicates");
  expect(body).not.toContain(customer.id);

  // The request names the customer by what was typed; it is sent and waits for a decision.
  const sent = await request.post("/serve-requests", { form: { match: "phone", phone: customer.phone, email: "", displayName: typed.displayName, city: typed.city, reason: "مشتری به فروشگاه ما آمده است." }, headers: { Origin: origin }, maxRedirects: 0 });
  expect(sent.status()).toBe(302);
  expect(sent.headers()["location"]).toBe("/serve-requests?sent=1");
  const [rows] = await pool.query<RowDataPacket[]>("select status, owner_partner_id from serve_requests where customer_id = ? and requested_by_user_id = (select id from users where email = ?)", [customer.id, REP]);
  expect(rows).toEqual([expect.objectContaining({ status: "pending", owner_partner_id: expect.any(String) })]);
  const mine = await request.get("/serve-requests?sent=1");
  const mineHtml = await mine.text();
  expect(mineHtml).toContain(faConflicts.sent.sent);
  expect(mineHtml).toContain(faConflicts.sent.waiting);
  expect(mineHtml).not.toContain(customer.id);

  // The customer's profile does not exist for this rep while the request waits.
  const profile = await request.get(`/customers/${customer.id}`);
  expect(profile.status()).toBe(404);
  expect(await profile.text()).not.toContain(customer.phone);

  // The channel team sees it waiting for the owning partner and cannot decide it yet.
  const [[{ id }]] = await pool.query<RowDataPacket[]>("select id from serve_requests where customer_id = ? and status = 'pending' and requested_by_user_id = (select id from users where email = ?)", [customer.id, REP]);
  const channel = await http.newContext({ baseURL });
  try {
    await signIn(channel, origin, "channel@brand.example");
    const detail = await channel.get(`/conflicts/${id}`);
    expect(detail.status()).toBe(200);
    const detailHtml = await detail.text();
    expect(detailHtml).toContain('data-testid="waiting-for-owner"');
    expect(detailHtml).toContain("فروشگاه مهر مشهد");
    const early = await channel.post(`/conflicts/${id}`, { form: { decision: "approve", reason: "" }, headers: { Origin: origin }, maxRedirects: 0 });
    expect(early.status()).toBe(409);
    expect(await early.text()).toContain(faConflicts.errors.waiting_for_owner);
  } finally {
    await channel.dispose();
  }
  const [[after]] = await pool.query<RowDataPacket[]>("select status from serve_requests where id = ?", [id]);
  expect(after.status).toBe("pending");
});

test("the owning partner's admin answers on the incoming page; once accepted the requester serves the customer", async ({ request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  // Zandiyeh's users appear in no other spec.
  const customer = await othersCustomer("Zandiyeh Store");
  await signIn(request, origin);
  const reason = "این مشتری در اصفهان از ما خرید می‌کند.";
  const sent = await request.post("/serve-requests", { form: { match: "phone", phone: customer.phone, email: "", displayName: "نام", city: "اصفهان", reason }, headers: { Origin: origin }, maxRedirects: 0 });
  expect(sent.status()).toBe(302);

  const owner = await http.newContext({ baseURL });
  try {
    await signIn(owner, origin, "admin@zandiyeh.example");
    const inbox = await owner.get("/serve-requests/incoming");
    expect(inbox.status()).toBe(200);
    const html = await inbox.text();
    expect(html).toContain(reason);
    expect(html).toContain(faConflicts.incoming.accept);
    const [rows] = await pool.query<RowDataPacket[]>("select id from serve_requests where customer_id = ? and status = 'pending' and reason = ?", [customer.id, reason]);
    const id = String(rows[0].id);

    const noReason = await owner.post("/serve-requests/incoming", { form: { id, decision: "reject", reason: "" }, headers: { Origin: origin }, maxRedirects: 0 });
    expect(noReason.status()).toBe(400);
    expect(await noReason.text()).toContain(faConflicts.errors.reason_required);
    const accepted = await owner.post("/serve-requests/incoming", { form: { id, decision: "approve", reason: "" }, headers: { Origin: origin }, maxRedirects: 0 });
    expect(accepted.status()).toBe(302);
  } finally {
    await owner.dispose();
  }
  expect((await request.get(`/customers/${customer.id}`)).status()).toBe(200);
  expect(await (await request.get("/serve-requests")).text()).toContain(customer.id);
});
