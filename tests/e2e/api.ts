// Real-HTTP helpers for the hostile-input suite and the cross-partner probe: a signed-in request
// context per demo user (through the login form, as a browser would), form posts that carry the
// Origin the server requires, and a read-only handle on the run's database to check what was (not)
// written. Specs that use it must not change demo users other specs rely on.
import { expect, request, type APIRequestContext, type APIResponse } from "@playwright/test";
import type { Kysely } from "kysely";
import { createDb } from "../../db/client";
import type { DB } from "../../db/schema";
import { DEMO_PASSWORD } from "./support";

export const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;
export const ORIGIN = new URL(baseURL).origin;

let handle: Kysely<DB> | undefined;
/** The e2e run's database (see playwright.config.ts); used to look up ids and check writes. */
export function e2eDb(): Kysely<DB> {
  handle ??= createDb(new URL(process.env.E2E_DB_NAME!, process.env.E2E_DB_ADMIN_URL).toString(), 2);
  return handle;
}
export async function closeE2eDb() {
  await handle?.destroy();
  handle = undefined;
}

/** A request context signed in as `email` (fails the test when the sign-in does not redirect). */
export async function signedIn(email: string, password = DEMO_PASSWORD): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL });
  const response = await ctx.post("/login", { form: { email, password, redirectTo: "/" }, headers: { Origin: ORIGIN }, maxRedirects: 0 });
  expect(response.status(), `sign-in of ${email}`).toBe(302);
  return ctx;
}

export type Form = Record<string, string>;
export interface Upload {
  field: string;
  name: string;
  mimeType: string;
  buffer: Buffer;
}

const isUpload = (body: Form | Upload): body is Upload => Buffer.isBuffer(body.buffer);

/** A same-origin POST (url-encoded form, or multipart with one file), never following redirects. */
export function post(ctx: APIRequestContext, path: string, body: Form | Upload = {}, { withOrigin = true } = {}): Promise<APIResponse> {
  const headers: Record<string, string> = withOrigin ? { Origin: ORIGIN } : {};
  const options = { headers, maxRedirects: 0 };
  if (isUpload(body)) {
    const { field, ...file } = body;
    return ctx.post(path, { ...options, multipart: { [field]: file } });
  }
  return ctx.post(path, { ...options, form: body });
}

export const get = (ctx: APIRequestContext, path: string) => ctx.get(path, { maxRedirects: 0 });

/** Text as React renders it inside an element or attribute. */
export const htmlEscaped = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" })[c]!);

/** An i18n message with {{name}} / {{name, number}} filled in the Persian way. */
export function faMessage(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{\{(\w+)(?:, number)?\}\}/g, (_, key: string) => {
    const v = values[key];
    return typeof v === "number" ? new Intl.NumberFormat("fa").format(v) : (v ?? "");
  });
}
