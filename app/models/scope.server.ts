import { sql, type Expression, type SqlBool } from "kysely";
import type { Actor, Permission } from "~/domain/permissions";
import { can } from "~/domain/permissions";

/**
 * The one tenant filter. Every query of partner-owned data passes its partner and brand columns
 * through here: brand roles see the brand's whole network, partner users their own partner and,
 * for a distributor, its resellers. Routes never build their own filter.
 */
export function partnerScope(actor: Actor, partnerColumn: string, brandColumn: string): Expression<SqlBool> {
  const brand = sql<SqlBool>`${sql.ref(brandColumn)} = ${actor.brandId}`;
  if (actor.scope === "network") return brand;
  return sql<SqlBool>`(${brand} and ${sql.ref(partnerColumn)} in (${sql.join(actor.scope)}))`;
}

export function canSeePartner(actor: Actor, partnerId: string | null): boolean {
  return actor.scope === "network" || (partnerId !== null && actor.scope.includes(partnerId));
}

/** Model functions check the permission too, so no caller can skip it. */
export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new Response("Forbidden", { status: 403 });
}

export const PAGE_SIZE = 20;

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageCount: number;
}

export function pageOf<T>(rows: T[], total: number | string | bigint, page: number, pageSize = PAGE_SIZE): Page<T> {
  const count = Number(total);
  return { rows, total: count, page, pageCount: Math.max(1, Math.ceil(count / pageSize)) };
}
