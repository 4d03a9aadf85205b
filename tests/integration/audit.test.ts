import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { localeCookie } from "~/i18n.server";
import { AUDIT_EXPORT_PAGE_ROWS, audit } from "~/models/audit.server";
import * as auditPage from "~/routes/_app.audit";
import * as auditCsv from "~/routes/audit[.]csv";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import faCommon from "#locales/fa/common.json";
import enCommon from "#locales/en/common.json";
import { createNetwork, createPartner, createUser, signedInCookie } from "../factories";
import { call, errorKeys, hit } from "../routes";

type Net = Awaited<ReturnType<typeof createNetwork>>;
type Row = { id: string; action: string; actor_name: string | null };

/**
 * One entry per kind of author: each partner's own people, brand staff acting on a partner, and
 * another brand's admin. Every entry gets a distinct action-target pair to tell them apart.
 */
async function seedLog(net: Net) {
  const other = await createNetwork();
  const at = (day: string) => new Date(`${day}T08:00:00Z`);
  const entries = [
    { who: "independentAdmin", partner: net.partners.independent, target: "ind-admin", at: at("2024-03-19") }, // 1402/12/29
    { who: "independentRep", partner: net.partners.independent, target: "ind-rep", at: at("2024-03-20") }, // 1403/01/01
    { who: "distributorAdmin", partner: net.partners.distributor, target: "dist-admin", at: at("2024-03-21") },
    { who: "reseller1Admin", partner: net.partners.reseller1, target: "res1-admin", at: at("2024-04-03") }, // 1403/01/15
    { who: "brandAdmin", partner: net.partners.independent, target: "brand-on-ind", at: at("2024-04-04") },
  ] as const;
  for (const e of entries) {
    await db()
      .insertInto("audit_log")
      .values({ id: newId(), brand_id: net.brandId, actor_user_id: net.users[e.who].id, partner_id: e.partner, action: "user.invited", target_type: "user", target_id: e.target, details: null, ip: "198.51.100.7", created_at: e.at })
      .execute();
  }
  await audit({ brandId: other.brandId, actorUserId: other.users.brandAdmin.id, partnerId: other.partners.independent, action: "user.invited", targetType: "user", targetId: "other-brand" });
  return { other };
}

const rowsOf = (o: { data: unknown }) => (o.data as { rows: (Row & { target_id: string })[] }).rows;
const targets = (o: { data: unknown }) => rowsOf(o).map((r) => r.target_id).filter((t) => t !== null).sort();

async function page(userId: string, query = "", lng?: "fa" | "en") {
  const headers: Record<string, string> = { Cookie: await signedInCookie(userId) };
  if (lng) headers.Cookie += `; ${(await localeCookie.serialize(lng)).split(";")[0]}`;
  return call(auditPage.loader, new Request(`http://localhost/audit${query}`, { headers }));
}

async function csv(userId: string, query = "", lng: "fa" | "en" = "fa") {
  const cookie = `${await signedInCookie(userId)}; ${(await localeCookie.serialize(lng)).split(";")[0]}`;
  return call(auditCsv.loader, new Request(`http://localhost/audit.csv${query}`, { headers: { Cookie: cookie } }));
}

async function csvRecords(o: { response: Response | null }): Promise<string[][]> {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await o.response!.arrayBuffer());
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return parse(text.slice(1));
}

