import { formatDate, formatDateTime, TIME_ZONE } from "~/domain/format";
import type { Locale } from "~/i18n";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { appUrl, composeEmail, mailLocale, mailT } from "~/utils/mail.server";
import { actorOfUser } from "~/utils/session.server";
import { latestUnread, unreadCount, type NotificationParams } from "./notifications.server";
import { enqueue } from "./outbox.server";

/** How many of the unread notifications the e-mail lists; the count covers them all. */
export const DIGEST_LATEST = 5;

/** The calendar day in Tehran (YYYY-MM-DD): "once a day" means the users' day, not UTC's. */
export const tehranDay = (now: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);

/** The values of a notification's sentence, as the notifications page shows them (names in the reader's language, dates formatted). */
function sentenceValues(params: NotificationParams, locale: Locale): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const localised = /^(.+)_(fa|en)$/.exec(key);
    if (localised) {
      if (localised[2] === locale) values[localised[1]] = String(value);
    } else if (/_(at|until)$/.test(key)) values[key] = formatDate(String(value), locale);
    else values[key] = String(value);
  }
  return values;
}

/**
 * Queues one e-mail for each active user with unread notifications they can see (their own, their
 * partner's, or the channel team's for its holders; the same rules as the notifications page), at
 * most one per user per Tehran day: the (user, day) row is written in the mail's transaction, so a
 * second run that day, or two runs at once, queue nothing more. Returns how many were queued.
 */
export async function queueDigests(now = new Date()): Promise<number> {
  const day = tehranDay(now);
  const users = await db()
    .selectFrom("users")
    .innerJoin("brands", "brands.id", "users.brand_id")
    .leftJoin("partners", "partners.id", "users.partner_id")
    .select(["users.id", "users.brand_id", "users.role", "users.email", "users.display_name", "users.partner_id", "users.locale", "partners.type as partner_type", "brands.name_fa", "brands.name_en"])
    .where("users.status", "=", "active")
    .where((eb) => eb.or([eb("users.partner_id", "is", null), eb("partners.active", "=", true)]))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("mail_digests").select("mail_digests.user_id").whereRef("mail_digests.user_id", "=", "users.id").where("mail_digests.day", "=", day))))
    .orderBy("users.id")
    .execute();
  let queued = 0;
  for (const user of users) {
    const actor = await actorOfUser({ ...user, partner_type: user.partner_type ?? null });
    const count = await unreadCount(actor);
    if (count === 0) continue;
    const locale = mailLocale(user.locale);
    const t = mailT(locale);
    const brand = locale === "fa" ? user.name_fa : user.name_en;
    const items = (await latestUnread(actor, DIGEST_LATEST)).map(
      (n) => `${formatDateTime(n.created_at, locale)}: ${t(`conflicts:kinds.${n.kind}`, { ...sentenceValues(n.params, locale), defaultValue: t("mail:digest.unknown") })}`,
    );
    const mail = composeEmail(user.email, {
      locale,
      subject: t("mail:digest.subject", { count }),
      greeting: t("mail:greeting", { name: user.display_name }),
      paragraphs: [t("mail:digest.body", { count })],
      items,
      action: { label: t("mail:digest.action"), url: appUrl("/notifications") },
      footer: t("mail:footer", { brand }),
    });
    const outboxId = newId();
    const claimed = await transaction(async (trx) => {
      const row = await trx.insertInto("mail_digests").ignore().values({ user_id: user.id, day, outbox_id: outboxId, created_at: now }).executeTakeFirst();
      if (Number(row.numInsertedOrUpdatedRows) !== 1) return false;
      await enqueue(trx, { id: outboxId, brandId: user.brand_id, channel: "email", orderingKey: `digest:${user.id}`, payload: mail }, now);
      return true;
    });
    if (claimed) queued++;
  }
  return queued;
}
