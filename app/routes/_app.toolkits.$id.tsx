import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getLibraryToolkit, recordToolkitEvent } from "~/models/toolkits/library.server";
import { listOwnRenders } from "~/models/toolkits/personalise.server";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle<typeof loader>((d, _t, fa) => (fa ? d.toolkit.title_fa : d.toolkit.title_en));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.view");
  const found = await getLibraryToolkit(actor, params.id!);
  invariantResponse(found, 404);
  await recordToolkitEvent(actor, { toolkitId: found.toolkit.id, version: found.toolkit.version!, kind: "view" });
  return { ...found, files: await listOwnRenders(actor, found.toolkit.id) };
}

export default function ToolkitPage() {
  const { t, i18n } = useTranslation("toolkits");
  const f = useFormat();
  const { toolkit, assets, templates, files } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  return (
    <>
      <div className="page-head">
        <h1>{fa ? toolkit.title_fa : toolkit.title_en}</h1>
        <Link to="/toolkits">{t("back_to_library")}</Link>
      </div>
      {toolkit.cover_key ? <img className="cover" src={`/toolkits/${toolkit.id}/cover?v=${encodeURIComponent(toolkit.cover_key)}`} alt="" /> : null}
      {toolkit.starts_at || toolkit.ends_at ? <p>{t("campaign_dates", { from: toolkit.starts_at ? f.date(toolkit.starts_at) : "…", to: toolkit.ends_at ? f.date(toolkit.ends_at) : "…" })}</p> : null}
      <p className="prewrap">{fa ? toolkit.description_fa : toolkit.description_en}</p>
      <h2>{t("assets")}</h2>
      {assets.length === 0 ? (
        <p className="empty">{t("no_assets")}</p>
      ) : (
        <ul>
          {assets.map((a) => (
            <li key={a.id}>
              <a href={`/toolkits/${toolkit.id}/assets/${a.id}`} download>
                {a.title}
              </a>{" "}
              · {t(`languages.${a.language}`)} · {t("size_kb", { kb: f.number(Math.ceil(a.size_bytes / 1024)) })}
            </li>
          ))}
        </ul>
      )}
      <h2>{t("templates")}</h2>
      {templates.length === 0 ? (
        <p className="empty">{t("no_templates")}</p>
      ) : (
        <ul>
          {templates.map((tpl) => (
            <li key={tpl.id}>
              <Link to={`/toolkits/${toolkit.id}/templates/${tpl.id}`}>{fa ? tpl.name_fa : tpl.name_en}</Link> · {tpl.formats.map((v) => t(`formats.${v}`)).join(t("conflicts:list.separator"))}
            </li>
          ))}
        </ul>
      )}
      <h2>{t("personalise.your_files")}</h2>
      {files.length === 0 ? (
        <p className="empty">{t("personalise.no_files")}</p>
      ) : (
        <ul>
          {files.map((file) => (
            <li key={file.id}>
              <a href={`/toolkits/${toolkit.id}/files/${file.id}`} download>
                {file.name_fa ? (fa ? file.name_fa : file.name_en) : file.file_name}
              </a>{" "}
              · {t(`formats.${file.format}`)} · {t("personalise.file_version", { version: f.number(file.version) })}
              {file.customer_name ? ` · ${t("personalise.for_customer", { name: file.customer_name })}` : null} · {f.dateTime(file.created_at)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
