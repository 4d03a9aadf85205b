import { createInstance } from "i18next";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { describe, expect, it } from "vitest";
import { i18nConfig } from "~/i18n";
import { Place } from "~/ui/place";

async function render(lng: "fa" | "en", city: string | null, province: string) {
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng });
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(Place, { city, province })));
}

describe("a place: the user's city beside the province", () => {
  it("isolates the typed city and separates it with a mark that reads the same in both languages", async () => {
    expect(await render("en", "کرج", "alborz")).toBe('<bdi dir="auto">کرج</bdi> · Alborz');
    expect(await render("fa", "Shiraz", "fars")).toBe('<bdi dir="auto">Shiraz</bdi> · فارس');
  });

  it("shows the province alone when no city was typed", async () => {
    expect(await render("en", null, "tehran")).toBe("Tehran");
  });

  it("does not repeat a city that is the province's own name, whatever language or keyboard it was typed in", async () => {
    expect(await render("en", "تهران", "tehran")).toBe("Tehran");
    expect(await render("fa", "تهران", "tehran")).toBe("تهران");
    expect(await render("fa", " tehran ", "tehran")).toBe("تهران");
    expect(await render("en", "كرمان", "kerman")).toBe("Kerman"); // Arabic kaf
  });
});
