/** How long a failed delivery waits before its next attempt: doubling from `baseMs`, at most `capMs`. */
export interface RetryRule {
  baseMs: number;
  capMs: number;
  maxAttempts: number;
}

/**
 * The wait after the `attempts`-th failed attempt (1 = the first): base × 2^(attempts − 1), capped,
 * then jittered down by up to half so messages that failed together do not all come back together.
 */
export function retryDelay(attempts: number, rule: RetryRule, random: () => number = Math.random): number {
  const full = Math.min(rule.baseMs * 2 ** Math.max(0, attempts - 1), rule.capMs);
  return Math.round(full * (0.5 + random() / 2));
}

/** A failure that trying again cannot mend (the receiver refuses the message): the outbox gives up at once. */
export class PermanentDeliveryError extends Error {}
