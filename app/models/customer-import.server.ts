// Importing a partner's customer list from CSV, as a job in import_jobs:
//   upload (file stored, header read, mapping guessed)          status uploaded
//   mapping confirmed → rows checked in the background           validating → previewed
//   commit (all or nothing / valid rows only) in ONE transaction importing → done
// Work runs in chunks with a turn of the event loop between them, so a 50k-row file never
// blocks other requests. Jobs are claimed by conditional updates of their status, so a double
// click or a second tab cannot run the same step twice. The claim names the app instance
// (claimed_by) and lasts while the step reports progress (updated_at, its heartbeat): a crash
// mid-import leaves nothing written (the transaction) and the job "stale", from where the same
// step can be run again on any instance; an instance that shuts down makes its steps stale at once.
import { createHash } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import { CsvError } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import type { DB, ImportStatus } from "#db/schema";
import {
  checkMapping,
  csvErrorLine,
  csvRecordBatches,
  decodeCsv,
  estimateRowCount,
  guessMapping,
  IMPORT_FIELDS,
  MAX_CELL_CHARS,
  MAX_COLUMNS,
  readHeader,
  validateRow,
  type ColumnMapping,
  type CsvRecord,
  type ImportedCustomer,
  type RowError,
} from "~/domain/customer-csv";
import type { Actor } from "~/domain/permissions";
import { PROVINCES, type Province } from "~/domain/provinces";
import { toDisplayForm } from "~/domain/text";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { instanceId } from "~/utils/instance.server";
import { storage } from "~/utils/storage.server";
import type { FieldError, FieldErrors } from "~/utils/validation";
import { trackCustomerCounts } from "./customer-counts.server";
import { audit } from "./audit.server";
import { customerColumns } from "./customers.server";
import { addServingRows } from "./serving-rows.server";
import { assertCan, partnerScope } from "./scope.server";

