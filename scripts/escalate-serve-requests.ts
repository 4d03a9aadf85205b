// The scheduled pass (e.g. hourly from cron): tells the channel team of requests to serve whose
// owning partner let the deadline pass. Who decides already follows from the deadline when a page
// is read; this only sends the notice, once per request, however often it runs.
import { escalateOverdueRequests } from "../app/models/serve-requests.server";
import { closeDb, db } from "../app/utils/db.server";

try {
  for (const { id } of await db().selectFrom("brands").select("id").execute()) {
    const escalated = await escalateOverdueRequests(id);
    console.log(`brand ${id}: ${escalated} requests to serve passed to the channel team`);
  }
} finally {
  await closeDb();
}
