import { createServer } from "node:net";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createInstance } from "i18next";
import { sql } from "kysely";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import faCommon from "#locales/fa/common.json";
import enCommon from "#locales/en/common.json";
import { i18nConfig } from "~/i18n";
import { createBrand, createPartner, createUser, signedInCookie } from "../factories";

/** A port nothing listens on: connecting is refused at once, as when the database process is gone. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The app's modules loaded afresh with DATABASE_URL pointing at `url` (env and pool are read once per process). */
async function appAgainst(url: string) {
  const current = await import("~/utils/db.server");
  await current.closeDb();
  vi.resetModules();
  process.env.DATABASE_URL = url;
  return {
    dbModule: await import("~/utils/db.server"),
    root: await import("~/root"),
    login: await import("~/routes/login"),
    customers: await import("~/routes/_app.customers._index"),
  };
}

/** Remix hands its handlers a load context as well; these routes do not use it. */
const withContext = (fn: (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown) => async (args: Omit<LoaderFunctionArgs, "context">) => (await fn({ ...args, context: {} })) as Response | null;

/** What Remix does with a request on the server: run the matched loaders/actions, then render the root ErrorBoundary. */
async function serve(app: Awaited<ReturnType<typeof appAgainst>>, request: Request, lng: "fa" | "en") {
  const handler = createStaticHandler([
    {
      id: "root",
      path: "/",
      errorElement: createElement(app.root.ErrorBoundary),
      children: [
        { id: "login", path: "login", loader: withContext(app.login.loader), action: withContext(app.login.action) },
        { id: "customers", path: "customers", loader: withContext(app.customers.loader) },
      ],
    },
  ]);
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng });
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(createElement(I18nextProvider, { i18n }, createElement(StaticRouterProvider, { router, context, hydrate: false })));
  return { status: context.statusCode, html };
}

describe("while the database is unreachable, pages answer 503 in the user's language", () => {
  const realUrl = process.env.DATABASE_URL!;
  let cookie: string;
  let app: Awaited<ReturnType<typeof appAgainst>>;

  beforeAll(async () => {
    const brandId = await createBrand();
    const rep = await createUser(brandId, "partner_rep", await createPartner(brandId));
    cookie = await signedInCookie(rep.id);
    app = await appAgainst(`mysql://root@127.0.0.1:${await closedPort()}/unreachable`);
  });

  afterAll(async () => {
    await app.dbModule.closeDb();
    process.env.DATABASE_URL = realUrl;
    vi.resetModules();
  });

  it("a signed-in page: 503 and the Persian page, not a 500", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { status, html } = await serve(app, new Request("http://localhost/customers", { headers: { Cookie: cookie } }), "fa");
    expect(status).toBe(503);
    expect(html).toContain(`<h1>${faCommon.errorPage.unavailable.title}</h1>`);
    expect(html).toContain(faCommon.errorPage.unavailable.body);
    expect(html).not.toContain(faCommon.errorPage.server.title);
    expect(warn).toHaveBeenCalledWith("Database unavailable (ECONNREFUSED): answering 503.");
    warn.mockRestore();
  });

  it("a form post (sign-in): 503, in English for an English reader, and nothing else goes wrong", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const body = new URLSearchParams({ email: "rep@example.com", password: "whatever-password" });
    const { status, html } = await serve(app, new Request("http://localhost/login", { method: "POST", body }), "en");
    expect(status).toBe(503);
    expect(html).toContain(`<h1>${enCommon.errorPage.unavailable.title}</h1>`);
    expect(html).toContain(enCommon.errorPage.unavailable.body);
    warn.mockRestore();
  });

  it("a model call rejects with the 503 answer itself, so data requests get the same status", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const failure = await app.dbModule.db().selectFrom("brands").select("id").execute().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(app.dbModule.DatabaseUnavailable);
    expect(failure).toMatchObject({ status: 503, reason: "ECONNREFUSED" });
    warn.mockRestore();
  });
});

describe("a connection lost in the middle of a query", () => {
  it("answers 503, and the pool serves the next query on a fresh connection", async () => {
    const { db, DatabaseUnavailable } = await import("~/utils/db.server");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const marker = `lost-${Date.now()}`;
    const sleeping = sql`select sleep(20), ${marker}`.execute(db()).catch((e: unknown) => e);
    let victim: number | undefined;
    for (let tries = 0; victim === undefined && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      const { rows } = await sql<{ id: number }>`select id from information_schema.processlist where info like ${`%${marker}%`} and info not like '%processlist%'`.execute(db());
      victim = rows[0]?.id;
    }
    expect(victim).toBeDefined();
    await sql`kill connection ${sql.raw(String(victim))}`.execute(db());
    const failure = await sleeping;
    expect(failure).toBeInstanceOf(DatabaseUnavailable);
    expect((failure as InstanceType<typeof DatabaseUnavailable>).status).toBe(503);
    const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(db());
    expect(rows).toEqual([{ ok: 1 }]);
    warn.mockRestore();
  });
});