export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 100_000;
export const IMPORT_MODES = ["all_or_nothing", "valid_only"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

const CHUNK_ROWS = 1000;
const INSERT_ROWS = 500;
const MAX_STORED_ERRORS = 200;
/** A running step that has not reported progress for this long died with its process. */
const STALE_MS = 2 * 60_000;
const RUNNING: readonly ImportStatus[] = ["validating", "importing"];

export interface StoredRowError extends RowError {
  /** Line of the file (the header is line 1); 0 for an error about the whole file. */
  row: number;
  /** The cell as the file has it (cut short), for an error about one field. */
  value?: string;
}

/** How much of a wrong cell an error keeps to show. */
const ERROR_VALUE_CHARS = 60;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const staleBefore = () => new Date(Date.now() - STALE_MS);
const isDuplicateEntry = (e: unknown) => (e as { code?: string } | null)?.code === "ER_DUP_ENTRY";

// ---------------------------------------------------------------------------------------------
// Reading jobs

const jobScope = (actor: Actor) => partnerScope(actor, "import_jobs.partner_id", "import_jobs.brand_id");

/** The latest import jobs of the actor's partner (and, for a distributor, its resellers). */
export async function listImportJobs(actor: Actor, limit = 20) {
  assertCan(actor, "customers.import");
  return db()
    .selectFrom("import_jobs")
    .select(["id", "file_name", "status", "total_rows", "valid_rows", "error_rows", "created_rows", "created_at"])
    .where(jobScope(actor))
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** One job as its page shows it, or undefined (404) when it is not in the actor's scope. */
export async function getImportJob(actor: Actor, id: string) {
  assertCan(actor, "customers.import");
  const job = await db().selectFrom("import_jobs").selectAll().where("id", "=", id).where(jobScope(actor)).executeTakeFirst();
  if (!job) return undefined;
  const previous =
    job.partner_id === actor.partnerId
      ? await db()
          .selectFrom("import_jobs")
          .select("updated_at")
          .where(jobScope(actor))
          .where("partner_id", "=", job.partner_id)
          .where("file_sha256", "=", job.file_sha256)
          .where("status", "=", "done")
          .where("id", "!=", job.id)
          .orderBy("updated_at", "desc")
          .executeTakeFirst()
      : undefined;
  return {
    id: job.id,
    fileName: job.file_name,
    status: job.status,
    mode: job.mode,
    headers: JSON.parse(job.headers) as string[],
    mapping: job.mapping ? (JSON.parse(job.mapping) as ColumnMapping) : guessMapping([]),
    totalRows: job.total_rows,
    processedRows: job.processed_rows,
    validRows: job.valid_rows,
    errorRows: job.error_rows,
    existingRows: job.existing_rows,
    createdRows: job.created_rows,
    errors: job.errors ? (JSON.parse(job.errors) as StoredRowError[]) : [],
    createdAt: job.created_at,
    updatedAt: job.updated_at,
    /** Only the partner that uploaded the file runs its steps; a distributor may look. */
    canRun: job.partner_id === actor.partnerId,
    stale: RUNNING.includes(job.status) && job.updated_at < staleBefore(),
    previouslyImportedAt: previous?.updated_at ?? null,
  };
}
export type ImportJobView = NonNullable<Awaited<ReturnType<typeof getImportJob>>>;

/** The first data rows of the job's file, for the mapping step; cells shortened for display. */
export async function sampleRows(actor: Actor, id: string, count = 3): Promise<string[][]> {
  const job = await db().selectFrom("import_jobs").select("file_key").where("id", "=", id).where(jobScope(actor)).executeTakeFirst();
  const text = job && (await readText(job.file_key));
  if (!text) return [];
  const rows: string[][] = [];
  try {
    for await (const batch of csvRecordBatches(text.slice(0, 64 * 1024), readDelimiter(text), count)) {
      rows.push(...batch.map((r) => r.cells.slice(0, MAX_COLUMNS).map((c) => toDisplayForm(c).slice(0, 60))));
      break;
    }
  } catch {
    // A sample cut in the middle of a quoted cell is no reason to fail the page.
  }
  return rows.slice(0, count);
}

// ---------------------------------------------------------------------------------------------
// Upload

export type StartImportResult = { ok: true; jobId: string } | { ok: false; errors: FieldErrors };

const fileError = (key: string, values?: FieldError["values"]): StartImportResult => ({ ok: false, errors: { file: { key, values } } });

/** Stores the file and creates the job; refuses files that are not UTF-8 CSV with a header. */
export async function startImport(actor: Actor, file: { name: string; bytes: Uint8Array }): Promise<StartImportResult> {
  assertCan(actor, "customers.import");
  if (!actor.partnerId) throw new Response("Forbidden", { status: 403 });
  if (file.bytes.byteLength === 0) return fileError("imports:errors.file_required");
  if (file.bytes.byteLength > IMPORT_MAX_BYTES) return fileError("imports:errors.file_too_large", { mb: IMPORT_MAX_BYTES / 1024 / 1024 });
  const decoded = decodeCsv(file.bytes);
  if (!decoded.ok) return fileError(`imports:errors.${decoded.error}`);
  const header = readHeader(decoded.text);
  if (!header.ok) return fileError(`imports:errors.${header.error}`, { max: MAX_COLUMNS });

  const id = newId();
  const fileKey = `imports/${actor.partnerId.toLowerCase()}/${id.toLowerCase()}.csv`;
  await storage().put(fileKey, file.bytes, "text/csv");
  const now = new Date();
  await db()
    .insertInto("import_jobs")
    .values({
      id,
      brand_id: actor.brandId,
      partner_id: actor.partnerId,
      user_id: actor.userId,
      file_key: fileKey,
      file_name: Array.from(toDisplayForm(file.name.replace(/\p{Cc}/gu, ""))).slice(0, 200).join("") || "customers.csv",
      file_sha256: createHash("sha256").update(file.bytes).digest("hex"),
      headers: JSON.stringify(header.headers),
      mapping: JSON.stringify(guessMapping(header.headers)),
      status: "uploaded",
      total_rows: estimateRowCount(decoded.text),
      created_at: now,
      updated_at: now,
    })
    .execute();
  await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "import.uploaded", targetType: "import_job", targetId: id });
  return { ok: true, jobId: id };
}

// ---------------------------------------------------------------------------------------------
// Mapping and validation

export type StepResult = { ok: true } | { ok: false; errors: FieldErrors };

