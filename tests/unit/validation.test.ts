import { describe, expect, it } from "vitest";
import { z } from "zod";
import { email, optionalEmail, optionalId, parseFormData, password, text } from "~/utils/validation";

const schema = z.object({ email: optionalEmail(), name: text(5), partnerId: optionalId() });

describe("form validation", () => {
  it("keeps an empty optional email as null and normalises a given one", () => {
    expect(parseFormData(schema, { email: "", name: "علی", partnerId: "" })).toEqual({ ok: true, data: { email: null, name: "علی", partnerId: null } });
    expect(parseFormData(schema, { email: "  Sara@Example.COM ", name: "علی" })).toMatchObject({ ok: true, data: { email: "sara@example.com" } });
  });

  it("answers each bad field with an i18n key", () => {
    expect(parseFormData(schema, { email: "nope", name: "۱۲۳۴۵۶", partnerId: "x".repeat(30) })).toEqual({
      ok: false,
      errors: { email: { key: "errors.email" }, name: { key: "errors.too_long", values: { max: 5 } }, partnerId: { key: "errors.choice" } },
    });
    expect(parseFormData(schema, { name: "a\u202Eb" })).toMatchObject({ ok: false, errors: { name: { key: "errors.control_chars" } } });
  });

  it("says the limit of a built-in length check too (not \"at most NaN\")", () => {
    const login = z.object({ email: email(), password: password() });
    expect(parseFormData(login, { email: `${"a".repeat(300)}@x.example`, password: "p".repeat(201) })).toEqual({
      ok: false,
      errors: { email: { key: "errors.too_long", values: { max: 254 } }, password: { key: "errors.too_long", values: { max: 200 } } },
    });
  });
});
