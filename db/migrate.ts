import { createDb, databaseUrl, ensureDatabase } from "./client";
import { migrateToLatest, migrator } from "./migrator";

const direction = process.argv[2] ?? "latest";
await ensureDatabase();
const db = createDb();
try {
  if (direction === "down") {
    const { error, results } = await migrator(db).migrateDown();
    if (error) throw error;
    for (const r of results ?? []) console.log(`${r.direction} ${r.migrationName}: ${r.status}`);
  } else {
    await migrateToLatest(db);
    console.log(`Database ${new URL(databaseUrl()).pathname.slice(1)} is migrated.`);
  }
} finally {
  await db.destroy();
}
