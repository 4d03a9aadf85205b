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
  protection_days: ColumnType<number, number | undefined, number>;
  /** days the owning partner has to accept or decline a request to serve before the channel team decides */
  owner_decision_days: ColumnType<number, number | undefined, number>;
  value_tier_a_rial: ColumnType<string, bigint | string | undefined, bigint | string>;
  value_tier_b_rial: ColumnType<string, bigint | string | undefined, bigint | string>;
  values_computed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  require_two_factor: ColumnType<boolean | number, boolean | undefined, boolean>;
  /** transit days to a province without its own row in brand_transit_days */
  default_transit_days: ColumnType<number, number | undefined, number>;
  /** an order whose discount off list is above this (basis points) waits for the channel team */
  discount_approval_bp: ColumnType<number, number | undefined, number>;
  /** how far ahead lifetime value counts purchases */
  ltv_horizon_months: ColumnType<number, number | undefined, number>;
  /** annual rate future margin is discounted by, in basis points (2000 = 20%) */
  ltv_discount_bp: ColumnType<number, number | undefined, number>;
  created_at: Date;
}

export type ValueFitOutcome = "fitted" | "kept_previous" | "old_estimate";

/** The brand's BG/NBD + Gamma-Gamma fit in use, and how the value job's last run went. */
export interface BrandValueFitsTable {
  brand_id: string;
  /** when the parameters below were fitted; null: never fitted */
  fitted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** recency, age and the model's rates are in units of this many days (7: weeks) */
  unit_days: number;
  horizon_months: ColumnType<number | null, number | null | undefined, number | null>;
  discount_bp: ColumnType<number | null, number | null | undefined, number | null>;
  /** customers with counted orders the fit saw, and those of them with a repeat purchase */
  customers: ColumnType<number, number | undefined, number>;
  repeat_customers: ColumnType<number, number | undefined, number>;
  bg_r: ColumnType<number | null, number | null | undefined, number | null>;
  bg_alpha: ColumnType<number | null, number | null | undefined, number | null>;
  bg_a: ColumnType<number | null, number | null | undefined, number | null>;
  bg_b: ColumnType<number | null, number | null | undefined, number | null>;
  bg_log_likelihood: ColumnType<number | null, number | null | undefined, number | null>;
  gg_customers: ColumnType<number, number | undefined, number>;
  gg_p: ColumnType<number | null, number | null | undefined, number | null>;
  gg_q: ColumnType<number | null, number | null | undefined, number | null>;
  gg_gamma: ColumnType<number | null, number | null | undefined, number | null>;
  gg_log_likelihood: ColumnType<number | null, number | null | undefined, number | null>;
  /** share of buying customers likely still active (P(alive) ≥ ½), from the last run that used the fit */
  active_share: ColumnType<number | null, number | null | undefined, number | null>;
  mean_ltv_rial: ColumnType<string | null, bigint | string | null | undefined, bigint | string | null>;
  last_run_at: Date;
  last_outcome: ValueFitOutcome;
  /** why the last run did not fit: too_few_customers, too_few_repeat, no_convergence, at_bounds, failed */
  last_reason: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** open orders beyond this total (Rial) wait for the channel team; null: no limit */
  credit_limit_rial: ColumnType<string | null, bigint | string | null | undefined, bigint | string | null>;
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
  /** the language of the user's e-mails: the one they last signed in with (fa by default) */
  locale: ColumnType<string, string | undefined, string>;
  created_at: Date;
  updated_at: Date;
}

/** The home page's numbers per brand, scope ('' the network, else a partner with its resellers) and bucket; see app/models/customer-counts.server.ts. */
export interface CustomerCountsTable {
  brand_id: string;
  scope_id: string;
  metric: "tier" | "need";
  bucket: string;
  n: number;
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

export interface UserTwoFactorTable {
  user_id: string;
  /** AES-256-GCM ciphertext of the TOTP secret (see app/utils/two-factor.server.ts). */
  secret_enc: string;
  /** The last TOTP time step accepted; a code at or before it is refused. BIGINT, read as a string. */
  last_step: ColumnType<string, bigint | number | string | undefined, bigint | number | string>;
  /** Null while the user has not yet confirmed the setup with a code. */
  enabled_at: Date | null;
  failures: ColumnType<number, number | undefined, number>;
  failures_since: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Date;
}

export interface UserRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: Date;
}

