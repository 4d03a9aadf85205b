import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import type { ImportStatus } from "#db/schema";
import type { ColumnMapping } from "~/domain/customer-csv";
import type { Actor } from "~/domain/permissions";
import { localeCookie } from "~/i18n.server";
import { commitImport, confirmMapping, getImportJob, IMPORT_MAX_BYTES, listImportJobs, startImport, type ImportMode } from "~/models/customer-import.server";
import * as jobRoute from "~/routes/_app.customers.import_.$jobId";
import * as uploadRoute from "~/routes/_app.customers.import";
import * as rejectedRoute from "~/routes/customers.import.$jobId.rejected[.]csv";
import { db } from "~/utils/db.server";
import { storage } from "~/utils/storage.server";
import { registerAs } from "../customer-factories";
import { actorFor, createBrand, createPartner, createUser, signedInCookie } from "../factories";
import { call, errorKeys, hit } from "../routes";

const BOM = "\uFEFF";
const bytes = (text: string) => new TextEncoder().encode(text);

async function partnerUser(o: { province?: string } = {}) {
  const brandId = await createBrand();
  const partnerId = await createPartner(brandId, { province: o.province ?? "tehran" });
  const user = await createUser(brandId, "partner_rep", partnerId);
  return { brandId, partnerId, user, actor: await actorFor(user.id) };
}

async function upload(actor: Actor, text: string | Uint8Array, name = "customers.csv") {
  const result = await startImport(actor, { name, bytes: typeof text === "string" ? bytes(text) : text });
  if (!result.ok) throw new Error(`upload refused: ${JSON.stringify(result.errors)}`);
  return result.jobId;
}