/** The job row, only when the actor's own partner uploaded it: the one who may run its steps. */
async function ownJob(actor: Actor, id: string) {
  assertCan(actor, "customers.import");
  const job = await getImportJob(actor, id);
  if (!job) throw new Response("Not Found", { status: 404 });
  if (!job.canRun) throw new Response("Forbidden", { status: 403 });
  return job;
}

/**
 * Saves the confirmed mapping and starts checking the rows in the background. Allowed before an
 * import has run (again after a preview, to correct the mapping) and for a check that died.
 */
export async function confirmMapping(actor: Actor, id: string, mapping: ColumnMapping): Promise<StepResult> {
  const job = await ownJob(actor, id);
  const problems = checkMapping(mapping, job.headers.length);
  if (problems.length) return { ok: false, errors: Object.fromEntries(problems.map((p) => [p.field, { key: p.key }])) };
  const claimed = await db()
    .updateTable("import_jobs")
    .set({ status: "validating", claimed_by: instanceId(), mapping: JSON.stringify(mapping), mode: null, processed_rows: 0, valid_rows: 0, error_rows: 0, existing_rows: 0, errors: null, updated_at: new Date() })
    .where("id", "=", id)
    .where("partner_id", "=", actor.partnerId)
    .where(jobScope(actor))
    .where((eb) => eb.or([eb("status", "in", ["uploaded", "previewed", "failed"]), eb.and([eb("status", "=", "validating"), eb("updated_at", "<", staleBefore())])]))
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return { ok: false, errors: { form: { key: "imports:errors.busy" } } };
  void validateJob(id);
  return { ok: true };
}

async function readText(fileKey: string): Promise<string | null> {
  const bytes = await storage().get(fileKey);
  if (!bytes) return null;
  const decoded = decodeCsv(bytes);
  return decoded.ok ? decoded.text : null;
}

function readDelimiter(text: string) {
  const header = readHeader(text);
  return header.ok ? header.delimiter : ",";
}

/** What a background step needs: the job's file as text, its mapping and the partner's province (the default). */
async function loadJobFile(id: string) {
  const job = await db()
    .selectFrom("import_jobs")
    .innerJoin("partners", "partners.id", "import_jobs.partner_id")
    .select(["import_jobs.id", "import_jobs.brand_id", "import_jobs.partner_id", "import_jobs.file_key", "import_jobs.mapping", "partners.province"])
    .where("import_jobs.id", "=", id)
    .executeTakeFirstOrThrow();
  const text = await readText(job.file_key);
  if (text === null || job.mapping === null) throw new Error(`import ${id}: file or mapping missing`);
  const province = (PROVINCES as readonly string[]).includes(job.province) ? (job.province as Province) : "tehran";
  return { ...job, text, mapping: JSON.parse(job.mapping) as ColumnMapping, province };
}

/** Too many rows to import in one go; thrown out of the row loop. */
class TooManyRows extends Error {}

/**
 * Every row of the file, checked: the row's own errors plus a phone or email repeated from an
 * earlier row of the same file. Yields to the event loop after every chunk.
 */
async function* checkedRows(file: { text: string; mapping: ColumnMapping; province: Province }) {
  const { mapping } = file;
  const phones = new Map<string, number>();
  const emails = new Map<string, number>();
  let rows = 0;
  for await (const batch of csvRecordBatches(file.text, readDelimiter(file.text), CHUNK_ROWS)) {
    rows += batch.length;
    if (rows > IMPORT_MAX_ROWS) throw new TooManyRows();
    const checked = batch.map((record: CsvRecord) => {
      const result = validateRow(record.cells, mapping, { province: file.province });
      if (!result.ok) return { line: record.line, cells: record.cells, errors: result.errors };
      const { phone, email } = result.customer;
      const errors: RowError[] = [];
      if (phones.has(phone)) errors.push({ field: "phone", key: "imports:errors.phone_repeated", values: { row: phones.get(phone)! } });
      if (email && emails.has(email)) errors.push({ field: "email", key: "imports:errors.email_repeated", values: { row: emails.get(email)! } });
      if (errors.length) return { line: record.line, cells: record.cells, errors };
      phones.set(phone, record.line);
      if (email) emails.set(email, record.line);
      return { line: record.line, customer: result.customer };
    });
    yield checked;
    await yieldToEventLoop();
  }
}

