import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "#db/schema";
import {
  assignableRoles,
  can,
  canManageUser,
  inviteRolesFor,
  isBrandRole,
  roleNeedsPartner,
  twoFactorRequired,
  type Actor,
  type Permission,
} from "~/domain/permissions";

const actor = (role: Role, o: Partial<Actor> = {}): Actor => ({
  userId: "U-SELF",
  brandId: "B1",
  role,
  email: "self@test.example",
  displayName: "Self",
  partnerId: isBrandRole(role) ? null : "P1",
  partnerType: isBrandRole(role) ? null : "reseller",
  scope: isBrandRole(role) ? "network" : ["P1"],
  ...o,
});

// The whole grant table, written out so any change to it is a visible, reviewed change here.
const EXPECTED: Record<Permission, Role[]> = {
  "partners.view": ["brand_admin", "brand_manager", "channel_manager"],
  "partners.manage": ["brand_admin"],
  "partners.tier": ["brand_admin", "channel_manager"],
  "users.manage": ["brand_admin", "partner_admin"],
  "profile.edit": ["partner_admin"],
  "audit.view": ["brand_admin", "partner_admin"],
  "audit.export": ["brand_admin"],
  "customers.view": ["brand_admin", "brand_manager", "channel_manager", "partner_admin", "partner_rep"],
  "customers.register": ["partner_admin", "partner_rep"],
  "customers.steward": ["brand_admin", "channel_manager"],
  "customers.import": ["partner_admin", "partner_rep"],
  "customers.export": ["brand_admin", "brand_manager", "channel_manager", "partner_admin"],
  "conflicts.resolve": ["brand_admin", "channel_manager"],
  "serve_requests.decide": ["partner_admin"],
  "settings.manage": ["brand_admin", "brand_manager"],
  "security.manage": ["brand_admin"],
  "toolkits.manage": ["brand_admin", "brand_manager"],
  "toolkits.view": ["partner_admin", "partner_rep"],
  "toolkits.analytics": ["brand_admin", "brand_manager", "channel_manager"],
  "catalog.view": ["brand_admin", "brand_manager", "channel_manager", "partner_admin", "partner_rep"],
  "catalog.manage": ["brand_admin", "brand_manager"],
  "orders.view": ["brand_admin", "brand_manager", "channel_manager", "partner_admin", "partner_rep"],
  "orders.place": ["partner_admin", "partner_rep"],
  "orders.approve": ["brand_admin", "channel_manager"],
  "orders.fulfil": ["brand_admin", "channel_manager"],
  "ideas.view": ["brand_admin", "brand_manager", "channel_manager", "partner_admin", "partner_rep"],
  "ideas.post": ["brand_admin", "brand_manager", "channel_manager", "partner_admin", "partner_rep"],
  "ideas.support": ["partner_admin", "partner_rep"],
  "ideas.merge": ["brand_admin", "brand_manager", "channel_manager"],
  "ideas.answer": ["brand_admin", "brand_manager"],
  "ideas.follow_up": ["partner_admin", "partner_rep"],
  "insights.view": ["brand_admin", "brand_manager", "channel_manager", "partner_admin"],
};

describe("can", () => {
  for (const [permission, roles] of Object.entries(EXPECTED) as [Permission, Role[]][]) {
    for (const role of ROLES) {
      const allowed = roles.includes(role);
      it(`${role} ${allowed ? "may" : "may not"} ${permission}`, () => {
        expect(can({ role }, permission)).toBe(allowed);
      });
    }
  }

  it("brand roles are exactly the three brand-side roles; partner roles need a partner", () => {
    expect(ROLES.filter(isBrandRole)).toEqual(["brand_admin", "brand_manager", "channel_manager"]);
    expect(ROLES.filter(roleNeedsPartner)).toEqual(["partner_admin", "partner_rep"]);
  });
});

describe("inviteRolesFor", () => {
  it("a brand admin invites brand staff and partner admins, never reps directly", () => {
    expect(inviteRolesFor("brand_admin")).toEqual(["brand_admin", "brand_manager", "channel_manager", "partner_admin"]);
  });

  it("a partner admin invites only reps", () => {
    expect(inviteRolesFor("partner_admin")).toEqual(["partner_rep"]);
  });

  it.each(["brand_manager", "channel_manager", "partner_rep"] as const)("%s invites nobody", (role) => {
    expect(inviteRolesFor(role)).toEqual([]);
  });

  it("only roles holding users.manage can invite anyone", () => {
    for (const role of ROLES) expect(inviteRolesFor(role).length > 0, role).toBe(can({ role }, "users.manage"));
  });
});

