// The daily pass (e.g. from cron at 04:00 Tehran, after the value job): every brand's insight
// summaries, rebuilt from the raw rows. Pages state when this last ran. Like the value job, each
// brand's run is claimed through the database (job_claims, "insights:<brand>"), so cron may run it
// on several machines and one instance rebuilds a brand while the others skip it.
import { withJobClaim } from "../app/models/job-claims.server";
import { rebuildInsights } from "../app/models/insights/rebuild.server";
import { closeDb, db } from "../app/utils/db.server";

try {
  for (const { id } of await db().selectFrom("brands").select("id").execute()) {
    const run = await withJobClaim(`insights:${id}`, () => rebuildInsights(db(), id));
    console.log(run ? `brand ${id}: insights rebuilt in ${run.result.ms} ms` : `brand ${id}: being rebuilt by another instance, skipped`);
  }
} finally {
  await closeDb();
}
