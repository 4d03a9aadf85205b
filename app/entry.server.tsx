import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { createInstance, type i18n as I18n } from "i18next";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nConfig, LOCALES, type Locale } from "./i18n";
import { getLocale } from "./i18n.server";
import { NonceContext } from "./ui/nonce";
import { withoutNulBytes } from "./utils/html-stream.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The per-response CSP nonce from server.mjs; absent under the Vite dev server, which sets no policy. */
    cspNonce?: string;
  }
}

// server.mjs reads this from the build to configure Express before the first request.
export { trustProxyHops } from "./utils/env.server";
// …and starts the outbox's delivery loop with this, stopping it on shutdown.
export { startOutboxWorker } from "./models/outbox.server";
export { requestMemo } from "./utils/request-memo.server";
// …and, when SQL_STATEMENT_LOG is set (the HTTP benchmark), records each request's statements with these.
export { recordStatements, repeatedStatements } from "./utils/sql-log.server";
// …and answers /readyz with this, and on shutdown hands back the work this instance claimed.
export { readiness, shutdownGraceMs } from "./utils/health.server";
export { releaseInstanceClaims } from "./models/job-claims.server";

export const streamTimeout = 5_000;

/**
 * What the server logs of a failed loader or action: a refusal (a 4xx: unknown page, not allowed,
 * bad input) in one line, since it is the visitor's mistake, not ours; a server error with its stack.
 * Nothing for a request the client gave up on.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) {
    console.warn(`${error.status} ${request.method} ${new URL(request.url).pathname}`);
    return;
  }
  // Remix wraps some server errors in an error response that carries the original error.
  console.error(isRouteErrorResponse(error) && "error" in error ? error.error : error);
};

// One i18next instance per language for every render: the translations are bundled, nothing on the
// server changes an instance's language, and an instance keeps its lookups' caches (plural rules)
// instead of building them again for each page.
const renderers = Object.fromEntries(
  LOCALES.map((lng) => {
    const i18n = createInstance({ ...i18nConfig, lng, initImmediate: false });
    void i18n.use(initReactI18next).init();
    return [lng, i18n];
  }),
) as Record<Locale, I18n>;

// Every page is rendered whole before it is sent: pages are small, and the status code stays honest.
export default async function handleRequest(request: Request, status: number, headers: Headers, remixContext: EntryContext, loadContext: AppLoadContext) {
  const nonce = loadContext.cspNonce;
  const i18n = renderers[await getLocale(request)];

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        nonce,
        // Sent as one piece: React writes the page in 2 KB chunks, and the server would compress
        // and write each one on its own (Remix flushes the compression stream after every chunk).
        onAllReady() {
          const body = withoutNulBytes();
          const chunks: Buffer[] = [];
          const ready = status;
          body.on("data", (chunk: Buffer) => chunks.push(chunk));
          body.on("error", reject);
          body.on("end", () => {
            headers.set("Content-Type", "text/html; charset=utf-8");
            resolve(new Response(Buffer.concat(chunks), { headers, status: ready }));
          });
          pipe(body);
        },
        onShellError: reject,
        onError(error) {
          status = 500;
          console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}
