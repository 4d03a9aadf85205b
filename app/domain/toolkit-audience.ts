import type { PartnerType, Tier } from "#db/schema";

/**
 * Who a toolkit version is published to. `all` reaches every partner. Otherwise a partner is in the
 * audience when it is on the hand-picked list, or when it meets every criterion that is set (tier,
 * type, province: each a list of accepted values, empty meaning "any"); with no criterion set only
 * the list counts. The same rule runs in SQL as `audienceIncludes` (app/models/scope.server.ts).
 */
export interface Audience {
  all: boolean;
  tiers: Tier[];
  types: PartnerType[];
  provinces: string[];
  partnerIds: string[];
}

export interface AudiencePartner {
  id: string;
  tier: Tier;
  type: PartnerType;
  province: string;
}

export const EMPTY_AUDIENCE: Audience = { all: false, tiers: [], types: [], provinces: [], partnerIds: [] };

export const hasCriteria = (a: Audience): boolean => a.tiers.length + a.types.length + a.provinces.length > 0;

/** An audience that reaches nobody cannot be published. */
export const isEmptyAudience = (a: Audience): boolean => !a.all && !hasCriteria(a) && a.partnerIds.length === 0;

export function audienceIncludes(a: Audience, p: AudiencePartner): boolean {
  if (a.all || a.partnerIds.includes(p.id)) return true;
  if (!hasCriteria(a)) return false;
  const accepts = <T>(list: T[], value: T) => list.length === 0 || list.includes(value);
  return accepts(a.tiers, p.tier) && accepts(a.types, p.type) && accepts(a.provinces, p.province);
}

/** The audience as stored on a toolkit version (JSON lists). */
export const audienceOf = (v: { audience_all: boolean | number; audience_tiers: string; audience_types: string; audience_provinces: string; audience_partner_ids: string }): Audience => ({
  all: Boolean(v.audience_all),
  tiers: JSON.parse(v.audience_tiers),
  types: JSON.parse(v.audience_types),
  provinces: JSON.parse(v.audience_provinces),
  partnerIds: JSON.parse(v.audience_partner_ids),
});
