// /admin's list: server-side search, category filter, cursor pages, low stock,
// stock changes and deactivation, in a real browser on the real API.
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useWebApp } from "./harness.ts";
import { createItem } from "./ops.ts";

const app = useWebApp();

/** Waits until the table lists exactly these item names (in this order), then checks it. */
async function expectNames(page: Page, expected: string[]) {
  const names = () => page.locator("table.items tbody tr[data-item-id] .item-name").allTextContents();
  await page
    .waitForFunction(
      (want) => JSON.stringify([...document.querySelectorAll("table.items tbody tr[data-item-id] .item-name")].map((e) => e.textContent)) === want,
      JSON.stringify(expected),
      { timeout: 10_000 },
    )
    .catch(() => {}); // the assertion below shows what is there instead
  expect(await names()).toEqual(expected);
}

beforeAll(async () => {
  // 60 items: more than one page (50). Names sort as "Item 01" … "Item 60".
  for (let i = 1; i <= 60; i++) {
    const n = String(i).padStart(2, "0");
    await createItem(app, { name: `Item ${n}`, category: i % 2 ? "Grocery" : "Beauty", unit: "piece", unitPrice: `${i}.25`, stockQty: i === 7 ? "2" : "40" });
  }
  await createItem(app, { name: "Zinc Soap", category: "Toiletries", unit: "piece", unitPrice: "30", stockQty: "0" });
});

describe("/admin items", () => {
  it("pages by cursor, searches on the server, filters by category and marks low stock", async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/admin`);
    const rows = page.locator("table.items tbody tr[data-item-id]");
    await page.getByRole("button", { name: "Load more" }).waitFor();
    expect(await rows.count()).toBe(50);
    await page.getByRole("button", { name: "Load more" }).click();
    await page.getByRole("row").filter({ hasText: "Zinc Soap" }).waitFor();
    expect(await rows.count()).toBe(61);
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);

    // Low and out of stock are marked.
    expect(await page.getByRole("row").filter({ hasText: "Item 07" }).locator(".badge").textContent()).toBe("Low");
    expect(await page.getByRole("row").filter({ hasText: "Zinc Soap" }).locator(".badge").textContent()).toBe("Out of stock");

    // Search (debounced, server-side): only the matches, newest text wins.
    await page.getByLabel("Search items").pressSequentially("item 1");
    await expectNames(page, ["Item 10", "Item 11", "Item 12", "Item 13", "Item 14", "Item 15", "Item 16", "Item 17", "Item 18", "Item 19"]);

    // Category filter on top of the search; a category in use appears in the list.
    expect(await page.getByLabel("Filter by category").locator("option").allTextContents()).toEqual(["All categories", "Beauty", "Grocery", "Toiletries"]);
    await page.getByLabel("Filter by category").selectOption("Beauty");
    await expectNames(page, ["Item 10", "Item 12", "Item 14", "Item 16", "Item 18"]);

    // Low stock only.
    await page.getByLabel("Search items").fill("");
    await page.getByLabel("Filter by category").selectOption("");
    await page.getByLabel("Low stock only").check();
    await expectNames(page, ["Item 07", "Zinc Soap"]);
  });

  it("never lets a slow answer to an older search replace the rows of a newer one", async () => {
    const page = await app.newPage();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let heldSeen!: () => void;
    const heldRequest = new Promise<void>((r) => (heldSeen = r));
    let heldDone!: () => void;
    const heldFinished = new Promise<void>((r) => (heldDone = r));
    await page.route("**/graphql", async (route) => {
      const body = route.request().postDataJSON() as { operationName?: string; variables?: { search?: string } } | null;
      if (body?.operationName === "InventoryItems" && body.variables?.search === "Item 1") {
        heldSeen();
        await held;
        await route.continue().catch(() => {}); // the page may have given up on it already
        heldDone();
        return;
      }
      await route.continue();
    });
    await page.goto(`${app.url}/admin`);
    await expectNames(page, (await app.sql<{ name: string }>("SELECT name FROM items ORDER BY name LIMIT 50")).map((r) => r.name));

    const search = page.getByLabel("Search items");
    await search.fill("Item 1");
    await heldRequest; // the answer for "Item 1" is now late…
    await search.fill("Item 10");
    await expectNames(page, ["Item 10"]); // …the newer search answers first
    release();
    await heldFinished;
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await expectNames(page, ["Item 10"]);
  });

  it("restocks, counts, deactivates and reactivates an item from its dialog", async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/admin`);
    await page.getByLabel("Search items").fill("Item 07");
    const row = page.locator("table.items tr[data-item-id]").filter({ hasText: "Item 07" });
    await row.waitFor();
    await row.getByRole("button", { name: "Edit Item 07" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit Item 07" });
    const stock = dialog.getByRole("form", { name: "Change stock" });

    await stock.getByLabel("Quantity (piece)").fill("10");
    await stock.getByLabel("Note (optional)").fill("supplier delivery");
    await stock.getByRole("button", { name: "Apply change" }).click();
    await stock.getByText("Stock is now 12 piece.").waitFor();
    await row.locator(".stock-value").filter({ hasText: /^12$/ }).waitFor();
    expect(await row.locator(".badge").count()).toBe(0); // no longer low

    // Removing more than is on hand is refused with what is there.
    await stock.getByLabel("Change").selectOption("REMOVE");
    await stock.getByLabel("Quantity (piece)").fill("20");
    await stock.getByRole("button", { name: "Apply change" }).click();
    await stock.getByText("Only 12 piece in stock").waitFor();

    await stock.getByLabel("Change").selectOption("COUNT");
    await stock.getByLabel("Counted quantity (piece)").fill("9");
    await stock.getByRole("button", { name: "Save count" }).click();
    await stock.getByText("Stock is now 9 piece.").waitFor();
    const moves = await app.sql<{ reason: string; quantity: string; note: string | null }>(
      "SELECT m.reason::text AS reason, m.quantity::text AS quantity, m.note FROM stock_movements m JOIN items i ON i.id = m.item_id WHERE i.name = 'Item 07' ORDER BY m.id",
    );
    expect(moves.slice(-2)).toEqual([
      { reason: "restock", quantity: "10.000", note: "supplier delivery" },
      { reason: "count", quantity: "-3.000", note: null },
    ]);

    await dialog.getByRole("button", { name: "Deactivate item" }).click();
    await dialog.getByRole("button", { name: "Reactivate item" }).waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await row.waitFor({ state: "detached" }); // inactive items are hidden…
    await page.getByLabel("Show inactive").check();
    await row.locator(".badge", { hasText: "Inactive" }).waitFor(); // …unless asked for
    await row.getByRole("button", { name: "Edit Item 07" }).click();
    await dialog.getByRole("button", { name: "Reactivate item" }).click();
    await dialog.getByRole("button", { name: "Deactivate item" }).waitFor();
    const [item] = await app.sql<{ is_active: boolean; stock_qty: string }>("SELECT is_active, stock_qty FROM items WHERE name = 'Item 07'");
    expect(item).toEqual({ is_active: true, stock_qty: "9.000" });
  });
});
