/** The image types a logo may have, told by their first bytes rather than by name or claimed type. SVG is refused: it can carry script. */
export function sniffImage(bytes: Uint8Array): { mime: "image/png" | "image/jpeg"; ext: "png" | "jpg" } | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: "image/png", ext: "png" };
  if (starts([0xff, 0xd8, 0xff])) return { mime: "image/jpeg", ext: "jpg" };
  return null;
}

export const LOGO_MAX_BYTES = 512 * 1024;
