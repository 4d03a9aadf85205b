import { recomputeBrandValues } from "../../app/models/customer-value.server";
import { closeDb } from "../../app/utils/db.server";
import { createDb, ensureDatabase } from "../client";
import { migrateToLatest } from "../migrator";
import { seedCatalog } from "./catalog";
import { seedCustomers } from "./customers";
import { DEMO_BRAND_ID, seedFoundation } from "./foundation";
import { seedDeliveryDays, seedOrderLines } from "./orders";
import { seedIdeas } from "./ideas";
import { seedToolkits } from "./toolkits";
import { rebuildAllInsights } from "../../app/models/insights/rebuild.server";

await ensureDatabase();
const db = createDb();
try {
  await migrateToLatest(db);
  await seedFoundation(db);
  const inserted = await seedCustomers(db);
  const added = Object.entries(inserted).filter(([, n]) => n > 0);
  console.log(added.length ? `Demo customers added: ${added.map(([table, n]) => `${table} ${n}`).join(", ")}.` : "Demo customers were already in place.");
  const toolkits = await seedToolkits(db);
  console.log(toolkits ? `Demo toolkits added: ${toolkits}.` : "Demo toolkits were already in place.");
  const catalog = await seedCatalog(db);
  console.log(catalog > 0 ? `Demo catalogue rows written: ${catalog}.` : "Demo catalogue was already in place.");
  const lines = await seedOrderLines(db);
  console.log(lines > 0 ? `Demo order lines added: ${lines}.` : "Demo order lines were already in place.");
  const days = await seedDeliveryDays(db);
  if (days > 0) console.log(`Shipping and delivery days given to ${days} delivered demo orders.`);
  const ideas = await seedIdeas(db);
  console.log(ideas > 0 ? `Demo ideas added: ${ideas}.` : "Demo ideas were already in place.");
  // The nightly value job, once now: the demo opens with fitted lifetime values, tiers and the fit
  // summary on the settings page.
  const values = await recomputeBrandValues(DEMO_BRAND_ID);
  console.log(`Lifetime values: ${values.outcome}${values.reason ? ` (${values.reason})` : ""} for ${values.customers} customers.`);
  // The insight summaries are a derived copy: rebuilt on every run, so they match the demo data.
  for (const { ms } of await rebuildAllInsights(db)) console.log(`Network insights rebuilt in ${ms} ms.`);
  console.log("Demo data is in place.");
} finally {
  await db.destroy();
  await closeDb();
}