describe("audit log: who sees what", () => {
  it("a partner admin sees what their own partner's people did, nothing of resellers, brand staff or another brand", async () => {
    const net = await createNetwork();
    await seedLog(net);
    expect(targets(await page(net.users.independentAdmin.id))).toEqual(["ind-admin", "ind-rep"]);
    // A distributor admin: its own people only, not its resellers' (separate businesses with their own admins).
    expect(targets(await page(net.users.distributorAdmin.id))).toEqual(["dist-admin"]);
    expect(targets(await page(net.users.reseller1Admin.id))).toEqual(["res1-admin"]);
    // Filters in the URL cannot widen the scope.
    expect(targets(await page(net.users.independentAdmin.id, `?partner=${net.partners.reseller1}`))).toEqual([]);
    expect(targets(await page(net.users.independentAdmin.id, `?user=${net.users.brandAdmin.id}`))).toEqual([]);
    // Partner admins get no filter options and no export.
    expect(await page(net.users.independentAdmin.id)).toMatchObject({ data: { users: [], partners: [], canFilter: false } });
    expect((await csv(net.users.independentAdmin.id)).status).toBe(403);
  });

  it("reps and brand roles other than the admin do not see the log", async () => {
    const net = await createNetwork();
    for (const who of ["independentRep", "brandManager", "channelManager"] as const) {
      expect((await page(net.users[who].id)).status, who).toBe(403);
      expect((await csv(net.users[who].id)).status, who).toBe(403);
    }
  });

  it("a brand admin sees the whole brand and no other brand, whatever the filter", async () => {
    const net = await createNetwork();
    const { other } = await seedLog(net);
    expect(targets(await page(net.users.brandAdmin.id))).toEqual(["brand-on-ind", "dist-admin", "ind-admin", "ind-rep", "res1-admin"]);
    expect(targets(await page(net.users.brandAdmin.id, `?partner=${other.partners.independent}`))).toEqual([]);
    expect(targets(await page(net.users.brandAdmin.id, `?user=${other.users.brandAdmin.id}`))).toEqual([]);
    const options = (await page(net.users.brandAdmin.id)).data as { users: { id: string }[]; partners: { id: string }[] };
    expect(options.partners.map((p) => p.id).sort()).toEqual(Object.values(net.partners).sort());
    expect(options.users.map((u) => u.id).sort()).toEqual(Object.values(net.users).map((u) => u.id).sort());
  });
});

describe("audit log: brand admin filters", () => {
  it("filters by action, user, partner and a date range typed in Jalali (fa) or ISO (en)", async () => {
    const net = await createNetwork();
    await seedLog(net);
    const admin = net.users.brandAdmin.id;
    await audit({ brandId: net.brandId, actorUserId: admin, partnerId: null, action: "settings.updated" });

    expect(rowsOf(await page(admin, "?action=settings.updated")).map((r) => r.action)).toEqual(["settings.updated"]);
    expect(targets(await page(admin, `?user=${net.users.independentRep.id}`))).toEqual(["ind-rep"]);
    expect(targets(await page(admin, `?partner=${net.partners.independent}`))).toEqual(["brand-on-ind", "ind-admin", "ind-rep"]);
    // "to" includes the whole day; Persian digits are read.
    expect(targets(await page(admin, `?from=${encodeURIComponent("۱۴۰۳/۰۱/۰۱")}&to=${encodeURIComponent("۱۴۰۳/۰۱/۱۵")}`))).toEqual(["dist-admin", "ind-rep", "res1-admin"]);
    expect(targets(await page(admin, "?from=2024-03-20&to=2024-04-03", "en"))).toEqual(["dist-admin", "ind-rep", "res1-admin"]);
    expect(targets(await page(admin, `?partner=${net.partners.independent}&from=1403/01/01&to=1403/01/15`))).toEqual(["ind-rep"]);

    const bad = await page(admin, "?from=1403/12/31&to=tomorrow");
    expect(bad.status).toBe(200);
    expect((bad.data as { errors: unknown }).errors).toEqual({ from: { key: "errors.date_impossible" }, to: { key: "errors.date_format" } });
    // Values that are not ids or actions are dropped, not passed to SQL.
    expect(targets(await page(admin, "?user=' or 1=1 --&action=x"))).toHaveLength(5);
    expect(errorKeys(bad)).toEqual({ from: "errors.date_impossible", to: "errors.date_format" });
  });
});

