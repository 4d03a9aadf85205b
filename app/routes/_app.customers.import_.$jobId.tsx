import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { IMPORT_FIELDS, REQUIRED_IMPORT_FIELDS, type ImportField } from "~/domain/customer-csv";
import { commitImport, confirmMapping, getImportJob, IMPORT_MODES, mappingFromForm, sampleRows, type ImportJobView } from "~/models/customer-import.server";
import { getPartner } from "~/models/partners.server";
import { DataTable } from "~/ui/data-table";
import { ErrorText, FormAlert } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import type { FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

const REFRESH_MS = 1000;
/** The model keeps the first 200 row errors. */
const MAX_SHOWN_ERRORS = 200;

async function jobFor(request: Request, jobId: string | undefined) {
  const actor = await requirePermission(request, "customers.import");
  invariantResponse(jobId && /^[0-9A-Z]{26}$/i.test(jobId), 404);
  const job = await getImportJob(actor, jobId);
  invariantResponse(job, 404);
  return { actor, job };
}

export const meta = pageTitle<typeof loader>((d, t) => `${t("imports:job.title")}: ${d.job.fileName}`);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, job } = await jobFor(request, params.jobId);
  const mapping = job.canRun && ["uploaded", "previewed", "failed"].includes(job.status);
  const [samples, partner] = await Promise.all([mapping ? sampleRows(actor, job.id) : [], actor.partnerId ? getPartner(actor, actor.partnerId) : undefined]);
  return {
    job,
    samples,
    fields: IMPORT_FIELDS.map((name) => ({ name, required: REQUIRED_IMPORT_FIELDS.includes(name) })),
    partnerProvince: partner?.province ?? null,
    modes: IMPORT_MODES,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, job } = await jobFor(request, params.jobId);
  const form = await request.formData();
  const intent = form.get("intent");
  let errors: FieldErrors | undefined;
  if (intent === "map") {
    const result = await confirmMapping(actor, job.id, mappingFromForm(form));
    if (!result.ok) errors = result.errors;
  } else if (intent === "commit") {
    const mode = z.object({ mode: z.enum(IMPORT_MODES) }).safeParse({ mode: form.get("mode") });
    if (!mode.success) errors = { mode: { key: "imports:errors.mode" } };
    else {
      const result = await commitImport(actor, job.id, mode.data.mode);
      if (!result.ok) errors = result.errors;
    }
  } else {
    errors = { form: { key: "common:errors.invalid" } };
  }
  if (errors) return data({ errors }, { status: errors.form?.key === "imports:errors.busy" ? 409 : 400 });
  return redirect(`/customers/import/${job.id}`);
}

const running = (job: ImportJobView) => (job.status === "validating" || job.status === "importing") && !job.stale;

