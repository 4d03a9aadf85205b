import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { DB } from "./schema";

// Reads db/migrations at run time so the same code serves tsx scripts and vitest.
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const { readdir } = await import("node:fs/promises");
    const { fileURLToPath, pathToFileURL } = await import("node:url");
    const folder = fileURLToPath(new URL("./migrations/", import.meta.url));
    const files = (await readdir(folder)).filter((f) => f.endsWith(".ts")).sort();
    const out: Record<string, Migration> = {};
    for (const file of files) out[file.replace(/\.ts$/, "")] = await import(/* @vite-ignore */ pathToFileURL(folder + file).href);
    return out;
  }
}

export function migrator(db: Kysely<DB>): Migrator {
  return new Migrator({ db, provider: new FolderMigrationProvider() });
}

export async function migrateToLatest(db: Kysely<DB>): Promise<void> {
  const { error, results } = await migrator(db).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) throw error ?? new Error(`Migration ${failed?.migrationName} failed`);
}
