// The daily digest (once a day from cron, e.g. 08:00 Tehran): queues one e-mail per user with
// unread notifications; a second run the same day queues nothing. The outbox delivers them (the
// server's loop or `npm run jobs:outbox`).
import { queueDigests } from "../app/models/digest.server";
import { closeDb } from "../app/utils/db.server";

try {
  console.log(`digest: ${await queueDigests()} e-mails queued`);
} finally {
  await closeDb();
}
