import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { commitProductImport, previewProductImport, PRODUCT_IMPORT_MAX_BYTES, PRODUCT_IMPORT_MAX_ROWS, type ImportCheck } from "~/models/orders/product-csv.server";
import { DataTable } from "~/ui/data-table";
import { FormAlert } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { readUpload } from "~/utils/upload.server";
import type { FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("catalog:csv.import_title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "catalog.manage");
  return { maxMb: PRODUCT_IMPORT_MAX_BYTES / 1024 / 1024, maxRows: PRODUCT_IMPORT_MAX_ROWS };
}

type Answer = { errors?: FieldErrors; check?: ImportCheck; fileId?: string; committed?: { created: number; updated: number } };
const fail = (answer: Answer, status: 400 | 413 = 400) => data(answer, { status });

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "catalog.manage");
  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    const upload = await readUpload(request, "file", PRODUCT_IMPORT_MAX_BYTES);
    if (!upload.ok) {
      if (upload.reason === "too_large") return fail({ errors: { file: { key: "catalog:csv.errors.file_too_large", values: { mb: PRODUCT_IMPORT_MAX_BYTES / 1024 / 1024 } } } }, 413);
      return fail({ errors: { file: { key: upload.reason === "unreadable" ? "common:errors.upload_unreadable" : "catalog:csv.errors.file_required" } } });
    }
    const preview = await previewProductImport(actor, new Uint8Array(await upload.file.arrayBuffer()));
    if (!preview.ok) return fail({ errors: { file: preview.error } });
    return { check: preview.check, fileId: preview.fileId } satisfies Answer;
  }
  const form = await request.formData();
  const result = await commitProductImport(actor, String(form.get("fileId") ?? ""));
  if (!result.ok) return fail({ errors: result.error ? { file: result.error } : { form: { key: "catalog:csv.fix_and_retry" } }, check: result.check });
  return { committed: { created: result.created, updated: result.updated } } satisfies Answer;
}

export default function ProductImport() {
  const { t } = useTranslation("catalog");
  const f = useFormat();
  const { maxMb, maxRows } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as Answer | undefined;
  const busy = useNavigation().state === "submitting";
  const check = answer?.check;
  const fileError = answer?.errors?.file;
  const unit = useRouteLoaderData<{ brand: { money_unit: "rial" | "toman" } }>("routes/_app")?.brand.money_unit ?? "rial";
  return (
    <>
      <div className="page-head">
        <h1>{t("csv.import_title")}</h1>
        <a className="button" href="/products/export.csv" download>{t("csv.export")}</a>
      </div>
      <p>{t("csv.intro", { rows: f.number(maxRows), mb: f.number(maxMb) })}</p>
      <p className="hint">{t("csv.money_hint", { unit: t(`common:money.${unit}`) })}</p>
      <FormAlert errors={answer?.errors} />
      {answer?.committed ? <div className="alert ok" role="status">{t("csv.committed", { created: f.number(answer.committed.created), updated: f.number(answer.committed.updated) })}</div> : null}
      <Form method="post" encType="multipart/form-data" className="stack card">
        <div className="field">
          <label htmlFor="f-file">{t("csv.file")}</label>
          <input id="f-file" name="file" type="file" accept=".csv,text/csv" aria-required {...(fileError ? { "aria-invalid": true, "aria-describedby": "e-file" } : {})} />
          {fileError ? <span className="error" id="e-file" role="alert">{t(fileError.key, fileError.values)}</span> : null}
        </div>
        <button type="submit" disabled={busy}>{t("csv.preview")}</button>
      </Form>
      {check ? (
        <section className="card">
          <p role="status">{t("csv.summary", { created: f.number(check.created), updated: f.number(check.updated), invalid: f.number(check.invalid) })}</p>
          {check.problems.length > 0 ? (
            <>
              <p>{t("csv.fix_and_retry")}</p>
              <DataTable
                rows={check.problems}
                rowKey={(_, i) => i}
                columns={[
                  { header: t("csv.line"), numeric: true, cell: (p) => f.number(p.line) },
                  { header: t("csv.column"), cell: (p) => (p.field === "row" ? t("csv.row") : t(`csv.columns.${p.field}`)) },
                  { header: t("csv.problem"), cell: (p) => t(p.key, p.values) },
                ]}
              />
            </>
          ) : answer?.fileId ? (
            <Form method="post">
              <input type="hidden" name="fileId" value={answer.fileId} />
              <button type="submit" disabled={busy}>{t("csv.commit")}</button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
