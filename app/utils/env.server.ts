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
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Validated once at start-up; a bad value stops the server with a readable list of problems. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  if (parsed.data.NODE_ENV === "production" && parsed.data.SESSION_SECRET === DEV_SECRET) {
    throw new Error("SESSION_SECRET must be set in production (32+ characters).");
  }
  cached = parsed.data;
  return cached;
}

export function cookieSecure(): boolean {
  const e = env();
  return e.COOKIE_SECURE ? e.COOKIE_SECURE === "true" : e.NODE_ENV === "production";
}
