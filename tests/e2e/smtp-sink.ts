import { appendFile } from "node:fs/promises";
import { startSmtpServer } from "../smtp";

// The e2e server's mail relay: a real SMTP server (playwright.config.ts starts it beside the app and
// points SMTP_URL at it). Every message it accepts is appended to E2E_MAILBOX as one JSON line.
const mailbox = process.env.E2E_MAILBOX!;
const smtp = await startSmtpServer({
  listenOn: Number(process.env.E2E_SMTP_PORT),
  onMail: (mail) => appendFile(mailbox, `${JSON.stringify({ to: mail.to && !Array.isArray(mail.to) ? mail.to.value.map((v) => v.address) : [], subject: mail.subject, text: mail.text, html: mail.html || "" })}\n`, "utf8"),
});
process.on("SIGTERM", () => void smtp.close().then(() => process.exit(0)));
