import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listLibrary } from "~/models/toolkits/library.server";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("toolkits:library_title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.view");
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 100) ?? "";
  return { q, toolkits: await listLibrary(actor, q) };
}

export default function Library() {
  const { t, i18n } = useTranslation("toolkits");
  const f = useFormat();
  const { q, toolkits } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  return (
    <>
      <h1>{t("library_title")}</h1>
      <Form method="get" className="filters" role="search">
        <input name="q" defaultValue={q} placeholder={t("search")} aria-label={t("search")} dir="auto" />
        <button type="submit">{t("common:filter")}</button>
      </Form>
      {toolkits.length === 0 ? (
        <p className="empty">{q ? t("common:no_results") : t("library_empty")}</p>
      ) : (
        <ul className="cards">
          {toolkits.map((k) => (
            <li key={k.id} className="card">
              {k.cover_key ? <img className="cover" src={`/toolkits/${k.id}/cover?v=${encodeURIComponent(k.cover_key)}`} alt="" /> : null}
              <h2>
                <Link to={`/toolkits/${k.id}`} className="tap">{fa ? k.title_fa : k.title_en}</Link> {k.isNew ? <span className="badge warn">{t("new_badge")}</span> : null}
              </h2>
              {k.starts_at || k.ends_at ? <p>{t("campaign_dates", { from: k.starts_at ? f.date(k.starts_at) : "…", to: k.ends_at ? f.date(k.ends_at) : "…" })}</p> : null}
              <p>{fa ? k.description_fa : k.description_en}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
