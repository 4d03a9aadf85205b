import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { afterAll, describe, expect, it } from "vitest";
import * as profile from "~/routes/_app.profile";
import * as logo from "~/routes/partners.$id.logo";
import { db } from "~/utils/db.server";
import { localStorage, s3Storage, type S3Settings } from "~/utils/storage.server";
import { createNetwork } from "../factories";
import { hit } from "../routes";

// A real S3 API on loopback (s3rver keeps its objects in a folder); the app is configured for it
// before anything reads the environment.
const dir = mkdtempSync(path.join(tmpdir(), "pp-s3-"));
const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir, configureBuckets: [{ name: "portal-files", configs: [] }] });
const { port } = (await server.run()) as unknown as { port: number };
const settings: S3Settings = {
  S3_BUCKET: "portal-files",
  S3_REGION: "us-east-1",
  S3_ENDPOINT: `http://127.0.0.1:${port}`,
  S3_FORCE_PATH_STYLE: "true",
  S3_ACCESS_KEY_ID: "S3RVER",
  S3_SECRET_ACCESS_KEY: "S3RVER",
  S3_PREFIX: "",
};
Object.assign(process.env, { STORAGE: "s3", ...settings });

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const PNG_1X1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const text = async (s: ReadableStream<Uint8Array> | null) => (s ? Buffer.from(await new Response(s).arrayBuffer()).toString("utf8") : null);

describe("the S3 adapter", () => {
  const s3 = s3Storage(settings);
  const disk = localStorage(mkdtempSync(path.join(tmpdir(), "pp-disk-")));

  it("puts, reads, streams, describes and deletes a file, keeping its content type", async () => {
    const key = `renders/${Date.now()}.pdf`;
    const bytes = new TextEncoder().encode("%PDF-1.7 فایل");
    await s3.put(key, bytes, "application/pdf");
    expect(Buffer.from((await s3.get(key))!).equals(Buffer.from(bytes))).toBe(true);
    expect(await text(await s3.stream(key))).toBe("%PDF-1.7 فایل");
    expect(await s3.stat(key)).toEqual({ size: bytes.byteLength, contentType: "application/pdf" });
    await s3.delete(key);
    expect(await s3.get(key)).toBeNull();
  });

  it("answers a missing key the way local disk does", async () => {
    for (const files of [disk, s3]) {
      expect(await files.get("logos/none/missing.png")).toBeNull();
      expect(await files.stream("logos/none/missing.png")).toBeNull();
      expect(await files.stat("logos/none/missing.png")).toBeNull();
      await expect(files.delete("logos/none/missing.png")).resolves.toBeUndefined();
      await expect(files.check()).resolves.toBeUndefined();
    }
  });

  it("refuses unsafe keys before asking the store", async () => {
    await expect(s3.put("../etc/passwd", new Uint8Array(1))).rejects.toThrow(/Unsafe storage key/);
    await expect(s3.get("a/../../b")).rejects.toThrow(/Unsafe storage key/);
  });

  it("counts a store that does not answer as not reachable", async () => {
    await expect(s3Storage({ ...settings, S3_BUCKET: "no-such-bucket" }).check()).rejects.toThrow();
  });
});

describe("files through the app with STORAGE=s3", () => {
  it("a logo uploaded on the profile page is stored in the bucket and served back from it", async () => {
    const n = await createNetwork();
    const form = new FormData();
    form.append("logo", new File([PNG_1X1], "logo.png", { type: "image/png" }));
    expect(await hit(profile.action, "/profile", {}, { as: n.users.reseller1Admin.id, form })).toMatchObject({ status: 200, data: { saved: true } });
    const { logo_key } = await db().selectFrom("partners").select("logo_key").where("id", "=", n.partners.reseller1).executeTakeFirstOrThrow();
    // In the bucket, with its type, and nowhere on the local disk.
    expect(await s3Storage(settings).stat(logo_key!)).toMatchObject({ contentType: "image/png" });
    expect(await localStorage().get(logo_key!)).toBeNull();
    const stored = Buffer.from((await s3Storage(settings).get(logo_key!))!);

    const id = n.partners.reseller1;
    const served = await hit(logo.loader, `/partners/${id}/logo`, { id }, { as: n.users.distributorAdmin.id });
    expect(served.status).toBe(200);
    expect(served.response!.headers.get("Content-Type")).toBe("image/png");
    expect(Buffer.from(await served.response!.arrayBuffer()).equals(stored)).toBe(true);
  });
});
