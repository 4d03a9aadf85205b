import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on a free local port, collecting what it accepts. `refuseNext(n)` makes it
 * answer the next n messages with a temporary failure (451) after reading them, as a busy relay would.
 */
export async function startSmtpServer({ listenOn = 0, onMail }: { listenOn?: number; onMail?: (mail: ParsedMail) => Promise<void> } = {}) {
  const received: ParsedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (refusals > 0) {
          refusals--;
          return callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
        }
        simpleParser(Buffer.concat(chunks))
          .then(async (mail) => {
            received.push(mail);
            await onMail?.(mail);
          })
          .then(() => callback(), callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(listenOn, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** What reached this address, oldest first. */
    to: (address: string) => received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((v) => v.address === address)),
    refuseNext(n: number) {
      refusals = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
