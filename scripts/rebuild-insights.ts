// The daily pass (e.g. from cron at 04:00 Tehran, after the value job): every brand's insight
// summaries, rebuilt from the raw rows. Pages state when this last ran.
import { rebuildAllInsights } from "../app/models/insights/rebuild.server";
import { closeDb, db } from "../app/utils/db.server";

try {
  for (const { brandId, ms } of await rebuildAllInsights(db())) console.log(`brand ${brandId}: insights rebuilt in ${ms} ms`);
} finally {
  await closeDb();
}