export interface SignInChallengesTable {
  id: string;
  user_id: string;
  redirect_to: string;
  failures: ColumnType<number, number | undefined, number>;
  expires_at: Date;
  created_at: Date;
}

export const OUTBOX_STATUSES = ["pending", "sending", "sent", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Messages to other systems, delivered by a worker (app/models/outbox.server.ts). */
export interface OutboxTable {
  id: string;
  brand_id: string | null;
  channel: string;
  /** messages with the same key are delivered in id order; null when order does not matter */
  ordering_key: string | null;
  payload: string | null;
  erase_payload: ColumnType<boolean | number, boolean | undefined, boolean>;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Date;
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
  claimed_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  sent_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface PasswordResetsTable {
  id: string;
  brand_id: string;
  user_id: string;
  token_hash: string;
  expires_at: Date;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Date;
}

export interface MailDigestsTable {
  user_id: string;
  /** the Tehran calendar day, YYYY-MM-DD */
  day: ColumnType<Date | string, string, string>;
  outbox_id: string;
  created_at: Date;
}

/** One row per throttled key (an e-mail, an address, or the pair), holding only hashes. */
export interface LoginThrottleTable {
  key_hash: string;
  failures: number;
  last_failure_at: Date;
  blocked_until: Date | null;
  /** the attempt that took the current step, so that attempt alone can give it back */
  claim: string | null;
  prev_failures: number;
  prev_last_failure_at: Date | null;
  prev_blocked_until: Date | null;
  /** when the account owners were last told of failed attempts (e-mail keys only) */
  alerted_at: Date | null;
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

export const CUSTOMER_KINDS = ["person", "business"] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export const CONTACT_CHANNELS = ["phone", "sms", "whatsapp", "email", "visit"] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONSENT_PURPOSES = ["partner_contact", "brand_contact", "share_partners"] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
/** How the customer told us: in person, by phone or message, on the web, or on a signed form. */
export const CONSENT_CHANNELS = ["in_person", "phone", "sms", "whatsapp", "email", "web", "signed_form"] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CORRECTION_STATUSES = ["pending", "accepted", "declined"] as const;
export type CorrectionStatus = (typeof CORRECTION_STATUSES)[number];
export const NEED_PRIORITIES = ["low", "medium", "high"] as const;
export type NeedPriority = (typeof NEED_PRIORITIES)[number];
export const NEED_STATUSES = ["open", "met", "declined"] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];
export const INTERACTION_KINDS = ["visit", "call", "message", "order", "support", "material_sent", "need_recorded", "need_met", "note", "action_done", "idea_shipped", "idea_contacted"] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];
/** The touchpoints a person records by hand; the others are written by the system. */
export const MANUAL_INTERACTION_KINDS = ["visit", "call", "message", "support", "material_sent", "note"] as const;
export const INTERACTION_CHANNELS = ["in_person", "phone", "sms", "whatsapp", "email", "web"] as const;
export type InteractionChannel = (typeof INTERACTION_CHANNELS)[number];
export const VALUE_TIERS = ["A", "B", "C"] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];
export const SERVE_REQUEST_STATUSES = ["pending", "approved", "transferred", "rejected"] as const;
export type ServeRequestStatus = (typeof SERVE_REQUEST_STATUSES)[number];

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface CustomersTable {
  id: string;
  brand_id: string;
  kind: CustomerKind;
  display_name: string;
  name_key: string;
  /** the name key from its second word on, so a surname prefix finds the customer too */
  name_alt_key: string;
  phone: string;
  /** the phone read backwards, generated by the database: last-digits search is a prefix match on it */
  phone_rev: ColumnType<string, never, never>;
  email: string | null;
  province: string;
  city: string;
  city_key: string;
  preferred_locale: "fa" | "en";
  preferred_channel: ContactChannel;
  preferred_times: string | null;
  consent_partner_contact: Bool;
  consent_brand_contact: Bool;
  consent_share_partners: Bool;
  registered_by_partner_id: string | null;
  registered_at: Date;
  created_by_user_id: string | null;
  last_contact_at: Nullable<Date>;
  order_count: Defaulted<number>;
  monetary_rial: ColumnType<string, bigint | string | undefined, bigint | string>;
  ltv_rial: ColumnType<string, bigint | string | undefined, bigint | string>;
  value_tier: Nullable<ValueTier>;
  first_order_at: Nullable<Date>;
  last_order_at: Nullable<Date>;
  avg_interval_days: Nullable<number>;
  /** BG/NBD probability the customer is still active, at the brand's last fit; null: no model value */
  p_alive: Nullable<number>;
  /** p_alive as the fit before the last one had it, so a sharp fall shows */
  p_alive_previous: Nullable<number>;
  /** purchases expected over the brand's horizon */
  expected_purchases: Nullable<number>;
  /** Gamma-Gamma expected margin per purchase, Rial */
  expected_margin_rial: ColumnType<string | null, bigint | string | null | undefined, bigint | string | null>;
  /** the fit these values came from; null: the old estimate */
  ltv_fit_at: Nullable<Date>;
  created_at: Date;
  updated_at: Date;
}

