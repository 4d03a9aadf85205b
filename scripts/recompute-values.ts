// The scheduled pass (e.g. nightly from cron): every brand's customer values, tiers and thresholds.
// Cron may run it on several machines: each brand's run is claimed through the database
// (job_claims, "values:<brand>"), so one instance computes it while another skips it; a holder
// that dies leaves its lease to run out, and the next pass computes the brand again from scratch.
import { withJobClaim } from "../app/models/job-claims.server";
import { recomputeBrandValues } from "../app/models/customer-value.server";
import { closeDb, db } from "../app/utils/db.server";

try {
  for (const { id } of await db().selectFrom("brands").select("id").execute()) {
    const started = Date.now();
    const run = await withJobClaim(`values:${id}`, () => recomputeBrandValues(id));
    if (!run) {
      console.log(`brand ${id}: being computed by another instance, skipped`);
      continue;
    }
    const { customers, thresholds } = run.result;
    console.log(`brand ${id}: ${customers} customers in ${Date.now() - started} ms; tier A from ${thresholds.a} Rial, B from ${thresholds.b} Rial`);
  }
} finally {
  await closeDb();
}
