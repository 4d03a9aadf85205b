// The processes the cluster run owns besides the app: three MariaDB Galera nodes on loopback (own
// data directories, never the shared server on 3306), a health check per node for HAProxy, HAProxy
// itself (TCP to the database nodes, HTTP to the app instances) and s3rver as the object store.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, cpSync, createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname, join } from "node:path";
import { createConnection, type RowDataPacket } from "mysql2/promise";
import S3rver from "s3rver";
import { exited, freePort, OwnMariaDb, run, runAsync, until } from "../faults/processes";

export const GALERA_PROVIDER = "/usr/lib/galera/libgalera_smm.so";

/**
 * One Galera node: a data directory, ports of its own, and a my.cnf the rsync SST script reads too.
 * The server runs as the mysql user: as root, the joiner's rsync daemon would switch to nobody and
 * could not write the data directory.
 */
export class GaleraNode extends OwnMariaDb {
  private constructor(
    readonly name: string,
    dir: string,
    port: number,
    readonly galeraPort: number,
    readonly istPort: number,
    readonly sstPort: number,
  ) {
    super(dir, port);
  }

  static async create(name: string, dir: string): Promise<GaleraNode> {
    mkdirSync(`${dir}/tmp`, { recursive: true });
    return new GaleraNode(name, dir, await freePort(), await freePort(), await freePort(), await freePort());
  }

  /**
   * mariadb-install-db for the first node. The others start from a copy of its data directory made
   * after it bootstrapped the cluster and stopped cleanly: same cluster state, so they join at once
   * without a state transfer (a rejoin after kill -9 does transfer, see restart()).
   */
  override install(from?: GaleraNode) {
    for (const d of [dirname(this.dir), this.dir]) chmodSync(d, 0o755);
    run("chown", ["mysql:mysql", this.dir, `${this.dir}/tmp`], { log: `${this.dir}/install.log` });
    if (from) cpSync(`${from.dir}/data`, `${this.dir}/data`, { recursive: true });
    else run("mariadb-install-db", ["--no-defaults", `--datadir=${this.dir}/data`, `--tmpdir=${this.dir}/tmp`, "--user=mysql", "--auth-root-authentication-method=normal", "--skip-test-db"], { log: `${this.dir}/install.log` });
    run("chown", ["-R", "mysql:mysql", `${this.dir}/data`], { log: `${this.dir}/install.log` });
  }

  writeConfig(members: GaleraNode[]) {
    const d = this.dir;
    writeFileSync(
      join(d, "my.cnf"),
      `[mysqld]
datadir=${d}/data
user=mysql
port=${this.port}
bind-address=127.0.0.1
socket=${d}/mysqld.sock
pid-file=${d}/mysqld.pid
# A temp directory of its own: mariadbd clears leftover #sql files in its tmpdir at start-up.
tmpdir=${d}/tmp
log-error=${d}/mariadb.log
skip-grant-tables
innodb-buffer-pool-size=64M
innodb-flush-log-at-trx-commit=1
# What Galera requires: row-based replication, interleaved auto-increment locks, InnoDB.
binlog-format=ROW
innodb-autoinc-lock-mode=2
default-storage-engine=InnoDB
wsrep-on=ON
wsrep-provider=${GALERA_PROVIDER}
wsrep-cluster-name=pp-cluster
wsrep-node-name=${this.name}
wsrep-node-address=127.0.0.1
wsrep-node-incoming-address=127.0.0.1:${this.port}
wsrep-cluster-address=gcomm://${members.map((m) => `127.0.0.1:${m.galeraPort}`).join(",")}
wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:${this.galeraPort};ist.recv_addr=127.0.0.1:${this.istPort};gcache.size=128M"
wsrep-sst-method=rsync
wsrep-sst-receive-address=127.0.0.1:${this.sstPort}
`,
    );
  }