describe("canManageUser", () => {
  const rep = { id: "U-REP", role: "partner_rep" as const, partnerId: "P1" };
  const otherRep = { id: "U-REP2", role: "partner_rep" as const, partnerId: "P2" };
  const partnerAdmin = { id: "U-PA", role: "partner_admin" as const, partnerId: "P1" };
  const manager = { id: "U-BM", role: "brand_manager" as const, partnerId: null };

  it("nobody manages themself, not even a brand admin", () => {
    for (const role of ROLES) {
      const a = actor(role);
      expect(canManageUser(a, { id: a.userId, role, partnerId: a.partnerId }), role).toBe(false);
    }
  });

  it("a brand admin manages anyone else", () => {
    const a = actor("brand_admin");
    for (const target of [rep, otherRep, partnerAdmin, manager, { id: "U-BA2", role: "brand_admin" as const, partnerId: null }]) {
      expect(canManageUser(a, target), target.id).toBe(true);
    }
  });

  it("a partner admin manages only reps of their own partner", () => {
    const a = actor("partner_admin");
    expect(canManageUser(a, rep)).toBe(true);
    expect(canManageUser(a, otherRep)).toBe(false);
    expect(canManageUser(a, partnerAdmin)).toBe(false);
    expect(canManageUser(a, manager)).toBe(false);
  });

  it("a distributor's admin does not manage its resellers' reps", () => {
    const a = actor("partner_admin", { partnerType: "distributor", scope: ["P1", "P2"] });
    expect(canManageUser(a, otherRep)).toBe(false);
  });

  it.each(["brand_manager", "channel_manager", "partner_rep"] as const)("%s manages nobody", (role) => {
    const a = actor(role);
    for (const target of [rep, otherRep, partnerAdmin, manager]) expect(canManageUser(a, target), target.id).toBe(false);
  });
});

describe("assignableRoles", () => {
  it("a brand admin moves brand staff among brand roles and partner users among partner roles", () => {
    const a = actor("brand_admin");
    expect(assignableRoles(a, { id: "U-BM", role: "brand_manager", partnerId: null })).toEqual(["brand_admin", "brand_manager", "channel_manager"]);
    expect(assignableRoles(a, { id: "U-REP", role: "partner_rep", partnerId: "P1" })).toEqual(["partner_admin", "partner_rep"]);
  });

  it("a brand admin cannot change their own role", () => {
    const a = actor("brand_admin");
    expect(assignableRoles(a, { id: a.userId, role: "brand_admin", partnerId: null })).toEqual([]);
  });

  it("no other role assigns roles, even to users it may manage", () => {
    const partnerAdmin = actor("partner_admin");
    expect(canManageUser(partnerAdmin, { id: "U-REP", role: "partner_rep", partnerId: "P1" })).toBe(true);
    expect(assignableRoles(partnerAdmin, { id: "U-REP", role: "partner_rep", partnerId: "P1" })).toEqual([]);
    for (const role of ["brand_manager", "channel_manager", "partner_rep"] as const) {
      expect(assignableRoles(actor(role), { id: "U-REP", role: "partner_rep", partnerId: "P1" }), role).toEqual([]);
    }
  });

  it("never offers a brand role to a partner user nor a partner role to brand staff", () => {
    const a = actor("brand_admin");
    for (const role of ROLES) {
      const partnerUser = assignableRoles(a, { id: "U-X", role, partnerId: "P1" });
      const staff = assignableRoles(a, { id: "U-Y", role, partnerId: null });
      expect(partnerUser.some(isBrandRole)).toBe(false);
      expect(staff.every(isBrandRole)).toBe(true);
    }
  });
});

describe("twoFactorRequired", () => {
  it("applies the brand's requirement to brand roles only", () => {
    for (const role of ROLES) {
      expect(twoFactorRequired(role, true), role).toBe(isBrandRole(role));
      expect(twoFactorRequired(role, false), role).toBe(false);
    }
  });
});