export interface CustomerPartnersTable {
  customer_id: string;
  partner_id: string;
  brand_id: string;
  since: Date;
  /** Copies of the customer's search keys, so a partner's list is read in index order (app/models/serving-rows.server.ts). */
  name_key: string;
  name_alt_key: string;
  city_key: string;
  /** Copies of the customer's value and contact facts, so the day's actions and the list's other sorts are read in index order too. */
  value_tier: Nullable<ValueTier>;
  last_contact_at: Nullable<Date>;
  ltv_rial: ColumnType<string, bigint | string | undefined, bigint | string>;
  order_count: Defaulted<number>;
  last_order_at: Nullable<Date>;
  avg_interval_days: Nullable<number>;
  p_alive: Nullable<number>;
  p_alive_previous: Nullable<number>;
}

export interface ConsentEventsTable {
  id: string;
  brand_id: string;
  customer_id: string;
  purpose: ConsentPurpose;
  granted: Bool;
  user_id: string | null;
  partner_id: string | null;
  recorded_at: Date;
  channel: Nullable<ConsentChannel>;
  /** when the customer gave (or withdrew) it, as they said */
  given_at: Nullable<Date>;
  note: Nullable<string>;
}

export interface CustomerCorrectionsTable {
  id: string;
  brand_id: string;
  customer_id: string;
  /** the proposing partner */
  partner_id: string;
  proposed_by_user_id: string;
  /** JSON: only the changed fields, by customer form field name */
  changes: string;
  status: CorrectionStatus;
  decided_by_user_id: Nullable<string>;
  decision_reason: Nullable<string>;
  decided_at: Nullable<Date>;
  created_at: Date;
}

export interface NeedCategoriesTable {
  id: string;
  brand_id: string;
  name_fa: string;
  name_en: string;
  sort: Defaulted<number>;
  active: Bool;
}

export interface ProductsTable {
  id: string;
  brand_id: string;
  sku: string;
  name_fa: string;
  name_en: string;
  category_id: string | null;
  active: Bool;
  description_fa: Nullable<string>;
  description_en: Nullable<string>;
  unit: Defaulted<ProductUnit>;
  list_price_rial: DefaultedMoney;
  retail_price_rial: DefaultedMoney;
  /** Brand-only; never selected for partner users. */
  cost_rial: DefaultedMoney;
  image_key: Nullable<string>;
  image_mime: Nullable<string>;
  search_key: Defaulted<string>;
  fulfilment: Defaulted<Fulfilment>;
  stock_on_hand: Defaulted<number>;
  stock_reserved: Defaulted<number>;
  daily_capacity: Defaulted<number>;
  lead_time_days: Defaulted<number>;
  handling_days: Defaulted<number>;
  updated_at: Nullable<Date>;
}

export const PRODUCT_UNITS = ["piece", "box", "set", "pair", "carton", "metre", "kilogram"] as const;
export type ProductUnit = (typeof PRODUCT_UNITS)[number];
export const FULFILMENTS = ["stock", "made_to_order"] as const;
export type Fulfilment = (typeof FULFILMENTS)[number];
type DefaultedMoney = ColumnType<string, bigint | string | undefined, bigint | string>;

