import { createHmac } from "node:crypto";
import { PermanentDeliveryError } from "~/domain/retry";
import { env } from "./env.server";

/**
 * The signature the receiver checks: HMAC-SHA256 over "<timestamp>.<body>" with ERP_SECRET, so a
 * captured request cannot be replayed later with a fresh timestamp.
 */
export function erpSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * POSTs one order to the ERP. The outbox id is the delivery id: a receiver that keeps the ids it has
 * acknowledged never books a repeat. 2xx is the acknowledgement; any other 4xx than 408/429 means
 * the receiver refuses this payload, and sending it again will not change that.
 */
export async function sendToErp(deliveryId: string, payload: unknown): Promise<void> {
  const e = env();
  if (!e.ERP_URL || !e.ERP_SECRET) throw new PermanentDeliveryError("ERP_URL is not configured");
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const res = await fetch(e.ERP_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Delivery-Id": deliveryId, "X-Timestamp": timestamp, "X-Signature": erpSignature(e.ERP_SECRET, timestamp, body) },
    body,
    signal: AbortSignal.timeout(e.ERP_TIMEOUT_MS),
  });
  if (res.ok) return;
  const detail = `ERP answered ${res.status}: ${(await res.text().catch(() => "")).slice(0, 300)}`;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new PermanentDeliveryError(detail);
  throw new Error(detail);
}
