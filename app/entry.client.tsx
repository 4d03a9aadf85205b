import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nConfig } from "./i18n";

// Events on which React 18 hydrates a not-yet-hydrated root at once (react-dom's
// isDiscreteEventThatRequiresHydration).
const HYDRATING_EVENTS = ["mousedown", "mouseup", "touchcancel", "touchend", "touchstart", "auxclick", "dblclick", "pointercancel", "pointerdown", "pointerup", "dragend", "dragstart", "drop", "compositionend", "compositionstart", "keydown", "keypress", "keyup", "input", "textInput", "copy", "cut", "paste", "click", "change", "contextmenu", "reset", "submit"];

/**
 * RemixBrowser suspends until the page's data, streamed into the document, is decoded into
 * `__remixContext.state`. A click, key or change in that moment makes React 18 hydrate the whole
 * document synchronously, which cannot wait for data, so it throws ("Root did not complete",
 * minified error #345) and the event reaches no handler. Until the data is there, such events do
 * not reach React at all: the browser still does what it does for a page without JavaScript (the
 * portal works without it), and the page hydrates a moment later.
 */
function holdEventsUntilDataDecoded() {
  const context = (window as unknown as { __remixContext: { state?: unknown } }).__remixContext;
  const hold = (event: Event) => {
    if (context.state !== undefined) {
      for (const type of HYDRATING_EVENTS) window.removeEventListener(type, hold, true);
      return;
    }
    event.stopPropagation();
  };
  for (const type of HYDRATING_EVENTS) window.addEventListener(type, hold, true);
}

async function hydrate() {
  holdEventsUntilDataDecoded();
  await i18next.use(initReactI18next).init({ ...i18nConfig, lng: document.documentElement.lang });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

hydrate();