export interface ProductOptionGroupsTable {
  id: string;
  brand_id: string;
  product_id: string;
  name_fa: string;
  name_en: string;
  sort: Defaulted<number>;
}

export interface ProductOptionValuesTable {
  id: string;
  brand_id: string;
  product_id: string;
  group_id: string;
  label_fa: string;
  label_en: string;
  price_delta_rial: DefaultedMoney;
  sort: Defaulted<number>;
}

export interface ProductPersonalisationsTable {
  id: string;
  brand_id: string;
  product_id: string;
  label_fa: string;
  label_en: string;
  max_length: number;
  extra_price_rial: DefaultedMoney;
  required: ColumnType<boolean | number, boolean | undefined, boolean>;
  sort: Defaulted<number>;
}

export interface BrandTransitDaysTable {
  brand_id: string;
  province: string;
  days: number;
}

export interface TierDiscountsTable {
  brand_id: string;
  tier: Tier;
  category_id: string;
  discount_bp: number;
}

export interface PartnerPricesTable {
  brand_id: string;
  partner_id: string;
  product_id: string;
  net_price_rial: Money;
}

export interface VolumeBreaksTable {
  id: string;
  brand_id: string;
  product_id: string | null;
  category_id: string | null;
  min_quantity: number;
  discount_bp: number;
}

export interface CapacityLedgerTable {
  brand_id: string;
  product_id: string;
  /** A calendar day in Asia/Tehran, 'YYYY-MM-DD'. */
  day: ColumnType<string, string, string>;
  units_taken: Defaulted<number>;
}

export interface CustomerNeedsTable {
  id: string;
  brand_id: string;
  customer_id: string;
  partner_id: string | null;
  category_id: string;
  body: string;
  priority: NeedPriority;
  status: NeedStatus;
  product_id: string | null;
  recorded_by_user_id: string;
  last_follow_up_at: Nullable<Date>;
  status_changed_at: Nullable<Date>;
  created_at: Date;
  updated_at: Date;
}

export interface PreferenceKeysTable {
  id: string;
  brand_id: string;
  label_fa: string;
  label_en: string;
  sort: Defaulted<number>;
}

export interface CustomerPreferencesTable {
  customer_id: string;
  key_id: string;
  brand_id: string;
  value: string;
  updated_at: Date;
}

export interface InteractionsTable {
  id: string;
  brand_id: string;
  customer_id: string;
  partner_id: string | null;
  user_id: string | null;
  kind: InteractionKind;
  /** null where no channel was involved (a need recorded or met, an action marked done) */
  channel: InteractionChannel | null;
  note: string | null;
  need_id: string | null;
  /** "action_done": which suggested action was done (a next-action code, or "follow_up") */
  action_code: Nullable<string>;
  /** the toolkit a "material_sent" touchpoint came from */
  toolkit_id: Nullable<string>;
  /** the idea an "idea_shipped" or "idea_contacted" entry is about */
  idea_id: Nullable<string>;
  occurred_at: Date;
  created_at: Date;
}

export interface OrdersTable {
  id: string;
  brand_id: string;
  partner_id: string;
  customer_id: string | null;
  number: string;
  status: string;
  total_rial: Money;
  margin_rial: Money;
  placed_at: Date;
  created_at: Date;
  created_by_user_id: Nullable<string>;
  ship_to: Defaulted<ShipTo>;
  hide_prices_on_slip: ColumnType<boolean | number, boolean | undefined, boolean>;
  idempotency_key: Nullable<string>;
  discount_rial: DefaultedMoney;
  approval_reason: Nullable<string>;
  decided_by_user_id: Nullable<string>;
  decided_at: Nullable<Date>;
  decision_reason: Nullable<string>;
  promised_ship_on: Day;
  promised_delivery_on: Day;
  shipped_on: Day;
  delivered_on: Day;
  updated_at: Nullable<Date>;
}

/** A DATE column: written as 'YYYY-MM-DD', read back as midnight UTC of that day (timezone "Z"). */
type Day = ColumnType<Date | null, string | null | undefined, string | null>;

