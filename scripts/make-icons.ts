// Draws the app icons in public/ from public/icon.svg: run after changing the SVG, and commit the PNGs.
//   npx tsx scripts/make-icons.ts
import { readFile } from "node:fs/promises";
import sharp from "sharp";

const dir = new URL("../public/", import.meta.url);
const svg = await readFile(new URL("icon.svg", dir));
// A maskable icon is cropped to a circle or squircle by the launcher: full-bleed colour, mark inside the middle 80 %.
const BRAND = "#2451c2";

async function square(size: number, file: string) {
  await sharp(svg, { density: 300 }).resize(size, size).png().toFile(new URL(file, dir).pathname);
}

async function maskable(size: number, file: string) {
  const mark = await sharp(svg, { density: 300 }).resize(Math.round(size * 0.8), Math.round(size * 0.8)).png().toBuffer();
  await sharp({ create: { width: size, height: size, channels: 4, background: BRAND } })
    .composite([{ input: mark, gravity: "centre" }])
    .png()
    .toFile(new URL(file, dir).pathname);
}

await square(192, "icon-192.png");
await square(512, "icon-512.png");
await maskable(512, "icon-maskable-512.png");
// iOS draws its own rounded corners and shows transparency as black: the full-bleed version.
await maskable(180, "apple-touch-icon.png");
