import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { env } from "./env.server";

let id: string | undefined;

/**
 * This process among the app instances sharing the database: its name (INSTANCE_NAME, or the host),
 * process id and a random part (a restarted process is another instance, even with the same name
 * and pid). Work this instance claims carries it, so shutdown can hand back exactly its own claims.
 * Made on first use, after the environment is in place.
 */
export function instanceId(): string {
  id ??= `${env().INSTANCE_NAME ?? hostname().slice(0, 40)}-${process.pid}-${randomBytes(4).toString("hex")}`;
  return id;
}
