import { describe, expect, it } from "vitest";
import { materialDocument, type MaterialValues, type TemplateSource } from "~/models/toolkits/render.server";

const template = (html: string, extra: Partial<TemplateSource> = {}): TemplateSource => ({ id: "tpl1", version: 1, html, css: "", lang: "fa", ...extra });
const text = (t: MaterialValues["text"]): MaterialValues => ({ text: t, logo: null });
/** The document's body, where the template and the values are. */
const body = (doc: string) => /<body>\n([\s\S]*)\n<\/body>/.exec(doc)![1];

// The smallest valid PNG (1×1, transparent).
const PNG = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64"));

describe("materialDocument: partner values are text, never markup", () => {
  it.each([
    ["<script>alert(document.cookie)</script>", "&lt;script&gt;alert(document.cookie)&lt;/script&gt;"],
    ['<img src=x onerror="alert(document.cookie)">', "&lt;img src=x onerror=&quot;alert(document.cookie)&quot;&gt;"],
    ["فروشگاه «مهر» & 'پسران'", "فروشگاه «مهر» &amp; &#39;پسران&#39;"],
  ])("%j in element content is escaped", (value, escaped) => {
    const doc = materialDocument(template("<h1>{{partner_name}}</h1>"), text({ partner_name: value }));
    expect(body(doc)).toBe(`<h1><bdi class="material-field">${escaped}</bdi></h1>`);
    expect(doc).not.toMatch(/<script|<img/i);
  });

  it("a value with quotes cannot leave an attribute", () => {
    const doc = materialDocument(template('<img src="{{partner_logo}}" alt="{{partner_name}}">'), text({ partner_name: 'x" onload="alert(document.cookie)' }));
    expect(body(doc)).toBe('<img src="" alt="x&quot; onload=&quot;alert(document.cookie)">');
  });

  it("values go only into text attributes; URLs, styles and handlers get nothing", () => {
    const html = '<a href="{{partner_website}}" title="{{partner_website}}" style="color: {{message}}">x</a>';
    const doc = materialDocument(template(html), text({ partner_website: "javascript:alert(1)", message: "red; background: url(http://evil.example/)" }));
    expect(body(doc)).toBe('<a href="" title="javascript:alert(1)" style="color: ">x</a>');
  });

  it("bidi controls and invisible characters in a value are dropped", () => {
    const doc = materialDocument(template("<p>{{partner_name}}</p>"), text({ partner_name: "\u202Eمهر\u200B\u2066 کالا" }));
    expect(body(doc)).toBe('<p><bdi class="material-field">مهر کالا</bdi></p>');
  });

  it("Arabic ي and ك become Persian ی and ک", () => {
    const doc = materialDocument(template("<p>{{customer_name}}</p>"), text({ customer_name: "علي كريمي" }));
    expect(body(doc)).toContain(">علی کریمی<");
  });

  it("line breaks in the message and address are kept as <br>, and nothing else from the value is markup", () => {
    const doc = materialDocument(template("<p>{{message}}</p>"), text({ message: "سطر یک\nسطر <b>دو</b>" }));
    expect(body(doc)).toBe('<p><bdi class="material-field">سطر یک<br>سطر &lt;b&gt;دو&lt;/b&gt;</bdi></p>');
  });
});

describe("materialDocument: placeholders", () => {
  it("fills known placeholders (with or without inner spaces) and leaves unknown and empty ones empty", () => {
    const html = "<p>{{partner_name}}|{{ partner_address }}|{{partner_nickname}}|{{customer_name}}|{{message}}</p>";
    const doc = materialDocument(template(html), text({ partner_name: "مهر", partner_address: "تهران", message: "  " }));
    expect(body(doc)).toBe('<p><bdi class="material-field">مهر</bdi>|<bdi class="material-field">تهران</bdi>|||</p>');
  });

  it("the preview marks where an empty field goes; the file does not", () => {
    const html = "<p>{{customer_name}}</p>";
    expect(body(materialDocument(template(html), text({}), { forPreview: true }))).toBe('<p><span class="material-empty" data-field="customer_name"></span></p>');
    expect(body(materialDocument(template(html), text({})))).toBe("<p></p>");
  });

  it("the logo becomes a data: URL in an img src; without a logo the img is hidden", () => {
    const html = '<img class="logo" src="{{partner_logo}}" alt="">';
    const withLogo = materialDocument(template(html), { text: {}, logo: { bytes: PNG, mime: "image/png" } });
    expect(body(withLogo)).toBe(`<img class="logo" src="data:image/png;base64,${Buffer.from(PNG).toString("base64")}" alt="">`);

    const withoutLogo = materialDocument(template(html), text({}));
    expect(body(withoutLogo)).toBe('<img class="logo" src="" alt="">');
    expect(withoutLogo).toContain('img[src=""], img:not([src]) { display: none !important; }');
  });

  it("the logo goes nowhere but an img src", () => {
    const doc = materialDocument(template('<a href="{{partner_logo}}">{{partner_logo}}</a>'), { text: {}, logo: { bytes: PNG, mime: "image/png" } });
    expect(body(doc)).toBe('<a href=""></a>');
  });

  it("template CSS holds no values and cannot close its style element", () => {
    const doc = materialDocument({ ...template("<p>x</p>"), css: "p::after { content: '{{partner_name}}' } </style><script>alert(1)</script>" }, text({ partner_name: "مهر" }));
    expect(doc).toContain("p::after { content: '' } <\\/style><script>alert(1)<\\/script>");
    expect(doc.match(/<\/style>/g)).toHaveLength(2);
  });
});

