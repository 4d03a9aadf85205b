// The processes the fault run owns: its own MariaDB (never the shared server on 3306) and the app.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { createConnection } from "mysql2/promise";

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Runs a command to completion with its output in `log`; throws when it fails. */
export function run(command: string, args: string[], o: { env?: Record<string, string>; log: string }) {
  const result = spawnSync(command, args, { env: { ...process.env, ...o.env }, encoding: "utf8" });
  createWriteStream(o.log, { flags: "a" }).end(`$ ${command} ${args.join(" ")}\n${result.stdout}${result.stderr}`);
  if (result.status !== 0) throw new Error(`${command} failed (${result.status ?? result.signal}); see ${o.log}`);
}

/**
 * The same without blocking this process (whose event loop may be serving something meanwhile, e.g.
 * health checks); resolves with the exit code and the output, also written to `log`.
 */
export async function runAsync(command: string, args: string[], o: { env?: Record<string, string>; log: string }): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { env: { ...process.env, ...o.env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await exited(child);
  createWriteStream(o.log, { flags: "a" }).end(`$ ${command} ${args.join(" ")}\n${output}`);
  return { code: child.exitCode, output };
}

/** A throw-away MariaDB in `dir`: created once, started and killed as the test needs. */
export class OwnMariaDb {
  protected process: ChildProcess | null = null;
  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get adminUrl() {
    return `mysql://root@127.0.0.1:${this.port}/`;
  }

  install() {
    // Its own temp directory from the first start: mariadbd (the bootstrap one too) clears every
    // #sql file in its tmpdir, which would pull temporary tables from under the shared server's queries.
    mkdirSync(`${this.dir}/tmp`);
    run("mariadb-install-db", ["--no-defaults", `--datadir=${this.dir}/data`, `--tmpdir=${this.dir}/tmp`, "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db"], { log: `${this.dir}/install.log` });
  }

  /** Starts mariadbd on the datadir (again after a kill: InnoDB recovers from its redo log) and waits until it answers. */
  async start(): Promise<number> {
    const started = Date.now();
    this.process = spawn(
      "/usr/sbin/mariadbd",
      [
        "--no-defaults",
        `--datadir=${this.dir}/data`,
        "--user=root",
        `--port=${this.port}`,
        "--bind-address=127.0.0.1",
        `--socket=${this.dir}/mysqld.sock`,
        `--pid-file=${this.dir}/mysqld.pid`,
        // A temp directory of its own: at start-up MariaDB clears leftover #sql files in its tmpdir,
        // which in the shared /tmp would be the temporary tables of the server on 3306.
        `--tmpdir=${this.dir}/tmp`,
        `--log-error=${this.dir}/mariadb.log`,
        "--skip-grant-tables",
        "--skip-log-bin",
        "--innodb-buffer-pool-size=64M",
        // The default, stated: a commit the client saw is on disk, so a kill -9 cannot undo it.
        "--innodb-flush-log-at-trx-commit=1",
      ],
      { stdio: "ignore" },
    );
    await until("MariaDB to accept connections", 60_000, async () => {
      if (this.process?.exitCode !== null) throw new Error(`mariadbd exited; see ${this.dir}/mariadb.log`);
      const connection = await createConnection({ uri: this.adminUrl });
      await connection.end();
      return true;
    });
    return Date.now() - started;
  }

  /** kill -9: no shutdown, open transactions cut off mid-flight. */
  async kill(): Promise<void> {
    if (!this.process) return;
    this.process.kill("SIGKILL");
    await exited(this.process);
    this.process = null;
  }
}

/** The built app served by server.mjs, its output kept in a log file. */
export function startApp(env: Record<string, string>, log: string): ChildProcess {
  const app = spawn(process.execPath, ["server.mjs"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const out = createWriteStream(log);
  app.stdout!.pipe(out);
  app.stderr!.pipe(out);
  return app;
}
