import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

const real = { DATABASE_URL: process.env.DATABASE_URL, UPLOAD_DIR: process.env.UPLOAD_DIR };

/** The readiness check with the environment as given (env, pool and store are made once per module load). */
async function readinessWith(o: { DATABASE_URL?: string; UPLOAD_DIR?: string }) {
  vi.resetModules();
  Object.assign(process.env, real, o);
  const health = await import("~/utils/health.server");
  const dbModule = await import("~/utils/db.server");
  try {
    return await health.readiness(1_000);
  } finally {
    await dbModule.closeDb();
  }
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

afterEach(() => {
  Object.assign(process.env, real);
});

describe("/readyz", () => {
  it("is ready when the database answers and the file store is there", async () => {
    expect(await readinessWith({})).toMatchObject({ ready: true, database: "ok", storage: "ok", instance: expect.stringMatching(/-\d+-[0-9a-f]{8}$/) });
  });

  it("is not ready, and says why, when the database does not answer", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await readinessWith({ DATABASE_URL: `mysql://root@127.0.0.1:${await closedPort()}/none` })).toMatchObject({ ready: false, database: "unavailable (ECONNREFUSED)", storage: "ok" });
    warn.mockRestore();
  });

  it("is not ready when the upload folder cannot be made", async () => {
    const file = path.join(tmpdir(), `pp-not-a-folder-${process.pid}`);
    writeFileSync(file, "");
    expect(await readinessWith({ UPLOAD_DIR: path.join(file, "uploads") })).toMatchObject({ ready: false, database: "ok", storage: expect.stringContaining("ENOTDIR") });
  });
});