describe("materialDocument: the document", () => {
  it("has no script, even when the template brings one, and a policy that allows none", () => {
    const doc = materialDocument(template('<script>alert(1)</script><button onclick="alert(1)" ONMOUSEOVER=x type="button">{{partner_name}}</button><!-- {{partner_phone}} -->'), text({ partner_name: "مهر", partner_phone: "021" }));
    expect(body(doc)).toBe('<button type="button"><bdi class="material-field">مهر</bdi></button>');
    expect(doc).not.toMatch(/<script|\bon[a-z]+=/i);
    expect(doc).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'">`);
  });

  it("loads nothing from the network: Vazirmatn is embedded as data: URLs", () => {
    const doc = materialDocument(template("<p>{{partner_name}}</p>"), text({ partner_name: "مهر" }));
    const urls = [...doc.matchAll(/url\("([^"]*)"\)/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) expect(url).toMatch(/^data:font\/woff2;base64,d09GMg/); // "wOF2"
    expect(doc).toMatch(/font-family: Vazirmatn/);
    expect(doc.replace(/data:[^"]*/g, "data:…")).not.toMatch(/https?:|\/\//);
  });

  it("takes lang and dir from the template's language, and prints on A4", () => {
    expect(materialDocument(template("x"), text({}))).toContain('<html lang="fa" dir="rtl">');
    expect(materialDocument(template("x", { lang: "en" }), text({}))).toContain('<html lang="en" dir="ltr">');
    expect(materialDocument(template("x"), text({}))).toContain("@page { size: A4; margin: 0; }");
  });
});

describe("materialDocument: direction and digits", () => {
  const html = "<p>{{partner_phone}}</p><p>{{partner_website}}</p><p>{{partner_address}}</p>";
  const values = text({ partner_phone: "+989121234567", partner_website: "shop24.example", partner_address: "تهران، پلاک 12، واحد ٣" });

  it("fa: the phone in Persian digits, isolated left-to-right; the web address keeps its ASCII digits", () => {
    expect(body(materialDocument(template(html), values))).toBe(
      '<p><bdi dir="ltr" class="material-field">۰۹۱۲ ۱۲۳ ۴۵۶۷</bdi></p><p><bdi dir="ltr" class="material-field">shop24.example</bdi></p><p><bdi class="material-field">تهران، پلاک ۱۲، واحد ۳</bdi></p>',
    );
  });

  it("en: ASCII digits, whatever digits were typed", () => {
    const doc = materialDocument(template(html, { lang: "en" }), text({ partner_phone: "۰۲۱ ۸۸۰۰ ۱۱۲۲", partner_website: "shop24.example", partner_address: "Unit ۱۲" }));
    expect(body(doc)).toBe('<p><bdi dir="ltr" class="material-field">021 8800 1122</bdi></p><p><bdi dir="ltr" class="material-field">shop24.example</bdi></p><p><bdi class="material-field">Unit 12</bdi></p>');
  });

  it("a phone that is not E.164 keeps its spacing and only changes digit set", () => {
    const doc = materialDocument(template("<p>{{partner_phone}}</p>"), text({ partner_phone: "021-8800 1122" }));
    expect(body(doc)).toBe('<p><bdi dir="ltr" class="material-field">۰۲۱-۸۸۰۰ ۱۱۲۲</bdi></p>');
  });
});
