import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import type { PartnerType, Tier } from "#db/schema";
import { audienceIncludes, audienceOf, type Audience } from "~/domain/toolkit-audience";
import { ASSET_MAX_BYTES } from "~/domain/toolkit-assets";
import { TEMPLATE_FIELDS } from "~/domain/toolkit-templates";
import { toolkitAnalytics } from "~/models/toolkits/analytics.server";
import * as analyticsPage from "~/routes/_app.toolkits.analytics";
import * as libraryPage from "~/routes/_app.toolkits._index";
import * as toolkitPage from "~/routes/_app.toolkits.$id";
import * as manageIndex from "~/routes/_app.toolkits.manage._index";
import * as managePage from "~/routes/_app.toolkits.manage.$id";
import * as assetDownload from "~/routes/toolkits.$id.assets.$assetId";
import { db } from "~/utils/db.server";
import { actorFor, createNetwork, createPartner, createUser } from "../factories";
import { errorKeys, hit, type Outcome } from "../routes";

type Network = Awaited<ReturnType<typeof createNetwork>>;
let net: Network;
let manager: string;
/** Partner users of partners with the tiers and provinces the audiences below pick by. */
const reps: Record<"goldTehran" | "goldFars" | "silverTehran" | "platinumFars", { partnerId: string; userId: string }> = {} as never;

const PNG = async () => new Uint8Array(await sharp({ create: { width: 40, height: 30, channels: 3, background: "#c00" } }).png().toBuffer());
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

beforeAll(async () => {
  net = await createNetwork();
  manager = net.users.brandManager.id;
  const make = async (tier: Tier, province: string, type: PartnerType = "reseller") => {
    const partnerId = await createPartner(net.brandId, { tier, province, type });
    return { partnerId, userId: (await createUser(net.brandId, "partner_rep", partnerId)).id };
  };
  reps.goldTehran = await make("gold", "tehran");
  reps.goldFars = await make("gold", "fars");
  reps.silverTehran = await make("silver", "tehran");
  reps.platinumFars = await make("platinum", "fars", "distributor");
});

const manageAs = (as: string, id: string, form: Record<string, string> | FormData | URLSearchParams) => hit(managePage.action, `/toolkits/manage/${id}`, { id }, { as, form });
const details = (o: Record<string, string> = {}) => ({ titleFa: "کیت آزمایشی", titleEn: "Test kit", startsOn: "1404/12/20", endsOn: "1405/01/15", ...o });

async function createKit(title = "کیت آزمایشی", as = manager): Promise<string> {
  const created = await hit(manageIndex.action, "/toolkits/manage", {}, { as, form: details({ titleFa: title }) });
  expect(created.status).toBe(302);
  return created.location!.split("/").pop()!;
}

function audienceForm(a: Partial<Audience>): URLSearchParams {
  const form = new URLSearchParams();
  form.set("intent", "audience");
  if (a.all) form.set("all", "on");
  for (const [name, values] of [["tiers", a.tiers], ["types", a.types], ["provinces", a.provinces], ["partnerIds", a.partnerIds]] as const) for (const v of values ?? []) form.append(name, v);
  return form;
}

function uploadForm(name: string, bytes: Uint8Array, o: { intent?: string; title?: string; type?: string } = {}): FormData {
  const form = new FormData();
  form.set("intent", o.intent ?? "asset");
  form.set("title", o.title ?? "بروشور");
  form.set("language", "fa");
  form.set("file", new File([new Uint8Array(bytes)], name, { type: o.type ?? "application/octet-stream" }));
  return form;
}

async function draftVersion(id: string) {
  return (await db().selectFrom("toolkits").select("draft_version").where("id", "=", id).executeTakeFirstOrThrow()).draft_version!;
}

async function publish(id: string, as = manager): Promise<Outcome> {
  return manageAs(as, id, { intent: "publish", version: String(await draftVersion(id)) });
}

