import { z } from "zod";
import { PARTNER_TYPES, TIERS } from "#db/schema";
import { PROVINCES } from "~/domain/provinces";
import { choice, optionalId, optionalText, phone, text } from "~/utils/validation";

export const partnerSchema = z.object({
  nameFa: text(200),
  nameEn: text(200),
  type: choice(PARTNER_TYPES),
  parentId: optionalId(),
  tier: choice(TIERS),
  province: choice(PROVINCES),
  city: text(100),
  phone: phone({ optional: true }),
  address: optionalText(500, { multiline: true }),
});

export const profileSchema = z.object({
  phone: phone({ optional: true }),
  address: optionalText(500, { multiline: true }),
  cobrandName: optionalText(200),
  cobrandMessage: optionalText(500, { multiline: true }),
  website: optionalText(200).refine((s) => s === null || /^https?:\/\/[^\s]+\.[^\s]+$/i.test(s), { message: "errors.url" }),
});

export const tierSchema = z.object({ tier: choice(TIERS) });
