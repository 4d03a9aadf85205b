import { describe, expect, it } from "vitest";
import { memo, requestMemo } from "~/utils/request-memo.server";

describe("request memo", () => {
  it("loads once per key inside one request and again in the next", async () => {
    let loads = 0;
    const load = async () => ++loads;
    const first = await requestMemo.run(new Map(), () => Promise.all([memo("actor:a", load), memo("actor:a", load), memo("actor:b", load)]));
    expect(first).toEqual([1, 1, 2]);
    expect(await requestMemo.run(new Map(), () => memo("actor:a", load))).toBe(3);
  });

  it("keeps nothing outside a request, and forgets a failed load", async () => {
    let loads = 0;
    await memo("k", async () => ++loads);
    await memo("k", async () => ++loads);
    expect(loads).toBe(2);
    await requestMemo.run(new Map(), async () => {
      await expect(memo("k", () => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
      expect(await memo("k", async () => "again")).toBe("again");
    });
  });
});
