import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import {
  decryptSecret,
  encryptSecret,
  groupSecret,
  hashRecoveryCode,
  matchingStep,
  newRecoveryCodes,
  newTotpSecret,
  normaliseCode,
  setupDetails,
} from "~/utils/two-factor.server";

const USER = "01JTESTUSER0000000000000000";
const codeAt = (secret: string, timestamp: number) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp });
const stepOf = (timestamp: number) => Math.floor(timestamp / 30_000);

describe("secret encryption", () => {
  it("round-trips, with a fresh IV every time", () => {
    const secret = newTotpSecret();
    const a = encryptSecret(secret, USER);
    const b = encryptSecret(secret, USER);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(decryptSecret(a, USER)).toBe(secret);
    expect(decryptSecret(b, USER)).toBe(secret);
  });

  it("refuses a tampered ciphertext, tag or IV", () => {
    const stored = encryptSecret(newTotpSecret(), USER);
    const [v, iv, tag, body] = stored.split(".");
    const flip = (part: string) => {
      const bytes = Buffer.from(part, "base64url");
      bytes[0] ^= 1;
      return bytes.toString("base64url");
    };
    expect(() => decryptSecret([v, iv, tag, flip(body)].join("."), USER)).toThrow();
    expect(() => decryptSecret([v, iv, flip(tag), body].join("."), USER)).toThrow();
    expect(() => decryptSecret([v, flip(iv), tag, body].join("."), USER)).toThrow();
    expect(() => decryptSecret(["v0", iv, tag, body].join("."), USER)).toThrow();
    expect(() => decryptSecret("garbage", USER)).toThrow();
  });

  it("refuses a secret copied to another user's row", () => {
    const stored = encryptSecret(newTotpSecret(), USER);
    expect(() => decryptSecret(stored, "01JOTHERUSER000000000000000")).toThrow();
  });
});

describe("TOTP codes", () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2026, 11, 1, 12, 0, 10);

  it("a secret is 160 bits of base32", () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it("accepts the current code and one step either side, and names the step", () => {
    expect(matchingStep(secret, codeAt(secret, now), now)).toBe(stepOf(now));
    expect(matchingStep(secret, codeAt(secret, now - 30_000), now)).toBe(stepOf(now) - 1);
    expect(matchingStep(secret, codeAt(secret, now + 30_000), now)).toBe(stepOf(now) + 1);
  });

  it("refuses codes two steps away, another secret's code and anything not six digits", () => {
    expect(matchingStep(secret, codeAt(secret, now - 60_000), now)).toBeNull();
    expect(matchingStep(secret, codeAt(secret, now + 60_000), now)).toBeNull();
    const other = newTotpSecret();
    const otherCode = codeAt(other, now);
    if (otherCode !== codeAt(secret, now)) expect(matchingStep(secret, otherCode, now)).toBeNull();
    expect(matchingStep(secret, "12345", now)).toBeNull();
    expect(matchingStep(secret, "abcdef", now)).toBeNull();
  });

  it("reads codes typed with Persian or Arabic-Indic digits, spaces and dashes", () => {
    expect(normaliseCode("۱۲۳ ۴۵۶")).toBe("123456");
    expect(normaliseCode("١٢٣-٤٥٦")).toBe("123456");
    expect(normaliseCode(" abcde-fghjk ")).toBe("ABCDEFGHJK");
    const persian = codeAt(secret, now).replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    expect(matchingStep(secret, normaliseCode(persian), now)).toBe(stepOf(now));
  });

  it("setup shows an SVG QR code as a data: URL and the key in groups of four", async () => {
    const { qr, secret: shown } = await setupDetails(secret, "user@test.example");
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qr.split(",")[1], "base64").toString()).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(shown).toBe(groupSecret(secret));
    expect(shown.split(" ")).toHaveLength(8);
    expect(shown.replace(/ /g, "")).toBe(secret);
  });
});

describe("recovery codes", () => {
  it("ten different codes in XXXXX-XXXXX from an unambiguous alphabet", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
  });

  it("hashes to SHA-256 hex, the same however the code is typed", () => {
    const [code] = newRecoveryCodes();
    const h = hashRecoveryCode(code);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(code.toLowerCase().replace("-", " "))).toBe(h);
    expect(h).not.toContain(code.replace("-", "").toLowerCase());
    expect(hashRecoveryCode(newRecoveryCodes()[0])).not.toBe(h);
  });
});