/** Which of these customers already exist in the brand, by phone or email (they are skipped). */
async function existingIn(executor: Kysely<DB>, brandId: string, customers: ImportedCustomer[]): Promise<(c: ImportedCustomer) => boolean> {
  if (customers.length === 0) return () => false;
  const phones = customers.map((c) => c.phone);
  const emails = customers.flatMap((c) => (c.email ? [c.email] : []));
  const found = await executor
    .selectFrom("customers")
    .select(["phone", "email"])
    .where("brand_id", "=", brandId)
    .where((eb) => eb.or([eb("phone", "in", phones), ...(emails.length ? [eb("email", "in", emails)] : [])]))
    .execute();
  const foundPhones = new Set(found.map((f) => f.phone));
  const foundEmails = new Set(found.flatMap((f) => (f.email ? [f.email] : [])));
  return (c) => foundPhones.has(c.phone) || (c.email !== null && foundEmails.has(c.email));
}

function fileFailure(e: unknown): StoredRowError {
  if (e instanceof TooManyRows) return { row: 0, field: "row", key: "imports:errors.too_many_rows", values: { max: IMPORT_MAX_ROWS } };
  if (e instanceof CsvError) {
    const line = csvErrorLine(e);
    return line ? { row: line, field: "row", key: "imports:errors.malformed_at", values: { row: line } } : { row: 0, field: "row", key: "imports:errors.malformed" };
  }
  console.error(e);
  return { row: 0, field: "row", key: "imports:errors.import_failed" };
}

async function failJob(id: string, from: ImportStatus, error: StoredRowError): Promise<void> {
  await db()
    .updateTable("import_jobs")
    .set({ status: "failed", claimed_by: null, errors: JSON.stringify([error]), updated_at: new Date() })
    .where("id", "=", id)
    .where("status", "=", from)
    .where("claimed_by", "=", instanceId())
    .execute();
}

/**
 * The cell an error is about, as typed and cut short; nothing for an error about the whole row, nor
 * for a cell too long to take (none of it is ever stored).
 */
function cellOf(cells: string[], mapping: ColumnMapping, error: RowError): { value?: string } {
  const column = error.field === "row" ? null : mapping[error.field];
  if (column === null || cells[column] === undefined) return {};
  const chars = Array.from(cells[column]);
  if (chars.length > MAX_CELL_CHARS) return {};
  return { value: chars.length > ERROR_VALUE_CHARS ? `${chars.slice(0, ERROR_VALUE_CHARS).join("")}…` : chars.join("") };
}

/** Checks every row and records the preview; runs in the background after confirmMapping. */
async function validateJob(id: string): Promise<void> {
  try {
    const file = await loadJobFile(id);
    const errors: StoredRowError[] = [];
    let processed = 0;
    let valid = 0;
    let errorRows = 0;
    let existing = 0;
    for await (const rows of checkedRows(file)) {
      const customers: ImportedCustomer[] = [];
      for (const row of rows) {
        if ("customer" in row && row.customer) {
          customers.push(row.customer);
          continue;
        }
        errorRows++;
        for (const error of row.errors ?? []) if (errors.length < MAX_STORED_ERRORS) errors.push({ row: row.line, ...error, ...cellOf(row.cells, file.mapping, error) });
      }
      const exists = await existingIn(db(), file.brand_id, customers);
      existing += customers.filter(exists).length;
      valid += customers.length;
      processed += rows.length;
      const progress = await db()
        .updateTable("import_jobs")
        .set({ processed_rows: processed, total_rows: sql<number>`greatest(total_rows, ${processed})`, updated_at: new Date() })
        .where("id", "=", id)
        .where("status", "=", "validating")
        .where("claimed_by", "=", instanceId())
        .executeTakeFirst();
      // Someone restarted the check (this run looked dead): let theirs finish.
      if (Number(progress.numUpdatedRows) !== 1) return;
    }
    await db()
      .updateTable("import_jobs")
      .set({ status: "previewed", claimed_by: null, total_rows: processed, processed_rows: processed, valid_rows: valid, error_rows: errorRows, existing_rows: existing, errors: JSON.stringify(errors), updated_at: new Date() })
      .where("id", "=", id)
      .where("status", "=", "validating")
      .where("claimed_by", "=", instanceId())
      .execute();
  } catch (e) {
    await failJob(id, "validating", fileFailure(e)).catch((failure: unknown) => console.error(failure));
  }
}

