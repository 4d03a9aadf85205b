// The one headless Chromium that prints co-brand materials: launched on the first render and shared
// by all, at most `concurrency` renders at a time with a bounded first-come-first-served queue
// behind them (a burst must not take a 2-core machine), a time limit per render, a fresh browser
// context per render, and a new browser after a crash.
import { accessSync, constants } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { env } from "~/utils/env.server";

export class RenderError extends Error {
  constructor(
    readonly reason: "unavailable" | "timeout" | "failed",
    message = `Render ${reason}`,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "RenderError";
  }

  /** The message for the user, in locales/*\/toolkits.json. */
  get messageKey(): `render.${RenderError["reason"]}` {
    return `render.${this.reason}`;
  }
}

export interface RendererSettings {
  executablePath: string;
  concurrency: number;
  /** Renders that may wait for a slot; one more is refused at once as busy. */
  queueLimit: number;
  timeoutMs: number;
}

// No sandbox: it needs user namespaces or a setuid helper, which containers (and root) do not give;
// the pages hold only our own document, with JavaScript off and the network cut.
const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const LAUNCH_TIMEOUT_MS = 30_000;

interface RendererState {
  browser: Promise<Browser> | undefined;
  /** server.mjs calls this on shutdown, as it destroys the database pool through globalThis.__db. */
  close: () => Promise<void>;
  active: number;
  queue: (() => void)[];
  overrides: Partial<RendererSettings>;
  stats: { launches: number; renders: number; queued: number; openContexts: number; peakOpenContexts: number };
}

// Kept on globalThis (like the database pool) so a dev-server reload does not leave a browser behind,
// and so server.mjs can close it on shutdown.
const g = globalThis as typeof globalThis & { __renderer?: RendererState };
const state: RendererState = (g.__renderer ??= {
  browser: undefined,
  close: async () => {},
  active: 0,
  queue: [],
  overrides: {},
  stats: { launches: 0, renders: 0, queued: 0, openContexts: 0, peakOpenContexts: 0 },
});

export function rendererSettings(): RendererSettings {
  const e = env();
  return { executablePath: e.CHROMIUM_PATH, concurrency: e.RENDER_CONCURRENCY, queueLimit: 50, timeoutMs: e.RENDER_TIMEOUT_MS, ...state.overrides };
}

/** Changes settings for this process (tests and the benchmark); an empty object restores the environment's. */
export function configureRenderer(overrides: Partial<RendererSettings>): void {
  state.overrides = overrides;
}

/** Browsers launched, pages rendered, renders that had to wait, and the most renders Chromium ran at once. */
export function rendererStats(): Readonly<RendererState["stats"]> {
  return { ...state.stats };
}

export function rendererAvailable(): boolean {
  try {
    accessSync(rendererSettings().executablePath, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function launch(): Promise<Browser> {
  const launching = chromium.launch({ executablePath: rendererSettings().executablePath, args: CHROMIUM_FLAGS, timeout: LAUNCH_TIMEOUT_MS }).then((browser) => {
    state.stats.launches++;
    // A crashed or killed browser is forgotten, so the next render launches a new one.
    browser.on("disconnected", () => {
      if (state.browser === launching) state.browser = undefined;
    });
    return browser;
  });
  launching.catch(() => {
    if (state.browser === launching) state.browser = undefined;
  });
  state.browser = launching;
  return launching;
}

async function sharedBrowser(): Promise<Browser> {
  const current = state.browser ?? launch();
  const browser = await current;
  if (browser.isConnected()) return browser;
  // The process died before its "disconnected" event was handled.
  if (state.browser === current) state.browser = undefined;
  return state.browser ?? launch();
}

type ContextOptions = NonNullable<Parameters<Browser["newContext"]>[0]>;

async function newContext(options: ContextOptions): Promise<BrowserContext> {
  const browser = await sharedBrowser();
  try {
    return await browser.newContext(options);
  } catch (e) {
    // Killed between the check and this call: once more, with a new browser.
    if (browser.isConnected()) throw e;
    return (await sharedBrowser()).newContext(options);
  }
}

/** Closes the shared browser (server shutdown; the next render would launch a new one). */
export async function closeRenderer(): Promise<void> {
  const browser = state.browser;
  state.browser = undefined;
  await browser?.then((b) => b.close()).catch(() => {});
}
state.close = closeRenderer;

async function takeSlot(): Promise<void> {
  const { concurrency, queueLimit } = rendererSettings();
  if (state.active < concurrency) {
    state.active++;
    return;
  }
  if (state.queue.length >= queueLimit) throw new RenderError("failed", "Render queue is full");
  state.stats.queued++;
  // The slot is handed over by the render that frees it, so the count of active renders stays put.
  await new Promise<void>((resolve) => state.queue.push(resolve));
}

function freeSlot(): void {
  const next = state.queue.shift();
  if (next) next();
  else state.active--;
}

export interface PageSpec {
  viewport: { width: number; height: number };
}

/**
 * Opens a fresh page for `work` in the shared browser, within a slot and the time limit. JavaScript
 * is off and every request is refused (the document embeds all it needs as data: URLs, which are
 * never requests). On timeout the caller gets RenderError("timeout") at once, and the slot is free
 * again once the work has really stopped (closing its context ends it).
 */
export async function withRenderPage<T>(spec: PageSpec, work: (page: Page) => Promise<T>): Promise<T> {
  await takeSlot();
  const { timeoutMs } = rendererSettings();
  let context: BrowserContext | undefined;
  let timedOut = false;
  const job = (async () => {
    const opened = await newContext({ viewport: spec.viewport, deviceScaleFactor: 1, javaScriptEnabled: false, offline: true, serviceWorkers: "block" });
    state.stats.peakOpenContexts = Math.max(state.stats.peakOpenContexts, ++state.stats.openContexts);
    opened.on("close", () => state.stats.openContexts--);
    context = opened;
    if (timedOut) throw new RenderError("timeout");
    await opened.route("**/*", (route) => route.abort("blockedbyclient"));
    const result = await work(await opened.newPage());
    state.stats.renders++;
    return result;
  })();
  const released = job
    .then(
      () => context?.close(),
      () => context?.close(),
    )
    .catch(() => {})
    .finally(freeSlot);

  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      void context?.close().catch(() => {});
      reject(new RenderError("timeout", `Render took longer than ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([job, limit]);
  } catch (e) {
    if (e instanceof RenderError) throw e;
    // The user is told "failed" in their language; the operator needs Chromium's own words.
    const message = `Render failed: ${e instanceof Error ? e.message : String(e)}`;
    console.warn(message);
    throw new RenderError("failed", message, { cause: e });
  } finally {
    clearTimeout(timer);
    // A finished render has closed its context and given its slot back before the caller goes on.
    if (!timedOut) await released;
  }
}
