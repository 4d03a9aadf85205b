/** Rules of requests to serve a customer another partner registered; shared by server and forms. */
export const DECISIONS = ["approve", "transfer", "reject"] as const;
export type Decision = (typeof DECISIONS)[number];
/** The owning partner lets the requester in beside it or says no; moving the customer is the channel team's call. */
export const OWNER_DECISIONS = ["approve", "reject"] as const satisfies readonly Decision[];
export type OwnerDecision = (typeof OWNER_DECISIONS)[number];
export const REASON_MAX = 1000;
/** The brand setting's bounds: at least a day for the owner to answer, at most a month of waiting. */
export const OWNER_DECISION_DAYS = { min: 1, max: 30 } as const;

/** How the registration form found the existing record; the request names the customer the same way. */
export const MATCHES = ["phone", "email", "name_city"] as const;
export type DuplicateMatch = (typeof MATCHES)[number];

const DAY_MS = 86_400_000;

/** The end of the registrant's protection: registration time plus the brand's protection days. */
export const protectionEnd = (registeredAt: Date, protectionDays: number): Date => new Date(registeredAt.getTime() + protectionDays * DAY_MS);

/** Until when the owning partner may decide: the request time plus the brand's decision days. */
export const ownerDeadline = (requestedAt: Date, decisionDays: number): Date => new Date(requestedAt.getTime() + decisionDays * DAY_MS);

export type RequestStage = "owner" | "channel" | "decided";

/**
 * Who decides a request now. A pending request belongs to its owning partner until the deadline,
 * then (or at once, when there was no owner) to the channel team. Read from the deadline, so no
 * job has to move it.
 */
export function requestStage(r: { status: string; owner_deadline: Date | null }, now = new Date()): RequestStage {
  if (r.status !== "pending") return "decided";
  return r.owner_deadline && now < r.owner_deadline ? "owner" : "channel";
}
