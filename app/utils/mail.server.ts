import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { createInstance, type TFunction } from "i18next";
import nodemailer, { type Transporter } from "nodemailer";
import { mailDocument, type MailContent } from "~/domain/mail-document";
import { i18nConfig, isLocale, type Locale } from "~/i18n";
import { env } from "./env.server";

/** What the outbox stores for an e-mail: written out in the recipient's language when it was queued. */
export interface EmailPayload {
  to: string;
  subject: string;
  text: string;
  html: string;
}

const translators = new Map<Locale, TFunction>();

/** A translator for e-mails (no request here: the recipient's stored language decides). */
export function mailT(locale: Locale): TFunction {
  let t = translators.get(locale);
  if (!t) {
    const i18n = createInstance();
    void i18n.init({ ...i18nConfig, lng: locale, initImmediate: false });
    t = i18n.t;
    translators.set(locale, t);
  }
  return t;
}

export const mailLocale = (value: string | null | undefined): Locale => (isLocale(value) ? value : "fa");

/** An absolute link into the portal, for e-mails. */
export const appUrl = (path: string) => `${env().APP_URL}${path}`;

export function composeEmail(to: string, content: MailContent): EmailPayload {
  return { to, subject: content.subject, ...mailDocument(content) };
}

let transport: { url: string; transporter: Transporter } | undefined;

function smtp(url: string): Transporter {
  if (transport?.url !== url) {
    // Short timeouts: a send must end well inside the outbox lease (app/models/outbox.server.ts).
    transport = { url, transporter: nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }) };
  }
  return transport.transporter;
}

/**
 * Sends over SMTP when SMTP_URL is set, else appends the message to the mail log (the demo has no
 * mail server). The Message-ID comes from the outbox id, so a receiver can tell a repeat.
 */
export async function sendEmail(id: string, mail: EmailPayload): Promise<void> {
  const e = env();
  const messageId = `<${id.toLowerCase()}@outbox.partner-portal>`;
  if (e.SMTP_URL) {
    await smtp(e.SMTP_URL).sendMail({ from: e.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId });
    return;
  }
  await mkdir(dirname(e.MAIL_LOG), { recursive: true });
  const entry = [`----- ${new Date().toISOString()}`, `Message-ID: ${messageId}`, `From: ${e.MAIL_FROM}`, `To: ${mail.to}`, `Subject: ${mail.subject}`, "", mail.text, ""].join("\n");
  await appendFile(e.MAIL_LOG, entry, "utf8");
}
