import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { signedInCookie, testAddress } from "./factories";

/** How a loader or action answered, whether it returned or threw: Remix throws Responses for 403/404/redirects. */
export interface Outcome {
  status: number;
  location: string | null;
  data: unknown;
  response: Response | null;
}

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

function isDataWithInit(v: unknown): v is { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null } {
  return typeof v === "object" && v !== null && (v as { type?: unknown }).type === "DataWithResponseInit";
}

function settle(value: unknown): Outcome {
  if (value instanceof Response) return { status: value.status, location: value.headers.get("Location"), data: null, response: value };
  if (isDataWithInit(value)) return { status: value.init?.status ?? 200, location: null, data: value.data, response: null };
  return { status: 200, location: null, data: value, response: null };
}

/** Each request comes from an address of its own (as server.mjs would report it), unless the test names one. */
export async function call(handler: Handler, request: Request, params: Record<string, string> = {}, context: AppLoadContext = { clientIp: testAddress() }): Promise<Outcome> {
  try {
    return settle(await handler({ request, params, context }));
  } catch (e) {
    if (e instanceof Response) return settle(e);
    throw e;
  }
}

export interface RequestOptions {
  /** Signed in as this user (a fresh session); signed out when omitted. */
  as?: string | null;
  method?: "GET" | "POST";
  /** Form fields, sent url-encoded (or as multipart when a FormData); URLSearchParams for repeated names (checkboxes). */
  form?: Record<string, string> | FormData | URLSearchParams;
  headers?: Record<string, string>;
  /** The client's address as server.mjs reports it (a fresh one when omitted). */
  ip?: string;
}

export async function makeRequest(path: string, o: RequestOptions = {}): Promise<Request> {
  const headers = new Headers(o.headers);
  if (o.as) headers.set("Cookie", await signedInCookie(o.as));
  const method = o.method ?? (o.form ? "POST" : "GET");
  const body = o.form instanceof FormData || o.form instanceof URLSearchParams ? o.form : o.form ? new URLSearchParams(o.form) : undefined;
  return new Request(`http://localhost${path}`, { method, headers, body });
}

/** Calls a route handler the way Remix would for a request to `path`. */
export async function hit(handler: Handler, path: string, params: Record<string, string>, o: RequestOptions = {}): Promise<Outcome> {
  return call(handler, await makeRequest(path, o), params, { clientIp: o.ip ?? testAddress() });
}

/** The field errors of a 4xx action answer, as { field: key }. */
export function errorKeys(o: Outcome): Record<string, string> {
  const errors = (o.data as { errors?: Record<string, { key: string }> } | null)?.errors ?? {};
  return Object.fromEntries(Object.entries(errors).map(([field, e]) => [field, e.key]));
}