export const SHIP_TO = ["customer", "partner"] as const;
export type ShipTo = (typeof SHIP_TO)[number];

export interface OrderLinesTable {
  id: string;
  brand_id: string;
  order_id: string;
  product_id: string;
  sort: Defaulted<number>;
  options: string;
  personalisation: string;
  quantity: number;
  unit_list_rial: Money;
  unit_net_rial: Money;
  discount_rial: Money;
  line_total_rial: Money;
  line_margin_rial: Money;
  source: "stock" | "capacity";
  production: Nullable<string>;
  promised_ship_on: Day;
  promised_delivery_on: Day;
}

export interface OrderStatusHistoryTable {
  id: string;
  brand_id: string;
  order_id: string;
  status: string;
  user_id: Nullable<string>;
  reason: Nullable<string>;
  created_at: Date;
}

export interface CartsTable {
  user_id: string;
  brand_id: string;
  partner_id: string;
  customer_id: Nullable<string>;
  ship_to: Defaulted<ShipTo>;
  hide_prices_on_slip: ColumnType<boolean | number, boolean | undefined, boolean>;
  updated_at: Date;
}

export interface CartLinesTable {
  id: string;
  brand_id: string;
  user_id: string;
  product_id: string;
  options: string;
  personalisation: string;
  quantity: number;
  created_at: Date;
}

export interface ServeRequestsTable {
  id: string;
  brand_id: string;
  customer_id: string;
  partner_id: string;
  requested_by_user_id: string;
  reason: string;
  status: ServeRequestStatus;
  decided_by_user_id: Nullable<string>;
  decision_reason: Nullable<string>;
  decided_at: Nullable<Date>;
  /** the customer's registering partner when the request was made; null: straight to the channel team */
  owner_partner_id: Nullable<string>;
  /** until when the owning partner decides; afterwards the channel team */
  owner_deadline: Nullable<Date>;
  decided_by_owner: ColumnType<boolean | number, boolean | undefined, boolean>;
  /** when the channel team was told the request is theirs to decide (once) */
  escalated_at: Nullable<Date>;
  created_at: Date;
}

/** A phone or e-mail the customer gave one partner directly; that partner's (and the brand's) only. */
export interface CustomerCollectedContactsTable {
  id: string;
  brand_id: string;
  customer_id: string;
  partner_id: string;
  phone: string | null;
  email: string | null;
  channel: InteractionChannel;
  given_at: Date;
  recorded_by_user_id: string;
  created_at: Date;
}

/** A serving partner asked the owning partner to share the customer's contact. */
export interface ContactAsksTable {
  id: string;
  brand_id: string;
  customer_id: string;
  partner_id: string;
  owner_partner_id: string;
  asked_by_user_id: string;
  created_at: Date;
}

export const ACTION_MARK_STATES = ["done", "snoozed"] as const;
export type ActionMarkState = (typeof ACTION_MARK_STATES)[number];

/** A suggested action one partner marked done or snoozed: it stays off that partner's list until `until`. */
export interface CustomerActionMarksTable {
  id: string;
  brand_id: string;
  partner_id: string;
  customer_id: string;
  action_key: string;
  state: ActionMarkState;
  until: Date;
  note: string | null;
  user_id: string;
  created_at: Date;
}

/** A follow-up a rep scheduled: one of the day's actions from `due_at` until done. */
export interface CustomerFollowUpsTable {
  id: string;
  brand_id: string;
  partner_id: string;
  customer_id: string;
  due_at: Date;
  note: string;
  created_by_user_id: string;
  created_at: Date;
  done_at: Nullable<Date>;
  done_by_user_id: Nullable<string>;
}

export interface NotificationsTable {
  id: string;
  brand_id: string;
  /** null: addressed to the brand's channel team (unless user_id is set) */
  partner_id: string | null;
  /** set: addressed to this one user only */
  user_id: Nullable<string>;
  kind: string;
  params: string | null;
  link: string | null;
  read_at: Nullable<Date>;
  created_at: Date;
}

export const IDEA_STATUSES = ["new", "under_review", "planned", "shipped", "declined"] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

