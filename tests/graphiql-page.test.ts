import { testChromiumPath } from "@aftersales/kit/testing";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraph, type TestGraph } from "./src/graph.js";

/**
 * GraphiQL at `GET /graphql`, opened in headless Chromium (Debian's, as the
 * insights page test uses): it loads from the gateway alone, starts with the
 * first query and the headers it was given, and runs the query.
 */

const chromiumPath = testChromiumPath();

let graph: TestGraph;
let browser: Browser | undefined;
/** Where the graph's page really loaded files from. */
const hostsAsked = new Set<string>();

beforeAll(async () => {
  graph = await startGraph({ graphiqlCaller: { role: "AGENT" } });
  if (chromiumPath) browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
});

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
});

describe.skipIf(!chromiumPath)("GraphiQL", () => {
  it("loads from the gateway alone, starts with the first query and its headers, and runs it", async () => {
    const page = await browser!.newPage();
    page.on("request", (request) => hostsAsked.add(new URL(request.url()).host));
    await page.goto(graph.url);
    await page.locator(".graphiql-container").waitFor({ timeout: 60_000 });
    expect(await page.locator(".graphiql-query-editor").innerText()).toContain("query FirstLook");
    await page.getByRole("button", { name: /execute query/i }).click();
    const result = page.locator(".result-window");
    await result.getByText('"units"').waitFor({ timeout: 60_000 });
    expect(await result.innerText()).not.toContain('"errors"');
    expect([...hostsAsked]).toEqual([new URL(graph.url).host]);
    await page.close();
  });
});
