import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LOGO_MAX_BYTES } from "~/domain/image";
import { profileSchema } from "~/models/partner-forms";
import { getPartner, setOwnLogo, updateOwnProfile } from "~/models/partners.server";
import { useFormat } from "~/ui/format";
import { ErrorText, FormAlert, TextAreaField, TextField } from "~/ui/form";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { newId } from "~/utils/ids";
import { reencodeImage } from "~/utils/image.server";
import { storage } from "~/utils/storage.server";
import { readUpload } from "~/utils/upload.server";
import { parseFormData, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle<typeof loader>((d, t, fa) => t("partners:profile_title", { name: fa ? d.partner.name_fa : d.partner.name_en }));

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "profile.edit");
  const partner = await getPartner(actor, actor.partnerId!);
  invariantResponse(partner, 404);
  return { partner, logoMaxKb: LOGO_MAX_BYTES / 1024 };
}

const fail = (errors: FieldErrors, status = 400) => data({ errors, saved: false }, { status });

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "profile.edit");
  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    const upload = await readUpload(request, "logo", LOGO_MAX_BYTES);
    if (!upload.ok) {
      if (upload.reason === "too_large") return fail({ logo: { key: "errors.file_too_large", values: { kb: LOGO_MAX_BYTES / 1024 } } }, 413);
      return fail({ logo: { key: upload.reason === "unreadable" ? "errors.upload_unreadable" : "errors.required" } });
    }
    const clean = await reencodeImage(new Uint8Array(await upload.file.arrayBuffer()));
    if (!clean.ok) return fail({ logo: { key: `errors.${clean.reason}` } });
    const key = `logos/${actor.partnerId}/${newId().toLowerCase()}.${clean.image.ext}`;
    await storage().put(key, clean.image.bytes, clean.image.mime);
    await setOwnLogo(actor, key, clean.image.mime);
    return { errors: undefined, saved: true };
  }
  const parsed = parseFormData(profileSchema, await request.formData());
  if (!parsed.ok) return fail(parsed.errors);
  await updateOwnProfile(actor, parsed.data);
  return { errors: undefined, saved: true };
}

export default function Profile() {
  const { t, i18n } = useTranslation("partners");
  const f = useFormat();
  const { partner, logoMaxKb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const fa = i18n.language === "fa";
  return (
    <>
      <h1>{t("profile_title", { name: fa ? partner.name_fa : partner.name_en })}</h1>
      {actionData?.saved ? <div className="alert ok" role="status">{t("common:saved")}</div> : null}
      <FormAlert errors={actionData?.errors} />
      <div className="grid-2">
        <Form method="post" className="stack card" noValidate key={String(partner.updated_at)}>
          <h2>{t("contact_cobrand")}</h2>
          <TextField name="phone" label={t("phone")} defaultValue={partner.phone ?? ""} dir="ltr" inputMode="tel" errors={actionData?.errors} />
          <TextAreaField name="address" label={t("address")} defaultValue={partner.address ?? ""} errors={actionData?.errors} />
          <TextField name="cobrandName" label={t("cobrand_name")} hint={t("cobrand_name_hint")} defaultValue={partner.cobrand_name ?? ""} errors={actionData?.errors} />
          <TextAreaField name="cobrandMessage" label={t("cobrand_message")} defaultValue={partner.cobrand_message ?? ""} errors={actionData?.errors} />
          <TextField name="website" label={t("website")} defaultValue={partner.website ?? ""} dir="ltr" inputMode="url" errors={actionData?.errors} />
          <button type="submit">{t("common:save")}</button>
        </Form>
        <Form method="post" encType="multipart/form-data" className="stack card">
          <h2>{t("logo")}</h2>
          {partner.logo_key ? <img className="logo" src={`/partners/${partner.id}/logo?v=${encodeURIComponent(partner.logo_key)}`} alt={t("logo")} /> : <p>{t("no_logo")}</p>}
          <div className="field">
            <label htmlFor="f-logo">{t("logo_upload")}</label>
            <input id="f-logo" name="logo" type="file" accept="image/png,image/jpeg" aria-describedby={actionData?.errors?.logo ? "f-logo-error" : undefined} />
            <span className="hint">{t("logo_hint", { kb: f.number(logoMaxKb) })}</span>
            <ErrorText id="f-logo-error" error={actionData?.errors?.logo} />
          </div>
          <button type="submit">{t("upload")}</button>
        </Form>
      </div>
    </>
  );
}
