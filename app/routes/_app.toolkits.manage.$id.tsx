import { z } from "zod";
import type { Actor } from "~/domain/permissions";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { dateInputValue } from "~/domain/jalali";
import { ASSET_MAX_BYTES, isImageAsset, sniffAsset } from "~/domain/toolkit-assets";
import { getLocale } from "~/i18n.server";
import { assetSchema, parseAudience, parseTemplate, toolkitSchema } from "~/models/toolkits/forms";
import { addAsset, addTemplate, archiveToolkit, getToolkitForEdit, publishToolkit, removeAsset, removeTemplate, setAudience, setCover, updateDetails, updateTemplate, type ManageResult } from "~/models/toolkits/manage.server";
import { DateField } from "~/ui/date-field";
import { ErrorText, FormAlert, SelectField, TextAreaField, TextField } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { AudienceFields } from "~/ui/toolkits/audience";
import { TemplateFields, TemplatePreview } from "~/ui/toolkits/template-fields";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { newId } from "~/utils/ids";
import { reencodeImage } from "~/utils/image.server";
import { storage } from "~/utils/storage.server";
import { readUpload } from "~/utils/upload.server";
import { id as idField, parseFormData, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";


export const meta = pageTitle<typeof loader>((d, _t, fa) => (fa ? d.version.title_fa : d.version.title_en));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.manage");
  const found = await getToolkitForEdit(actor, params.id!);
  invariantResponse(found, 404);
  return { ...found, locale: await getLocale(request), assetMaxMb: ASSET_MAX_BYTES / 1024 / 1024 };
}

const fail = (errors: FieldErrors, status = 400, row: string | null = null) => data({ errors, saved: null as string | null, row }, { status });
const MB = ASSET_MAX_BYTES / 1024 / 1024;

/** A refused state change is a 409 with the reason in the user's language; nothing was written. */
function answer(result: ManageResult | undefined, intent: string) {
  invariantResponse(result, 404);
  if (!result.ok) return fail({ form: { key: `toolkits:errors.${result.reason}` } }, result.reason === "audience_empty" ? 400 : 409);
  return { errors: undefined, saved: intent, row: null };
}

/** An uploaded cover or asset: checked by its bytes and size before anything is stored. */
async function upload(request: Request, actor: Actor, toolkitId: string) {
  const file = await readUpload(request, "file", ASSET_MAX_BYTES);
  if (!file.ok) {
    if (file.reason === "too_large") return fail({ file: { key: "toolkits:errors.asset_too_large", values: { mb: MB } } }, 413);
    return fail({ file: { key: file.reason === "unreadable" ? "errors.upload_unreadable" : "errors.required" } });
  }
  const intent = file.form.get("intent");
  const bytes = new Uint8Array(await file.file.arrayBuffer());
  if (intent === "cover") {
    const clean = await reencodeImage(bytes, { maxSide: 1600 });
    if (!clean.ok) return fail({ file: { key: `errors.${clean.reason}` } });
    const key = `toolkits/${toolkitId}/cover-${newId().toLowerCase()}.${clean.image.ext}`;
    await storage().put(key, clean.image.bytes, clean.image.mime);
    return answer(await setCover(actor, toolkitId, key, clean.image.mime), "cover");
  }
  invariantResponse(intent === "asset", 400);
  const fields = parseFormData(assetSchema, file.form);
  const kind = sniffAsset(bytes);
  if (!fields.ok || !kind) return fail({ ...(fields.ok ? {} : fields.errors), ...(kind ? {} : { file: { key: "toolkits:errors.asset_type" } }) });
  let stored: Uint8Array = bytes;
  if (isImageAsset(kind)) {
    // Marketing images keep print resolution; only metadata and anything hidden in the file go.
    const clean = await reencodeImage(bytes, { maxSide: 4096 });
    if (!clean.ok) return fail({ file: { key: `errors.${clean.reason}` } });
    stored = clean.image.bytes;
  }
  const key = `toolkits/${toolkitId}/${newId().toLowerCase()}.${kind.ext}`;
  await storage().put(key, stored, kind.mime);
  const result = await addAsset(actor, toolkitId, { title: fields.data.title, language: fields.data.language, storage_key: key, mime: kind.mime, size_bytes: stored.byteLength, file_name: file.file.name.slice(0, 255) || `asset.${kind.ext}` });
  return answer(result, "asset");
}