  /** Starts mariadbd (the first node of a new cluster with --wsrep-new-cluster) and waits until it accepts connections; Synced comes later. */
  override async start(...extra: string[]): Promise<number> {
    const started = Date.now();
    const out = createWriteStream(join(this.dir, "stdout.log"), { flags: "a" });
    const child = spawn("/usr/sbin/mariadbd", [`--defaults-file=${this.dir}/my.cnf`, ...extra], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    this.process = child;
    const died = exited(child).then(() => {
      throw new Error(`${this.name} exited; see ${this.dir}/mariadb.log`);
    });
    await Promise.race([
      died,
      until(`${this.name} to accept connections`, 300_000, async () => {
        const connection = await createConnection({ uri: this.adminUrl });
        await connection.end();
        return true;
      }),
    ]);
    died.catch(() => undefined);
    return Date.now() - started;
  }

  /** SIGTERM: a clean shutdown that records the node's position (grastate.dat). */
  async stop(): Promise<void> {
    if (!this.process) return;
    this.process.kill("SIGTERM");
    await exited(this.process);
    this.process = null;
  }

  /**
   * After a kill -9 grastate.dat has no position: what Debian's galera_recovery does before
   * systemd starts the server: --wsrep-recover reads the last committed position from InnoDB, and
   * the node starts from there, so the cluster sends only the missing write sets (IST) from its
   * gcache, or the whole data directory (SST by rsync) when they are no longer there.
   */
  async restart(): Promise<{ position: string; ms: number }> {
    const started = Date.now();
    const log = `${this.dir}/recover.log`;
    await runAsync("/usr/sbin/mariadbd", [`--defaults-file=${this.dir}/my.cnf`, "--wsrep-recover", `--log-error=${log}`], { log: `${this.dir}/install.log` });
    const position = [...readFileSync(log, "utf8").matchAll(/WSREP: Recovered position: (\S+)/g)].at(-1)?.[1];
    if (!position) throw new Error(`${this.name}: no position recovered; see ${log}`);
    await this.start(`--wsrep-start-position=${position}`);
    return { position, ms: Date.now() - started };
  }

  /** wsrep_* status variables, or null when the node does not answer. */
  async status(): Promise<Record<string, string> | null> {
    try {
      const connection = await createConnection({ uri: this.adminUrl, connectTimeout: 1000 });
      try {
        const [rows] = await connection.query<RowDataPacket[]>("show global status like 'wsrep%'");
        return Object.fromEntries(rows.map((r) => [String(r.Variable_name).toLowerCase(), String(r.Value)]));
      } finally {
        await connection.end();
      }
    } catch {
      return null;
    }
  }

  /** Synced (state 4) and ready: what the health check answers 200 for. */
  async synced(): Promise<boolean> {
    const s = await this.status();
    return s?.wsrep_local_state === "4" && s.wsrep_ready === "ON";
  }
}

/** Waits until every node counts `size` members and is Synced. */
export async function waitSynced(nodes: GaleraNode[], size: number, timeoutMs: number) {
  await until(`cluster size ${size} with every node Synced`, timeoutMs, async () => {
    const states = await Promise.all(nodes.map((n) => n.status()));
    return states.every((s) => s?.wsrep_cluster_size === String(size) && s.wsrep_local_state === "4") ? true : undefined;
  });
}

/**
 * The check HAProxy asks each node's port for (what Percona's clustercheck does): 200 only while
 * the node is Synced, so a node that is joining, donating or cut off gets no connections.
 */
export async function nodeCheck(node: GaleraNode): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const server = createServer((req, res) => {
    void node.synced().then((ok) => res.writeHead(ok ? 200 : 503).end(ok ? "synced" : "not synced"));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, server };
}

export interface Backend {
  name: string;
  port: number;
  checkPort?: number;
}

/**
 * HAProxy: a TCP front for the database with one active node and the others as backups (all writes
 * on one node, so no certification conflicts between instances in normal running; a session on a
 * node that goes down is cut at once and the pool reconnects to the next), and an HTTP balancer
 * over the app instances, round robin, each checked on /readyz.
 */
export function haproxyConfig(o: { dbPort: number; nodes: Backend[]; httpPort: number; apps: Backend[]; statsSocket: string }): string {
  return `global
  maxconn 4000
  stats socket ${o.statsSocket} mode 600 level admin

defaults
  timeout connect 2s
  timeout check 3s
  default-server inter 500 fall 2 rise 2

listen galera
  bind 127.0.0.1:${o.dbPort}
  mode tcp
  timeout client 1h
  timeout server 1h
  option httpchk GET /
  # A node marked down loses its sessions at once; when the first node is back, sessions on the
  # backup are closed, so that writes never go to two nodes at once for long.
  default-server on-marked-down shutdown-sessions on-marked-up shutdown-backup-sessions
${o.nodes.map((n, i) => `  server ${n.name} 127.0.0.1:${n.port} check port ${n.checkPort}${i === 0 ? "" : " backup"}`).join("\n")}

listen app
  bind 127.0.0.1:${o.httpPort}
  mode http
  balance roundrobin
  timeout client 60s
  timeout server 60s
  option httpchk GET /readyz
  # Only a connection that could not be opened is tried on another instance: a request the
  # instance received may have been acted on, so it is never sent twice.
  retries 2
  retry-on conn-failure
  option redispatch
${o.apps.map((a) => `  server ${a.name} 127.0.0.1:${a.port} check`).join("\n")}
`;
}

export async function startHaproxy(dir: string, config: string): Promise<ChildProcess> {
  writeFileSync(join(dir, "haproxy.cfg"), config);
  const out = createWriteStream(join(dir, "haproxy.log"));
  const child = spawn("/usr/sbin/haproxy", ["-db", "-f", join(dir, "haproxy.cfg")], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (child.exitCode !== null) throw new Error(`haproxy exited; see ${dir}/haproxy.log`);
  return child;
}

/** s3rver on loopback with one bucket; its objects in `dir`. */
export async function startS3(dir: string, bucket: string) {
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = (await server.run()) as unknown as { port: number };
  return { server, env: { STORAGE: "s3", S3_BUCKET: bucket, S3_REGION: "us-east-1", S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_FORCE_PATH_STYLE: "true", S3_ACCESS_KEY_ID: "S3RVER", S3_SECRET_ACCESS_KEY: "S3RVER" } };
}

