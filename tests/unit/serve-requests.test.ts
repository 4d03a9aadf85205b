import { describe, expect, it } from "vitest";
import { ownerDeadline, requestStage } from "~/domain/serve-requests";

const at = (iso: string) => new Date(iso);

describe("requestStage", () => {
  const deadline = ownerDeadline(at("2026-12-01T10:00:00Z"), 3);

  it("the owner's deadline is the request time plus the brand's days", () => {
    expect(deadline).toEqual(at("2026-12-04T10:00:00Z"));
  });

  it("a pending request is the owner's until the deadline, then the channel team's", () => {
    expect(requestStage({ status: "pending", owner_deadline: deadline }, at("2026-12-04T09:59:59.999Z"))).toBe("owner");
    expect(requestStage({ status: "pending", owner_deadline: deadline }, at("2026-12-04T10:00:00Z"))).toBe("channel");
    expect(requestStage({ status: "pending", owner_deadline: deadline }, at("2026-12-09T00:00:00Z"))).toBe("channel");
  });

  it("without an owner it is the channel team's at once; once decided it is nobody's", () => {
    expect(requestStage({ status: "pending", owner_deadline: null }, at("2026-12-01T10:00:00Z"))).toBe("channel");
    for (const status of ["approved", "transferred", "rejected"]) {
      expect(requestStage({ status, owner_deadline: deadline }, at("2026-12-02T00:00:00Z"))).toBe("decided");
    }
  });
});