/** A toolkit with one PDF asset, published to the given audience. */
async function publishedKit(a: Partial<Audience>, title?: string) {
  const id = await createKit(title);
  expect((await manageAs(manager, id, audienceForm(a))).status).toBe(200);
  expect((await manageAs(manager, id, uploadForm("بروشور نوروز.pdf", PDF, { type: "application/pdf" }))).status).toBe(200);
  expect((await publish(id)).status).toBe(302);
  const asset = await db().selectFrom("toolkit_assets").select("id").where("toolkit_id", "=", id).executeTakeFirstOrThrow();
  return { id, assetId: asset.id };
}

const page = (as: string, id: string) => hit(toolkitPage.loader, `/toolkits/${id}`, { id }, { as });
const download = (as: string, id: string, assetId: string) => hit(assetDownload.loader, `/toolkits/${id}/assets/${assetId}`, { id, assetId }, { as });
const library = async (as: string, q = "") => (await hit(libraryPage.loader, `/toolkits?q=${encodeURIComponent(q)}`, {}, { as })).data as Awaited<ReturnType<typeof libraryPage.loader>>;
const titleOnPage = async (as: string, id: string) => ((await page(as, id)).data as { toolkit: { title_fa: string } }).toolkit.title_fa;

describe("versions", () => {
  it("a draft is invisible; publishing shows it; editing makes a new draft partners do not see until it is published; earlier rows stay", async () => {
    const id = await createKit("نسخهٔ یکم");
    expect((await manageAs(manager, id, audienceForm({ all: true }))).status).toBe(200);
    expect((await manageAs(manager, id, uploadForm("a.pdf", PDF))).status).toBe(200);
    expect((await page(reps.goldTehran.userId, id)).status).toBe(404);
    expect((await publish(id)).status).toBe(302);
    expect(await titleOnPage(reps.goldTehran.userId, id)).toBe("نسخهٔ یکم");

    expect((await manageAs(manager, id, { intent: "details", ...details({ titleFa: "نسخهٔ دوم" }) })).status).toBe(200);
    const toolkit = await db().selectFrom("toolkits").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect([toolkit.status, toolkit.current_version, toolkit.draft_version]).toEqual(["published", 1, 2]);
    expect(await titleOnPage(reps.goldTehran.userId, id)).toBe("نسخهٔ یکم");
    // The draft copied the asset row (same id and file), not the file.
    const assets = await db().selectFrom("toolkit_assets").select(["id", "version", "storage_key"]).where("toolkit_id", "=", id).orderBy("version").execute();
    expect(assets.map((a) => a.version)).toEqual([1, 2]);
    expect(assets[0].id).toBe(assets[1].id);
    expect(assets[0].storage_key).toBe(assets[1].storage_key);

    expect((await publish(id)).status).toBe(302);
    expect(await titleOnPage(reps.goldTehran.userId, id)).toBe("نسخهٔ دوم");
    const versions = await db().selectFrom("toolkit_versions").select(["version", "title_fa", "published_at"]).where("toolkit_id", "=", id).orderBy("version").execute();
    expect(versions.map((v) => [v.version, v.title_fa, v.published_at !== null])).toEqual([[1, "نسخهٔ یکم", true], [2, "نسخهٔ دوم", true]]);
    const audits = await db().selectFrom("audit_log").select("action").where("target_id", "=", id).execute();
    expect(audits.filter((a) => a.action === "toolkit.published")).toHaveLength(2);
  });

  it("removing an asset in the new draft leaves the published version's file downloadable until the draft is published", async () => {
    const { id, assetId } = await publishedKit({ all: true });
    expect((await manageAs(manager, id, { intent: "remove_asset", rowId: assetId })).status).toBe(200);
    expect((await download(reps.goldTehran.userId, id, assetId)).status).toBe(200);
    expect((await publish(id)).status).toBe(302);
    expect((await download(reps.goldTehran.userId, id, assetId)).status).toBe(404);
    expect(await db().selectFrom("toolkit_assets").select("version").where("id", "=", assetId).execute()).toEqual([{ version: 1 }]);
  });

  it("publishing needs an audience; campaign dates are strict Jalali with the end not before the start", async () => {
    const id = await createKit();
    const empty = await publish(id);
    expect(empty.status).toBe(400);
    expect(errorKeys(empty)).toEqual({ form: "toolkits:errors.audience_empty" });
    const impossible = await manageAs(manager, id, { intent: "details", ...details({ startsOn: "1404/12/31" }) }); // 1404 is not a leap year
    expect(errorKeys(impossible)).toEqual({ startsOn: "errors.date_impossible" });
    const backwards = await manageAs(manager, id, { intent: "details", ...details({ startsOn: "1405/01/10", endsOn: "1405/01/09" }) });
    expect(backwards.status).toBe(400);
    expect(errorKeys(backwards)).toEqual({ endsOn: "toolkits:errors.end_before_start" });
    expect((await db().selectFrom("toolkits").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("draft");
  });
});

describe("status changes", () => {
  it("of two publishes of the same draft one wins, the other is told it changed", async () => {
    const id = await createKit();
    await manageAs(manager, id, audienceForm({ all: true }));
    const [a, b] = await Promise.all([publish(id), publish(id)]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    expect(errorKeys([a, b].find((o) => o.status === 409)!)).toEqual({ form: "toolkits:errors.changed" });
    expect(await db().selectFrom("toolkit_versions").select("version").where("toolkit_id", "=", id).execute()).toEqual([{ version: 1 }]);
  });

  it("of two archives one wins; an archived toolkit is hidden from partners and no longer editable", async () => {
    const { id, assetId } = await publishedKit({ all: true }, "کیت بایگانی");
    expect((await library(reps.goldTehran.userId)).toolkits.map((k) => k.id)).toContain(id);
    const [a, b] = await Promise.all([manageAs(manager, id, { intent: "archive" }), manageAs(manager, id, { intent: "archive" })]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((await library(reps.goldTehran.userId)).toolkits.map((k) => k.id)).not.toContain(id);
    expect((await page(reps.goldTehran.userId, id)).status).toBe(404);
    expect((await download(reps.goldTehran.userId, id, assetId)).status).toBe(404);
    const edit = await manageAs(manager, id, { intent: "details", ...details() });
    expect(edit.status).toBe(409);
    expect(errorKeys(edit)).toEqual({ form: "toolkits:errors.archived" });
    expect(await db().selectFrom("toolkit_versions").select("version").where("toolkit_id", "=", id).execute()).toEqual([{ version: 1 }]);
  });
});

describe("audience", () => {
  it("gold partners see a toolkit for gold; a silver partner gets 404 for the page and the file", async () => {
    const { id, assetId } = await publishedKit({ tiers: ["gold", "platinum"] });
    expect((await page(reps.goldFars.userId, id)).status).toBe(200);
    expect((await download(reps.platinumFars.userId, id, assetId)).status).toBe(200);
    expect((await page(reps.silverTehran.userId, id)).status).toBe(404);
    expect((await download(reps.silverTehran.userId, id, assetId)).status).toBe(404);
    expect((await library(reps.silverTehran.userId)).toolkits.map((k) => k.id)).not.toContain(id);
    // Brand roles see every toolkit of their brand; another brand's staff do not.
    expect((await download(net.users.channelManager.id, id, assetId)).status).toBe(200);
    const other = await createNetwork();
    expect((await hit(managePage.loader, `/toolkits/manage/${id}`, { id }, { as: other.users.brandManager.id })).status).toBe(404);
  });

  it("the library is per partner: a distributor does not see what was picked for its reseller, nor the reseller what was for the distributor", async () => {
    const forReseller = await publishedKit({ partnerIds: [net.partners.reseller1] });
    const forDistributor = await publishedKit({ partnerIds: [net.partners.distributor] });
    expect((await page(net.users.reseller1Rep.id, forReseller.id)).status).toBe(200);
    expect((await page(net.users.distributorRep.id, forReseller.id)).status).toBe(404);
    expect((await page(net.users.distributorRep.id, forDistributor.id)).status).toBe(200);
    expect((await page(net.users.reseller1Rep.id, forDistributor.id)).status).toBe(404);
  });

  it("the SQL rule and the domain rule agree on every partner for combined audiences", async () => {
    const audiences: Partial<Audience>[] = [
      { tiers: ["gold"], provinces: ["tehran"] },
      { types: ["distributor"] },
      { provinces: ["fars"], partnerIds: [reps.silverTehran.partnerId] },
      { tiers: ["platinum", "silver"], types: ["reseller"] },
    ];
    const partners = await db().selectFrom("partners").select(["id", "tier", "type", "province"]).where("brand_id", "=", net.brandId).execute();
    const users = await db().selectFrom("users").select(["id", "partner_id"]).where("brand_id", "=", net.brandId).where("role", "=", "partner_rep").execute();
    for (const a of audiences) {
      const { id } = await publishedKit(a);
      const version = await db().selectFrom("toolkit_versions").selectAll().where("toolkit_id", "=", id).executeTakeFirstOrThrow();
      for (const p of partners) {
        const user = users.find((u) => u.partner_id === p.id);
        if (!user) continue;
        const expected = audienceIncludes(audienceOf(version), p);
        expect((await page(user.id, id)).status, `${JSON.stringify(a)} ${p.tier} ${p.type} ${p.province}`).toBe(expected ? 200 : 404);
      }
    }
  });
});

describe("uploads", () => {
  const stored = (id: string) => {
    const dir = path.join(process.env.UPLOAD_DIR!, "toolkits", id);
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  it("a renamed executable, an SVG, an HTML page and an oversized file are refused and nothing is stored", async () => {
    const id = await createKit();
    const cases: [string, Uint8Array, number, Record<string, string>][] = [
      ["flyer.pdf", new Uint8Array(Buffer.from("MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode")), 400, { file: "toolkits:errors.asset_type" }],
      ["logo.png", new Uint8Array(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')), 400, { file: "toolkits:errors.asset_type" }],
      ["page.jpg", new Uint8Array(Buffer.from("<!doctype html><script>alert(1)</script>")), 400, { file: "toolkits:errors.asset_type" }],
      ["big.pdf", new Uint8Array(ASSET_MAX_BYTES + 1).fill(0x25), 413, { file: "toolkits:errors.asset_too_large" }],
    ];
    for (const [name, bytes, status, errors] of cases) {
      const outcome = await manageAs(manager, id, uploadForm(name, bytes));
      expect(outcome.status, name).toBe(status);
      expect(errorKeys(outcome), name).toEqual(errors);
    }
    const missingTitle = await manageAs(manager, id, uploadForm("a.pdf", PDF, { title: "" }));
    expect(errorKeys(missingTitle)).toEqual({ title: "errors.required" });
    expect(await db().selectFrom("toolkit_assets").select("id").where("toolkit_id", "=", id).execute()).toEqual([]);
    expect(stored(id)).toEqual([]);
  });

  it("an image asset is re-encoded (trailing bytes gone) and served with its type and file name", async () => {
    const { id } = await publishedKit({ tiers: ["gold"] });
    const png = await PNG();
    const withTail = new Uint8Array([...png, ...Buffer.from("<script>alert(1)</script>")]);
    expect((await manageAs(manager, id, uploadForm("پوستر.png", withTail, { title: "پوستر" }))).status).toBe(200);
    expect((await publish(id)).status).toBe(302);
    const asset = await db().selectFrom("toolkit_assets").selectAll().where("toolkit_id", "=", id).where("title", "=", "پوستر").where("version", "=", 2).executeTakeFirstOrThrow();
    const res = (await download(reps.goldTehran.userId, id, asset.id)).response!;
    expect(res.headers.get("Content-Type")).toBe("image/png");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="_____.png"; filename*=UTF-8''${encodeURIComponent("پوستر.png")}`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.includes(Buffer.from("<script>"))).toBe(false);
    expect((await sharp(body).metadata()).width).toBe(40);
  });
});

describe("library", () => {
  it("finds a Persian title typed with Arabic ي and ك, newest first, marked new since the last visit", async () => {
    const user = (await createUser(net.brandId, "partner_rep", reps.goldFars.partnerId)).id;
    const older = await publishedKit({ provinces: ["fars"] }, "کیت تابستانی");
    const yalda = await publishedKit({ provinces: ["fars"] }, "کیت ویژهٔ یلدا");
    const found = await library(user, "كيت ويژه");
    expect(found.toolkits.map((k) => k.id)).toEqual([yalda.id]);
    const first = await library(user);
    const ids = first.toolkits.map((k) => k.id);
    expect(ids.indexOf(yalda.id)).toBeLessThan(ids.indexOf(older.id));
    expect(first.toolkits.every((k) => k.isNew)).toBe(true);
    const later = await publishedKit({ provinces: ["fars"] }, "کیت پاییزی");
    const second = await library(user);
    expect(second.toolkits.filter((k) => k.isNew).map((k) => k.id)).toEqual([later.id]);
  });
});

describe("analytics", () => {
  it("counts views and downloads by partner and tier, and lists the audience partners who never opened it", async () => {
    const { id, assetId } = await publishedKit({ tiers: ["gold"] });
    await page(reps.goldTehran.userId, id);
    await page(reps.goldTehran.userId, id);
    await download(reps.goldTehran.userId, id, assetId);
    await download(reps.goldFars.userId, id, assetId); // downloaded by link without opening the page
    await page(manager, id); // brand staff are refused the partner page and never counted
    const result = (await toolkitAnalytics(await actorFor(net.users.channelManager.id), id, 30))!;
    const byPartner = Object.fromEntries(result.byPartner.map((p) => [p.id, p.counts]));
    expect(byPartner[reps.goldTehran.partnerId]).toEqual({ view: 2, download: 1, render: 0 });
    expect(byPartner[reps.goldFars.partnerId]).toEqual({ view: 0, download: 1, render: 0 });
    expect(result.byTier).toEqual([{ tier: "gold", counts: { view: 2, download: 2, render: 0 } }]);
    expect(result.byWeek.reduce((n, w) => n + w.counts.view + w.counts.download, 0)).toBe(4);
    const gold = await db().selectFrom("partners").select("id").where("brand_id", "=", net.brandId).where("tier", "=", "gold").execute();
    expect(result.neverOpened.map((p) => p.id).sort()).toEqual(gold.map((p) => p.id).filter((p) => p !== reps.goldTehran.partnerId).sort());
    expect(result.neverOpened.map((p) => p.id)).toContain(reps.goldFars.partnerId);
    const html = await hit(analyticsPage.loader, `/toolkits/analytics?toolkit=${id}&days=90`, {}, { as: net.users.channelManager.id });
    expect(html.status).toBe(200);
    expect((await hit(analyticsPage.loader, `/toolkits/analytics?toolkit=${id}`, {}, { as: reps.goldTehran.userId })).status).toBe(403);
  });
});

describe("templates", () => {
  it("a template whose placeholders disagree with its field switches is refused; a consistent one is added to the draft", async () => {
    const id = await createKit();
    const form = (html: string) => {
      const f: Record<string, string> = { intent: "template", nameFa: "کارت هم‌برند", nameEn: "Co-brand card", lang: "fa", html, css: "p{color:red}", messageMax: "120", formats: "pdf_a4" };
      for (const name of TEMPLATE_FIELDS) f[`field_${name}`] = name === "partner_name" || name === "message" ? "required" : "off";
      return f;
    };
    const bad = await manageAs(manager, id, form("<p>{{partner_name}} {{partner_phone}}</p>"));
    expect(bad.status).toBe(400);
    expect(errorKeys(bad)).toEqual({ field_partner_phone: "toolkits:errors.placeholder_off", field_message: "toolkits:errors.missing_placeholder" });
    expect((await manageAs(manager, id, form("<p>{{partner_name}}</p><p>{{message}}</p>"))).status).toBe(200);
    const row = await db().selectFrom("toolkit_templates").selectAll().where("toolkit_id", "=", id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.fields)).toMatchObject({ fields: { partner_name: "required", message: "required", customer_name: "off" }, messageMax: 120 });
    expect(JSON.parse(row.formats)).toEqual(["pdf_a4"]);
  });
});