async function waitFor(actor: Actor, jobId: string, statuses: ImportStatus[], timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await getImportJob(actor, jobId);
    if (job && statuses.includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} stuck in ${job?.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Upload, confirm the guessed (or given) mapping and wait for the preview. */
async function preview(actor: Actor, text: string | Uint8Array, mapping?: Partial<ColumnMapping>) {
  const jobId = await upload(actor, text);
  const job = await getImportJob(actor, jobId);
  const confirmed = await confirmMapping(actor, jobId, { ...job!.mapping, ...mapping });
  expect(confirmed).toEqual({ ok: true });
  return waitFor(actor, jobId, ["previewed", "failed"]);
}

async function importAll(actor: Actor, jobId: string, mode: ImportMode) {
  expect(await commitImport(actor, jobId, mode)).toEqual({ ok: true });
  return waitFor(actor, jobId, ["done", "failed"]);
}

const customersOf = (brandId: string) =>
  db().selectFrom("customers").select(["id", "display_name", "phone", "email", "province", "city", "kind", "registered_by_partner_id", "created_by_user_id"]).where("brand_id", "=", brandId).orderBy("phone").execute();

const PERSIAN_FILE = [
  "نام و نام خانوادگی;تلفن همراه;ایمیل;استان;شهر;نوع",
  "علي رضايي;۰۹۱۲۱۲۳۴۵۶۷;Ali@Example.com;اصفهان;اصفهان;حقیقی",
  "شرکت نور;٠٩٣٥١١١٢٢٣٣;;استان فارس;شیراز;حقوقی",
  "زهرا محمدی;+98 901 555 6677;;;تهران;",
].join("\r\n");

describe("import: reading files", () => {
  it("imports a Persian semicolon file with a BOM, Persian headers and Persian/Arabic digits", async () => {
    const { brandId, partnerId, user, actor } = await partnerUser({ province: "qom" });
    const jobId = await upload(actor, BOM + PERSIAN_FILE);
    const uploaded = await getImportJob(actor, jobId);
    expect(uploaded).toMatchObject({ status: "uploaded", headers: ["نام و نام خانوادگی", "تلفن همراه", "ایمیل", "استان", "شهر", "نوع"] });
    expect(uploaded!.mapping).toEqual({ displayName: 0, phone: 1, email: 2, province: 3, city: 4, kind: 5 });

    expect(await confirmMapping(actor, jobId, uploaded!.mapping)).toEqual({ ok: true });
    const previewed = await waitFor(actor, jobId, ["previewed"]);
    expect(previewed).toMatchObject({ totalRows: 3, processedRows: 3, validRows: 3, errorRows: 0, existingRows: 0, errors: [] });
    expect(await customersOf(brandId)).toEqual([]); // the preview writes nothing

    const done = await importAll(actor, jobId, "all_or_nothing");
    expect(done).toMatchObject({ status: "done", createdRows: 3, existingRows: 0, mode: "all_or_nothing" });
    const rows = await customersOf(brandId);
    expect(rows.map((r) => [r.display_name, r.phone, r.email, r.province, r.city, r.kind])).toEqual([
      ["زهرا محمدی", "+989015556677", null, "qom", "تهران", "person"],
      ["علی رضایی", "+989121234567", "ali@example.com", "isfahan", "اصفهان", "person"],
      ["شرکت نور", "+989351112233", null, "fars", "شیراز", "business"],
    ]);
    expect(rows.every((r) => r.registered_by_partner_id === partnerId && r.created_by_user_id === user.id)).toBe(true);
    const serving = await db().selectFrom("customer_partners").select(["partner_id"]).where("customer_id", "in", rows.map((r) => r.id)).execute();
    expect(serving.map((s) => s.partner_id)).toEqual([partnerId, partnerId, partnerId]);
    const audit = await db().selectFrom("audit_log").select(["action", "details"]).where("target_id", "=", jobId).orderBy("created_at").execute();
    expect(audit).toEqual([
      { action: "import.uploaded", details: null },
      { action: "import.completed", details: JSON.stringify({ mode: "all_or_nothing", created: 3, existing: 0 }) },
    ]);
  });

  it("reads a comma file without a BOM and with English headers the same way", async () => {
    const { brandId, actor } = await partnerUser();
    const text = "Full Name,Mobile,E-mail,Province,City,Type\nAli Rezaei,09121234567,ali@example.com,Isfahan,Isfahan,person\n\"Noor, Ltd\",09351112233,,Fars,Shiraz,company\n";
    const job = await preview(actor, text);
    expect(job).toMatchObject({ status: "previewed", validRows: 2, errorRows: 0 });
    await importAll(actor, job.id, "valid_only");
    expect((await customersOf(brandId)).map((r) => [r.display_name, r.province, r.kind])).toEqual([
      ["Ali Rezaei", "isfahan", "person"],
      ["Noor, Ltd", "fars", "business"],
    ]);
  });

  it("refuses a file that is not UTF-8 (Windows-1256 Persian) and writes nothing", async () => {
    const { brandId, actor } = await partnerUser();
    // "نام,موبایل\nسلام,0912…" as an old Persian Excel would save it.
    const win1256 = new Uint8Array([0xe4, 0xc7, 0xe3, 0x2c, 0xe3, 0xe6, 0xc8, 0xc7, 0xed, 0xe1, 0x0a, 0xd3, 0xe1, 0xc7, 0xe3, 0x2c, ...bytes("09121234567\n")]);
    expect(await startImport(actor, { name: "old.csv", bytes: win1256 })).toEqual({ ok: false, errors: { file: { key: "imports:errors.encoding", values: undefined } } });
    expect(await listImportJobs(actor)).toEqual([]);
    expect(await customersOf(brandId)).toEqual([]);
  });

  it("refuses an empty file and one without a header", async () => {
    const { actor } = await partnerUser();
    expect(await startImport(actor, { name: "e.csv", bytes: bytes(BOM) })).toMatchObject({ ok: false, errors: { file: { key: "imports:errors.empty" } } });
    expect(await startImport(actor, { name: "e.csv", bytes: bytes(";;;\n1;2;3\n") })).toMatchObject({ ok: false, errors: { file: { key: "imports:errors.no_header" } } });
    expect(await listImportJobs(actor)).toEqual([]);
  });

  it("asks for the columns a file is missing before checking any row", async () => {
    const { actor } = await partnerUser();
    const jobId = await upload(actor, "نام,شهر\nعلی,تهران\n");
    const job = await getImportJob(actor, jobId);
    expect(job!.mapping).toMatchObject({ displayName: 0, phone: null, city: 1 });
    expect(await confirmMapping(actor, jobId, job!.mapping)).toEqual({ ok: false, errors: { phone: { key: "imports:errors.mapping_required" } } });
    expect(await confirmMapping(actor, jobId, { ...job!.mapping, phone: 0 })).toEqual({ ok: false, errors: { phone: { key: "imports:errors.mapping_twice" } } });
    expect((await getImportJob(actor, jobId))!.status).toBe("uploaded");
  });

  it("reports a 10,000-character cell as a row error and never stores it", async () => {
    const { brandId, actor } = await partnerUser();
    const huge = "ب".repeat(10_000);
    const job = await preview(actor, `name,phone,city,notes\nعلی,09121234567,تهران,\n${huge},09121234568,تهران,\nسارا,09121234569,قم,${huge}\n`);
    expect(job).toMatchObject({ validRows: 1, errorRows: 2 });
    expect(job.errors).toEqual([
      { row: 3, field: "displayName", key: "imports:errors.cell_too_long", values: { max: 1000, column: 1 } },
      { row: 4, field: "row", key: "imports:errors.cell_too_long_column", values: { max: 1000, column: 4 } },
    ]);
    await importAll(actor, job.id, "valid_only");
    expect((await customersOf(brandId)).map((r) => r.phone)).toEqual(["+989121234567"]);
    const stored = await db().selectFrom("import_jobs").select("errors").where("id", "=", job.id).executeTakeFirstOrThrow();
    expect(stored.errors).not.toContain("ببببببببب");
  });

  it("fails a file with a broken quote, saying where, and writes nothing", async () => {
    const { brandId, actor } = await partnerUser();
    const job = await preview(actor, 'name,phone,city\nعلی,09121234567,تهران\n"سارا,09121234568,قم\n');
    expect(job.status).toBe("failed");
    expect(job.errors).toEqual([{ row: 3, field: "row", key: "imports:errors.malformed_at", values: { row: 3 } }]);
    expect(await commitImport(actor, job.id, "valid_only")).toEqual({ ok: false, errors: { form: { key: "imports:errors.not_ready" } } });
    expect(await customersOf(brandId)).toEqual([]);
  });
});

const WITH_ERRORS = [
  "name,phone,email,city",
  "علی,09121234567,a@example.com,تهران",
  "بی‌شماره,,,تهران",
  "سارا,09121234568,s@example.com,قم",
  "تکراری,0912 123 4567,,کرج",
  "ایمیل تکراری,09121234569,A@example.com,کرج",
  "مریم,09121234570,not-an-email,شیراز",
].join("\n");

describe("import: modes and duplicates", () => {
  it("shows every row error with its row number, including phones and emails repeated in the file", async () => {
    const { actor } = await partnerUser();
    const job = await preview(actor, WITH_ERRORS);
    expect(job).toMatchObject({ totalRows: 6, validRows: 2, errorRows: 4, existingRows: 0 });
    expect(job.errors).toEqual([
      { row: 3, field: "phone", key: "common:errors.required", value: "" },
      { row: 5, field: "phone", key: "imports:errors.phone_repeated", values: { row: 2 }, value: "0912 123 4567" },
      { row: 6, field: "email", key: "imports:errors.email_repeated", values: { row: 2 }, value: "A@example.com" },
      { row: 7, field: "email", key: "common:errors.email", value: "not-an-email" },
    ]);
  });

  it("all or nothing: one bad row writes nothing", async () => {
    const { brandId, actor } = await partnerUser();
    const job = await preview(actor, WITH_ERRORS);
    expect(await commitImport(actor, job.id, "all_or_nothing")).toEqual({ ok: false, errors: { mode: { key: "imports:errors.has_errors" } } });
    expect((await getImportJob(actor, job.id))!.status).toBe("previewed");
    expect(await customersOf(brandId)).toEqual([]);
  });

  it("valid rows only: writes the valid rows and leaves the rest", async () => {
    const { brandId, actor } = await partnerUser();
    const job = await preview(actor, WITH_ERRORS);
    const done = await importAll(actor, job.id, "valid_only");
    expect(done).toMatchObject({ status: "done", createdRows: 2 });
    expect((await customersOf(brandId)).map((r) => r.display_name)).toEqual(["علی", "سارا"]);
  });

  it("re-importing the same file creates no new customers, and says it was imported before", async () => {
    const { brandId, actor } = await partnerUser();
    const first = await preview(actor, BOM + PERSIAN_FILE);
    await importAll(actor, first.id, "all_or_nothing");
    const again = await preview(actor, BOM + PERSIAN_FILE);
    expect(again).toMatchObject({ validRows: 3, existingRows: 3, errorRows: 0 });
    expect(again.previouslyImportedAt).toBeInstanceOf(Date);
    const done = await importAll(actor, again.id, "all_or_nothing");
    expect(done).toMatchObject({ status: "done", createdRows: 0, existingRows: 3 });
    expect(await customersOf(brandId)).toHaveLength(3);
  });

  it("skips customers another partner of the brand already registered (by phone or email)", async () => {
    const { brandId, actor } = await partnerUser();
    const other = await createUser(brandId, "partner_rep", await createPartner(brandId));
    await registerAs(other.id, { phone: "+989121234567" });
    await registerAs(other.id, { phone: "+989351112299", email: "taken@example.com" });
    const job = await preview(actor, "name,phone,email,city\nعلی,09121234567,,تهران\nسارا,09121234568,taken@example.com,قم\nمریم,09121234569,,قم\n");
    expect(job).toMatchObject({ validRows: 3, existingRows: 2 });
    expect(await importAll(actor, job.id, "valid_only")).toMatchObject({ createdRows: 1, existingRows: 2 });
    expect(await customersOf(brandId)).toHaveLength(3);
  });

  it("a double click imports once", async () => {
    const { brandId, actor } = await partnerUser();
    const job = await preview(actor, BOM + PERSIAN_FILE);
    const results = await Promise.all([commitImport(actor, job.id, "valid_only"), commitImport(actor, job.id, "valid_only")]);
    expect(results).toContainEqual({ ok: true });
    expect(results).toContainEqual({ ok: false, errors: { form: { key: "imports:errors.busy" } } });
    await waitFor(actor, job.id, ["done"]);
    expect(await customersOf(brandId)).toHaveLength(3);
  });

  it("rolls the whole import back when a row fails half-way (nothing half-written)", async () => {
    const { brandId, actor } = await partnerUser();
    const rows = Array.from({ length: 2500 }, (_, i) => `مشتری ${i},0912${String(i).padStart(7, "0")},تهران`);
    const job = await preview(actor, `name,phone,city\n${rows.join("\n")}\n`);
    expect(job).toMatchObject({ validRows: 2500, errorRows: 0 });
    // The stored file goes bad after the preview: row 2,401 loses its phone, after two chunks were written.
    const stored = await db().selectFrom("import_jobs").select("file_key").where("id", "=", job.id).executeTakeFirstOrThrow();
    rows[2399] = "مشتری بد,,تهران";
    await storage().put(stored.file_key, bytes(`name,phone,city\n${rows.join("\n")}\n`));
    const failed = await importAll(actor, job.id, "all_or_nothing");
    expect(failed).toMatchObject({ status: "failed", createdRows: 0, errors: [{ row: 0, field: "row", key: "imports:errors.has_errors" }] });
    expect(await customersOf(brandId)).toEqual([]);
    expect(await db().selectFrom("customer_partners").select("customer_id").where("brand_id", "=", brandId).execute()).toEqual([]);
  });
});

describe("import: tenancy", () => {
  it("a partner cannot see, map or import another partner's job", async () => {
    const a = await partnerUser();
    const bPartner = await createPartner(a.brandId);
    const b = await actorFor((await createUser(a.brandId, "partner_admin", bPartner)).id);
    const job = await preview(a.actor, BOM + PERSIAN_FILE);
    expect(await getImportJob(b, job.id)).toBeUndefined();
    expect(await listImportJobs(b)).toEqual([]);
    const status = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof Response ? e.status : 500));
    expect(await status(commitImport(b, job.id, "valid_only"))).toBe(404);
    expect(await status(confirmMapping(b, job.id, job.mapping))).toBe(404);
    expect(await customersOf(a.brandId)).toEqual([]);
  });

  it("a distributor sees its reseller's jobs but cannot run them; brand roles cannot import", async () => {
    const brandId = await createBrand();
    const distributor = await createPartner(brandId, { type: "distributor" });
    const reseller = await createPartner(brandId, { parentId: distributor });
    const resellerRep = await actorFor((await createUser(brandId, "partner_rep", reseller)).id);
    const distributorAdmin = await actorFor((await createUser(brandId, "partner_admin", distributor)).id);
    const brandAdmin = await actorFor((await createUser(brandId, "brand_admin")).id);
    const job = await preview(resellerRep, BOM + PERSIAN_FILE);
    expect(await getImportJob(distributorAdmin, job.id)).toMatchObject({ id: job.id, canRun: false });
    await expect(commitImport(distributorAdmin, job.id, "valid_only")).rejects.toMatchObject({ status: 403 });
    await expect(getImportJob(brandAdmin, job.id)).rejects.toMatchObject({ status: 403 });
  });
});