// ---------------------------------------------------------------------------------------------
// Rejected rows

/** A stored error key (with its namespace) and its values in the viewer's words. */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * The rows the check refused, as a CSV to fix and upload again: the file's own header and cells as
 * they were, plus a last column saying what is wrong in the viewer's language (which the import's
 * mapping leaves out). A BOM for Excel; formula cells neutralised, an apostrophe the import takes
 * off again. Only for the partner that uploaded the file (undefined, a 404, for anyone else), once
 * its rows have been checked. Read again from the file, so every rejected row is there, not only
 * the errors the job keeps to show.
 */
export async function rejectedRowsCsv(actor: Actor, id: string, t: Translate): Promise<{ fileName: string; body: ReadableStream<Uint8Array> } | undefined> {
  assertCan(actor, "customers.import");
  if (!actor.partnerId) return undefined;
  const job = await db()
    .selectFrom("import_jobs")
    .select(["id", "file_name", "headers"])
    .where("id", "=", id)
    .where("partner_id", "=", actor.partnerId)
    .where(jobScope(actor))
    .where("status", "in", ["previewed", "importing", "done"])
    .executeTakeFirst();
  if (!job) return undefined;
  const file = await loadJobFile(job.id);
  const headers = JSON.parse(job.headers) as string[];
  const problem = (e: RowError) => (e.field === "row" ? t(e.key, e.values) : `${t(`imports:fields.${e.field}`)}: ${t(e.key, e.values)}`);
  const options = { record_delimiter: "windows" as const, escape_formulas: true };
  const encoder = new TextEncoder();
  const batches = checkedRows(file);
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`\uFEFF${stringify([[...headers, t("imports:rejected.error_column")]], options)}`));
        return;
      }
      const next = await batches.next();
      if (next.done) return controller.close();
      const records = next.value.flatMap((row) => ("cells" in row && row.cells ? [[...headers.map((_, i) => row.cells[i] ?? ""), row.errors.map(problem).join(t("imports:rejected.separator"))]] : []));
      controller.enqueue(encoder.encode(records.length ? stringify(records, options) : ""));
    },
  });
  const base = job.file_name.replace(/\.csv$/i, "");
  return { fileName: `${base}-${t("imports:rejected.file_suffix")}.csv`, body };
}

// ---------------------------------------------------------------------------------------------
// Commit

/**
 * Claims a previewed job and saves its customers in the background. "all_or_nothing" is refused
 * while any row has an error.
 */
export async function commitImport(actor: Actor, id: string, mode: ImportMode): Promise<StepResult> {
  const job = await ownJob(actor, id);
  if (mode === "all_or_nothing" && job.errorRows > 0 && job.status === "previewed") return { ok: false, errors: { mode: { key: "imports:errors.has_errors" } } };
  const claimed = await db()
    .updateTable("import_jobs")
    .set({ status: "importing", claimed_by: instanceId(), mode, processed_rows: 0, updated_at: new Date() })
    .where("id", "=", id)
    .where("partner_id", "=", actor.partnerId)
    .where(jobScope(actor))
    .where((eb) => eb.or([eb("status", "=", "previewed"), eb.and([eb("status", "=", "importing"), eb("updated_at", "<", staleBefore())])]))
    .where((eb) => (mode === "all_or_nothing" ? eb("error_rows", "=", 0) : eb.val(true)))
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) {
    return { ok: false, errors: { form: { key: job.status === "previewed" || job.status === "importing" ? "imports:errors.busy" : "imports:errors.not_ready" } } };
  }
  void importJob(actor, id, mode);
  return { ok: true };
}

/** A row failed at commit time in all-or-nothing mode (the file changed since the preview). */
class AllOrNothingBroken extends Error {}