export interface IdeasTable {
  id: string;
  brand_id: string;
  title: string;
  /** the title's search key (toSearchKey), for duplicate suggestions */
  title_key: string;
  body: string;
  category_id: string;
  product_id: string | null;
  status: Defaulted<IdeaStatus>;
  /** the brand's public answer, shown to everyone who sees the idea */
  answer: Nullable<string>;
  answered_at: Nullable<Date>;
  answered_by_user_id: Nullable<string>;
  /** the poster's partner; null when brand staff posted it */
  partner_id: string | null;
  created_by_user_id: string;
  /** set once merged: the idea it now lives on */
  merged_into_id: Nullable<string>;
  shipped_at: Nullable<Date>;
  created_at: Date;
  updated_at: Date;
}

export interface IdeaSupportsTable {
  idea_id: string;
  user_id: string;
  brand_id: string;
  partner_id: string;
  created_at: Date;
}

export interface IdeaCustomersTable {
  id: string;
  brand_id: string;
  idea_id: string;
  customer_id: string;
  /** the partner that linked the customer; null: brand staff */
  partner_id: string | null;
  linked_by_user_id: string;
  created_at: Date;
}

/** "You asked, we built": one customer for one partner to tell that an idea shipped. */
export interface IdeaFollowUpsTable {
  id: string;
  brand_id: string;
  idea_id: string;
  customer_id: string;
  partner_id: string;
  created_at: Date;
  contacted_at: Nullable<Date>;
  contacted_by_user_id: Nullable<string>;
}

export interface SegmentsTable {
  id: string;
  brand_id: string;
  /** null: a brand-wide segment */
  partner_id: string | null;
  created_by_user_id: string;
  name: string;
  filters: string;
  created_at: Date;
}

