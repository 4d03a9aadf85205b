import { sql } from "kysely";
import type { ToolkitEventKind } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import type { OutputFormat } from "~/domain/toolkit-templates";
import { toSearchKey } from "~/domain/text";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { toolkitVisible } from "../scope.server";

// The partner side: the library of toolkits whose current published version's audience includes the
// partner (toolkitVisible), what each holds, and the events the analytics count.

const LIBRARY_LIMIT = 200;

/**
 * The library, newest first, each marked new when published since the user's previous visit. The
 * visit is recorded when a search-free list is read, so the marks last until the next such visit.
 */
export async function listLibrary(actor: Actor, q: string) {
  const key = toSearchKey(q).replace(/[%_\\]/g, "\\$&");
  let query = db()
    .selectFrom("toolkits")
    .innerJoin("toolkit_versions as v", (j) => j.onRef("v.toolkit_id", "=", "toolkits.id").onRef("v.version", "=", "toolkits.current_version"))
    .select(["toolkits.id", "toolkits.published_at", "v.title_fa", "v.title_en", "v.description_fa", "v.description_en", "v.starts_at", "v.ends_at", "v.cover_key"])
    .where(toolkitVisible(actor))
    .where("toolkits.status", "=", "published");
  if (key) query = query.where("toolkits.search_key", "like", `%${key}%`);
  const [rows, visit] = await Promise.all([
    query.orderBy("toolkits.published_at", "desc").orderBy("toolkits.id", "desc").limit(LIBRARY_LIMIT).execute(),
    db().selectFrom("toolkit_visits").select("visited_at").where("user_id", "=", actor.userId).executeTakeFirst(),
  ]);
  if (!key) {
    const now = new Date();
    await db().insertInto("toolkit_visits").values({ user_id: actor.userId, brand_id: actor.brandId, visited_at: now }).onDuplicateKeyUpdate({ visited_at: now }).execute();
  }
  return rows.map((r) => ({ ...r, isNew: !visit || (r.published_at !== null && r.published_at > visit.visited_at) }));
}

/** A toolkit's published version with its assets and templates, or undefined (404) when not visible. */
export async function getLibraryToolkit(actor: Actor, id: string) {
  const toolkit = await db()
    .selectFrom("toolkits")
    .innerJoin("toolkit_versions as v", (j) => j.onRef("v.toolkit_id", "=", "toolkits.id").onRef("v.version", "=", "toolkits.current_version"))
    .select(["toolkits.id", "toolkits.current_version as version", "toolkits.published_at", "v.title_fa", "v.title_en", "v.description_fa", "v.description_en", "v.starts_at", "v.ends_at", "v.cover_key"])
    .where("toolkits.id", "=", id)
    .where("toolkits.status", "=", "published")
    .where(toolkitVisible(actor))
    .executeTakeFirst();
  if (!toolkit) return undefined;
  const version = toolkit.version!;
  const [assets, templates] = await Promise.all([
    db().selectFrom("toolkit_assets").select(["id", "title", "language", "mime", "size_bytes", "file_name"]).where("toolkit_id", "=", id).where("version", "=", version).orderBy("created_at").orderBy("id").execute(),
    db().selectFrom("toolkit_templates").select(["id", "name_fa", "name_en", "lang", "formats"]).where("toolkit_id", "=", id).where("version", "=", version).orderBy("created_at").orderBy("id").execute(),
  ]);
  return { toolkit, assets, templates: templates.map((t) => ({ ...t, formats: JSON.parse(t.formats) as OutputFormat[] })) };
}

/**
 * A file of a toolkit the actor may open: for partners, of the published version they see; for the
 * brand, of any version (the edit page shows the draft's).
 */
export async function getAssetFile(actor: Actor, toolkitId: string, assetId: string) {
  return db()
    .selectFrom("toolkit_assets")
    .innerJoin("toolkits", "toolkits.id", "toolkit_assets.toolkit_id")
    .select(["toolkit_assets.id", "toolkit_assets.version", "toolkit_assets.storage_key", "toolkit_assets.mime", "toolkit_assets.file_name", "toolkit_assets.size_bytes"])
    .where("toolkit_assets.toolkit_id", "=", toolkitId)
    .where("toolkit_assets.id", "=", assetId)
    .where(toolkitVisible(actor))
    .where((eb) => (actor.scope === "network" ? eb.val(true) : eb("toolkit_assets.version", "=", eb.ref("toolkits.current_version"))))
    .orderBy("toolkit_assets.version", "desc")
    .executeTakeFirst();
}

/** What partners do with a toolkit, for the analytics. The brand's own looks are not counted. */
export async function recordToolkitEvent(actor: Actor, e: { toolkitId: string; version: number; kind: ToolkitEventKind; assetId?: string; templateId?: string }) {
  if (!actor.partnerId) return;
  await db()
    .insertInto("toolkit_events")
    .values({ id: newId(), brand_id: actor.brandId, toolkit_id: e.toolkitId, version: e.version, template_id: e.templateId ?? null, asset_id: e.assetId ?? null, partner_id: actor.partnerId, user_id: actor.userId, kind: e.kind, created_at: new Date() })
    .execute();
}

/** A cover image of a toolkit the actor may open (the version they see, or any for the brand). */
export async function getCoverFile(actor: Actor, toolkitId: string) {
  return db()
    .selectFrom("toolkits")
    .innerJoin("toolkit_versions as v", (j) => j.onRef("v.toolkit_id", "=", "toolkits.id").on((eb) => eb("v.version", "=", actor.scope === "network" ? eb.fn.coalesce("toolkits.draft_version", "toolkits.current_version") : eb.ref("toolkits.current_version"))))
    .select(["v.cover_key", "v.cover_mime"])
    .where("toolkits.id", "=", toolkitId)
    .where(toolkitVisible(actor))
    .where(sql<boolean>`v.cover_key is not null`)
    .executeTakeFirst();
}