export default function ImportJob() {
  const { t } = useTranslation("imports");
  const f = useFormat();
  const { job, partnerProvince } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const revalidator = useRevalidator();
  const isRunning = running(job);

  // Progress: reload the job every second while a step runs, never faster and never in a loop.
  useEffect(() => {
    if (!isRunning) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [isRunning, revalidator]);

  const showMapping = job.canRun && (job.status === "uploaded" || job.status === "failed" || (job.status === "validating" && job.stale));
  return (
    <>
      <div className="page-head">
        <h1>
          {t("job.title")}: <bdi dir="auto">{job.fileName}</bdi>
        </h1>
        <span className={`badge ${job.status === "done" ? "ok" : job.status === "failed" ? "off" : "warn"}`}>{t(`status.${job.status}`)}</span>
      </div>
      <p>
        <Link to="/customers/import">
          <span className="mirror">←</span> {t("job.back")}
        </Link>
      </p>
      <FormAlert errors={actionData?.errors} />
      {!job.canRun ? <div className="alert">{t("job.view_only")}</div> : null}
      {job.previouslyImportedAt && job.status !== "done" ? <div className="alert">{t("job.previous_import", { date: f.dateTime(job.previouslyImportedAt) })}</div> : null}

      {isRunning ? <Progress job={job} /> : null}
      {job.status === "failed" ? <FileErrors job={job} /> : null}
      {job.status === "previewed" || job.status === "done" || (job.status === "importing" && job.stale) ? <Preview job={job} /> : null}
      {job.canRun && (job.status === "previewed" || (job.status === "importing" && job.stale)) ? <CommitForm job={job} errors={actionData?.errors} /> : null}
      {showMapping ? <MappingForm errors={actionData?.errors} /> : null}
      {job.canRun && job.status === "previewed" ? (
        <details className="card">
          <summary>{t("job.remap")}</summary>
          <MappingForm errors={actionData?.errors} />
        </details>
      ) : null}
      {partnerProvince && showMapping ? <p className="hint">{t("job.province_default", { province: t(`common:provinces.${partnerProvince}`) })}</p> : null}
    </>
  );
}

function Progress({ job }: { job: ImportJobView }) {
  const { t } = useTranslation("imports");
  const f = useFormat();
  // Both steps go through every row of the file; the total is exact once the check has finished.
  const total = Math.max(job.totalRows, job.processedRows, 1);
  return (
    <div className="card" role="status" aria-live="polite">
      <p>{t(job.status === "importing" ? "job.importing" : "job.validating", { processed: f.number(job.processedRows), total: f.number(total) })}</p>
      <progress className="full-width" max={total} value={job.processedRows} />
      <p className="hint">{t("job.refreshing")}</p>
    </div>
  );
}

function FileErrors({ job }: { job: ImportJobView }) {
  const { t } = useTranslation("imports");
  return (
    <div className="alert error" role="alert">
      <p>{t("job.failed")}</p>
      {job.errors.map((e, i) => (
        <p key={i}>{t(e.key, e.values)}</p>
      ))}
    </div>
  );
}

function Preview({ job }: { job: ImportJobView }) {
  const { t } = useTranslation("imports");
  const f = useFormat();
  // The field's name and, in brackets, the file's column it came from.
  const fieldLabel = (field: ImportField) => {
    const column = job.mapping[field];
    const header = column === null ? "" : (job.headers[column] ?? "");
    const label = t(`fields.${field}`);
    return header && header !== label ? `${label} (${header})` : label;
  };
  const stats: [string, number][] =
    job.status === "done"
      ? [
          ["total", job.totalRows],
          ["created", job.createdRows],
          ["existing", job.existingRows],
          ["errors", job.errorRows],
        ]
      : [
          ["total", job.totalRows],
          ["valid", job.validRows],
          ["errors", job.errorRows],
          ["existing", job.existingRows],
          ["new", job.validRows - job.existingRows],
        ];
  return (
    <>
      {job.status === "done" ? (
        <div className="alert ok" role="status">
          {t("job.done", { count: job.createdRows })} <Link to="/customers">{t("job.to_customers")}</Link>
        </div>
      ) : (
        <h2>{t("job.preview_title")}</h2>
      )}
      <div className="stats">
        {stats.map(([key, value]) => (
          <div className="stat" key={key}>
            <div className="value">{f.number(value)}</div>
            <div className="label">{t(`job.stats.${key}`)}</div>
          </div>
        ))}
      </div>
      {job.existingRows > 0 ? <p className="hint">{t("job.existing_hint")}</p> : null}
      {job.errors.length > 0 ? (
        <>
          <h2>{t("job.errors_title")}</h2>
          {job.canRun ? (
            <p>
              <a href={`/customers/import/${job.id}/rejected.csv`} download>
                {t("rejected.download")}
              </a>
            </p>
          ) : null}
          <div className="scroll-y">
            <DataTable
              rows={job.errors.map((e, i) => ({ ...e, i }))}
              rowKey={(e) => e.i}
              columns={[
                { header: t("job.row"), numeric: true, cell: (e) => (e.row ? f.number(e.row) : "—") },
                { header: t("job.field"), cell: (e) => (e.field === "row" ? "—" : fieldLabel(e.field)) },
                { header: t("job.value"), cell: (e) => (e.value ? <bdi>{e.value}</bdi> : "—") },
                { header: t("job.problem"), cell: (e) => t(e.key, e.values) },
              ]}
            />
          </div>
          {job.errors.length >= MAX_SHOWN_ERRORS ? <p className="hint">{t("job.errors_more", { shown: job.errors.length })}</p> : null}
        </>
      ) : null}
    </>
  );
}

function CommitForm({ job, errors }: { job: ImportJobView; errors?: FieldErrors }) {
  const { t } = useTranslation("imports");
  const { modes } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  const defaultMode = job.mode ?? (job.errorRows > 0 ? "valid_only" : "all_or_nothing");
  return (
    <Form method="post" className="stack card">
      <input type="hidden" name="intent" value="commit" />
      <fieldset className="field" aria-describedby={errors?.mode ? "e-mode" : undefined}>
        <legend>{t("job.mode_title")}</legend>
        {modes.map((mode) => (
          <label key={mode} className="plain">
            <input type="radio" name="mode" value={mode} defaultChecked={mode === defaultMode} /> {t(`job.mode.${mode}`)}
          </label>
        ))}
        <ErrorText id="e-mode" error={errors?.mode} />
      </fieldset>
      <button type="submit" disabled={busy || job.validRows - job.existingRows === 0}>
        {t("job.commit")}
      </button>
    </Form>
  );
}

function MappingForm({ errors }: { errors?: FieldErrors }) {
  const { t } = useTranslation("imports");
  const f = useFormat();
  const { job, samples, fields } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post" className="stack card" noValidate>
      <input type="hidden" name="intent" value="map" />
      <h2>{t("job.mapping_title")}</h2>
      <p className="hint">{t("job.mapping_intro")}</p>
      {fields.map(({ name, required }) => (
        <div className="field" key={name}>
          <label htmlFor={`f-map-${name}`}>
            {t(`fields.${name}`)} {required ? <span className="hint">({t("job.required")})</span> : null}
          </label>
          <select
            id={`f-map-${name}`}
            name={`map.${name}`}
            defaultValue={job.mapping[name] === null ? "" : String(job.mapping[name])}
            {...(errors?.[name] ? { "aria-invalid": true, "aria-describedby": `e-map-${name}` } : {})}
          >
            <option value="">{t("job.not_in_file")}</option>
            {job.headers.map((header, index) => (
              <option key={index} value={index}>
                {f.number(index + 1)}: {header || "—"}
              </option>
            ))}
          </select>
          <ErrorText id={`e-map-${name}`} error={errors?.[name]} />
        </div>
      ))}
      {samples.length > 0 ? (
        <div className="scroll-x">
          <table>
            <thead>
              <tr>
                {job.headers.map((header, index) => (
                  <th key={index}>
                    <bdi dir="auto">{header}</bdi>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {samples.map((cells, r) => (
                <tr key={r}>
                  {job.headers.map((_, c) => (
                    <td key={c}>
                      <bdi dir="auto">{cells[c] ?? ""}</bdi>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <button type="submit" disabled={busy}>
        {t("job.check")}
      </button>
    </Form>
  );
}
