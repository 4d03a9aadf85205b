import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { actionKey, type NextAction } from "~/domain/next-action";
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
  return { items: all.slice((page - 1) * PER_PAGE, page * PER_PAGE), page, pageCount, total: all.length };
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

/** Done (with a note), snoozed to a day, or replaced by a follow-up on a day: plain forms, with or without JavaScript. */
function ActionForms({ customerId, action, actionData }: { customerId: string; action: NextAction; actionData?: TodayActionData }) {
  const { t } = useTranslation("customers");
  const key = actionKey(action);
  const prefix = `${customerId}-${key.replace(/[^0-9A-Za-z_]/g, "-")}`;
  const errorsFor = (intent: string) => (actionData?.key === key && actionData.intent === intent ? actionData.errors : undefined);
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="customerId" value={customerId} />
      <input type="hidden" name="key" value={key} />
    </>
  );
  const later = errorsFor("snooze") ?? errorsFor("follow_up");
  return (
    <div className="today-forms">
      <Form method="post" className="today-done">
        {hidden("done")}
        <TextField idPrefix={`${prefix}-done`} name="note" label={t("today.note")} maxLength={1000} errors={errorsFor("done")} />
        <button type="submit">{t("today.done")}</button>
      </Form>
      <details open={!!later}>
        <summary>{t("today.later")}</summary>
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
      </details>
    </div>
  );
}

type Item = Awaited<ReturnType<typeof loader>>["items"][number];

export default function Today() {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const { items, page, pageCount, total } = useLoaderData<typeof loader>();
  const actionData = useActionData<TodayActionData>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const saved = (["done", "snooze", "follow_up"] as const).find((k) => params.get(k));
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
                <div key={actionKey(a)} className="today-action" data-testid="today-action" data-action={`${customer.id}:${actionKey(a)}`}>
                  <strong>{t(`action_short.${a.code}`)}</strong>
                  {typeof a.params.days === "number" ? ` (${t("days", { count: a.params.days, n: f.number(a.params.days) })})` : ""}
                  {a.code === "follow_up" ? <div dir="auto">{String(a.params.note)}</div> : null} <ReorderLast action={a} />
                  <ActionForms customerId={customer.id} action={a} actionData={actionData} />
                </div>
              )),
          },
        ]}
      />
      {pageCount > 1 ? <Pagination page={page} pageCount={pageCount} total={total} /> : null}
    </>
  );
}
