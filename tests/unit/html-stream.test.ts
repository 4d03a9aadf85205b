import { PassThrough, type Writable } from "node:stream";
import { text } from "node:stream/consumers";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { withoutNulBytes } from "~/utils/html-stream.server";

// 300 short Persian paragraphs: with React 18.3.1 two of the two-byte letters straddle the end
// of a 2 KB buffer.
const PARAGRAPH = "مشتری سلام";
const page = createElement("div", null, ...Array.from({ length: 300 }, (_, i) => createElement("p", { key: i }, PARAGRAPH)));

function render(into: Writable): Promise<string> {
  const done = text(into as unknown as NodeJS.ReadableStream);
  renderToPipeableStream(page, { onAllReady() {} }).pipe(into);
  return done;
}

describe("server-rendered HTML", () => {
  it("React 18 alone puts NUL bytes into long Persian pages (the reason for the filter)", async () => {
    expect(await render(new PassThrough())).toContain("\u0000");
  });

  it("carries no NUL byte and every letter once it passes the filter", async () => {
    const html = await render(withoutNulBytes());
    expect(html).not.toContain("\u0000");
    expect(html).toBe(`<div>${`<p>${PARAGRAPH}</p>`.repeat(300)}</div>`);
  });
});
