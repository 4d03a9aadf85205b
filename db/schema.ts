import type { ColumnType, Insertable, Selectable, Updateable } from "kysely";

// BIGINT columns arrive as strings (mysql2 bigNumberStrings) and are written from bigint.
export type Money = ColumnType<string, bigint | string, bigint | string>;
type Bool = ColumnType<boolean | number, boolean, boolean>;

export const ROLES = ["brand_admin", "brand_manager", "channel_manager", "partner_admin", "partner_rep"] as const;
export type Role = (typeof ROLES)[number];
export const PARTNER_TYPES = ["distributor", "reseller"] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];
export const TIERS = ["registered", "silver", "gold", "platinum"] as const;
export type Tier = (typeof TIERS)[number];
export const USER_STATUSES = ["invited", "active", "disabled"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface BrandsTable {
  id: string;
  name_fa: string;
  name_en: string;
  money_unit: "rial" | "toman";
  created_at: Date;
}

export interface PartnersTable {
  id: string;
  brand_id: string;
  name_fa: string;
  name_en: string;
  name_key: string;
  type: PartnerType;
  parent_id: string | null;
  tier: Tier;
  province: string;
  city: string;
  phone: string | null;
  address: string | null;
  cobrand_name: string | null;
  cobrand_message: string | null;
  website: string | null;
  logo_key: string | null;
  logo_mime: string | null;
  active: Bool;
  created_at: Date;
  updated_at: Date;
}

export interface UsersTable {
  id: string;
  brand_id: string;
  partner_id: string | null;
  email: string;
  display_name: string;
  name_key: string;
  role: Role;
  status: UserStatus;
  password_hash: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
}

export interface InvitationsTable {
  id: string;
  brand_id: string;
  user_id: string;
  token_hash: string;
  invited_by: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
}

export interface LoginThrottleTable {
  key_hash: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

export interface AuditLogTable {
  id: string;
  brand_id: string | null;
  actor_user_id: string | null;
  partner_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string | null;
  ip: string | null;
  created_at: Date;
}

export interface DB {
  brands: BrandsTable;
  partners: PartnersTable;
  users: UsersTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
}

export type Partner = Selectable<PartnersTable>;
export type NewPartner = Insertable<PartnersTable>;
export type PartnerUpdate = Updateable<PartnersTable>;
export type User = Selectable<UsersTable>;