describe("import: routes", () => {
  const fileForm = (content: BlobPart, name = "customers.csv") => {
    const form = new FormData();
    form.set("file", new File([content], name, { type: "text/csv" }));
    return form;
  };

  it("uploads a file and goes to the mapping step; refuses oversized, non-UTF-8 and headerless files", async () => {
    const { user, actor } = await partnerUser();
    const ok = await hit(uploadRoute.action, "/customers/import", {}, { as: user.id, form: fileForm(BOM + PERSIAN_FILE) });
    expect(ok.status).toBe(302);
    expect(ok.location).toMatch(/^\/customers\/import\/[0-9A-Z]{26}$/);

    const big = await hit(uploadRoute.action, "/customers/import", {}, { as: user.id, form: fileForm(new Uint8Array(IMPORT_MAX_BYTES + 1)) });
    expect(big.status).toBe(413);
    expect(errorKeys(big)).toEqual({ file: "imports:errors.file_too_large" });

    const win1256 = await hit(uploadRoute.action, "/customers/import", {}, { as: user.id, form: fileForm(new Uint8Array([0xe4, 0xc7, 0xe3, 0x0a, 0xd3, 0xe1, 0xc7, 0xe3])) });
    expect(win1256.status).toBe(400);
    expect(errorKeys(win1256)).toEqual({ file: "imports:errors.encoding" });

    const headerless = await hit(uploadRoute.action, "/customers/import", {}, { as: user.id, form: fileForm(",,\n") });
    expect(headerless.status).toBe(400);
    expect(errorKeys(headerless)).toEqual({ file: "imports:errors.no_header" });

    const empty = await hit(uploadRoute.action, "/customers/import", {}, { as: user.id, form: new FormData() });
    expect(errorKeys(empty)).toEqual({ file: "imports:errors.file_required" });

    expect(await listImportJobs(actor)).toHaveLength(1);
    const page = await hit(uploadRoute.loader, "/customers/import", {}, { as: user.id });
    expect((page.data as { jobs: unknown[] }).jobs).toHaveLength(1);
  });

  it("accepts file names with = and ; and keeps only the base name; an unreadable body is a 400", async () => {
    const { user, actor } = await partnerUser();
    const boundary = "----portal-test-boundary";
    const multipart = (disposition: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\nContent-Type: text/csv\r\n\r\n${PERSIAN_FILE}\r\n--${boundary}--\r\n`;
    const cookie = await signedInCookie(user.id);
    const send = (body: string) =>
      call(uploadRoute.action, new Request("http://localhost/customers/import", { method: "POST", headers: { Cookie: cookie, "Content-Type": `multipart/form-data; boundary=${boundary}` }, body }));
    for (const disposition of ['filename="a=b.csv"', 'filename="x;y=z.csv"', 'filename="C:\\Users\\me\\list=1.csv"']) {
      const ok = await send(multipart(disposition));
      expect(ok.status, disposition).toBe(302);
    }
    expect((await listImportJobs(actor)).map((j) => j.file_name).sort()).toEqual(["a=b.csv", "list=1.csv", "x;y=z.csv"]);

    const garbled = await send(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nname,phone`);
    expect(garbled.status).toBe(400);
    expect(errorKeys(garbled)).toEqual({ file: "common:errors.upload_unreadable" });
  });

  it("runs mapping and commit through the job page; another partner gets a 404; brand roles a 403", async () => {
    const { brandId, user, actor } = await partnerUser();
    const jobId = await upload(actor, BOM + PERSIAN_FILE);
    const path = `/customers/import/${jobId}`;
    const page = await hit(jobRoute.loader, path, { jobId }, { as: user.id });
    expect(page.status).toBe(200);
    expect((page.data as { samples: string[][] }).samples[0]).toEqual(["علی رضایی", "۰۹۱۲۱۲۳۴۵۶۷", "Ali@Example.com", "اصفهان", "اصفهان", "حقیقی"]);

    const missing = await hit(jobRoute.action, path, { jobId }, { as: user.id, form: { intent: "map", "map.displayName": "0", "map.city": "4" } });
    expect(missing.status).toBe(400);
    expect(errorKeys(missing)).toEqual({ phone: "imports:errors.mapping_required" });

    const mapped = await hit(jobRoute.action, path, { jobId }, { as: user.id, form: { intent: "map", "map.displayName": "0", "map.phone": "1", "map.email": "2", "map.province": "3", "map.city": "4", "map.kind": "5" } });
    expect(mapped).toMatchObject({ status: 302, location: path });
    await waitFor(actor, jobId, ["previewed"]);

    expect(errorKeys(await hit(jobRoute.action, path, { jobId }, { as: user.id, form: { intent: "commit", mode: "everything" } }))).toEqual({ mode: "imports:errors.mode" });
    expect(await hit(jobRoute.action, path, { jobId }, { as: user.id, form: { intent: "commit", mode: "all_or_nothing" } })).toMatchObject({ status: 302 });
    const again = await hit(jobRoute.action, path, { jobId }, { as: user.id, form: { intent: "commit", mode: "all_or_nothing" } });
    expect(again.status).toBe(409);
    await waitFor(actor, jobId, ["done"]);
    expect(await customersOf(brandId)).toHaveLength(3);

    const stranger = await createUser(brandId, "partner_admin", await createPartner(brandId));
    expect((await hit(jobRoute.loader, path, { jobId }, { as: stranger.id })).status).toBe(404);
    expect((await hit(jobRoute.action, path, { jobId }, { as: stranger.id, form: { intent: "commit", mode: "valid_only" } })).status).toBe(404);
    expect((await hit(jobRoute.loader, "/customers/import/nope", { jobId: "nope" }, { as: user.id })).status).toBe(404);
    const brandAdmin = await createUser(brandId, "brand_admin");
    expect((await hit(jobRoute.loader, path, { jobId }, { as: brandAdmin.id })).status).toBe(403);
    expect((await hit(uploadRoute.loader, "/customers/import", {}, { as: brandAdmin.id })).status).toBe(403);
  });
});

