import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "#db/client";

const DEV_SECRET = "development-only-secret-change-me-0123456789";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().default(DEFAULT_DATABASE_URL),
  SESSION_SECRET: z.string().min(32).default(DEV_SECRET),
  // Encrypts two-factor secrets at rest; when unset a key is derived from SESSION_SECRET.
  TOTP_ENCRYPTION_KEY: z.string().min(32).optional(),
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  UPLOAD_DIR: z.string().default("uploads"),
  // Files on local disk (one machine; the default) or in an S3-compatible object store (several
  // instances): bucket, region, endpoint for stores other than AWS, path-style addressing for
  // MinIO-like stores, credentials (or the SDK's own chain when unset), a key prefix.
  STORAGE: z.enum(["disk", "s3"]).default("disk"),
  S3_BUCKET: z.string().min(3).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ENDPOINT: z.string().url().regex(/^https?:\/\//, { message: "must start with http:// or https://" }).optional(),
  S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("false"),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_PREFIX: z.string().regex(/^([a-z0-9_-]+\/)*$/i, { message: "letters, digits, - and _, ending in /" }).default(""),
  // This instance's name among several (e.g. app-1); the host name when unset. Claimed work carries it.
  INSTANCE_NAME: z.string().regex(/^[a-z0-9._-]{1,40}$/i, { message: "up to 40 letters, digits, . _ -" }).optional(),
  // Graceful shutdown: how long requests in flight may take to finish after SIGTERM.
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  // How many proxies in front of the server may be believed about the client's address
  // (X-Forwarded-For); 0 means none: the address is the socket's, whatever the headers say.
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  // Co-brand rendering: the Chromium binary, how many renders share the machine at once (each is
  // a renderer process; the machines have 2 cores), and how long one render may take.
  CHROMIUM_PATH: z.string().min(1).default("/usr/bin/chromium"),
  RENDER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  RENDER_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(20_000),
  // E-mail: sent over SMTP (smtp://user:pass@host:port, or smtps://) when set; without it every
  // message is appended to MAIL_LOG instead (the demo), and counted as sent.
  SMTP_URL: z
    .string()
    .url()
    .regex(/^smtps?:\/\//, { message: "must start with smtp:// or smtps://" })
    .optional(),
  MAIL_FROM: z.string().min(3).default("Partner portal <no-reply@localhost>"),
  MAIL_LOG: z.string().min(1).default("logs/mail.log"),
  // Links in e-mails are absolute: the address people reach the portal at.
  APP_URL: z
    .string()
    .url()
    .default("http://localhost:3000")
    .transform((v) => v.replace(/\/+$/, "")),
  // ERP hand-off: confirmed orders are POSTed here as signed JSON; unset, nothing is queued or sent.
  ERP_URL: z.string().url().regex(/^https?:\/\//, { message: "must start with http:// or https://" }).optional(),
  // The HMAC key the receiver checks X-Signature with; required with ERP_URL.
  ERP_SECRET: z.string().min(32).optional(),
  // One delivery attempt; well inside the outbox lease.
  ERP_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(10_000),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Validated once at start-up; a bad value stops the server with a readable list of problems. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  if (parsed.data.ERP_URL && !parsed.data.ERP_SECRET) {
    throw new Error("Invalid environment: ERP_SECRET: required when ERP_URL is set (32+ characters).");
  }
  if (parsed.data.STORAGE === "s3" && !parsed.data.S3_BUCKET) {
    throw new Error("Invalid environment: S3_BUCKET: required when STORAGE=s3.");
  }
  if (parsed.data.NODE_ENV === "production" && parsed.data.SESSION_SECRET === DEV_SECRET) {
    throw new Error("SESSION_SECRET must be set in production (32+ characters).");
  }
  return parsed.data;
}

export function cookieSecure(): boolean {
  const e = env();
  return e.COOKIE_SECURE ? e.COOKIE_SECURE === "true" : e.NODE_ENV === "production";
}

/** Read by server.mjs at start-up (through the server build), so a bad value stops the server there. */
export const trustProxyHops = (): number => env().TRUST_PROXY;
