import type { Actor } from "~/domain/permissions";
import type { MaterialValues, RenderFormat, TemplateSource } from "~/domain/material-document";
import type { OutputFormat, TemplateFields } from "~/domain/toolkit-templates";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { storage } from "~/utils/storage.server";
import { audit } from "../audit.server";
import { searchCustomers } from "../customer-list.server";
import { getCustomer } from "../customers.server";
import { assertCan, partnerScope, renderOwnedBy, toolkitVisible } from "../scope.server";
import type { PersonaliseInput, PersonalText } from "./forms";

// The partner side of co-brand templates: a template of the toolkit version the partner sees,
// prefilled from the partner's profile, filled for one of its customers, and the record of every
// file made (with the event the analytics count and the customer's "material sent" touchpoint).

/** A template of the published version the actor sees, with what the page needs; undefined is a 404. */
export async function getPersonalisable(actor: Actor, toolkitId: string, templateId: string) {
  assertCan(actor, "toolkits.view");
  const row = await db()
    .selectFrom("toolkit_templates as t")
    .innerJoin("toolkits", (j) => j.onRef("toolkits.id", "=", "t.toolkit_id").onRef("toolkits.current_version", "=", "t.version"))
    .innerJoin("toolkit_versions as v", (j) => j.onRef("v.toolkit_id", "=", "t.toolkit_id").onRef("v.version", "=", "t.version"))
    .select(["t.id", "t.version", "t.name_fa", "t.name_en", "t.lang", "t.html", "t.css", "t.fields", "t.formats", "v.title_fa", "v.title_en"])
    .where("t.toolkit_id", "=", toolkitId)
    .where("t.id", "=", templateId)
    .where("toolkits.status", "=", "published")
    .where(toolkitVisible(actor))
    .executeTakeFirst();
  if (!row || !actor.partnerId) return undefined;
  const partner = await db()
    .selectFrom("partners")
    .select(["id", "name_fa", "name_en", "cobrand_name", "phone", "address", "website", "logo_key", "logo_mime"])
    .where("id", "=", actor.partnerId)
    .where(partnerScope(actor, "partners.id", "partners.brand_id"))
    .executeTakeFirstOrThrow();
  const source: TemplateSource = { id: row.id, version: row.version, html: row.html, css: row.css, lang: row.lang };
  const profile: PersonalText = {
    partner_name: partner.cobrand_name || (row.lang === "en" ? partner.name_en : partner.name_fa),
    partner_phone: partner.phone ?? "",
    partner_address: partner.address ?? "",
    partner_website: partner.website ?? "",
  };
  return {
    toolkitId,
    source,
    names: { template_fa: row.name_fa, template_en: row.name_en, toolkit_fa: row.title_fa, toolkit_en: row.title_en },
    config: JSON.parse(row.fields) as TemplateFields,
    formats: JSON.parse(row.formats) as OutputFormat[],
    partner: { id: partner.id, hasLogo: Boolean(partner.logo_key), logoKey: partner.logo_key, logoMime: partner.logo_mime },
    profile,
  };
}
export type Personalisable = NonNullable<Awaited<ReturnType<typeof getPersonalisable>>>;

/** Customers the actor may address material to: a search through the customer list's own scope. */
export async function customerChoices(actor: Actor, q: string, chosenId: string | null) {
  const page = await searchCustomers(actor, { q: q || undefined, sort: "name" });
  const rows = page.rows.map((c) => ({ id: c.id, name: c.display_name, city: c.city }));
  if (chosenId && !rows.some((r) => r.id === chosenId)) {
    const chosen = await getCustomer(actor, chosenId);
    if (chosen) rows.unshift({ id: chosen.id, name: chosen.display_name, city: chosen.city });
  }
  return rows;
}

/**
 * The values the document is filled with: the valid typed text, the chosen customer's name (only a
 * customer the actor may see; another is a field error) and the partner's stored logo.
 */
export async function materialValues(actor: Actor, tpl: Personalisable, input: PersonaliseInput): Promise<{ values: MaterialValues; customer: { id: string; name: string } | null; errors: PersonaliseInput["errors"] }> {
  const errors = { ...input.errors };
  let customer: { id: string; name: string } | null = null;
  if (input.customerId) {
    const found = await getCustomer(actor, input.customerId);
    if (found) customer = { id: found.id, name: found.display_name };
    else errors.customerId = { key: "errors.choice" };
  }
  const text: MaterialValues["text"] = { ...input.text };
  if (customer && tpl.config.fields.customer_name !== "off") text.customer_name = customer.name;
  let logo: MaterialValues["logo"] = null;
  if (tpl.config.fields.partner_logo !== "off" && tpl.partner.logoKey && (tpl.partner.logoMime === "image/png" || tpl.partner.logoMime === "image/jpeg")) {
    const bytes = await storage().get(tpl.partner.logoKey);
    if (bytes) logo = { bytes, mime: tpl.partner.logoMime };
  }
  return { values: { text, logo }, customer, errors };
}