async function importJob(actor: Actor, id: string, mode: ImportMode): Promise<void> {
  // A customer registered elsewhere between preview and commit makes a unique key clash; the
  // transaction rolls back and the next attempt skips that customer as existing.
  for (let attempt = 1; ; attempt++) {
    try {
      await importOnce(actor, id, mode);
      return;
    } catch (e) {
      if (isDuplicateEntry(e) && attempt < 3) continue;
      const error = e instanceof AllOrNothingBroken ? { row: 0, field: "row" as const, key: "imports:errors.has_errors" } : fileFailure(e);
      await failJob(id, "importing", error).catch((failure: unknown) => console.error(failure));
      return;
    }
  }
}

/** One attempt: every new customer in ONE transaction, so a failure or a crash leaves nothing behind. */
async function importOnce(actor: Actor, id: string, mode: ImportMode): Promise<void> {
  const file = await loadJobFile(id);
  const partnerId = file.partner_id;
  await transaction(async (trx) => {
    let created = 0;
    let existing = 0;
    let processed = 0;
    for await (const rows of checkedRows(file)) {
      const customers: ImportedCustomer[] = [];
      for (const row of rows) {
        if ("customer" in row && row.customer) customers.push(row.customer);
        else if (mode === "all_or_nothing") throw new AllOrNothingBroken();
      }
      const exists = await existingIn(trx, file.brand_id, customers);
      const fresh = customers.filter((c) => !exists(c));
      existing += customers.length - fresh.length;
      for (let i = 0; i < fresh.length; i += INSERT_ROWS) await insertCustomers(trx, actor, partnerId, fresh.slice(i, i + INSERT_ROWS));
      created += fresh.length;
      processed += rows.length;
      // Progress goes through its own connection: the transaction's rows stay invisible until commit.
      const progress = await db().updateTable("import_jobs").set({ processed_rows: processed, updated_at: new Date() }).where("id", "=", id).where("status", "=", "importing").where("claimed_by", "=", instanceId()).executeTakeFirst();
      // The claim was handed back (shutdown) or taken over: roll back and leave the job to its new run.
      if (Number(progress.numUpdatedRows) !== 1) throw new Error(`import ${id}: claim lost`);
    }
    const done = await trx
      .updateTable("import_jobs")
      .set({ status: "done", claimed_by: null, created_rows: created, existing_rows: existing, processed_rows: processed, updated_at: new Date() })
      .where("id", "=", id)
      .where("status", "=", "importing")
      .where("claimed_by", "=", instanceId())
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new Error(`import ${id}: no longer importing`);
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId, action: "import.completed", targetType: "import_job", targetId: id, details: { mode, created, existing } }, trx);
  });
}

async function insertCustomers(trx: Transaction<DB>, actor: Actor, partnerId: string, customers: ImportedCustomer[]): Promise<void> {
  if (customers.length === 0) return;
  const now = new Date();
  const rows = customers.map((c) => ({
    id: newId(),
    brand_id: actor.brandId,
    ...customerColumns({ ...c, preferredLocale: "fa", preferredChannel: "phone", preferredTimes: null }),
    // No consent was recorded with the list: nothing is shared until the customer agrees.
    consent_partner_contact: false,
    consent_brand_contact: false,
    consent_share_partners: false,
    registered_by_partner_id: partnerId,
    registered_at: now,
    created_by_user_id: actor.userId,
    created_at: now,
    updated_at: now,
  }));
  await trackCustomerCounts(
    trx,
    actor.brandId,
    rows.map((r) => r.id),
    async () => {
      await trx.insertInto("customers").values(rows).execute();
      await addServingRows(trx, actor.brandId, partnerId, rows.map((r) => r.id), now);
    },
    { created: true },
  );
}

/** The fields a mapping form sends: one select per field, holding a column index or "". */
export function mappingFromForm(form: FormData): ColumnMapping {
  const mapping = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as ColumnMapping;
  for (const field of IMPORT_FIELDS) {
    const raw = form.get(`map.${field}`);
    if (typeof raw === "string" && /^\d{1,3}$/.test(raw)) mapping[field] = Number(raw);
  }
  return mapping;
}
