/** Rules of requests to serve a customer another partner registered; shared by server and forms. */
export const DECISIONS = ["approve", "transfer", "reject"] as const;
export type Decision = (typeof DECISIONS)[number];
export const REASON_MAX = 1000;

const DAY_MS = 86_400_000;

/** The end of the registrant's protection: registration time plus the brand's protection days. */
export const protectionEnd = (registeredAt: Date, protectionDays: number): Date => new Date(registeredAt.getTime() + protectionDays * DAY_MS);
