import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/**
 * This process among the app instances sharing the database: host, process id and a random part
 * (a restarted process with the same pid is another instance). Work this instance claims carries
 * it, so shutdown can hand back exactly its own claims.
 */
export const INSTANCE_ID = `${hostname().slice(0, 40)}-${process.pid}-${randomBytes(4).toString("hex")}`;
