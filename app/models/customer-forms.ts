import { z } from "zod";
import { CONSENT_CHANNELS, CONTACT_CHANNELS, CUSTOMER_KINDS, INTERACTION_CHANNELS, MANUAL_INTERACTION_KINDS, NEED_PRIORITIES, NEED_STATUSES } from "#db/schema";
import { PROVINCES } from "~/domain/provinces";
import { checkbox, choice, id, optionalEmail, optionalId, optionalText, phone, text } from "~/utils/validation";


export const customerSchema = z.object({
  kind: choice(CUSTOMER_KINDS),
  displayName: text(200),
  phone: phone().pipe(z.string()),
  email: optionalEmail(),
  province: choice(PROVINCES),
  city: text(100),
  preferredLocale: choice(["fa", "en"] as const),
  preferredChannel: choice(CONTACT_CHANNELS),
  preferredTimes: optionalText(200),
});

export const consentSchema = z.object({
  partner_contact: checkbox(),
  brand_contact: checkbox(),
  share_partners: checkbox(),
});

/** A consent change says how the customer gave it: channel, the day (checked as a past date by the route), a note. */
export const consentRecordSchema = consentSchema.extend({
  channel: choice(CONSENT_CHANNELS),
  givenOn: text(20),
  note: optionalText(500, { multiline: true }),
});

/** What a partner that cannot see the contact fields may propose: everything else. */
export const correctionWithoutContactSchema = customerSchema.omit({ phone: true, email: true, preferredTimes: true });

export const correctionDecisionSchema = z.object({
  correctionId: id(),
  decision: choice(["accept", "decline"] as const),
  reason: optionalText(500, { multiline: true }),
});

export const registrationSchema = customerSchema.extend({
  consentPartnerContact: checkbox(),
  consentBrandContact: checkbox(),
  consentSharePartners: checkbox(),
  force: checkbox(),
});

export const needSchema = z.object({
  categoryId: id(),
  body: text(1000, { multiline: true }),
  priority: choice(NEED_PRIORITIES),
  productId: optionalId(),
});

export const needStatusSchema = z.object({ needId: id(), status: choice(NEED_STATUSES) });

export const interactionSchema = z.object({
  kind: choice(MANUAL_INTERACTION_KINDS),
  channel: choice(INTERACTION_CHANNELS),
  note: optionalText(2000, { multiline: true }),
  occurredOn: z.string().max(20).optional(),
  needId: optionalId(),
});

/** Contact a customer gave the rep directly: a phone and/or an e-mail, how, and the day (checked as a past date by the route). */
export const collectedContactSchema = z.object({
  phone: phone({ optional: true }),
  email: optionalEmail(),
  channel: choice(INTERACTION_CHANNELS),
  givenOn: text(20),
});