describe("import: rejected rows", () => {
  const FILE = [
    "نام,موبایل,ایمیل,شهر,یادداشت",
    "علی,09121234567,,تهران,مشتری قدیمی",
    "=HYPERLINK(\"x\"),۰۹۱۲ ۱۲۳,,قم,",
    "سارا,09121234568,not-an-email,کرج,\"سفارش, تلفنی\"",
    "بی‌شهر,09121234569,,,",
  ].join("\n");
  const download = async (userId: string, jobId: string, lng: "fa" | "en" = "fa") =>
    call(rejectedRoute.loader, new Request(`http://localhost/customers/import/${jobId}/rejected.csv`, { headers: { Cookie: `${await signedInCookie(userId)}; ${(await localeCookie.serialize(lng)).split(";")[0]}` } }), { jobId });
  const csvText = async (res: Response) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());

  it("shows the wrong value with each error", async () => {
    const { actor } = await partnerUser();
    const job = await preview(actor, FILE);
    expect(job.errors.map((e) => [e.row, e.field, e.value])).toEqual([
      [3, "phone", "۰۹۱۲ ۱۲۳"],
      [4, "email", "not-an-email"],
      [5, "city", ""],
    ]);
  });

  it("downloads the rejected rows with the file's columns and the error in the viewer's language, and the fixed file imports", async () => {
    const { brandId, user, actor } = await partnerUser();
    const job = await preview(actor, FILE);
    const res = await download(user.id, job.id);
    expect(res.status).toBe(200);
    expect(res.response!.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(decodeURIComponent(res.response!.headers.get("Content-Disposition")!)).toContain("customers-ردیف‌های-ردشده.csv");
    const text = await csvText(res.response!);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(text.slice(1)) as string[][];
    expect(rows).toEqual([
      ["نام", "موبایل", "ایمیل", "شهر", "یادداشت", "خطا"],
      ["'=HYPERLINK(\"x\")", "۰۹۱۲ ۱۲۳", "", "قم", "", "تلفن همراه: شمارهٔ تلفن معتبر نیست."],
      ["سارا", "09121234568", "not-an-email", "کرج", "سفارش, تلفنی", "ایمیل: نشانی ایمیل درست نیست."],
      ["بی‌شهر", "09121234569", "", "", "", "شهر: این خانه را پر کنید."],
    ]);
    const english = parse((await csvText((await download(user.id, job.id, "en")).response!)).slice(1)) as string[][];
    expect(english[0].at(-1)).toBe("error");
    expect(english[3].at(-1)).toBe("City: This field is required.");

    // Fixed in a spreadsheet and uploaded again, error column and all: the column is left out, the apostrophe taken off.
    const fixed = rows.map((r, i) => (i === 1 ? [r[0], "09121234560", ...r.slice(2)] : i === 2 ? [r[0], r[1], "sara@example.com", ...r.slice(3)] : i === 3 ? [r[0], r[1], r[2], "قم", ...r.slice(4)] : r));
    const again = await preview(actor, BOM + stringify(fixed));
    expect(again.mapping).toMatchObject({ displayName: 0, phone: 1, email: 2, city: 3 });
    expect(again).toMatchObject({ validRows: 3, errorRows: 0 });
    await importAll(actor, again.id, "all_or_nothing");
    expect((await customersOf(brandId)).map((c) => [c.display_name, c.email, c.city])).toEqual([
      ["=HYPERLINK(\"x\")", null, "قم"],
      ["سارا", "sara@example.com", "کرج"],
      ["بی‌شهر", null, "قم"],
    ]);
  });

  it("only the partner that uploaded the file downloads its rejected rows; others get a 404, brand roles a 403", async () => {
    const brandId = await createBrand();
    const distributor = await createPartner(brandId, { type: "distributor" });
    const reseller = await createPartner(brandId, { parentId: distributor });
    const owner = await createUser(brandId, "partner_rep", reseller);
    const job = await preview(await actorFor(owner.id), FILE);
    expect((await download(owner.id, job.id)).status).toBe(200);
    // The distributor may look at its reseller's job, but the file is the reseller's.
    const above = await createUser(brandId, "partner_admin", distributor);
    expect(await getImportJob(await actorFor(above.id), job.id)).toBeDefined();
    expect((await download(above.id, job.id)).status).toBe(404);
    expect((await download((await createUser(brandId, "partner_admin", await createPartner(brandId))).id, job.id)).status).toBe(404);
    expect((await download(owner.id, "01HZZZZZZZZZZZZZZZZZZZZZZZ")).status).toBe(404);
    expect((await download(owner.id, "nope")).status).toBe(404);
    expect((await download((await createUser(brandId, "brand_admin")).id, job.id)).status).toBe(403);
    // Before its rows are checked, a job has no rejected rows to give.
    const unchecked = await upload(await actorFor(owner.id), FILE);
    expect((await download(owner.id, unchecked)).status).toBe(404);
  });
});

