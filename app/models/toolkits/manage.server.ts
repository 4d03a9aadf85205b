import type { Transaction } from "kysely";
import type { DB, ToolkitAssetsTable } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { audienceOf, isEmptyAudience, type Audience } from "~/domain/toolkit-audience";
import { toSearchKey } from "~/domain/text";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { audit } from "../audit.server";
import { assertCan, toolkitVisible } from "../scope.server";
import type { TemplateFields } from "~/domain/toolkit-templates";
import type { TemplateInput, ToolkitInput } from "./forms";

// The brand side of toolkits: a draft version is edited freely; publishing makes it the version
// partners see; editing a published toolkit first copies its current version (rows, not files) into
// a new draft. Every state change is a conditional update, so of two clicks at once one wins.

export type ManageResult = { ok: true } | { ok: false; reason: "archived" | "changed" | "audience_empty" };

const audienceColumns = (a: Audience) => ({
  audience_all: a.all,
  audience_tiers: JSON.stringify(a.tiers),
  audience_types: JSON.stringify(a.types),
  audience_provinces: JSON.stringify(a.provinces),
  audience_partner_ids: JSON.stringify(a.partnerIds),
});

/** The brand's toolkits with the version being edited (or the published one), newest first. */
export async function listToolkits(actor: Actor) {
  assertCan(actor, "toolkits.manage");
  const rows = await db()
    .selectFrom("toolkits")
    .innerJoin("toolkit_versions as v", (j) => j.onRef("v.toolkit_id", "=", "toolkits.id").on((eb) => eb("v.version", "=", eb.fn.coalesce("toolkits.draft_version", "toolkits.current_version"))))
    .select(["toolkits.id", "toolkits.status", "toolkits.current_version", "toolkits.draft_version", "toolkits.updated_at"])
    .select(["v.title_fa", "v.title_en", "v.starts_at", "v.ends_at", "v.audience_all", "v.audience_tiers", "v.audience_types", "v.audience_provinces", "v.audience_partner_ids"])
    .where(toolkitVisible(actor))
    .orderBy("toolkits.created_at", "desc")
    .orderBy("toolkits.id", "desc")
    .execute();
  return rows.map(({ audience_all, audience_tiers, audience_types, audience_provinces, audience_partner_ids, ...r }) => ({
    ...r,
    audience: audienceOf({ audience_all, audience_tiers, audience_types, audience_provinces, audience_partner_ids }),
  }));
}

/** One toolkit for its edit page: the draft when there is one, otherwise the published version. */
export async function getToolkitForEdit(actor: Actor, id: string) {
  assertCan(actor, "toolkits.manage");
  const toolkit = await db().selectFrom("toolkits").selectAll().where("id", "=", id).where(toolkitVisible(actor)).executeTakeFirst();
  if (!toolkit) return undefined;
  const version = toolkit.draft_version ?? toolkit.current_version!;
  const [row, assets, templates, partners] = await Promise.all([
    db().selectFrom("toolkit_versions").selectAll().where("toolkit_id", "=", id).where("version", "=", version).executeTakeFirstOrThrow(),
    db().selectFrom("toolkit_assets").select(["id", "title", "language", "mime", "size_bytes", "file_name"]).where("toolkit_id", "=", id).where("version", "=", version).orderBy("created_at").orderBy("id").execute(),
    db().selectFrom("toolkit_templates").select(["id", "name_fa", "name_en", "lang", "formats", "fields", "html", "css"]).where("toolkit_id", "=", id).where("version", "=", version).orderBy("created_at").orderBy("id").execute(),
    db().selectFrom("partners").select(["id", "name_fa", "name_en", "tier", "province"]).where("brand_id", "=", actor.brandId).where("active", "=", true).orderBy("name_key").execute(),
  ]);
  const { audience_all, audience_tiers, audience_types, audience_provinces, audience_partner_ids, ...details } = row;
  return {
    toolkit,
    version: { ...details, audience: audienceOf({ audience_all, audience_tiers, audience_types, audience_provinces, audience_partner_ids }) },
    assets,
    templates: templates.map((t) => ({ ...t, formats: JSON.parse(t.formats) as string[], fields: JSON.parse(t.fields) as TemplateFields })),
    partners,
  };
}

const detailColumns = (d: ToolkitInput) => ({
  title_fa: d.titleFa,
  title_en: d.titleEn,
  description_fa: d.descriptionFa,
  description_en: d.descriptionEn,
  starts_at: d.startsOn,
  ends_at: d.endsOn,
});

export async function createToolkit(actor: Actor, d: ToolkitInput): Promise<string> {
  assertCan(actor, "toolkits.manage");
  const id = newId();
  const now = new Date();
  await transaction(async (trx) => {
    await trx.insertInto("toolkits").values({ id, brand_id: actor.brandId, status: "draft", current_version: null, draft_version: 1, published_at: null, created_by: actor.userId, created_at: now, updated_at: now }).execute();
    await trx
      .insertInto("toolkit_versions")
      .values({ toolkit_id: id, version: 1, brand_id: actor.brandId, ...detailColumns(d), cover_key: null, cover_mime: null, audience_partner_ids: "[]", published_at: null, published_by: null, created_at: now })
      .execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "toolkit.created", targetType: "toolkit", targetId: id, details: { title: d.titleFa } }, trx);
  });
  return id;
}

