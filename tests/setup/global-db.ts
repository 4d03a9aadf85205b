import { readdir, rm } from "node:fs/promises";
import type { RowDataPacket } from "mysql2";
import { createPool } from "mysql2/promise";
import { ulid } from "ulid";

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "mysql://root@127.0.0.1:3306/";

// Each run gets a prefix; each worker creates its own database under it (tests/setup/integration.ts)
// and everything under the prefix is dropped when the run ends.
export default function setup() {
  const runId = ulid().slice(-8).toLowerCase();
  process.env.TEST_RUN_ID = runId;
  process.env.TEST_DATABASE_ADMIN_URL = ADMIN_URL;
  return async () => {
    const admin = createPool({ uri: ADMIN_URL, connectionLimit: 1 });
    try {
      const [rows] = await admin.query<({ name: string } & RowDataPacket)[]>(
        "select schema_name as name from information_schema.schemata where schema_name like ?",
        [`pp_test_${runId}_%`],
      );
      for (const { name } of rows) await admin.query(`drop database \`${name}\``);
    } finally {
      await admin.end();
    }
    // Uploads of this run (tests/setup/integration.ts points UPLOAD_DIR at one folder per worker).
    for (const entry of await readdir("/tmp")) {
      if (entry.startsWith(`pp-uploads-${runId}-`)) await rm(`/tmp/${entry}`, { recursive: true, force: true });
    }
  };
}
