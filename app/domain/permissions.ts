import type { PartnerType, Role } from "#db/schema";

/** The signed-in person, as every model function receives it. */
export interface Actor {
  userId: string;
  brandId: string;
  role: Role;
  email: string;
  displayName: string;
  partnerId: string | null;
  partnerType: PartnerType | null;
  /** "network" for brand roles; otherwise the partner ids whose data this actor may see. */
  scope: "network" | string[];
}

export type Permission =
  | "partners.view" // the partner directory of the network
  | "partners.manage" // create, edit, deactivate, assign reseller to distributor
  | "partners.tier" // change a partner's tier
  | "users.manage" // invite, disable, change role (within what inviteRolesFor allows)
  | "profile.edit" // own partner profile and co-brand details
  | "audit.view" // brand roles: the brand's log; partner admins: their own partner's log
  | "audit.export" // filter the brand's whole log and download it as CSV
  | "customers.view"
  | "customers.register" // register, record needs/interactions, propose corrections for served customers
  | "customers.steward" // brand side of a shared record: record a withdrawal of consent, correct it, close needs
  | "customers.import"
  | "customers.export"
  | "conflicts.resolve" // decide requests to serve a customer once the owning partner's window is over
  | "serve_requests.decide" // accept or decline requests to serve one of the own partner's customers
  | "settings.manage" // need categories, preference keys, protection period, money unit
  | "security.manage" // sign-in policy for the brand's staff (require two-factor)
  | "toolkits.manage" // create, edit, publish and archive co-branded toolkits
  | "toolkits.view" // the partner's toolkit library
  | "toolkits.analytics" // views, downloads and renders per toolkit; partners who never opened one
  | "catalog.view" // the catalogue: partners with their own net prices, brand roles with list prices and cost
  | "catalog.manage" // products, stock and capacity, pricing rules, transit days, catalogue CSV
  | "orders.view" // orders in the actor's scope: partners their own (a distributor its resellers' too), brand roles all
  | "orders.place" // the cart, quick order, reorder, submit and cancel the partner's own orders
  | "orders.approve" // approve or reject orders over the credit limit or the discount threshold; set credit limits
  | "orders.fulfil" // brand operations: mark confirmed orders shipped and delivered
  | "ideas.view" // the co-creation board: ideas are brand-wide, the customers behind them are not
  | "ideas.post" // post an idea or unmet need, link the customers who asked
  | "ideas.support" // support an idea, once per partner user
  | "ideas.merge" // merge a duplicate idea into the one kept
  | "ideas.answer" // set an idea's status with a public answer
  | "ideas.follow_up" // the partner's "you asked, we built" list: tell the customers an idea shipped
  | "insights.view"; // network insights and the three truths: brand roles the network, a partner admin its own (a distributor with its resellers)

export const BRAND_ROLES: readonly Role[] = ["brand_admin", "brand_manager", "channel_manager"];

const GRANTS: Record<Permission, readonly Role[]> = {
  "partners.view": BRAND_ROLES,
  "partners.manage": ["brand_admin"],
  "partners.tier": ["brand_admin", "channel_manager"],
  "users.manage": ["brand_admin", "partner_admin"],
  "profile.edit": ["partner_admin"],
  "audit.view": ["brand_admin", "partner_admin"],
  "audit.export": ["brand_admin"],
  "customers.view": ["brand_admin", "brand_manager", "channel_manager", "partner_admin", "partner_rep"],
  "customers.register": ["partner_admin", "partner_rep"],
  "customers.steward": ["brand_admin", "channel_manager"],
  "customers.import": ["partner_admin", "partner_rep"],
  "customers.export": ["brand_admin", "brand_manager", "channel_manager", "partner_admin"],
  "conflicts.resolve": ["brand_admin", "channel_manager"],
  // Letting another partner into a customer relationship is a decision for the partner, not for
  // each rep: the admin answers for the partner (and is the one who manages its people).
  "serve_requests.decide": ["partner_admin"],
  "settings.manage": ["brand_admin", "brand_manager"],
  // Only the brand admin: a manager could otherwise switch off the protection of the accounts above theirs.
  "security.manage": ["brand_admin"],
  "toolkits.manage": ["brand_admin", "brand_manager"],
  "toolkits.view": ["partner_admin", "partner_rep"],
  "toolkits.analytics": BRAND_ROLES,
  "catalog.view": ["brand_admin", "brand_manager", "channel_manager", "partner_admin", "partner_rep"],
  "catalog.manage": ["brand_admin", "brand_manager"],
  "orders.view": ["brand_admin", "brand_manager", "channel_manager", "partner_admin", "partner_rep"],
  // Orders are placed by the partner that sells; the brand approves and fulfils them.
  "orders.place": ["partner_admin", "partner_rep"],
  "orders.approve": ["brand_admin", "channel_manager"],
  "orders.fulfil": ["brand_admin", "channel_manager"],
  "ideas.view": ["brand_admin", "brand_manager", "channel_manager", "partner_admin", "partner_rep"],
  "ideas.post": ["brand_admin", "brand_manager", "channel_manager", "partner_admin", "partner_rep"],
  // A support is a partner's voice for its customers; the brand answers rather than votes.
  "ideas.support": ["partner_admin", "partner_rep"],
  "ideas.merge": BRAND_ROLES,
  "ideas.answer": ["brand_admin", "brand_manager"],
  "ideas.follow_up": ["partner_admin", "partner_rep"],
  // The partner's view of its own network is a manager's tool; reps work customer by customer.
  "insights.view": [...BRAND_ROLES, "partner_admin"],
};

export const isBrandRole = (role: Role): boolean => BRAND_ROLES.includes(role);

export function can(actor: Pick<Actor, "role">, permission: Permission): boolean {
  return GRANTS[permission].includes(actor.role);
}

/** Which roles an actor may invite or assign: brand admins run the brand and partner admins; partner admins their reps. */
export function inviteRolesFor(role: Role): Role[] {
  if (role === "brand_admin") return ["brand_admin", "brand_manager", "channel_manager", "partner_admin"];
  if (role === "partner_admin") return ["partner_rep"];
  return [];
}

/** The brand may require two-factor sign-in of its own staff; partner users choose for themselves. */
export const twoFactorRequired = (role: Role, brandRequiresIt: boolean): boolean => brandRequiresIt && isBrandRole(role);

export const roleNeedsPartner = (role: Role): boolean => !isBrandRole(role);

/** May this actor manage (disable, re-enable, change role of) the given user? Never themself. */
export function canManageUser(actor: Actor, target: { id: string; role: Role; partnerId: string | null }): boolean {
  if (target.id === actor.userId) return false;
  if (actor.role === "brand_admin") return true;
  return actor.role === "partner_admin" && target.partnerId === actor.partnerId && target.role === "partner_rep";
}

/** Roles a manageable user may be moved to: brand roles among themselves, partner roles within the user's partner. */
export function assignableRoles(actor: Actor, target: { id: string; role: Role; partnerId: string | null }): Role[] {
  if (actor.role !== "brand_admin" || !canManageUser(actor, target)) return [];
  return target.partnerId ? ["partner_admin", "partner_rep"] : ["brand_admin", "brand_manager", "channel_manager"];
}
