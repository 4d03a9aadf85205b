import { describe, expect, it } from "vitest";
import { parseEnv } from "~/utils/env.server";

describe("TRUST_PROXY", () => {
  it("is off unless set: the socket's address counts, not what a client writes in a header", () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(0);
    expect(parseEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
  });

  it.each(["true", "-1", "1.5", "abc", "99"])("refuses %j at start-up with the variable's name", (value) => {
    expect(() => parseEnv({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });
});
