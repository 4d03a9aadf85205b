import { sql } from "kysely";
import type { Tier, ToolkitEventKind } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { db } from "~/utils/db.server";
import type { AnalyticsWindow } from "./forms";
import { assertCan, audienceIncludes, partnerScope, toolkitVisible } from "../scope.server";

// Usage of toolkits for brand roles. Every query starts from (brand_id, toolkit_id, created_at) of
// toolkit_events, the index made for it, over a window of recent days.

type Counts = Record<ToolkitEventKind, number>;
const zero = (): Counts => ({ view: 0, download: 0, render: 0 });

const since = (days: number) => new Date(Date.now() - days * 86_400_000);

/** Every toolkit of the brand with its counts in the window. */
export async function toolkitUsage(actor: Actor, days: AnalyticsWindow) {
  assertCan(actor, "toolkits.analytics");
  const [toolkits, counts] = await Promise.all([
    db()
      .selectFrom("toolkits")
      .innerJoin("toolkit_versions as v", (j) => j.onRef("v.toolkit_id", "=", "toolkits.id").on((eb) => eb("v.version", "=", eb.fn.coalesce("toolkits.current_version", "toolkits.draft_version"))))
      .select(["toolkits.id", "toolkits.status", "v.title_fa", "v.title_en"])
      .where(toolkitVisible(actor))
      .orderBy("toolkits.created_at", "desc")
      .execute(),
    db()
      .selectFrom("toolkit_events")
      .select(["toolkit_id", "kind", (eb) => eb.fn.countAll<number>().as("n")])
      .where("brand_id", "=", actor.brandId)
      .where("created_at", ">=", since(days))
      .groupBy(["toolkit_id", "kind"])
      .execute(),
  ]);
  return toolkits.map((t) => {
    const c = zero();
    for (const r of counts.filter((r) => r.toolkit_id === t.id)) c[r.kind] = Number(r.n);
    return { ...t, counts: c };
  });
}

/** One toolkit: counts by week, by tier and by partner, and the partners in its audience who never opened it. */
export async function toolkitAnalytics(actor: Actor, toolkitId: string, days: AnalyticsWindow) {
  assertCan(actor, "toolkits.analytics");
  const toolkit = await db().selectFrom("toolkits").select(["id", "status", "current_version"]).where("id", "=", toolkitId).where(toolkitVisible(actor)).executeTakeFirst();
  if (!toolkit) return undefined;
  const events = db()
    .selectFrom("toolkit_events as e")
    .innerJoin("partners as p", "p.id", "e.partner_id")
    .where("e.brand_id", "=", actor.brandId)
    .where("e.toolkit_id", "=", toolkitId)
    .where("e.created_at", ">=", since(days));
  // Weeks start on Saturday, as the Persian week does: the date of that Saturday labels the row.
  const week = sql<string>`date_format(date_sub(date(e.created_at), interval (dayofweek(e.created_at) % 7) day), '%Y-%m-%d')`;
  const [byWeek, byTier, byPartner, byTemplate, neverOpened] = await Promise.all([
    events.select([week.as("week"), "e.kind", (eb) => eb.fn.countAll<number>().as("n")]).groupBy([week, "e.kind"]).orderBy(week).execute(),
    events.select(["p.tier", "e.kind", (eb) => eb.fn.countAll<number>().as("n")]).groupBy(["p.tier", "e.kind"]).execute(),
    events.select(["p.id", "p.name_fa", "p.name_en", "p.tier", "e.kind", (eb) => eb.fn.countAll<number>().as("n")]).groupBy(["p.id", "p.name_fa", "p.name_en", "p.tier", "e.kind"]).execute(),
    // Renders per template, named as in the version each was made from (a template keeps its id across versions).
    events
      .innerJoin("toolkit_templates as t", (j) => j.onRef("t.id", "=", "e.template_id").onRef("t.version", "=", "e.version"))
      .select(["t.id", (eb) => eb.fn.max("t.name_fa").as("name_fa"), (eb) => eb.fn.max("t.name_en").as("name_en"), "e.kind", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy(["t.id", "e.kind"])
      .execute(),
    toolkit.current_version === null
      ? Promise.resolve([])
      : db()
          .selectFrom("partners as p")
          .innerJoin("toolkit_versions as v", (j) => j.on("v.toolkit_id", "=", toolkitId).on("v.version", "=", toolkit.current_version!))
          .select(["p.id", "p.name_fa", "p.name_en", "p.tier", "p.province", "p.city"])
          .where(partnerScope(actor, "p.id", "p.brand_id"))
          .where("p.active", "=", true)
          .where(audienceIncludes("v", "p"))
          .where((eb) => eb.not(eb.exists(eb.selectFrom("toolkit_events as o").select("o.id").where("o.brand_id", "=", actor.brandId).where("o.toolkit_id", "=", toolkitId).whereRef("o.partner_id", "=", "p.id").where("o.kind", "=", "view"))))
          .orderBy("p.name_key")
          .execute(),
  ]);
  const fold = <K extends string>(rows: { kind: ToolkitEventKind; n: number }[], keyOf: (r: never) => K) => {
    const out = new Map<K, Counts>();
    for (const r of rows) {
      const k = keyOf(r as never);
      const c = out.get(k) ?? zero();
      c[r.kind] += Number(r.n);
      out.set(k, c);
    }
    return out;
  };
  const templates = new Map(byTemplate.map((t) => [t.id, { id: t.id, name_fa: t.name_fa, name_en: t.name_en }]));
  const partners = new Map(byPartner.map((p) => [p.id, { id: p.id, name_fa: p.name_fa, name_en: p.name_en, tier: p.tier }]));
  return {
    toolkit,
    byWeek: [...fold(byWeek, (r: { week: string }) => r.week)].map(([week, counts]) => ({ week, counts })),
    byTier: [...fold(byTier, (r: { tier: Tier }) => r.tier)].map(([tier, counts]) => ({ tier, counts })),
    byPartner: [...fold(byPartner, (r: { id: string }) => r.id)].map(([id, counts]) => ({ ...partners.get(id)!, counts })).sort((a, b) => b.counts.view + b.counts.download + b.counts.render - (a.counts.view + a.counts.download + a.counts.render)),
    byTemplate: [...fold(byTemplate, (r: { id: string }) => r.id)].map(([id, counts]) => ({ ...templates.get(id)!, counts })).sort((a, b) => b.counts.render - a.counts.render),
    neverOpened,
  };
}
