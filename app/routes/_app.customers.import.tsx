import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, listImportJobs, startImport } from "~/models/customer-import.server";
import { DataTable } from "~/ui/data-table";
import { FormAlert } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { readUpload } from "~/utils/upload.server";
import type { FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("imports:title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.import");
  return { jobs: await listImportJobs(actor), maxMb: IMPORT_MAX_BYTES / 1024 / 1024, maxRows: IMPORT_MAX_ROWS };
}

const fail = (errors: FieldErrors, status: 400 | 413 = 400) => data({ errors }, { status });

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "customers.import");
  const upload = await readUpload(request, "file", IMPORT_MAX_BYTES);
  if (!upload.ok) {
    if (upload.reason === "too_large") return fail({ file: { key: "imports:errors.file_too_large", values: { mb: IMPORT_MAX_BYTES / 1024 / 1024 } } }, 413);
    return fail({ file: { key: upload.reason === "unreadable" ? "common:errors.upload_unreadable" : "imports:errors.file_required" } });
  }
  const file = upload.file;
  const result = await startImport(actor, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  if (!result.ok) return fail(result.errors);
  return redirect(`/customers/import/${result.jobId}`);
}

export default function CustomerImport() {
  const { t } = useTranslation("imports");
  const f = useFormat();
  const { jobs, maxMb, maxRows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const fileError = actionData?.errors.file;
  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <FormAlert errors={actionData?.errors} />
      <Form method="post" encType="multipart/form-data" className="stack card">
        <div className="field">
          <label htmlFor="f-file">{t("upload.file")}</label>
          <input id="f-file" name="file" type="file" accept=".csv,text/csv" aria-required {...(fileError ? { "aria-invalid": true, "aria-describedby": "e-file" } : {})} />
          <span className="hint">{t("upload.hint", { mb: maxMb, rows: maxRows })}</span>
          {fileError ? (
            <span className="error" id="e-file" role="alert">
              {t(fileError.key, fileError.values)}
            </span>
          ) : null}
        </div>
        <button type="submit" disabled={busy}>
          {t("upload.submit")}
        </button>
      </Form>

      <h2>{t("recent")}</h2>
      <DataTable
        rows={jobs}
        rowKey={(job) => job.id}
        empty={t("none")}
        columns={[
          {
            header: t("columns.file"),
            cell: (job) => (
              <Link to={`/customers/import/${job.id}`}>
                <bdi>{job.file_name}</bdi>
              </Link>
            ),
          },
          { header: t("columns.when"), cell: (job) => f.dateTime(job.created_at) },
          { header: t("columns.status"), cell: (job) => <span className={`badge ${job.status === "done" ? "ok" : job.status === "failed" ? "off" : ""}`}>{t(`status.${job.status}`)}</span> },
          { header: t("columns.rows"), numeric: true, cell: (job) => f.number(job.total_rows) },
          { header: t("columns.created"), numeric: true, cell: (job) => (job.status === "done" ? f.number(job.created_rows) : "—") },
        ]}
      />
    </>
  );
}
