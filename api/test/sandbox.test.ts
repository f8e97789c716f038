// The GraphQL sandbox: GraphiQL on GET /graphql in a real headless Chromium,
// served entirely by this server (every other origin is refused), running
// queries and mutations against the live API on a real PostgreSQL.
import { getIntrospectionQuery } from "graphql";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createItem, getItem } from "../src/domain/items.ts";
import { createApp } from "../src/http/server.ts";
import { useBrowser } from "../src/testing/browser.ts";
import { useTestServer } from "../src/testing/fixtures.ts";

const t = useTestServer();
const browser = useBrowser();

beforeAll(async () => {
  // Ids 1 and 5 are the ones the CreateBill example tab sells.
  for (const [name, unit, price] of [
    ["Sugar", "kg", "160"],
    ["Flour", "kg", "95.50"],
    ["Rice", "kg", "300"],
    ["Soap", "piece", "50"],
    ["Milk", "liter", "220"],
  ]) {
    await createItem(t.ctx(), { name, unit, unitPrice: price, stockQty: "10", category: "Grocery" });
  }
});

const html = (path: string, accept = "text/html,application/xhtml+xml") => fetch(t.base + path, { headers: { accept } });

describe("GraphQL sandbox over HTTP", () => {
  it("serves GraphiQL to browsers on GET /graphql, with assets from this server only", async () => {
    const res = await html("/graphql");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain("StoreLite GraphQL sandbox");
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBe(2);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/graphiql\/[0-9a-f]{16}\/graphiql\.(js|css)$/);
      const got = await fetch(t.base + asset);
      expect(got.status, asset).toBe(200);
      expect(got.headers.get("cache-control")).toContain("immutable");
      expect((await got.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    const key = assets[0]!.split("/")[2];
    expect((await fetch(`${t.base}/graphiql/${key}/../../package.json`)).status).toBe(404);
    expect((await fetch(`${t.base}/graphiql/0000000000000000/graphiql.js`)).status).toBe(404);
    expect((await fetch(`${t.base}/graphiql/${key}/nothing.js`)).status).toBe(404);
  });

  it("keeps GraphQL itself as it was: POST JSON runs, CSRF-prone requests are refused", async () => {
    const post = await t.fetch(`/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ items(search: \"sugar\") { nodes { name } } }" }),
    });
    expect(await post.json()).toEqual({ data: { items: { nodes: [{ name: "Sugar" }] } } });

    // A GET or a form-like POST that a browser could send cross-site without a preflight.
    const get = await fetch(`${t.base}/graphql?query=${encodeURIComponent("{ __typename }")}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/i);
    const form = await fetch(`${t.base}/graphql`, { method: "POST", headers: { "content-type": "text/plain" }, body: '{"query":"{ __typename }"}' });
    expect(form.status).toBe(400);
  });

  it("answers the standard introspection query the IDE sends (within the query limits)", async () => {
    const res = await t.fetch(`/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }) }),
    });
    const body = (await res.json()) as { data?: { __schema: { queryType: { name: string } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.__schema.queryType.name).toBe("Query");
    // Only ofType chains are free: fields-of-types nesting (which explodes) still hits the depth limit.
    const nest = (inner: string) => `fields { type { ${inner} } }`;
    const deep = await t.graphql(`{ __schema { types { ${nest(nest(nest(nest(nest("name")))))} } } }`);
    expect(deep.errors?.[0]?.message).toMatch(/too deep/);
  });

  it("is off when introspection is off (production)", async () => {
    const app = await createApp({ db: t.db, env: { introspection: false, STORELITE_MAX_BODY_BYTES: 1_000_000 }, log: () => {} });
    const base = await app.listen(0, "127.0.0.1");
    try {
      const res = await fetch(`${base}/graphql`, { headers: { accept: "text/html" } });
      expect(await res.text()).not.toContain("GraphQL sandbox");
      expect((await fetch(`${base}/graphiql/x/graphiql.js`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe("GraphQL sandbox in Chromium", () => {
  /** What an editor pane shows (Monaco renders spaces as no-break spaces). */
  const paneText = (page: Page, selector: string) => page.locator(selector).innerText().then((s) => s.replace(/\u00a0/g, " "));
  const responseText = (page: Page) => paneText(page, ".graphiql-response");
  const variablesText = (page: Page) => paneText(page, ".graphiql-editor-tool");

  it("loads offline, shows the schema docs, runs the example query and createBill against the live API", async () => {
    const { page, offsite, errors, cspViolations } = await browser.newPage(t.base, undefined, { session: t.owner.token });
    await page.goto(`${t.base}/graphql`);
    await page.locator(".graphiql-container").waitFor();
    await expect.poll(() => page.locator(".graphiql-tab").allInnerTexts()).toEqual(["SearchItems", "CreateBill", "RecentBills"]);

    // Tab 1: the items search, with its variables ({"search": "sugar"}).
    await expect.poll(() => variablesText(page)).toContain('"search": "sugar"');
    await page.locator(".graphiql-execute-button").click();
    await expect.poll(() => responseText(page), { timeout: 20_000 }).toContain('"name": "Sugar"');
    expect(await responseText(page)).not.toContain("Flour");
    expect(await responseText(page)).toContain('"unitPrice": "160.00"');

    // Schema docs from introspection.
    await page.getByLabel("Show Documentation Explorer").click();
    const docs = page.locator(".graphiql-doc-explorer");
    await expect.poll(() => docs.innerText(), { timeout: 20_000 }).toMatch(/mutation:\s*Mutation/);

    // Tab 2: createBill sells 2 × item 1 and 1.5 × item 5 for real.
    await page.locator(".graphiql-tab", { hasText: "CreateBill" }).click();
    await expect.poll(() => variablesText(page)).toContain('"storeName": "Utility Store #1"');
    await expect.poll(() => paneText(page, ".graphiql-query-editor")).toContain("mutation CreateBill");
    await page.locator(".graphiql-execute-button").click();
    await expect.poll(() => responseText(page), { timeout: 20_000 }).toMatch(/"__typename": "\w+"/);
    const result = await responseText(page);
    expect(result).toContain('"__typename": "CreateBillSuccess"');
    expect(result).toContain('"totalAmount": "650.00"'); // 2 × 160.00 + 1.5 × 220.00
    expect((await getItem(t.ctx(), 1)).stockQty.toFixed(3)).toBe("8.000");
    expect((await getItem(t.ctx(), 5)).stockQty.toFixed(3)).toBe("8.500");

    await page.screenshot({ path: "/tmp/storelite-graphql-sandbox.png" });
    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
    // Under the API pages' Content-Security-Policy (http/edge.ts), nothing was blocked.
    expect(cspViolations).toEqual([]);
    await page.context().close();
  });
});
