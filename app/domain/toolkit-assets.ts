/**
 * What an uploaded toolkit asset is, told by its first bytes rather than by its name or claimed type:
 * PDF, PNG, JPEG and MP4 only. SVG and HTML (which can carry script), archives and executables are
 * refused whatever they are called.
 */
export type AssetKind = { mime: "application/pdf"; ext: "pdf" } | { mime: "image/png"; ext: "png" } | { mime: "image/jpeg"; ext: "jpg" } | { mime: "video/mp4"; ext: "mp4" };

export const ASSET_MAX_BYTES = 20 * 1024 * 1024;

/** ISO base media brands of MP4 files as phones, cameras and encoders write them. */
const MP4_BRANDS = ["isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash", "MSNV"];

export function sniffAsset(bytes: Uint8Array): AssetKind | null {
  const at = (offset: number, sig: number[]) => sig.every((b, i) => bytes[offset + i] === b);
  const ascii = (offset: number, length: number) => String.fromCharCode(...bytes.subarray(offset, offset + length));
  if (at(0, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { mime: "application/pdf", ext: "pdf" }; // %PDF-
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: "image/png", ext: "png" };
  if (at(0, [0xff, 0xd8, 0xff])) return { mime: "image/jpeg", ext: "jpg" };
  if (bytes.length >= 12 && ascii(4, 4) === "ftyp" && MP4_BRANDS.includes(ascii(8, 4))) return { mime: "video/mp4", ext: "mp4" };
  return null;
}

export const isImageAsset = (kind: AssetKind): kind is Extract<AssetKind, { ext: "png" | "jpg" }> => kind.ext === "png" || kind.ext === "jpg";
