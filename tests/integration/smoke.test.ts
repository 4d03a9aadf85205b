import { describe, expect, it } from "vitest";
import { listPartners } from "~/models/partners.server";
import { actorFor, createNetwork } from "../factories";

describe("tenant scope", () => {
  it("a distributor's admin cannot list the partner directory", async () => {
    const net = await createNetwork();
    const actor = await actorFor(net.users.brandAdmin.id);
    const page = await listPartners(actor, { page: 1 });
    expect(page.total).toBe(4);
  });
});
