// One delivery pass of the outbox (e.g. every minute from cron, next to or instead of the server's
// own loop): sends what is due until nothing due is left. Safe to run beside other passes: each
// message is claimed by one of them.
import { deliverDue } from "../app/models/outbox.server";
import { closeDb } from "../app/utils/db.server";

try {
  const total = { sent: 0, retried: 0, failed: 0 };
  for (;;) {
    const pass = await deliverDue();
    total.sent += pass.sent;
    total.retried += pass.retried;
    total.failed += pass.failed;
    if (pass.sent + pass.retried + pass.failed === 0) break;
  }
  console.log(`outbox: ${total.sent} sent, ${total.retried} to retry, ${total.failed} given up`);
} finally {
  await closeDb();
}