/**
 * The draft version to write to, made when there is none: a copy of the published version with
 * its asset and template rows (the files are shared, never copied). Archived toolkits are read-only.
 */
async function ensureDraft(trx: Transaction<DB>, actor: Actor, id: string): Promise<number | "archived" | null> {
  const toolkit = await trx.selectFrom("toolkits").select(["status", "current_version", "draft_version"]).where("id", "=", id).where(toolkitVisible(actor)).forUpdate().executeTakeFirst();
  if (!toolkit) return null;
  if (toolkit.status === "archived") return "archived";
  if (toolkit.draft_version !== null) return toolkit.draft_version;
  const from = toolkit.current_version!;
  const draft = from + 1;
  const claimed = await trx.updateTable("toolkits").set({ draft_version: draft, updated_at: new Date() }).where("id", "=", id).where("draft_version", "is", null).where("status", "=", "published").executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return null;
  const now = new Date();
  const version = await trx.selectFrom("toolkit_versions").selectAll().where("toolkit_id", "=", id).where("version", "=", from).executeTakeFirstOrThrow();
  await trx.insertInto("toolkit_versions").values({ ...version, audience_all: Boolean(version.audience_all), version: draft, published_at: null, published_by: null, created_at: now }).execute();
  const assets = await trx.selectFrom("toolkit_assets").selectAll().where("toolkit_id", "=", id).where("version", "=", from).execute();
  if (assets.length) await trx.insertInto("toolkit_assets").values(assets.map((a) => ({ ...a, version: draft }))).execute();
  const templates = await trx.selectFrom("toolkit_templates").selectAll().where("toolkit_id", "=", id).where("version", "=", from).execute();
  if (templates.length) await trx.insertInto("toolkit_templates").values(templates.map((t) => ({ ...t, version: draft }))).execute();
  return draft;
}

/** Runs one edit on the draft (made if needed) in one transaction with its audit entry. Undefined: not found. */
async function editDraft(actor: Actor, id: string, action: string, edit: (trx: Transaction<DB>, version: number) => Promise<Record<string, unknown> | void>): Promise<ManageResult | undefined> {
  assertCan(actor, "toolkits.manage");
  return transaction(async (trx) => {
    const version = await ensureDraft(trx, actor, id);
    if (version === null) return undefined;
    if (version === "archived") return { ok: false, reason: "archived" } as const;
    const details = await edit(trx, version);
    await trx.updateTable("toolkits").set({ updated_at: new Date() }).where("id", "=", id).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action, targetType: "toolkit", targetId: id, details: { version, ...details } }, trx);
    return { ok: true } as const;
  });
}

export const updateDetails = (actor: Actor, id: string, d: ToolkitInput) =>
  editDraft(actor, id, "toolkit.edited", async (trx, version) => {
    await trx.updateTable("toolkit_versions").set(detailColumns(d)).where("toolkit_id", "=", id).where("version", "=", version).execute();
  });

/** Hand-picked partners must be the brand's own; others are dropped rather than stored. */
export const setAudience = (actor: Actor, id: string, a: Audience) =>
  editDraft(actor, id, "toolkit.audience", async (trx, version) => {
    const known = a.partnerIds.length ? (await trx.selectFrom("partners").select("id").where("brand_id", "=", actor.brandId).where("id", "in", a.partnerIds).execute()).map((p) => p.id) : [];
    const audience = { ...a, partnerIds: a.partnerIds.filter((p) => known.includes(p)) };
    await trx.updateTable("toolkit_versions").set(audienceColumns(audience)).where("toolkit_id", "=", id).where("version", "=", version).execute();
    return { audience };
  });

export const setCover = (actor: Actor, id: string, key: string, mime: string) =>
  editDraft(actor, id, "toolkit.cover", async (trx, version) => {
    await trx.updateTable("toolkit_versions").set({ cover_key: key, cover_mime: mime }).where("toolkit_id", "=", id).where("version", "=", version).execute();
  });

export type NewAsset = Pick<ToolkitAssetsTable, "title" | "language" | "storage_key" | "mime" | "size_bytes" | "file_name">;

export const addAsset = (actor: Actor, id: string, asset: NewAsset) =>
  editDraft(actor, id, "toolkit.asset_added", async (trx, version) => {
    await trx.insertInto("toolkit_assets").values({ id: newId(), brand_id: actor.brandId, toolkit_id: id, version, ...asset, created_at: new Date() }).execute();
    return { title: asset.title, mime: asset.mime, size: asset.size_bytes };
  });

