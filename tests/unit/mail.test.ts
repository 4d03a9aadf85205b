import { describe, expect, it } from "vitest";
import { mailDocument } from "~/domain/mail-document";
import { retryDelay } from "~/domain/retry";
import { parseEnv } from "~/utils/env.server";

describe("e-mail document", () => {
  const content = {
    subject: "دعوت <پرتال>",
    greeting: "سلام \"نام\" & <b>",
    paragraphs: ["بند یکم"],
    items: ["<script>alert(1)</script>"],
    action: { label: "پذیرش", url: "https://portal.example/invite/a\"b<c" },
    footer: "پانوشت",
  };

  it("is right to left in Persian and left to right in English", () => {
    expect(mailDocument({ ...content, locale: "fa" }).html).toMatch(/^<!doctype html><html lang="fa" dir="rtl">/);
    expect(mailDocument({ ...content, locale: "fa" }).html).toContain("direction:rtl;text-align:right");
    expect(mailDocument({ ...content, locale: "en" }).html).toMatch(/^<!doctype html><html lang="en" dir="ltr">/);
  });

  it("escapes every value in the HTML part and keeps the text part plain", () => {
    const { html, text } = mailDocument({ ...content, locale: "fa" });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain('href="https://portal.example/invite/a&quot;b&lt;c"');
    expect(html).toContain("سلام &quot;نام&quot; &amp; &lt;b&gt;");
    expect(text).toBe('سلام "نام" & <b>\n\nبند یکم\n\n- <script>alert(1)</script>\n\nپذیرش:\nhttps://portal.example/invite/a"b<c\n\nپانوشت\n');
  });
});

describe("retry delay", () => {
  const rule = { baseMs: 30_000, capMs: 3_600_000, maxAttempts: 8 };
  it("doubles from the base up to the cap, jittered down by at most half", () => {
    expect([1, 2, 3, 4].map((a) => retryDelay(a, rule, () => 1))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelay(1, rule, () => 0)).toBe(15_000);
    expect(retryDelay(20, rule, () => 1)).toBe(3_600_000);
    expect(retryDelay(20, rule, () => 0)).toBe(1_800_000);
  });
});

describe("mail settings", () => {
  it("default to the mail log, a local From and links to localhost", () => {
    const e = parseEnv({});
    expect([e.SMTP_URL, e.MAIL_LOG, e.APP_URL]).toEqual([undefined, "logs/mail.log", "http://localhost:3000"]);
    expect(parseEnv({ SMTP_URL: "smtp://user:pass@mail.example:587", APP_URL: "https://portal.example/" })).toMatchObject({ SMTP_URL: "smtp://user:pass@mail.example:587", APP_URL: "https://portal.example" });
  });

  it.each([
    ["SMTP_URL", "http://mail.example"],
    ["SMTP_URL", "not a url"],
    ["APP_URL", "portal.example"],
  ])("refuses %s=%j at start-up", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(name));
  });
});