describe("import: a large file", () => {
  /** While a step runs, a simple query keeps being answered: its latencies, and how many answers came mid-step. */
  async function answeredWhile(actor: Actor, brandId: string, jobId: string, status: ImportStatus, rows: number) {
    const latencies: number[] = [];
    let midway = 0;
    for (;;) {
      const t = Date.now();
      await db().selectFrom("brands").select("id").where("id", "=", brandId).executeTakeFirstOrThrow();
      latencies.push(Date.now() - t);
      const job = await getImportJob(actor, jobId);
      if (job!.status !== status) return { latencies, midway };
      if (job!.processedRows > 0 && job!.processedRows < rows) midway++;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const summary = (ms: number[]) => {
    const sorted = [...ms].sort((x, y) => x - y);
    return `median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted[sorted.length - 1]} ms over ${sorted.length} queries`;
  };

  it("imports 50,000 rows in chunks while other requests are still answered", { timeout: 240_000 }, async () => {
    const { brandId, actor } = await partnerUser();
    const ROWS = 50_000;
    const lines = ["نام;تلفن همراه;ایمیل;شهر;استان"];
    for (let i = 0; i < ROWS; i++) lines.push(`مشتری شمارهٔ ${i};0912${String(i).padStart(7, "0")};c${i}@example.com;شیراز;فارس`);
    const file = BOM + lines.join("\r\n");

    const started = Date.now();
    const jobId = await upload(actor, file, "big.csv");
    const job = await getImportJob(actor, jobId);
    expect(await confirmMapping(actor, jobId, job!.mapping)).toEqual({ ok: true });
    const checking = await answeredWhile(actor, brandId, jobId, "validating", ROWS);
    const validated = Date.now();
    expect(await getImportJob(actor, jobId)).toMatchObject({ status: "previewed", totalRows: ROWS, validRows: ROWS, errorRows: 0 });
    expect(checking.midway).toBeGreaterThan(3);
    expect(Math.max(...checking.latencies)).toBeLessThan(1000);

    expect(await commitImport(actor, jobId, "all_or_nothing")).toEqual({ ok: true });
    const importing = await answeredWhile(actor, brandId, jobId, "importing", ROWS);
    const finished = Date.now();
    expect(await getImportJob(actor, jobId)).toMatchObject({ status: "done", createdRows: ROWS });
    expect(importing.midway).toBeGreaterThan(3);
    expect(Math.max(...importing.latencies)).toBeLessThan(1000);
    const count = await db().selectFrom("customers").select((eb) => eb.fn.countAll<number>().as("n")).where("brand_id", "=", brandId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(ROWS);
    console.info(
      `50k import: upload + check ${((validated - started) / 1000).toFixed(1)} s (query ${summary(checking.latencies)}), ` +
        `import ${((finished - validated) / 1000).toFixed(1)} s (query ${summary(importing.latencies)})`,
    );
  });
});