const rowSchema = z.object({ rowId: idField() });
const publishSchema = z.object({ version: z.coerce.number({ message: "errors.number" }).int().min(1) });

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.manage");
  const id = params.id!;
  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) return upload(request, actor, id);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "details": {
      const parsed = parseFormData(toolkitSchema(await getLocale(request)), form);
      if (!parsed.ok) return fail(parsed.errors);
      return answer(await updateDetails(actor, id, parsed.data), intent);
    }
    case "audience": {
      const parsed = parseAudience(form);
      if (!parsed.ok) return fail(parsed.errors);
      return answer(await setAudience(actor, id, parsed.data), intent);
    }
    case "template": {
      const parsed = parseTemplate(form);
      if (!parsed.ok) return fail(parsed.errors);
      return answer(await addTemplate(actor, id, parsed.data), intent);
    }
    case "edit_template": {
      const row = parseFormData(rowSchema, form);
      if (!row.ok) return fail(row.errors);
      const parsed = parseTemplate(form);
      if (!parsed.ok) return fail(parsed.errors, 400, row.data.rowId);
      return answer(await updateTemplate(actor, id, row.data.rowId, parsed.data), intent);
    }
    case "remove_asset":
    case "remove_template": {
      const parsed = parseFormData(rowSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      return answer(await (intent === "remove_asset" ? removeAsset : removeTemplate)(actor, id, parsed.data.rowId), intent);
    }
    case "publish": {
      const parsed = parseFormData(publishSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await publishToolkit(actor, id, parsed.data.version);
      return result?.ok ? redirect("/toolkits/manage") : answer(result, intent);
    }
    case "archive":
      return answer(await archiveToolkit(actor, id), intent);
    default:
      return fail({ intent: { key: "errors.choice" } });
  }
}

