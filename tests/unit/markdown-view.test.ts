// Untrusted markdown loads nothing from elsewhere (issue 9: `![x](http://elsewhere/a.png)` was a tracking pixel):
// every image becomes a link naming its host; no <img> is rendered.
import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MarkdownView } from "@/components/markdown/markdown-view";

const render = (markdown: string) => renderToStaticMarkup(createElement(MarkdownView, null, markdown));

describe("MarkdownView images", () => {
  it("renders a remote image as a link that names its host, never as <img>", () => {
    const html = render("See ![a chart](http://elsewhere.example:8080/a.png) and ![](https://cdn.example/b.gif).");
    expect(html).not.toContain("<img");
    expect(html).toContain('href="http://elsewhere.example:8080/a.png"');
    expect(html).toContain("[image: a chart — elsewhere.example:8080]");
    expect(html).toContain("[image: image — cdn.example]");
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });

  it("drops what the sanitiser drops and keeps raw HTML as text", () => {
    const html = render('![x](javascript:alert(1)) <img src="http://elsewhere.example/p.png">');
    expect(html).not.toContain("<img");
    expect(html).not.toContain("javascript:");
    expect(html).toContain("&lt;img");
  });
});

describe("MarkdownView line breaks", () => {
  it("keeps a single line break as a line break, as the model wrote it", () => {
    const html = render("Soft rain taps the glass,\nwhispering of distant hills;\nthe kettle answers.");
    expect(html.match(/<br\/>/g)).toHaveLength(2);
  });
});
