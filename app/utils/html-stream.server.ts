import { Transform } from "node:stream";

/**
 * React 18's streaming renderer copies text into 2 KB buffers; when a multi-byte character does
 * not fit at the end of one, it sends the whole buffer anyway, unused last byte included: a NUL in
 * the middle of the page ("بس\0ته"). Persian text is two bytes a letter, so most pages get some.
 * Browsers drop a NUL in text but turn it into U+FFFD in attributes and in the inline hydration
 * data. A NUL byte is never part of a UTF-8 multi-byte character and the app never sends one on
 * purpose (forms refuse control characters), so every NUL byte is dropped on the way out.
 */
export function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.includes(0) ? chunk.filter((byte) => byte !== 0) : chunk);
    },
  });
}
