import { describe, expect, it } from "vitest";
import { audienceIncludes, EMPTY_AUDIENCE, isEmptyAudience, type Audience, type AudiencePartner } from "~/domain/toolkit-audience";
import { sniffAsset } from "~/domain/toolkit-assets";
import { templateProblems, TEMPLATE_FIELDS, type TemplateFields } from "~/domain/toolkit-templates";
import { parseTemplate } from "~/models/toolkits/forms";

const partner = (o: Partial<AudiencePartner> = {}): AudiencePartner => ({ id: "P1", tier: "gold", type: "reseller", province: "tehran", ...o });
const audience = (o: Partial<Audience>): Audience => ({ ...EMPTY_AUDIENCE, ...o });

describe("toolkit audience", () => {
  it("all reaches every partner; an empty audience reaches nobody and cannot be published", () => {
    expect(audienceIncludes(audience({ all: true }), partner({ tier: "registered" }))).toBe(true);
    expect(audienceIncludes(EMPTY_AUDIENCE, partner())).toBe(false);
    expect(isEmptyAudience(EMPTY_AUDIENCE)).toBe(true);
    expect(isEmptyAudience(audience({ provinces: ["fars"] }))).toBe(false);
  });

  it("by tier, by type, by province", () => {
    const gold = audience({ tiers: ["gold", "platinum"] });
    expect(audienceIncludes(gold, partner({ tier: "gold" }))).toBe(true);
    expect(audienceIncludes(gold, partner({ tier: "platinum" }))).toBe(true);
    expect(audienceIncludes(gold, partner({ tier: "silver" }))).toBe(false);
    expect(audienceIncludes(audience({ types: ["distributor"] }), partner({ type: "distributor" }))).toBe(true);
    expect(audienceIncludes(audience({ types: ["distributor"] }), partner({ type: "reseller" }))).toBe(false);
    expect(audienceIncludes(audience({ provinces: ["tehran"] }), partner({ province: "tehran" }))).toBe(true);
    expect(audienceIncludes(audience({ provinces: ["tehran"] }), partner({ province: "fars" }))).toBe(false);
  });

  it("several criteria must all hold", () => {
    const goldInTehran = audience({ tiers: ["gold"], provinces: ["tehran"] });
    expect(audienceIncludes(goldInTehran, partner({ tier: "gold", province: "tehran" }))).toBe(true);
    expect(audienceIncludes(goldInTehran, partner({ tier: "gold", province: "fars" }))).toBe(false);
    expect(audienceIncludes(goldInTehran, partner({ tier: "silver", province: "tehran" }))).toBe(false);
    const goldDistributors = audience({ tiers: ["gold"], types: ["distributor"] });
    expect(audienceIncludes(goldDistributors, partner({ type: "reseller" }))).toBe(false);
  });

  it("a hand-picked partner is in whatever the criteria say; alone, the list is the whole audience", () => {
    const picked = audience({ partnerIds: ["P9"] });
    expect(audienceIncludes(picked, partner({ id: "P9" }))).toBe(true);
    expect(audienceIncludes(picked, partner({ id: "P1" }))).toBe(false);
    const goldOrPicked = audience({ tiers: ["gold"], partnerIds: ["P9"] });
    expect(audienceIncludes(goldOrPicked, partner({ id: "P9", tier: "registered" }))).toBe(true);
    expect(audienceIncludes(goldOrPicked, partner({ id: "P2", tier: "gold" }))).toBe(true);
    expect(audienceIncludes(goldOrPicked, partner({ id: "P3", tier: "silver" }))).toBe(false);
  });
});

