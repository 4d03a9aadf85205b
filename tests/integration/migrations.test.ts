import { NO_MIGRATIONS, sql, type Kysely } from "kysely";
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, dropDatabase, ensureDatabase } from "#db/client";
import { migrateToLatest, migrator } from "#db/migrator";
import type { DB } from "#db/schema";

// A throw-away database of its own: going all the way down must not disturb the worker's database.
const url = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? "mysql://root@127.0.0.1:3306/");
url.pathname = `/pp_test_${process.env.TEST_RUN_ID ?? "local"}_mig_${ulid().slice(-8).toLowerCase()}`;
const name = url.pathname.slice(1);
const KYSELY_TABLES = ["kysely_migration", "kysely_migration_lock"];
const FOUNDATION_TABLES = ["audit_log", "brands", "invitations", "login_throttle", "partners", "sessions", "users"];
let db: Kysely<DB>;
let latestTables: string[] = [];

async function tables(): Promise<{ name: string; collation: string; engine: string }[]> {
  const { rows } = await sql<{ name: string; collation: string; engine: string }>`
    select table_name as name, table_collation as collation, engine from information_schema.tables
    where table_schema = ${name} and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return rows;
}

const appTables = async () => (await tables()).map((t) => t.name).filter((t) => !KYSELY_TABLES.includes(t));

beforeAll(async () => {
  await ensureDatabase(url.toString());
  db = createDb(url.toString(), 2);
});

afterAll(async () => {
  await db?.destroy();
  await dropDatabase(url.toString());
});

describe("migrations", () => {
  it("migrate to latest creates the app tables, and running it again is a no-op", async () => {
    await migrateToLatest(db);
    latestTables = await appTables();
    expect(latestTables).toEqual(expect.arrayContaining(FOUNDATION_TABLES));
    await migrateToLatest(db);
    expect(await appTables()).toEqual(latestTables);
  });

  it("every table has a primary key (portable to TiDB/Vitess)", async () => {
    const { rows } = await sql<{ name: string }>`
      select t.table_name as name from information_schema.tables t
      where t.table_schema = ${name} and t.table_type = 'BASE TABLE'
        and not exists (
          select 1 from information_schema.table_constraints c
          where c.table_schema = t.table_schema and c.table_name = t.table_name and c.constraint_type = 'PRIMARY KEY')`.execute(db);
    expect(rows.map((r) => r.name)).toEqual([]);
    expect((await tables()).length).toBeGreaterThan(KYSELY_TABLES.length);
  });

  it("every table and every text column is utf8mb4, every table InnoDB", async () => {
    for (const t of await tables()) {
      expect(t.collation, t.name).toMatch(/^utf8mb4_/);
      expect(t.engine, t.name).toBe("InnoDB");
    }
    const { rows } = await sql<{ tbl: string; col: string; charset: string }>`
      select table_name as tbl, column_name as col, character_set_name as charset from information_schema.columns
      where table_schema = ${name} and character_set_name is not null and character_set_name <> 'utf8mb4'`.execute(db);
    expect(rows).toEqual([]);
  });

  it("no triggers, stored procedures or foreign keys with cascades", async () => {
    const triggers = await sql`select trigger_name from information_schema.triggers where trigger_schema = ${name}`.execute(db);
    const routines = await sql`select routine_name from information_schema.routines where routine_schema = ${name}`.execute(db);
    const cascades = await sql`select constraint_name from information_schema.referential_constraints where constraint_schema = ${name}`.execute(db);
    expect(triggers.rows).toEqual([]);
    expect(routines.rows).toEqual([]);
    expect(cascades.rows).toEqual([]);
  });

  it("migrating down one step at a time leaves no app tables", async () => {
    const m = migrator(db);
    const migrations = (await m.getMigrations()).length;
    expect(migrations).toBeGreaterThan(0);
    let steps = 0;
    for (; steps <= migrations; steps++) {
      const { error, results } = await m.migrateDown();
      expect(error).toBeUndefined();
      expect(results?.every((r) => r.status === "Success")).toBe(true);
      if (!results?.length) break; // NO_MIGRATIONS reached: nothing left to undo
    }
    expect(steps).toBe(migrations); // one step per migration, then nothing left
    expect(await appTables()).toEqual([]);
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(db);
    expect(Number(rows[0].n)).toBe(0);
  });

  it("migrates up again after a full down, and down again with migrateTo(NO_MIGRATIONS)", async () => {
    await migrateToLatest(db);
    expect(await appTables()).toEqual(latestTables);
    // The schema works: a row round-trips through a table created on the second way up.
    await db.insertInto("brands").values({ id: ulid(), name_fa: "برند", name_en: "Brand", money_unit: "rial", created_at: new Date() }).execute();
    expect(await db.selectFrom("brands").select("name_fa").execute()).toEqual([{ name_fa: "برند" }]);

    const { error } = await migrator(db).migrateTo(NO_MIGRATIONS);
    expect(error).toBeUndefined();
    expect(await appTables()).toEqual([]);
    await migrateToLatest(db);
    expect(await appTables()).toEqual(latestTables);
  });
});
