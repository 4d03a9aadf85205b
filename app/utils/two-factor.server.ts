import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { toAsciiDigits } from "~/domain/text";
import { sha256 } from "./crypto.server";
import { env } from "./env.server";

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
const PERIOD = 30;
const DIGITS = 6;
/** One step either side tolerates a phone clock a little off and a code typed just as it changed. */
const WINDOW = 1;
const ISSUER = "Partner Portal";
const CIPHER_VERSION = "v1";

let cachedKey: { source: string; key: Buffer } | undefined;

/** AES-256 key: its own secret when set, otherwise derived from the session secret (HKDF keeps the two uses apart). */
function encryptionKey(): Buffer {
  const e = env();
  const source = e.TOTP_ENCRYPTION_KEY ?? e.SESSION_SECRET;
  if (cachedKey?.source !== source) cachedKey = { source, key: Buffer.from(hkdfSync("sha256", source, "partner-portal", "totp-secret", 32)) };
  return cachedKey.key;
}

/** AES-256-GCM, bound to the user id so a secret copied to another user's row does not decrypt. */
export function encryptSecret(secret: string, userId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  cipher.setAAD(Buffer.from(userId));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [CIPHER_VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** Throws when the ciphertext, its tag or the user id does not match (tampered or copied). */
export function decryptSecret(stored: string, userId: string): string {
  const [version, iv, tag, body] = stored.split(".");
  if (version !== CIPHER_VERSION || !iv || !tag || !body) throw new Error("Unreadable two-factor secret");
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(userId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** A fresh 160-bit secret in base32, the form authenticator apps take. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

const totp = (secret: string, label = "") =>
  new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: DIGITS, period: PERIOD, secret: Secret.fromBase32(secret) });

/** The time step a code belongs to, or null when it matches none in the window. The caller makes each step usable once. */
export function matchingStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

/** What the setup page shows: the otpauth:// link as a QR code (an SVG data: URL) and the key grouped for typing. */
export async function setupDetails(secret: string, account: string): Promise<{ qr: string; secret: string }> {
  const uri = totp(secret, account).toString();
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`, secret: groupSecret(secret) };
}

/** Digits in any script, spaces and dashes as people type them: "۱۲۳ ۴۵۶" → "123456"; letters upper-cased for recovery codes. */
export const normaliseCode = (input: string): string => toAsciiDigits(input).replace(/[\s\-\u200c\u200f\u200e]/g, "").toUpperCase();

// Crockford-style alphabet: no 0/O or 1/I/L to confuse when copied from paper.
const RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const RECOVERY_CODE_COUNT = 10;

/** Ten codes of ten characters (~49 bits each), shown as XXXXX-XXXXX. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Stored form of a recovery code: random enough that a plain SHA-256 cannot be reversed by guessing. */
export const hashRecoveryCode = (code: string): string => sha256(`recovery:${normaliseCode(code)}`);

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP", easier to type by hand. */
export const groupSecret = (secret: string): string => secret.match(/.{1,4}/g)?.join(" ") ?? secret;