export type RecordResult = { ok: true; id: string } | { ok: false; reason: "changed" };

/**
 * Records a file made from the template, in one transaction: the partner's copy (so it can fetch it
 * again later), the render event the analytics count, a "material sent" touchpoint on the chosen
 * customer's timeline, and the audit entry. The toolkit is locked and checked first: if it was
 * archived or a new version published since the page was read, nothing is recorded.
 */
export async function recordRender(
  actor: Actor,
  tpl: Personalisable,
  r: { format: RenderFormat; key: string; mime: string; size: number; fileName: string; cached: boolean; customer: { id: string } | null },
): Promise<RecordResult> {
  assertCan(actor, "toolkits.view");
  const partnerId = actor.partnerId!;
  return transaction(async (trx) => {
    const current = await trx.selectFrom("toolkits").select("id").where("id", "=", tpl.toolkitId).where("status", "=", "published").where("current_version", "=", tpl.source.version).where(toolkitVisible(actor)).forUpdate().executeTakeFirst();
    if (!current) return { ok: false, reason: "changed" } as const;
    const id = newId();
    const now = new Date();
    const common = { brand_id: actor.brandId, toolkit_id: tpl.toolkitId, version: tpl.source.version, template_id: tpl.source.id, partner_id: partnerId, user_id: actor.userId, created_at: now };
    await trx.insertInto("toolkit_renders").values({ id, ...common, customer_id: r.customer?.id ?? null, format: r.format, storage_key: r.key, mime: r.mime, size_bytes: r.size, file_name: r.fileName, cached: r.cached }).execute();
    await trx.insertInto("toolkit_events").values({ id: newId(), ...common, asset_id: null, kind: "render" }).execute();
    if (r.customer) {
      // Made in the portal for this customer; how it reaches them is the rep's to record.
      await trx
        .insertInto("interactions")
        .values({ id: newId(), brand_id: actor.brandId, customer_id: r.customer.id, partner_id: partnerId, user_id: actor.userId, kind: "material_sent", channel: "web", note: `${tpl.names.toolkit_fa} · ${tpl.names.template_fa}`, need_id: null, toolkit_id: tpl.toolkitId, occurred_at: now, created_at: now })
        .execute();
    }
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId, action: "toolkit.rendered", targetType: "toolkit", targetId: tpl.toolkitId, details: { version: tpl.source.version, template: tpl.source.id, format: r.format, cached: r.cached, customer: r.customer?.id ?? null } }, trx);
    return { ok: true, id } as const;
  });
}

/** The actor's partner's files from a toolkit, newest first (earlier versions' too). */
export async function listOwnRenders(actor: Actor, toolkitId: string) {
  return db()
    .selectFrom("toolkit_renders")
    .leftJoin("toolkit_templates as t", (j) => j.onRef("t.id", "=", "toolkit_renders.template_id").onRef("t.version", "=", "toolkit_renders.version"))
    .leftJoin("customers", "customers.id", "toolkit_renders.customer_id")
    .select(["toolkit_renders.id", "toolkit_renders.version", "toolkit_renders.format", "toolkit_renders.file_name", "toolkit_renders.size_bytes", "toolkit_renders.created_at", "t.name_fa", "t.name_en", "customers.display_name as customer_name"])
    .where("toolkit_renders.toolkit_id", "=", toolkitId)
    .where(renderOwnedBy(actor))
    .orderBy("toolkit_renders.created_at", "desc")
    .orderBy("toolkit_renders.id", "desc")
    .limit(50)
    .execute();
}

/** One of the partner's own files, or undefined (404). */
export async function getOwnRender(actor: Actor, toolkitId: string, renderId: string) {
  return db()
    .selectFrom("toolkit_renders")
    .select(["id", "storage_key", "mime", "file_name"])
    .where("id", "=", renderId)
    .where("toolkit_id", "=", toolkitId)
    .where(renderOwnedBy(actor))
    .executeTakeFirst();
}
