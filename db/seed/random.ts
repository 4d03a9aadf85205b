// Deterministic building blocks shared by the demo seed and the benchmark data.

/** A fixed-width id (26 characters, like a ULID) from a readable prefix and a number. */
export const fixedId = (prefix: string, n: number) => `${prefix}${String(n).padStart(26 - prefix.length, "0")}`;

/** A small seeded PRNG (mulberry32): the same seed gives the same data on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
