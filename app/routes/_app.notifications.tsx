import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listNotifications, markAllRead, type NotificationParams } from "~/models/notifications.server";
import { useFormat } from "~/ui/format";
import { Pagination } from "~/ui/pagination";
import { pageParam } from "~/utils/request.server";
import { requireActor, requireSession } from "~/utils/session.server";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("conflicts:notifications.title");

export async function loader({ request }: LoaderFunctionArgs) {
  // The unread count comes with the session (the same one the menu shows).
  const { actor, shell } = await requireSession(request);
  return { result: await listNotifications(actor, pageParam(new URL(request.url))), unread: shell.unread };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  await markAllRead(actor);
  return redirect("/notifications");
}

// First-strong isolate: a Latin name inside a Persian sentence (or the reverse) keeps its own
// direction and never reorders the words around it, as <bdi> would in markup.
const isolate = (s: string) => `\u2068${s}\u2069`;

/**
 * Interpolation values of a notification in the reader's language: partner names are stored in
 * both languages (`partner_fa`, `partner_en` → `partner`) and times (`*_at`, `*_until`) as ISO.
 */
function useNotificationValues() {
  const f = useFormat();
  return (params: NotificationParams) => {
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) {
      const localised = /^(.+)_(fa|en)$/.exec(key);
      if (localised) {
        if (localised[2] === f.locale) values[localised[1]] = isolate(String(value));
      } else if (/_(at|until)$/.test(key)) values[key] = f.date(String(value));
      else values[key] = isolate(String(value));
    }
    return values;
  };
}

export default function Notifications() {
  const { t } = useTranslation("conflicts");
  const f = useFormat();
  const valuesOf = useNotificationValues();
  const { result, unread } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("notifications.title")}</h1>
        {unread > 0 ? (
          <Form method="post">
            <button type="submit" className="secondary">
              {t("notifications.mark_all_read")}
            </button>
          </Form>
        ) : null}
      </div>
      <p className="muted">{unread > 0 ? t("notifications.unread", { count: unread }) : t("notifications.all_read")}</p>
      {result.rows.length === 0 ? (
        <p className="empty">{t("notifications.empty")}</p>
      ) : (
        <ul className="timeline">
          {result.rows.map((n) => {
            const message = t(`kinds.${n.kind}`, { ...valuesOf(n.params), defaultValue: t("notifications.unknown") });
            return (
              <li key={n.id}>
                <div className="meta">
                  {f.dateTime(n.created_at)} {n.read_at ? null : <span className="badge warn">{t("notifications.new")}</span>}
                </div>
                <div>
                  {/* A full page load: opening marks it read, and the menu's unread count comes fresh with the page. */}
                  <Link to={`/notifications/${n.id}`} reloadDocument className="tap">
                    {message}
                  </Link>
                </div>
                {n.params.reason ? (
                  <div className="muted">
                    {t("notifications.reason")} <bdi dir="auto">{String(n.params.reason)}</bdi>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
