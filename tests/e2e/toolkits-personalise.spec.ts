import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import faToolkits from "../../locales/fa/toolkits.json" with { type: "json" };
import { formatPhone } from "../../app/domain/format";
import { MATERIAL_CSP } from "../../app/domain/material-document";
import { closeE2eDb, e2eDb, get, post, signedIn } from "./api";
import { customerForm } from "./hostile-cases";
import { fa, signInHome } from "./support";

const t = faToolkits;
// The demo's Nowruz kit, published to gold and platinum partners, and its greeting card
// (db/seed/toolkits.ts): partner name and phone required, message and customer optional.
const NOWRUZ = "01DEMQTOOLKIT0000000000001";
const CARD = "01DEMQTKTEMPL0000000000001";
const CARD_PATH = `/toolkits/${NOWRUZ}/templates/${CARD}`;
const NOOR = "01DEMQPARTNER0000000000003";
// Noor is a gold reseller, Zandiyeh a silver one; other specs only read with these accounts.
const goldRep = { email: "rep@noor.example", name: "زهرا جعفری" };
const silverRep = "rep@zandiyeh.example";

/** Every CSP violation reported in the page or its frames, from the DOM event and from Chromium's console. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  void page.exposeFunction("reportCspViolation", (v: string) => violations.push(v));
  void page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportCspViolation: (v: string) => void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
    });
  });
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
  });
  page.on("pageerror", (error) => violations.push(`page error: ${error.message}`));
  return violations;
}

const plain = (s: string) => s.replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, "");

test.afterAll(() => closeE2eDb());

test("a gold rep personalises the Nowruz card for a customer, downloads PDF and PNG, and the customer's timeline shows it; a silver rep gets 404", async ({ browser }) => {
  test.setTimeout(180_000);
  const partner = await e2eDb().selectFrom("partners").select(["name_fa", "cobrand_name", "phone"]).where("id", "=", NOOR).executeTakeFirstOrThrow();
  const partnerName = partner.cobrand_name || partner.name_fa;
  // Persian digits: a Persian template shows every digit that way.
  const stamp = String(Date.now()).slice(-6).replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
  const customerName = `سپیده رحیمی ${stamp}`;

  // A customer of the gold rep's own, made for this spec.
  const api = await signedIn(goldRep.email);
  const registered = await post(api, "/customers/new", customerForm({ displayName: customerName, province: "tehran", city: "تهران" }));
  expect(registered.status()).toBe(302);
  const customerPath = registered.headers().location!;
  await api.dispose();

  const page = await browser.newPage();
  const violations = watchCsp(page);
  await signInHome(page, goldRep);
  await page.goto(`/toolkits/${NOWRUZ}`);
  await page.getByRole("link", { name: "کارت تبریک نوروزی" }).click();
  await expect(page).toHaveURL(new RegExp(`${CARD_PATH}$`));
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");

  // Prefilled from the profile, and shown in the preview frame.
  await expect(page.getByLabel(`${t.fields.partner_name} *`)).toHaveValue(partnerName);
  const preview = page.frameLocator("iframe.material-preview");
  await expect(preview.locator("h1")).toHaveText(partnerName);
  if (partner.phone) await expect(preview.locator(".phone")).toContainText(formatPhone(partner.phone, "fa"));

  // Typing updates the preview; clearing the required name locks the downloads.
  const message = page.getByLabel(t.fields.message);
  await message.fill("نوروزتان پیروز، با تخفیف ویژهٔ ما");
  await expect(preview.locator(".message")).toContainText("نوروزتان پیروز");
  const pdfButton = page.getByRole("button", { name: t.formats.pdf_a4 });
  await page.getByLabel(`${t.fields.partner_name} *`).fill("");
  await expect(pdfButton).toBeDisabled();
  await page.getByLabel(`${t.fields.partner_name} *`).fill(partnerName);
  await expect(pdfButton).toBeEnabled();

  // The customer, found through the search and picked from the list.
  await page.getByLabel(t.personalise.customer_search).fill(customerName);
  await page.getByRole("button", { name: t.personalise.search }).click();
  await page.getByLabel(t.personalise.customer).selectOption({ label: `${customerName} (تهران)` });
  // The search reloaded the page; the preview button is the path that needs no JavaScript.
  await page.getByRole("button", { name: t.personalise.preview }).click();
  await expect(page).toHaveURL(/customerId=[0-9A-Z]{26}/);
  await expect(preview.locator(".to")).toContainText(customerName);
  await expect(pdfButton).toBeEnabled();

  const [pdf] = await Promise.all([page.waitForEvent("download"), pdfButton.click()]);
  expect(pdf.suggestedFilename()).toBe("کارت تبریک نوروزی - pdf_a4.pdf");
  const pdfPath = await pdf.path();
  expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe("%PDF-");
  const text = plain(execFileSync("pdftotext", [pdfPath, "-"], { encoding: "utf8" }));
  expect(text).toContain(partnerName);
  expect(text).toContain(customerName.split(" ")[0]);

  const [png] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: t.formats.png_square }).click()]);
  const meta = await sharp(readFileSync(await png.path())).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(["png", 1080, 1080]);

  // The toolkit page lists the files; the customer's timeline shows the material sent.
  await page.goto(`/toolkits/${NOWRUZ}`);
  const files = page.getByRole("listitem").filter({ hasText: customerName });
  await expect(files).toHaveCount(2);
  await expect(files.getByRole("link", { name: "کارت تبریک نوروزی" })).toHaveCount(2);
  await page.goto(customerPath);
  const sent = page.getByTestId("timeline").getByRole("listitem").filter({ hasText: faCustomers.interaction.material_sent });
  // One touchpoint per file made for the customer (the PDF and the PNG), naming the kit and the card.
  await expect(sent).toHaveCount(2);
  await expect(sent.first()).toContainText("فروش ویژهٔ نوروز ۱۴۰۵ · کارت تبریک نوروزی");
  await page.close();
  expect(violations).toEqual([]);

  // The silver rep: the same URLs are 404, and nothing is made.
  const silver = await signedIn(silverRep);
  expect((await get(silver, CARD_PATH)).status()).toBe(404);
  expect((await get(silver, `${CARD_PATH}/preview`)).status()).toBe(404);
  expect((await post(silver, `${CARD_PATH}/render`, { format: "pdf_a4", partner_name: "فروشگاه زندیه", partner_phone: "+987132301234" })).status()).toBe(404);
  await silver.dispose();
});

test("the preview is served under the material document's policy, framed by our pages only; bad input is refused in Persian", async () => {
  const gold = await signedIn(goldRep.email);
  const preview = await get(gold, `${CARD_PATH}/preview?partner_name=${encodeURIComponent("<b>نور</b>")}`);
  expect(preview.status()).toBe(200);
  expect(preview.headers()["content-security-policy"]).toBe(`${MATERIAL_CSP}; frame-ancestors 'self'`);
  expect(preview.headers()["x-frame-options"]).toBe("SAMEORIGIN");
  expect(await preview.text()).toContain("&lt;b&gt;نور&lt;/b&gt;");
  const page = await get(gold, CARD_PATH);
  expect(page.headers()["x-frame-options"]).toBe("DENY");
  expect(page.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");

  const before = await e2eDb().selectFrom("toolkit_renders").select((eb) => eb.fn.countAll<number>().as("n")).where("partner_id", "=", NOOR).executeTakeFirstOrThrow();
  const refused = await post(gold, `${CARD_PATH}/render`, { format: "pdf_a4", partner_name: "نور\u202Eexe", partner_phone: "" });
  expect(refused.status()).toBe(400);
  const body = await refused.text();
  expect(body).toContain(fa.common.errors.control_chars);
  expect(body).toContain(fa.common.errors.required);
  const after = await e2eDb().selectFrom("toolkit_renders").select((eb) => eb.fn.countAll<number>().as("n")).where("partner_id", "=", NOOR).executeTakeFirstOrThrow();
  expect(Number(after.n)).toBe(Number(before.n));
  await gold.dispose();
});

test("the brand's template editor previews a template with sample partner values, without a policy violation", async ({ browser }) => {
  const page = await browser.newPage();
  const violations = watchCsp(page);
  await signInHome(page, { email: "manager@brand.example", name: "علی رضایی" });
  await page.goto(`/toolkits/manage/${NOWRUZ}`);
  const card = page.getByRole("listitem").filter({ hasText: "کارت تبریک نوروزی" });
  await card.getByText(t.personalise.edit).click();
  await expect(card.getByLabel(t.template.name_fa)).toHaveValue("کارت تبریک نوروزی");
  await card.getByRole("button", { name: t.personalise.sample_values }).click();
  const preview = card.frameLocator("iframe.material-preview");
  await expect(preview.locator("h1")).toHaveText("فروشگاه نمونهٔ پارس");
  // Typing in the HTML reloads the preview (debounced); nothing is saved until the save button.
  await card.getByLabel(t.template.html).fill(`${await card.getByLabel(t.template.html).inputValue()}<footer class="x">پیش‌نمایش زنده</footer>`);
  await expect(preview.locator("footer.x")).toHaveText("پیش‌نمایش زنده");
  const stored = await e2eDb().selectFrom("toolkits").select(["draft_version", "current_version"]).where("id", "=", NOWRUZ).executeTakeFirstOrThrow();
  expect(stored).toEqual({ draft_version: null, current_version: 1 });
  await page.close();
  expect(violations).toEqual([]);
});
