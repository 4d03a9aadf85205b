import sharp, { type Metadata } from "sharp";
import { sniffImage } from "~/domain/image";

export interface CleanImage {
  bytes: Uint8Array;
  mime: "image/png" | "image/jpeg";
  ext: "png" | "jpg";
  width: number;
  height: number;
}

export type ImageRefusal = "image_type" | "image_unreadable" | "image_pixels" | "image_animated";

export interface ReencodeOptions {
  /** Longest side of the stored image; larger images are scaled down. */
  maxSide?: number;
  /** Images with more pixels are refused before they are decoded (decompression bombs). */
  maxInputPixels?: number;
}

/**
 * Decodes an uploaded PNG or JPEG and encodes it again in the same format, so what is stored and
 * served is only pixels we made: metadata (EXIF with GPS, ICC profiles, comments), anything after
 * the image data and any crafted structure are gone. PNG stays PNG (transparency for logos), JPEG
 * stays JPEG (photos stay small). EXIF orientation is applied before it is dropped.
 */
export async function reencodeImage(input: Uint8Array, { maxSide = 1024, maxInputPixels = 40_000_000 }: ReencodeOptions = {}): Promise<{ ok: true; image: CleanImage } | { ok: false; reason: ImageRefusal }> {
  const kind = sniffImage(input);
  if (!kind) return { ok: false, reason: "image_type" };
  const source = sharp(input, { limitInputPixels: maxInputPixels, failOn: "error" });
  let meta: Metadata;
  try {
    meta = await source.metadata();
  } catch (e) {
    // sharp checks limitInputPixels against the header before decoding anything.
    return { ok: false, reason: /pixel limit/.test(String(e)) ? "image_pixels" : "image_unreadable" };
  }
  if ((meta.pages ?? 1) > 1) return { ok: false, reason: "image_animated" };
  if (!meta.width || !meta.height) return { ok: false, reason: "image_unreadable" };
  const pipeline = source.rotate().resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true });
  try {
    const { data, info } = await (kind.ext === "png" ? pipeline.png({ compressionLevel: 9 }) : pipeline.jpeg({ quality: 85, mozjpeg: true })).toBuffer({ resolveWithObject: true });
    return { ok: true, image: { bytes: new Uint8Array(data), mime: kind.mime, ext: kind.ext, width: info.width, height: info.height } };
  } catch {
    return { ok: false, reason: "image_unreadable" };
  }
}
