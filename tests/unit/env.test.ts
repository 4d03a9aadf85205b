import { describe, expect, it } from "vitest";
import { parseEnv } from "~/utils/env.server";

describe("TRUST_PROXY", () => {
  it("is off unless set: the socket's address counts, not what a client writes in a header", () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(0);
    expect(parseEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
  });

  it.each(["true", "-1", "1.5", "abc", "99"])("refuses %j at start-up with the variable's name", (value) => {
    expect(() => parseEnv({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });
});

describe("co-brand renderer settings", () => {
  it("default to the system Chromium, two renders at a time and 20 s per render", () => {
    const e = parseEnv({});
    expect([e.CHROMIUM_PATH, e.RENDER_CONCURRENCY, e.RENDER_TIMEOUT_MS]).toEqual(["/usr/bin/chromium", 2, 20_000]);
    expect(parseEnv({ CHROMIUM_PATH: "/opt/chromium/chrome", RENDER_CONCURRENCY: "1", RENDER_TIMEOUT_MS: "60000" })).toMatchObject({ CHROMIUM_PATH: "/opt/chromium/chrome", RENDER_CONCURRENCY: 1, RENDER_TIMEOUT_MS: 60_000 });
  });

  it.each([
    ["RENDER_CONCURRENCY", "0"],
    ["RENDER_CONCURRENCY", "many"],
    ["RENDER_TIMEOUT_MS", "5"],
    ["CHROMIUM_PATH", ""],
  ])("refuses %s=%j at start-up", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(name));
  });
});

describe("ERP hand-off settings", () => {
  const secret = "s".repeat(32);
  it("are off by default and take a URL with a secret of 32+ characters", () => {
    expect(parseEnv({}).ERP_URL).toBeUndefined();
    expect(parseEnv({ ERP_URL: "https://erp.example.test/in", ERP_SECRET: secret, ERP_TIMEOUT_MS: "5000" })).toMatchObject({ ERP_URL: "https://erp.example.test/in", ERP_SECRET: secret, ERP_TIMEOUT_MS: 5000 });
  });

  it.each([
    [{ ERP_URL: "https://erp.example.test/in" }, /ERP_SECRET/],
    [{ ERP_URL: "https://erp.example.test/in", ERP_SECRET: "short" }, /ERP_SECRET/],
    [{ ERP_URL: "ftp://erp.example.test/in", ERP_SECRET: secret }, /ERP_URL/],
    [{ ERP_TIMEOUT_MS: "10" }, /ERP_TIMEOUT_MS/],
  ])("refuses %j at start-up", (source, name) => {
    expect(() => parseEnv(source)).toThrow(name);
  });
});

describe("file storage and instance settings", () => {
  it("keep files on local disk unless S3 is chosen, and take an S3-compatible store's settings", () => {
    expect(parseEnv({}).STORAGE).toBe("disk");
    expect(parseEnv({ STORAGE: "s3", S3_BUCKET: "portal-files", S3_ENDPOINT: "http://127.0.0.1:9000", S3_FORCE_PATH_STYLE: "true", S3_PREFIX: "portal/" })).toMatchObject({
      STORAGE: "s3",
      S3_BUCKET: "portal-files",
      S3_REGION: "us-east-1",
      S3_ENDPOINT: "http://127.0.0.1:9000",
      S3_FORCE_PATH_STYLE: "true",
      S3_PREFIX: "portal/",
    });
  });

  it("refuses S3 without a bucket at start-up", () => {
    expect(() => parseEnv({ STORAGE: "s3" })).toThrow(/S3_BUCKET/);
  });

  it.each([
    ["STORAGE", "ftp"],
    ["S3_ENDPOINT", "minio:9000"],
    ["S3_FORCE_PATH_STYLE", "yes"],
    ["S3_PREFIX", "../other"],
    ["SHUTDOWN_GRACE_MS", "-1"],
    ["INSTANCE_NAME", "app 1"],
  ])("refuses %s=%j at start-up", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(name));
  });
});