describe("toolkit asset type", () => {
  const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));
  it("knows PDF, PNG, JPEG and MP4 by their first bytes", () => {
    expect(sniffAsset(bytes("%PDF-1.7\n"))?.mime).toBe("application/pdf");
    expect(sniffAsset(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])))?.toEqual({ mime: "image/png", ext: "png" });
    expect(sniffAsset(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))?.mime).toBe("image/jpeg");
    expect(sniffAsset(bytes([0, 0, 0, 0x20], "ftypisom", [0, 0, 2, 0])))?.toEqual({ mime: "video/mp4", ext: "mp4" });
    expect(sniffAsset(bytes([0, 0, 0, 0x18], "ftypmp42", [0, 0, 0, 0]))?.mime).toBe("video/mp4");
  });

  it("refuses SVG, HTML, ZIP, executables and other ISO media (whatever the file is called)", () => {
    expect(sniffAsset(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffAsset(bytes('<?xml version="1.0"?><svg/>'))).toBeNull();
    expect(sniffAsset(bytes("<!doctype html><html><script>alert(1)</script>"))).toBeNull();
    expect(sniffAsset(bytes("PK\u0003\u0004 zip"))).toBeNull();
    expect(sniffAsset(bytes("MZ\u0090\u0000 windows executable"))).toBeNull();
    expect(sniffAsset(bytes([0x7f], "ELF", [2, 1, 1]))).toBeNull();
    expect(sniffAsset(bytes([0, 0, 0, 0x18], "ftypheic", [0, 0, 0, 0]))).toBeNull();
    expect(sniffAsset(bytes(" %PDF-1.7"))).toBeNull();
    expect(sniffAsset(new Uint8Array())).toBeNull();
  });
});

describe("template field config", () => {
  const config = (o: Partial<TemplateFields["fields"]> = {}, messageMax = 200): TemplateFields => ({
    fields: { ...(Object.fromEntries(TEMPLATE_FIELDS.map((f) => [f, "off"])) as TemplateFields["fields"]), ...o },
    messageMax,
  });

  it("accepts placeholders that match the switched-on fields", () => {
    expect(templateProblems("<p>{{partner_name}} {{ message }}</p>", config({ partner_name: "required", message: "optional" }))).toEqual([]);
  });

  it("names a field that is on without its placeholder, a placeholder whose field is off, and unknown ones", () => {
    expect(templateProblems("<p>{{partner_name}}</p>", config({ partner_name: "required", partner_phone: "optional" }))).toEqual([{ field: "field_partner_phone", key: "missing_placeholder", name: "partner_phone" }]);
    expect(templateProblems("<p>{{partner_name}} {{customer_name}}</p>", config({ partner_name: "required" }))).toEqual([{ field: "field_customer_name", key: "placeholder_off", name: "customer_name" }]);
    expect(templateProblems("<p>{{partner_name}} {{script}}</p>", config({ partner_name: "required" }))).toEqual([{ field: "html", key: "unknown_placeholder", name: "script" }]);
  });

  it("a message needs a maximum length from 1 to 500", () => {
    expect(templateProblems("{{message}}", config({ message: "required" }, 0))).toEqual([{ field: "messageMax", key: "message_max" }]);
    expect(templateProblems("{{message}}", config({ message: "required" }, 501))).toEqual([{ field: "messageMax", key: "message_max" }]);
    expect(templateProblems("{{message}}", config({ message: "required" }, 500))).toEqual([]);
  });

  it("the template form answers with field errors as i18n keys", () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ nameFa: "کارت نوروزی", nameEn: "Nowruz card", lang: "fa", html: "<p>{{partner_name}}</p>", css: "", messageMax: "200" })) form.set(k, v);
    for (const f of TEMPLATE_FIELDS) form.set(`field_${f}`, f === "partner_name" ? "required" : "off");
    const ok = parseTemplate(form);
    expect(ok.ok).toBe(false); // no format chosen
    expect(!ok.ok && ok.errors.formats?.key).toBe("toolkits:errors.formats_required");
    form.append("formats", "pdf_a4");
    form.append("formats", "png_story");
    const parsed = parseTemplate(form);
    expect(parsed.ok && parsed.data.formats).toEqual(["pdf_a4", "png_story"]);
    expect(parsed.ok && parsed.data.config.fields.partner_name).toBe("required");
    form.set("html", "<p>{{partner_name}}\u202E</p>");
    const bidi = parseTemplate(form);
    expect(!bidi.ok && bidi.errors.html?.key).toBe("errors.control_chars");
  });
});
