import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/**
 * The insights page (`GET /insights`): one self-contained HTML file
 * (page.html, inline CSS and JS, no CDN) that reads the graph with the
 * caller's token and draws its charts as inline SVG.
 */

const TEMPLATE = readFileSync(new URL("./page.html", import.meta.url), "utf8");
const HEADERS_MARK = "__GRAPH_HEADERS__";
if (!TEMPLATE.includes(HEADERS_MARK)) throw new Error(`insights/page.html lost its ${HEADERS_MARK} mark.`);

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
/** The contents of every element `tag` that runs (scripts that are data blocks do not). */
const inline = (tag: "script" | "style") =>
  [...TEMPLATE.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g"))]
    .filter((m) => !/type="application\/json"/.test(m[1] ?? ""))
    .map((m) => m[2] ?? "");

/**
 * Only the page's own script and style run (by hash), and it talks only to
 * this origin: a token in the page is out of reach of anything injected.
 */
export const INSIGHTS_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${inline("script").map(sha256).join(" ")}`,
  `style-src ${inline("style").map(sha256).join(" ")}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The page, starting with `headers` on its requests when the caller gives it
 * no token of their own (development: a development token). In JSON inside a
 * data block, with `<` escaped so no value can close the element.
 */
export function insightsPage(headers: Record<string, string> = {}): string {
  const json = JSON.stringify(headers).replaceAll("<", "\\u003c").replaceAll("\u2028", "\\u2028").replaceAll("\u2029", "\\u2029");
  return TEMPLATE.replace(HEADERS_MARK, () => json);
}