describe("audit log: CSV export", () => {
  it("streams the filtered brand log with a BOM, headers in the viewer's language and formulas neutralised", async () => {
    const net = await createNetwork();
    await seedLog(net);
    const admin = net.users.brandAdmin.id;
    const sneaky = await createUser(net.brandId, "partner_rep", net.partners.reseller2, { name: "=HYPERLINK(\"http://evil.example\",\"x\")" });
    await audit({ brandId: net.brandId, actorUserId: sneaky.id, partnerId: net.partners.reseller2, action: "customer.registered", targetType: "customer", targetId: "sneaky", details: { note: "+cmd|' /C calc'!A0" } });

    const fa = await csv(admin);
    expect(fa.status).toBe(200);
    expect(fa.response!.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(fa.response!.headers.get("Content-Disposition")).toContain(`filename*=UTF-8''${encodeURIComponent(faCommon.audit.file_name)}-14`);
    const [header, ...rows] = await csvRecords(fa);
    expect(header).toEqual(Object.values(faCommon.audit.csv));
    expect(rows.map((r) => r[4]).filter((t) => t.startsWith("user:")).sort()).toEqual(["user:brand-on-ind", "user:dist-admin", "user:ind-admin", "user:ind-rep", "user:res1-admin"]);
    expect(rows.some((r) => r[4].includes("other-brand"))).toBe(false);
    const sneakyRow = rows.find((r) => r[4] === "customer:sneaky")!;
    expect(sneakyRow[1]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(sneakyRow[3]).toBe(faCommon.audit.actions["customer.registered"]);
    expect(rows.find((r) => r[4] === "user:ind-rep")![0]).toBe("1403/01/01 11:30:00");

    const en = await csv(admin, `?partner=${net.partners.independent}&from=2024-03-20`, "en");
    const [enHeader, ...enRows] = await csvRecords(en);
    expect(enHeader).toEqual(Object.values(enCommon.audit.csv));
    expect(enRows.map((r) => r[4]).sort()).toEqual(["user:brand-on-ind", "user:ind-rep"]);
    expect(enRows.find((r) => r[4] === "user:ind-rep")).toEqual(["2024-03-20 11:30:00", expect.any(String), expect.any(String), "User invited", "user:ind-rep", "198.51.100.7", ""]);

    // Each export is itself in the log, with its filters.
    const exported = await db().selectFrom("audit_log").select(["details"]).where("brand_id", "=", net.brandId).where("action", "=", "audit.exported").execute();
    expect(exported).toHaveLength(2);
    expect((await csv(admin, "?from=1403/13/01")).status).toBe(400);
  });

  it("reads the log in pages and returns every row once", async () => {
    const brandAdminOnly = await createNetwork();
    const admin = brandAdminOnly.users.brandAdmin.id;
    const partnerId = await createPartner(brandAdminOnly.brandId);
    const total = AUDIT_EXPORT_PAGE_ROWS * 2 + 5;
    // Many entries in the same millisecond: the keyset must still not skip or repeat any.
    const sameInstant = new Date("2024-05-01T10:00:00.000Z");
    const values = Array.from({ length: total }, (_, i) => ({
      id: newId(),
      brand_id: brandAdminOnly.brandId,
      actor_user_id: admin,
      partner_id: partnerId,
      action: "partner.updated",
      target_type: "partner",
      target_id: `p-${i}`,
      details: null,
      ip: null,
      created_at: i % 3 === 0 ? sameInstant : new Date(sameInstant.getTime() + i * 1000),
    }));
    await db().insertInto("audit_log").values(values).execute();
    const rows = (await csvRecords(await csv(admin, `?partner=${partnerId}`))).slice(1);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r[4])).size).toBe(total);
  });
});

describe("audit log: page", () => {
  it("lists entries newest first and pages through them", async () => {
    const net = await createNetwork();
    await seedLog(net);
    const first = await hit(auditPage.loader, "/audit", {}, { as: net.users.brandAdmin.id });
    expect(first).toMatchObject({ status: 200, data: { page: 1, hasMore: false } });
    expect(rowsOf(first).map((r) => (r as unknown as { target_id: string }).target_id).slice(0, 2)).toEqual(["brand-on-ind", "res1-admin"]);
  });
});
