import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { recordStatements, repeatedStatements } from "~/utils/sql-log.server";

describe("statement log", () => {
  it("records the statements run inside a scope, in order, and nothing outside one", async () => {
    await db().selectFrom("brands").select("id").limit(1).execute(); // outside: not recorded
    const { result, statements } = await recordStatements(async () => {
      await db().selectFrom("partners").select("id").limit(1).execute();
      await Promise.all([db().selectFrom("users").select("id").limit(1).execute(), db().selectFrom("brands").select("id").limit(1).execute()]);
      return 7;
    });
    expect(result).toBe(7);
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/from `partners`/);
  });

  it("names each statement issued twice once", () => {
    expect(repeatedStatements(["a", "b", "a", "c", "a", "b"])).toEqual(["a", "b"]);
    expect(repeatedStatements(["a", "b"])).toEqual([]);
  });
});