export const IMPORT_STATUSES = ["uploaded", "validating", "previewed", "importing", "done", "failed"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportJobsTable {
  id: string;
  brand_id: string;
  partner_id: string;
  user_id: string;
  file_key: string;
  file_name: string;
  file_sha256: string;
  headers: string;
  mapping: Nullable<string>;
  mode: Nullable<"all_or_nothing" | "valid_only">;
  status: ImportStatus;
  total_rows: Defaulted<number>;
  processed_rows: Defaulted<number>;
  valid_rows: Defaulted<number>;
  error_rows: Defaulted<number>;
  existing_rows: Defaulted<number>;
  created_rows: Defaulted<number>;
  errors: Nullable<string>;
  /** The instance running its background step (validating, importing); null otherwise. */
  claimed_by: Nullable<string>;
  created_at: Date;
  updated_at: Date;
}

/** Scheduled runs claimed by one instance at a time: a lease the holder renews while it works. */
export interface JobClaimsTable {
  name: string;
  claimed_by: Nullable<string>;
  claimed_until: Nullable<Date>;
  started_at: Nullable<Date>;
  finished_at: Nullable<Date>;
}

export const TOOLKIT_STATUSES = ["draft", "published", "archived"] as const;
export type ToolkitStatus = (typeof TOOLKIT_STATUSES)[number];
export const TOOLKIT_EVENT_KINDS = ["view", "download", "render"] as const;
export type ToolkitEventKind = (typeof TOOLKIT_EVENT_KINDS)[number];

export interface ToolkitsTable {
  id: string;
  brand_id: string;
  status: ToolkitStatus;
  /** the published version partners see; null until first published */
  current_version: Nullable<number>;
  /** the version being edited; null when there is none */
  draft_version: Nullable<number>;
  published_at: Nullable<Date>;
  /** toSearchKey of the current version's titles */
  search_key: Defaulted<string>;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface ToolkitVersionsTable {
  toolkit_id: string;
  version: number;
  brand_id: string;
  title_fa: string;
  title_en: string;
  description_fa: string;
  description_en: string;
  starts_at: Nullable<Date>;
  ends_at: Nullable<Date>;
  cover_key: Nullable<string>;
  cover_mime: Nullable<string>;
  audience_all: ColumnType<boolean | number, boolean | undefined, boolean>;
  /** JSON arrays */
  audience_tiers: Defaulted<string>;
  audience_types: Defaulted<string>;
  audience_provinces: Defaulted<string>;
  audience_partner_ids: string;
  published_at: Nullable<Date>;
  published_by: Nullable<string>;
  created_at: Date;
}

export interface ToolkitAssetsTable {
  id: string;
  brand_id: string;
  toolkit_id: string;
  version: number;
  title: string;
  language: "fa" | "en" | "both";
  storage_key: string;
  mime: string;
  size_bytes: number;
  file_name: string;
  created_at: Date;
}

export interface ToolkitTemplatesTable {
  id: string;
  brand_id: string;
  toolkit_id: string;
  version: number;
  name_fa: string;
  name_en: string;
  lang: "fa" | "en";
  html: string;
  css: string;
  /** JSON: TemplateFields (app/domain/toolkit-templates.ts) */
  fields: string;
  /** JSON array of output formats */
  formats: string;
  created_at: Date;
}

export interface ToolkitEventsTable {
  id: string;
  brand_id: string;
  toolkit_id: string;
  version: number;
  template_id: Nullable<string>;
  asset_id: Nullable<string>;
  partner_id: string;
  user_id: string;
  kind: ToolkitEventKind;
  created_at: Date;
}

/** A co-brand file a partner made (the file is in storage, shared by identical renders). */
export interface ToolkitRendersTable {
  id: string;
  brand_id: string;
  toolkit_id: string;
  version: number;
  template_id: string;
  partner_id: string;
  user_id: string;
  customer_id: Nullable<string>;
  format: "pdf_a4" | "png_square" | "png_story";
  storage_key: string;
  mime: string;
  size_bytes: number;
  file_name: string;
  /** served from storage without a render */
  cached: ColumnType<boolean | number, boolean, boolean>;
  created_at: Date;
}

export interface ToolkitVisitsTable {
  user_id: string;
  brand_id: string;
  visited_at: Date;
}

/** Network insights: summary rows rebuilt by a job (app/models/insights/rebuild.server.ts). partner_id '' is the brand's own. */
export interface InsightDaysTable {
  day: ColumnType<Date, string, string>;
  /** the first day of the day's Solar Hijri month */
  month: ColumnType<Date, string, string>;
}

export interface InsightNeedsTable {
  brand_id: string;
  partner_id: string;
  month: ColumnType<Date, string, string>;
  category_id: string;
  product_id: string;
  province: string;
  status: NeedStatus;
  needs: number;
}

export interface InsightSalesTable {
  brand_id: string;
  partner_id: string;
  month: ColumnType<Date, string, string>;
  product_id: string;
  category_id: string;
  province: string;
  orders: number;
  units: Money;
  revenue_rial: Money;
  margin_rial: Money;
  shipped_lines: number;
  on_time_lines: number;
}

export interface InsightActivityTable {
  brand_id: string;
  partner_id: string;
  month: ColumnType<Date, string, string>;
  province: string;
  orders: number;
  toolkit_uses: number;
}

export interface InsightCustomersTable {
  brand_id: string;
  partner_id: string;
  province: string;
  /** '' for a customer not yet valued */
  value_tier: string;
  customers: number;
  active: number;
  lapsing: number;
  ltv_rial: Money;
}

export interface InsightWantedTable {
  brand_id: string;
  partner_id: string;
  category_id: string;
  /** '' for the whole category */
  product_id: string;
  province: string;
  customers: number;
  ltv_rial: Money;
}

/**
 * Rollups of the summaries at the grain the insights page reads (migration 0022): holder is a
 * partner id, '' for the brand's own records or INSIGHT_NETWORK ('*') for the whole network summed;
 * province '' sums all provinces; month INSIGHT_ALL_MONTHS sums all months.
 */
export interface InsightNeedTotalsTable {
  brand_id: string;
  dim: "category" | "product" | "province";
  province: string;
  holder: string;
  month: ColumnType<Date, string, string>;
  key: string;
  open: number;
  met: number;
  declined: number;
  /** open + met + declined, generated by the database (migration 0025) */
  total: ColumnType<number, never, never>;
}

export interface InsightMonthTotalsTable {
  brand_id: string;
  province: string;
  holder: string;
  month: ColumnType<Date, string, string>;
  /** customers held and active ones: on the all-months rows only */
  customers: number;
  active: number;
  needs: number;
  met: number;
  orders: number;
  units: Money;
  revenue_rial: Money;
  toolkit_uses: number;
}

export interface InsightTierTotalsTable {
  brand_id: string;
  province: string;
  holder: string;
  value_tier: string;
  customers: number;
  active: number;
  lapsing: number;
  ltv_rial: Money;
}

export interface InsightTopTable {
  brand_id: string;
  list: "top" | "lapsing";
  province: string;
  holder: string;
  customer_id: string;
  /** the partner holding the customer ('' for the brand's own) */
  partner_id: string;
  display_name: string;
  value_tier: string;
  ltv_rial: Money;
  last_order_at: Date | null;
  overdue_days: number | null;
}

export interface InsightCustomerListTable {
  brand_id: string;
  list: "top" | "lapsing";
  partner_id: string;
  province: string;
  customer_id: string;
  display_name: string;
  value_tier: string;
  ltv_rial: Money;
  last_order_at: Date | null;
  overdue_days: number | null;
}

export interface InsightRunsTable {
  brand_id: string;
  computed_at: Date;
  duration_ms: number;
}

export interface DB {
  insight_days: InsightDaysTable;
  insight_needs: InsightNeedsTable;
  insight_sales: InsightSalesTable;
  insight_activity: InsightActivityTable;
  insight_customers: InsightCustomersTable;
  insight_wanted: InsightWantedTable;
  insight_customer_list: InsightCustomerListTable;
  insight_need_totals: InsightNeedTotalsTable;
  insight_month_totals: InsightMonthTotalsTable;
  insight_tier_totals: InsightTierTotalsTable;
  insight_top: InsightTopTable;
  insight_runs: InsightRunsTable;
  toolkits: ToolkitsTable;
  toolkit_versions: ToolkitVersionsTable;
  toolkit_assets: ToolkitAssetsTable;
  toolkit_templates: ToolkitTemplatesTable;
  toolkit_events: ToolkitEventsTable;
  toolkit_visits: ToolkitVisitsTable;
  toolkit_renders: ToolkitRendersTable;
  customers: CustomersTable;
  customer_partners: CustomerPartnersTable;
  customer_counts: CustomerCountsTable;
  consent_events: ConsentEventsTable;
  customer_corrections: CustomerCorrectionsTable;
  need_categories: NeedCategoriesTable;
  products: ProductsTable;
  product_option_groups: ProductOptionGroupsTable;
  product_option_values: ProductOptionValuesTable;
  product_personalisations: ProductPersonalisationsTable;
  brand_transit_days: BrandTransitDaysTable;
  tier_discounts: TierDiscountsTable;
  partner_prices: PartnerPricesTable;
  volume_breaks: VolumeBreaksTable;
  capacity_ledger: CapacityLedgerTable;
  customer_needs: CustomerNeedsTable;
  preference_keys: PreferenceKeysTable;
  customer_preferences: CustomerPreferencesTable;
  interactions: InteractionsTable;
  customer_collected_contacts: CustomerCollectedContactsTable;
  contact_asks: ContactAsksTable;
  customer_action_marks: CustomerActionMarksTable;
  customer_follow_ups: CustomerFollowUpsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  order_status_history: OrderStatusHistoryTable;
  carts: CartsTable;
  cart_lines: CartLinesTable;
  serve_requests: ServeRequestsTable;
  notifications: NotificationsTable;
  segments: SegmentsTable;
  ideas: IdeasTable;
  idea_supports: IdeaSupportsTable;
  idea_customers: IdeaCustomersTable;
  idea_follow_ups: IdeaFollowUpsTable;
  import_jobs: ImportJobsTable;
  job_claims: JobClaimsTable;
  brands: BrandsTable;
  brand_value_fits: BrandValueFitsTable;
  partners: PartnersTable;
  users: UsersTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  user_two_factor: UserTwoFactorTable;
  user_recovery_codes: UserRecoveryCodesTable;
  sign_in_challenges: SignInChallengesTable;
  outbox: OutboxTable;
  password_resets: PasswordResetsTable;
  mail_digests: MailDigestsTable;
}

export type Partner = Selectable<PartnersTable>;
export type NewPartner = Insertable<PartnersTable>;
export type PartnerUpdate = Updateable<PartnersTable>;
export type User = Selectable<UsersTable>;