/** Removes an asset or template from the draft only; rows of published versions stay. */
const removeRow = (table: "toolkit_assets" | "toolkit_templates", action: string) => (actor: Actor, id: string, rowId: string) =>
  editDraft(actor, id, action, async (trx, version) => {
    await trx.deleteFrom(table).where("toolkit_id", "=", id).where("version", "=", version).where("id", "=", rowId).execute();
    return { removed: rowId };
  });
export const removeAsset = removeRow("toolkit_assets", "toolkit.asset_removed");
export const removeTemplate = removeRow("toolkit_templates", "toolkit.template_removed");

export const addTemplate = (actor: Actor, id: string, t: TemplateInput) =>
  editDraft(actor, id, "toolkit.template_added", async (trx, version) => {
    await trx
      .insertInto("toolkit_templates")
      .values({ id: newId(), brand_id: actor.brandId, toolkit_id: id, version, ...templateColumns(t), created_at: new Date() })
      .execute();
    return { name: t.nameFa };
  });

const templateColumns = (t: TemplateInput) => ({ name_fa: t.nameFa, name_en: t.nameEn, lang: t.lang, html: t.html, css: t.css, fields: JSON.stringify(t.config), formats: JSON.stringify(t.formats) });

/**
 * Changes a template in place in the draft (made from the published version first if needed, so
 * files partners made from that version keep their template). A template the draft no longer has
 * is a 404, and the draft made for it is rolled back.
 */
export const updateTemplate = (actor: Actor, id: string, templateId: string, t: TemplateInput) =>
  editDraft(actor, id, "toolkit.template_edited", async (trx, version) => {
    const found = await trx.selectFrom("toolkit_templates").select("id").where("toolkit_id", "=", id).where("version", "=", version).where("id", "=", templateId).executeTakeFirst();
    if (!found) throw new Response("Not Found", { status: 404 });
    await trx.updateTable("toolkit_templates").set(templateColumns(t)).where("toolkit_id", "=", id).where("version", "=", version).where("id", "=", templateId).execute();
    return { template: templateId, name: t.nameFa };
  });

/** Whether the actor may edit this toolkit (the brand's own); the template preview asks before rendering anything. */
export async function editableToolkit(actor: Actor, id: string): Promise<boolean> {
  assertCan(actor, "toolkits.manage");
  return Boolean(await db().selectFrom("toolkits").select("id").where("id", "=", id).where(toolkitVisible(actor)).executeTakeFirst());
}

/**
 * Makes the draft the version partners see. `draftVersion` is the one the page showed: if another
 * publish got there first, this one is told so and nothing changes.
 */
export async function publishToolkit(actor: Actor, id: string, draftVersion: number): Promise<ManageResult | undefined> {
  assertCan(actor, "toolkits.manage");
  return transaction(async (trx) => {
    const toolkit = await trx.selectFrom("toolkits").select(["status", "draft_version"]).where("id", "=", id).where(toolkitVisible(actor)).executeTakeFirst();
    if (!toolkit) return undefined;
    if (toolkit.status === "archived") return { ok: false, reason: "archived" } as const;
    const version = await trx.selectFrom("toolkit_versions").selectAll().where("toolkit_id", "=", id).where("version", "=", draftVersion).executeTakeFirst();
    if (!version || toolkit.draft_version !== draftVersion) return { ok: false, reason: "changed" } as const;
    if (isEmptyAudience(audienceOf(version))) return { ok: false, reason: "audience_empty" } as const;
    const now = new Date();
    const done = await trx
      .updateTable("toolkits")
      .set({ status: "published", current_version: draftVersion, draft_version: null, published_at: now, search_key: toSearchKey(`${version.title_fa} ${version.title_en}`), updated_at: now })
      .where("id", "=", id)
      .where("draft_version", "=", draftVersion)
      .where("status", "in", ["draft", "published"])
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return { ok: false, reason: "changed" } as const;
    await trx.updateTable("toolkit_versions").set({ published_at: now, published_by: actor.userId }).where("toolkit_id", "=", id).where("version", "=", draftVersion).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "toolkit.published", targetType: "toolkit", targetId: id, details: { version: draftVersion } }, trx);
    return { ok: true } as const;
  });
}

/** Hides a toolkit from partners; its rows stay, so material made from it can still be fetched. */
export async function archiveToolkit(actor: Actor, id: string): Promise<ManageResult | undefined> {
  assertCan(actor, "toolkits.manage");
  return transaction(async (trx) => {
    const toolkit = await trx.selectFrom("toolkits").select("status").where("id", "=", id).where(toolkitVisible(actor)).executeTakeFirst();
    if (!toolkit) return undefined;
    const done = await trx.updateTable("toolkits").set({ status: "archived", updated_at: new Date() }).where("id", "=", id).where("status", "=", "published").executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return { ok: false, reason: toolkit.status === "archived" ? "archived" : "changed" } as const;
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "toolkit.archived", targetType: "toolkit", targetId: id }, trx);
    return { ok: true } as const;
  });
}
