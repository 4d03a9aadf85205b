// The scheduled pass (e.g. nightly from cron): every brand's customer values, tiers and thresholds.
import { recomputeBrandValues } from "../app/models/customer-value.server";
import { closeDb, db } from "../app/utils/db.server";

try {
  for (const { id } of await db().selectFrom("brands").select("id").execute()) {
    const started = Date.now();
    const { customers, thresholds } = await recomputeBrandValues(id);
    console.log(`brand ${id}: ${customers} customers in ${Date.now() - started} ms; tier A from ${thresholds.a} Rial, B from ${thresholds.b} Rial`);
  }
} finally {
  await closeDb();
}
