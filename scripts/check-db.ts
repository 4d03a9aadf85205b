// Fails with a plain message, not a stack trace, when the database server does not answer.
import { createConnection } from "mysql2/promise";
import { databaseUrl } from "../db/client";

const url = new URL(databaseUrl());
try {
  const conn = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), connectTimeout: 5000 });
  await conn.end();
} catch (e) {
  const code = (e as { code?: string }).code ?? String(e);
  console.error(`
Cannot reach the database at ${url.hostname}:${url.port || 3306} (${code}).
Start MariaDB, for example:
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
or point DATABASE_URL at a running MariaDB/MySQL server, e.g.
  DATABASE_URL=mysql://user:password@host:3306/partner_portal npm run demo
`);
  process.exit(1);
}
