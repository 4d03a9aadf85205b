import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState, type ReactNode, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { actionKey } from "~/domain/next-action";
import { parseDateInput } from "~/domain/jalali";
import { getLocale } from "~/i18n.server";
import { dailyActions, markActionDone, scheduleFollowUp, snoozeAction, type DayPlanResult } from "~/models/daily-actions.server";
import { ReorderLast } from "~/ui/customer-profile";
import { DataTable } from "~/ui/data-table";
import { DateField } from "~/ui/date-field";
import { FormAlert, TextField } from "~/ui/form";
import { useFormat } from "~/ui/format";
import { pageTitle } from "~/ui/page-title";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { pageParam } from "~/utils/request.server";
import { choice, id, optionalText, parseFormData, text, type FieldErrors } from "~/utils/validation";

export const meta = pageTitle("customers:today_title");

/** Customers per page: a day's work in front of the rep, and a page light enough for a phone (each action carries its forms). */
const PER_PAGE = 20;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.register");
  const all = await dailyActions(actor);
  const pageCount = Math.max(1, Math.ceil(all.length / PER_PAGE));
  const page = Math.min(pageParam(new URL(request.url)), pageCount);
  // Only what the page shows of each action: its key, its rule, its days or note, the order to place again.
  const items = all.slice((page - 1) * PER_PAGE, page * PER_PAGE).map(({ customer, actions }) => ({
    customer,
    actions: actions.map((a) => ({
      key: actionKey(a),
      code: a.code,
      days: typeof a.params.days === "number" ? a.params.days : undefined,
      note: a.code === "follow_up" ? String(a.params.note) : undefined,
      reorderOrderId: a.reorderOrderId,
    })),
  }));
  return { items, page, pageCount, total: all.length };
}

const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("done"), customerId: id(), key: text(80), note: optionalText(1000, { multiline: true }) }),
  z.object({ intent: z.literal("snooze"), customerId: id(), key: text(80), date: text(20) }),
  z.object({ intent: z.literal("follow_up"), customerId: id(), key: text(80), date: text(20), note: text(1000, { multiline: true }) }),
]);
const intentSchema = z.object({ intent: choice(["done", "snooze", "follow_up"] as const) });

export type TodayActionData = { key: string; intent: string; errors: FieldErrors };

/** A day typed in the form (Jalali in fa) after today; the error is a field error key. */
function laterDay(input: string, locale: "fa" | "en", now: Date): { date: Date } | { error: string } {
  const day = parseDateInput(input, locale);
  if (!day.ok) return { error: day.reason === "impossible" ? "errors.date_impossible" : "errors.date_format" };
  if (day.date <= now) return { error: "errors.date_not_future" };
  return { date: day.date };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "customers.register");
  const form = await request.formData();
  const intent = intentSchema.safeParse({ intent: form.get("intent") });
  invariantResponse(intent.success, 400);
  const key = String(form.get("key") ?? "");
  const fail = (errors: FieldErrors, status = 400) => data<TodayActionData>({ key, intent: intent.data.intent, errors }, { status });
  const parsed = parseFormData(schema, form);
  if (!parsed.ok) return fail(parsed.errors);
  const input = parsed.data;
  const now = new Date();
  let result: DayPlanResult;
  if (input.intent === "done") result = await markActionDone(actor, input.customerId, input.key, input.note, now);
  else {
    const day = laterDay(input.date, await getLocale(request), now);
    if ("error" in day) return fail({ date: { key: day.error } });
    result = input.intent === "snooze" ? await snoozeAction(actor, input.customerId, input.key, day.date, now) : await scheduleFollowUp(actor, input.customerId, input.key, day.date, input.note, now);
  }
  invariantResponse(result, 404);
  if ("gone" in result) return fail({ form: { key: "customers:errors.action_gone" } }, 409);
  return redirect(`/customers/today?${input.intent}=1`);
}

type Item = Awaited<ReturnType<typeof loader>>["items"][number];
type Action = Item["actions"][number];
/** The words every action's forms share, translated once for the page. */
type Labels = { note: string; done: string; later: string };

/** Snoozed to a day, or replaced by a follow-up on a day: rendered only for the action the rep opened. */
function LaterForms({ id, prefix, hidden, errorsFor }: { id: string; prefix: string; hidden: (intent: string) => ReactNode; errorsFor: (intent: string) => FieldErrors | undefined }) {
  const { t } = useTranslation("customers");
  return (
    <div id={id} className="today-later">
      <Form method="post" className="stack">
        {hidden("snooze")}
        <DateField idPrefix={`${prefix}-snooze`} name="date" label={t("today.snooze_until")} errors={errorsFor("snooze")} required />
        <button type="submit" className="secondary">
          {t("today.snooze")}
        </button>
      </Form>
      <Form method="post" className="stack">
        {hidden("follow_up")}
        <DateField idPrefix={`${prefix}-follow`} name="date" label={t("today.follow_up_on")} errors={errorsFor("follow_up")} required />
        <TextField idPrefix={`${prefix}-follow`} name="note" label={t("today.follow_up_note")} maxLength={1000} errors={errorsFor("follow_up")} required />
        <button type="submit" className="secondary">
          {t("today.schedule")}
        </button>
      </Form>
    </div>
  );
}