export default function EditToolkit() {
  const { t, i18n } = useTranslation("toolkits");
  const f = useFormat();
  const { toolkit, version, assets, templates, partners, locale, assetMaxMb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // A template edit's errors belong to that template's form, not to every form on the page.
  const errors = actionData?.row ? undefined : actionData?.errors;
  const fa = i18n.language === "fa";
  const readOnly = toolkit.status === "archived";
  const editing = toolkit.draft_version !== null;
  return (
    <>
      <div className="page-head">
        <h1>{fa ? version.title_fa : version.title_en}</h1>
        <Link to="/toolkits/manage">{t("back_to_list")}</Link>
      </div>
      <p>
        <span className={`badge ${toolkit.status === "published" ? "ok" : "off"}`}>{t(`status.${toolkit.status}`)}</span>{" "}
        {toolkit.current_version ? t("published_version", { version: f.number(toolkit.current_version) }) : null}{" "}
        {editing ? t("editing_draft", { version: f.number(version.version) }) : readOnly ? null : t("edit_makes_version")}
      </p>
      {actionData?.saved ? <div className="alert ok" role="status">{t("common:saved")}</div> : null}
      <FormAlert errors={errors} />
      {readOnly ? null : (
        <div className="actions">
          {editing ? (
            <Form method="post">
              <input type="hidden" name="intent" value="publish" />
              <input type="hidden" name="version" value={version.version} />
              <button type="submit">{t("publish")}</button>
            </Form>
          ) : null}
          {toolkit.status === "published" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="archive" />
              <button type="submit" className="secondary">{t("archive")}</button>
            </Form>
          ) : null}
        </div>
      )}
      <fieldset disabled={readOnly} className="grid-2">
        <Form method="post" className="stack card" noValidate key={`d-${version.version}`}>
          <h2>{t("details")}</h2>
          <input type="hidden" name="intent" value="details" />
          <TextField name="titleFa" label={t("title_fa")} defaultValue={version.title_fa} errors={errors} />
          <TextField name="titleEn" label={t("title_en")} defaultValue={version.title_en} errors={errors} dir="ltr" />
          <TextAreaField name="descriptionFa" label={t("description_fa")} defaultValue={version.description_fa} errors={errors} />
          <TextAreaField name="descriptionEn" label={t("description_en")} defaultValue={version.description_en} errors={errors} dir="ltr" />
          <DateField name="startsOn" label={t("starts_on")} defaultValue={version.starts_at ? dateInputValue(version.starts_at, locale) : ""} errors={errors} />
          <DateField name="endsOn" label={t("ends_on")} defaultValue={version.ends_at ? dateInputValue(version.ends_at, locale) : ""} errors={errors} />
          <button type="submit">{t("common:save")}</button>
        </Form>
        <Form method="post" className="stack card" key={`a-${version.version}`}>
          <h2>{t("audience.title")}</h2>
          <input type="hidden" name="intent" value="audience" />
          <AudienceFields audience={version.audience} partners={partners} errors={errors} />
          <button type="submit">{t("common:save")}</button>
        </Form>
        <Form method="post" encType="multipart/form-data" className="stack card">
          <h2>{t("cover")}</h2>
          {version.cover_key ? <img className="cover" src={`/toolkits/${toolkit.id}/cover?v=${encodeURIComponent(version.cover_key)}`} alt={t("cover")} /> : <p>{t("no_cover")}</p>}
          <input type="hidden" name="intent" value="cover" />
          <div className="field">
            <label htmlFor="f-cover">{t("cover_upload")}</label>
            <input id="f-cover" name="file" type="file" accept="image/png,image/jpeg" />
          </div>
          <button type="submit">{t("upload")}</button>
        </Form>
        <section className="stack card">
          <h2>{t("assets")}</h2>
          <ul>
            {assets.map((a) => (
              <li key={a.id}>
                <a href={`/toolkits/${toolkit.id}/assets/${a.id}`}>{a.title}</a> · {t(`languages.${a.language}`)} · {a.mime} · {t("size_kb", { kb: f.number(Math.ceil(a.size_bytes / 1024)) })}
                <Form method="post" className="inline">
                  <input type="hidden" name="intent" value="remove_asset" />
                  <input type="hidden" name="rowId" value={a.id} />
                  <button type="submit" className="link">{t("remove")}</button>
                </Form>
              </li>
            ))}
          </ul>
          <Form method="post" encType="multipart/form-data" className="stack">
            <input type="hidden" name="intent" value="asset" />
            <TextField name="title" label={t("asset_title")} errors={errors} />
            <SelectField name="language" label={t("asset_language")} errors={errors} options={(["fa", "en", "both"] as const).map((v) => ({ value: v, label: t(`languages.${v}`) }))} />
            <div className="field">
              <label htmlFor="f-file">{t("asset_file")}</label>
              <input id="f-file" name="file" type="file" accept="application/pdf,image/png,image/jpeg,video/mp4" aria-describedby="e-file" />
              <span className="hint">{t("asset_hint", { mb: f.number(assetMaxMb) })}</span>
              <ErrorText id="e-file" error={errors?.file} />
            </div>
            <button type="submit">{t("upload")}</button>
          </Form>
        </section>
        <section className="stack card">
          <h2>{t("templates")}</h2>
          <ul>
            {templates.map((tpl) => (
              <li key={tpl.id}>
                {fa ? tpl.name_fa : tpl.name_en} · {tpl.formats.map((v) => t(`formats.${v}`)).join(t("conflicts:list.separator"))}
                <Form method="post" className="inline">
                  <input type="hidden" name="intent" value="remove_template" />
                  <input type="hidden" name="rowId" value={tpl.id} />
                  <button type="submit" className="link">{t("remove")}</button>
                </Form>
                <details open={actionData?.row === tpl.id}>
                  <summary>{t("personalise.edit")}</summary>
                  <Form method="post" className="stack" noValidate key={`t-${version.version}-${tpl.id}`}>
                    <input type="hidden" name="intent" value="edit_template" />
                    <input type="hidden" name="rowId" value={tpl.id} />
                    <TemplateFields errors={actionData?.row === tpl.id ? actionData.errors : undefined} initial={tpl} idPrefix={`tpl-${tpl.id}`} />
                    <button type="submit">{t("personalise.save")}</button>
                    <TemplatePreview toolkitId={toolkit.id} frame={`preview-${tpl.id}`} />
                  </Form>
                </details>
              </li>
            ))}
          </ul>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="template" />
            <TemplateFields errors={errors} />
            <button type="submit">{t("template.add")}</button>
            <TemplatePreview toolkitId={toolkit.id} frame="preview-new" />
          </Form>
        </section>
      </fieldset>
    </>
  );
}
