import { crc32 } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import * as logoRoute from "~/routes/partners.$id.logo";
import * as profile from "~/routes/_app.profile";
import { db } from "~/utils/db.server";
import { reencodeImage } from "~/utils/image.server";
import { createNetwork } from "../factories";
import { errorKeys, hit } from "../routes";

const GPS_IFD_TAG = Buffer.from([0x25, 0x88]); // tag 0x8825, little-endian as sharp writes it

const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: "#1d4ed8" } });

/** A JPEG as a phone writes it: EXIF with the owner and GPS position, and an ICC profile. */
async function jpegWithGps(): Promise<Buffer> {
  return solid(64, 48)
    .jpeg()
    .withExif({ IFD0: { Copyright: "owner-name-in-exif" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "35/1 41/1 2/1", GPSLongitudeRef: "E", GPSLongitude: "51/1 23/1 4/1" } })
    .withMetadata({ icc: "p3" })
    .toBuffer();
}

const TRAILER = Buffer.concat([Buffer.from("<html><script>alert(1)</script></html>"), Buffer.from("PK\x03\x04zip-payload-after-the-image")]);

/** A PNG whose header claims `width`×`height` (a decompression bomb needs only its header). */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await solid(1, 1).png().toBuffer());
  // IHDR starts at byte 8: length (4), type (4), width (4), height (4), …; its CRC follows the 13 data bytes.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

const logoForm = (bytes: Uint8Array, name = "logo.bin") => {
  const form = new FormData();
  form.set("logo", new File([new Uint8Array(bytes)], name));
  return form;
};

describe("reencodeImage", () => {
  it("drops EXIF (GPS included) and the ICC profile from a JPEG and keeps it a JPEG", async () => {
    const input = await jpegWithGps();
    const before = await sharp(input).metadata();
    expect(before.exif?.includes(GPS_IFD_TAG)).toBe(true);
    expect(before.icc).toBeDefined();
    expect(input.includes("owner-name-in-exif")).toBe(true);

    const result = await reencodeImage(input);
    if (!result.ok) throw new Error(result.reason);
    const out = Buffer.from(result.image.bytes);
    expect(result.image).toMatchObject({ mime: "image/jpeg", ext: "jpg", width: 64, height: 48 });
    const after = await sharp(out).metadata();
    expect(after).toMatchObject({ format: "jpeg", width: 64, height: 48 });
    expect(after.exif).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(out.includes("owner-name-in-exif")).toBe(false);
    expect(out.includes("Exif")).toBe(false);
  });

  it("drops a payload appended after a PNG's image data", async () => {
    const input = Buffer.concat([await solid(32, 32).png().toBuffer(), TRAILER]);
    expect((await sharp(input).metadata()).format).toBe("png");

    const result = await reencodeImage(input);
    if (!result.ok) throw new Error(result.reason);
    const out = Buffer.from(result.image.bytes);
    expect(result.image.mime).toBe("image/png");
    expect(out.includes("<script>")).toBe(false);
    expect(out.includes("PK\x03\x04")).toBe(false);
    // The file ends with the IEND chunk and its fixed CRC: nothing follows the image.
    expect(out.subarray(-12).toString("hex")).toBe("0000000049454e44ae426082");
  });

  it("scales a 4000×3000 image down to 1024 px on the longest side", async () => {
    const result = await reencodeImage(await solid(4000, 3000).jpeg().toBuffer());
    if (!result.ok) throw new Error(result.reason);
    expect(result.image).toMatchObject({ width: 1024, height: 768 });
    expect(await sharp(result.image.bytes).metadata()).toMatchObject({ format: "jpeg", width: 1024, height: 768 });
    // Small images are not enlarged.
    const small = await reencodeImage(await solid(200, 100).png().toBuffer());
    expect(small.ok && [small.image.width, small.image.height]).toEqual([200, 100]);
  });

  it("refuses what it cannot decode, too many pixels and other formats", async () => {
    const png = await solid(8, 8).png().toBuffer();
    expect(await reencodeImage(png.subarray(0, 40))).toEqual({ ok: false, reason: "image_unreadable" });
    expect(await reencodeImage(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("not a jpeg at all")]))).toEqual({ ok: false, reason: "image_unreadable" });
    expect(await reencodeImage(await pngClaiming(50_000, 50_000))).toEqual({ ok: false, reason: "image_pixels" });
    expect(await reencodeImage(await solid(8, 8).gif().toBuffer())).toEqual({ ok: false, reason: "image_type" });
    expect(await reencodeImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toEqual({ ok: false, reason: "image_type" });
  });
});

describe("partner logo upload", () => {
  const logoRow = (partnerId: string) => db().selectFrom("partners").select(["logo_key", "logo_mime"]).where("id", "=", partnerId).executeTakeFirstOrThrow();

  it("stores and serves the re-encoded image, not the uploaded bytes", async () => {
    const net = await createNetwork();
    const admin = net.users.independentAdmin.id;
    const partnerId = net.partners.independent;

    const upload = await hit(profile.action, "/profile", {}, { as: admin, form: logoForm(await jpegWithGps(), "photo.png") });
    expect(upload).toMatchObject({ status: 200, data: { saved: true } });
    const row = await logoRow(partnerId);
    expect(row.logo_mime).toBe("image/jpeg");
    expect(row.logo_key).toMatch(new RegExp(`^logos/${partnerId}/[0-9a-z]{26}\\.jpg$`));

    const served = await hit(logoRoute.loader, `/partners/${partnerId}/logo`, { id: partnerId }, { as: admin });
    expect(served.status).toBe(200);
    expect(served.response!.headers.get("Content-Type")).toBe("image/jpeg");
    const bytes = Buffer.from(await served.response!.arrayBuffer());
    expect(bytes.includes("owner-name-in-exif")).toBe(false);
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();

    const big = await hit(profile.action, "/profile", {}, { as: admin, form: logoForm(Buffer.concat([await solid(4000, 3000).png().toBuffer(), TRAILER])) });
    expect(big.status).toBe(200);
    const bigRow = await logoRow(partnerId);
    expect(bigRow).toMatchObject({ logo_mime: "image/png" });
    const stored = Buffer.from(await (await hit(logoRoute.loader, `/partners/${partnerId}/logo`, { id: partnerId }, { as: admin })).response!.arrayBuffer());
    expect(await sharp(stored).metadata()).toMatchObject({ format: "png", width: 1024, height: 768 });
    expect(stored.includes("<script>")).toBe(false);
  });

  it("refuses an image it cannot decode with a field error and keeps the old logo", async () => {
    const net = await createNetwork();
    const admin = net.users.independentAdmin.id;
    await hit(profile.action, "/profile", {}, { as: admin, form: logoForm(await solid(10, 10).png().toBuffer()) });
    const before = await logoRow(net.partners.independent);
    expect(before.logo_key).not.toBeNull();

    const broken = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("<?php echo 1; ?>")]);
    const result = await hit(profile.action, "/profile", {}, { as: admin, form: logoForm(broken) });
    expect(result.status).toBe(400);
    expect(errorKeys(result)).toEqual({ logo: "errors.image_unreadable" });
    const bomb = await hit(profile.action, "/profile", {}, { as: admin, form: logoForm(await pngClaiming(30_000, 30_000)) });
    expect(errorKeys(bomb)).toEqual({ logo: "errors.image_pixels" });
    expect(await logoRow(net.partners.independent)).toEqual(before);
  });
});