/**
 * Done (with an optional note) right under the action; "later" (snooze, follow-up) opens on demand:
 * a link to this page with `?later=<customer>:<action>`, whose forms the server renders for that
 * action alone, or with JavaScript a disclosure that opens them in place. An action whose later
 * form was refused comes back open, with the errors.
 */
function ActionForms({ customerId, action, labels, laterHref, openedByUrl, actionData }: { customerId: string; action: Action; labels: Labels; laterHref: (later: string | null, fragment: string) => string; openedByUrl: boolean; actionData?: TodayActionData }) {
  const { key } = action;
  const prefix = `${customerId}-${key.replace(/[^0-9A-Za-z_]/g, "-")}`;
  const panelId = `${prefix}-later`;
  const errorsFor = (intent: string) => (actionData?.key === key && actionData.intent === intent ? actionData.errors : undefined);
  const failed = errorsFor("snooze") ?? errorsFor("follow_up");
  // null until the rep opens or closes it here; until then the address and a refused submission decide.
  const [opened, setOpened] = useState<boolean | null>(null);
  const open = opened ?? (openedByUrl || !!failed);
  const toggle = (e: SyntheticEvent) => {
    e.preventDefault();
    setOpened(!open);
  };
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="customerId" value={customerId} />
      <input type="hidden" name="key" value={key} />
    </>
  );
  return (
    <div className="today-forms">
      <Form method="post" className="today-done">
        {hidden("done")}
        <TextField idPrefix={`${prefix}-done`} name="note" label={labels.note} maxLength={1000} errors={errorsFor("done")} />
        <button type="submit">{labels.done}</button>
      </Form>
      <Link
        to={laterHref(open ? null : `${customerId}:${key}`, panelId)}
        preventScrollReset
        role="button"
        className="today-later-toggle"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={toggle}
        // A button also answers the space bar (a link only Enter, which clicks).
        onKeyDown={(e) => e.key === " " && toggle(e)}
      >
        {labels.later}
      </Link>
      {open ? <LaterForms id={panelId} prefix={prefix} hidden={hidden} errorsFor={errorsFor} /> : null}
    </div>
  );
}

const SAVED = ["done", "snooze", "follow_up"] as const;

export default function Today() {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const { items, page, pageCount, total } = useLoaderData<typeof loader>();
  const actionData = useActionData<TodayActionData>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const saved = SAVED.find((k) => params.get(k));
  const labels: Labels = { note: t("today.note"), done: t("today.done"), later: t("today.later") };
  const later = params.get("later");
  // The same page and filters, with one action's later forms open (or none); a saved message is not repeated.
  const laterHref = (value: string | null, fragment: string) => {
    const next = new URLSearchParams(params);
    for (const k of SAVED) next.delete(k);
    if (value) next.set("later", value);
    else next.delete("later");
    return `?${next}#${fragment}`;
  };
  return (
    <>
      <h1>{t("today_title")}</h1>
      <p className="muted">{t("today_hint")}</p>
      {saved && !actionData && !busy ? (
        <div className="alert ok" role="status">
          {t(`today.saved_${saved}`)}
        </div>
      ) : null}
      {actionData?.errors.form ? <FormAlert errors={actionData.errors} /> : null}
      <DataTable<Item>
        rows={items}
        rowKey={(r) => r.customer.id}
        empty={t("today_empty")}
        columns={[
          { header: t("name"), cell: ({ customer }) => <Link to={`/customers/${customer.id}`}>{customer.display_name}</Link> },
          { header: t("city"), cell: ({ customer }) => <bdi dir="auto">{customer.city}</bdi> },
          { header: t("value_tier"), cell: ({ customer }) => (customer.value_tier ? <span className={`badge tier-${customer.value_tier}`}>{t(`tier.${customer.value_tier}`)}</span> : "—") },
          {
            header: t("next_actions"),
            wide: true,
            cell: ({ customer, actions }) =>
              actions.map((a) => (
                <div key={a.key} className="today-action" data-testid="today-action" data-action={`${customer.id}:${a.key}`}>
                  <strong>{t(`action_short.${a.code}`)}</strong>
                  {a.days !== undefined ? ` (${t("days", { count: a.days, n: f.number(a.days) })})` : ""}
                  {a.note !== undefined ? <div dir="auto">{a.note}</div> : null} {a.reorderOrderId ? <ReorderLast action={a} /> : null}
                  <ActionForms customerId={customer.id} action={a} labels={labels} laterHref={laterHref} openedByUrl={later === `${customer.id}:${a.key}`} actionData={actionData} />
                </div>
              )),
          },
        ]}
      />
      {pageCount > 1 ? <Pagination page={page} pageCount={pageCount} total={total} /> : null}
    </>
  );
}
