import { sql } from "kysely";
import type { Actor } from "~/domain/permissions";
import { similarIdeas } from "~/domain/ideas";
import { toSearchKey } from "~/domain/text";
import { db } from "~/utils/db.server";
import { searchCustomers } from "../customer-list.server";
import type { BoardFilters } from "./idea-forms";
import { assertCan, canSeePartner, customerScope, ideaAskIdentified, ideaVisible, pageOf, PAGE_SIZE } from "../scope.server";

const supportCount = sql<number>`(select count(*) from idea_supports s where s.idea_id = ideas.id)`;
const customerCount = sql<number>`(select count(distinct ic.customer_id) from idea_customers ic where ic.idea_id = ideas.id)`;
const customerValue = sql<string>`(select coalesce(sum(c.ltv_rial), 0) from customers c where c.id in (select ic.customer_id from idea_customers ic where ic.idea_id = ideas.id))`;

/**
 * The board: every idea of the brand with its supports and the number of distinct customers who
 * asked; the brand also gets their total lifetime value (a partner's result does not carry it at
 * all, nor may it sort by it). Ideas are counted per page view; a brand's board holds hundreds of
 * ideas, each count an index lookup on the idea.
 */
export async function listIdeas(actor: Actor, f: BoardFilters, page: number) {
  assertCan(actor, "ideas.view");
  const brandView = actor.scope === "network";
  let query = db().selectFrom("ideas").where(ideaVisible(actor));
  if (f.status) query = query.where("ideas.status", "=", f.status);
  if (f.categoryId) query = query.where("ideas.category_id", "=", f.categoryId);
  let rows = query
    .innerJoin("need_categories", "need_categories.id", "ideas.category_id")
    .select([
      "ideas.id",
      "ideas.title",
      "ideas.status",
      "ideas.created_at",
      "need_categories.name_fa as category_fa",
      "need_categories.name_en as category_en",
      supportCount.as("supports"),
      customerCount.as("customers"),
      sql<number>`exists (select 1 from idea_supports s where s.idea_id = ideas.id and s.user_id = ${actor.userId})`.as("supported"),
    ])
    .$if(brandView, (q) => q.select(customerValue.as("value")));
  if (f.sort === "customers") rows = rows.orderBy(sql`customers`, "desc");
  else if (f.sort === "value" && brandView) rows = rows.orderBy(sql`value`, "desc");
  else if (f.sort === "supports") rows = rows.orderBy(sql`supports`, "desc");
  rows = rows.orderBy("ideas.created_at", "desc").orderBy("ideas.id", "desc");
  const [list, count] = await Promise.all([
    rows.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return pageOf(
    list.map((r) => ({ ...r, supports: Number(r.supports), customers: Number(r.customers), supported: Boolean(Number(r.supported)), value: "value" in r ? String(r.value) : null })),
    count.n,
    page,
  );
}

/**
 * One idea as the actor may see it. A merged idea answers with the one it was merged into (the page
 * redirects). The customers who asked are listed only where `ideaAskIdentified` allows; the rest are
 * a count. undefined: no such idea in the actor's brand.
 */
export async function getIdea(actor: Actor, id: string) {
  assertCan(actor, "ideas.view");
  const idea = await db()
    .selectFrom("ideas")
    .innerJoin("need_categories", "need_categories.id", "ideas.category_id")
    .leftJoin("products", "products.id", "ideas.product_id")
    .leftJoin("partners", "partners.id", "ideas.partner_id")
    .leftJoin("users", "users.id", "ideas.created_by_user_id")
    .select([
      "ideas.id",
      "ideas.title",
      "ideas.body",
      "ideas.status",
      "ideas.answer",
      "ideas.answered_at",
      "ideas.partner_id",
      "ideas.merged_into_id",
      "ideas.shipped_at",
      "ideas.created_at",
      "ideas.category_id",
      "need_categories.name_fa as category_fa",
      "need_categories.name_en as category_en",
      "products.sku",
      "products.name_fa as product_fa",
      "products.name_en as product_en",
      "partners.name_fa as partner_fa",
      "partners.name_en as partner_en",
      "users.display_name as poster",
      supportCount.as("supports"),
      customerCount.as("customers"),
      sql<number>`exists (select 1 from idea_supports s where s.idea_id = ideas.id and s.user_id = ${actor.userId})`.as("supported"),
    ])
    .where("ideas.id", "=", id)
    .where("ideas.brand_id", "=", actor.brandId)
    .executeTakeFirst();
  if (!idea) return undefined;
  if (idea.merged_into_id) return { mergedInto: idea.merged_into_id };
  const brandView = actor.scope === "network";
  const askers = await db()
    .selectFrom("idea_customers")
    .innerJoin("customers", "customers.id", "idea_customers.customer_id")
    .leftJoin("partners", "partners.id", "idea_customers.partner_id")
    .select(["customers.id", "customers.display_name", "customers.city", "customers.ltv_rial", "customers.value_tier", "partners.name_fa as partner_fa", "partners.name_en as partner_en", "idea_customers.created_at"])
    .where("idea_customers.idea_id", "=", id)
    .where(ideaAskIdentified(actor))
    .orderBy("idea_customers.created_at")
    .execute();
  const identified = [...new Map(askers.map((a) => [a.id, a])).values()];
  const customers = Number(idea.customers);
  // The poster is named to the brand and to the poster's own partner (or its distributor); to
  // other partners the idea is the network's.
  const posterShown = brandView || canSeePartner(actor, idea.partner_id);
  return {
    idea: {
      ...idea,
      supports: Number(idea.supports),
      customers,
      supported: Boolean(Number(idea.supported)),
      poster: posterShown ? idea.poster : null,
      partner_fa: posterShown ? idea.partner_fa : null,
      partner_en: posterShown ? idea.partner_en : null,
      value: brandView ? identified.reduce((sum, a) => sum + BigInt(a.ltv_rial), 0n).toString() : null,
    },
    askers: identified.map((a) => ({ ...a, ltv_rial: brandView ? a.ltv_rial : null, value_tier: brandView ? a.value_tier : null })),
    otherCustomers: customers - identified.length,
  };
}

/** Ideas of the brand whose titles look like the typed one (duplicate suggestions), most alike first. */
export async function similarTitles(actor: Actor, title: string, exceptId?: string) {
  assertCan(actor, "ideas.view");
  if (!toSearchKey(title)) return [];
  const candidates = await db()
    .selectFrom("ideas")
    .select(["ideas.id", "ideas.title", "ideas.title_key", "ideas.status"])
    .where(ideaVisible(actor))
    .$if(Boolean(exceptId), (q) => q.where("ideas.id", "!=", exceptId!))
    .orderBy("ideas.created_at", "desc")
    .limit(2000)
    .execute();
  return similarIdeas(title, candidates).map(({ id, title, status }) => ({ id, title, status }));
}

/** Customers the actor may link: a search through the customer list's own scope, with those already ticked kept. */
export async function customerChoices(actor: Actor, q: string, chosenIds: string[]) {
  const page = await searchCustomers(actor, { q: q || undefined, sort: "name" });
  const rows = page.rows.map((c) => ({ id: c.id, name: c.display_name, city: c.city }));
  const missing = chosenIds.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) {
    const chosen = await db().selectFrom("customers").select(["customers.id", "customers.display_name", "customers.city"]).where("customers.id", "in", missing).where(customerScope(actor)).execute();
    rows.unshift(...chosen.map((c) => ({ id: c.id, name: c.display_name, city: c.city })));
  }
  return rows;
}

export async function ideaFormOptions(brandId: string) {
  const [categories, products] = await Promise.all([
    db().selectFrom("need_categories").select(["id", "name_fa", "name_en"]).where("brand_id", "=", brandId).where("active", "=", true).orderBy("sort").execute(),
    db().selectFrom("products").select(["id", "sku", "name_fa", "name_en"]).where("brand_id", "=", brandId).where("active", "=", true).orderBy("sku").execute(),
  ]);
  return { categories, products };
}

/** The other open ideas a duplicate can be merged into. */
export async function mergeTargets(actor: Actor, exceptId: string) {
  assertCan(actor, "ideas.merge");
  return db().selectFrom("ideas").select(["ideas.id", "ideas.title"]).where(ideaVisible(actor)).where("ideas.id", "!=", exceptId).orderBy("ideas.created_at", "desc").limit(500).execute();
}

