import { createDb, ensureDatabase, migrateToLatest } from "../client";
import { seedFoundation } from "./foundation";

await ensureDatabase();
const db = createDb();
try {
  await migrateToLatest(db);
  await seedFoundation(db);
  console.log("Demo data is in place.");
} finally {
  await db.destroy();
}
