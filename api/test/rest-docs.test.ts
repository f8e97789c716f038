// Swagger UI at /docs in a real headless Chromium: it renders every operation
// of /openapi.json with nothing fetched from outside this server, and "Try it
// out" calls the live API.
import { describe, expect, it } from "vitest";
import { useBrowser } from "../src/testing/browser.ts";
import { useTestServer } from "../src/testing/fixtures.ts";

const t = useTestServer();
const browser = useBrowser();

describe("Swagger UI in Chromium", () => {
  it("renders every documented operation offline and runs GET /items from the page", async () => {
    await fetch(`${t.base}/items`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Docs Sugar", unit: "kg", unit_price: "160", stock_qty: "4" }),
    }).then((r) => r.arrayBuffer());

    const { page, offsite, errors } = await browser.newPage(t.base);
    await page.goto(`${t.base}/docs`);
    const summaries = page.locator(".opblock .opblock-summary-path");
    await expect.poll(() => summaries.count(), { timeout: 20_000 }).toBe(16); // items 5, bills 3, reports 8
    expect(await page.locator(".info .title").innerText()).toContain("StoreLite REST API");

    const list = page.locator("#operations-Items-listItems");
    await list.locator(".opblock-summary").click();
    await list.getByRole("button", { name: "Execute" }).click();
    const live = list.locator(".live-responses-table");
    await expect.poll(() => live.count(), { timeout: 20_000 }).toBe(1);
    expect(await live.locator("tbody .response-col_status").innerText()).toBe("200");
    expect(await live.innerText()).toContain('"unit_price": "160.00"');

    await page.screenshot({ path: "/tmp/storelite-swagger-ui.png", fullPage: false });
    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
