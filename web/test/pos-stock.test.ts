// The POS when stock changes behind its back, a double click, and a reload.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useWebApp } from "./harness.ts";
import { adjustStock, createItem } from "./ops.ts";

const app = useWebApp();

/**
 * Counts the page's createBill requests and holds them until release(), so a
 * test can look at the page while the bill is in flight (no sleeps, no timing).
 */
async function holdCreateBill(page: Page) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let sent!: () => void;
  const first = new Promise<void>((r) => (sent = r));
  const state = { count: 0, release, first };
  await page.route("**/graphql", async (route) => {
    const body = route.request().postDataJSON() as { operationName?: string } | null;
    if (body?.operationName === "CreateBill") {
      state.count += 1;
      sent();
      await held;
    }
    await route.continue();
  });
  return state;
}

async function addToCart(page: import("playwright-core").Page, search: string, name: string, quantity: string) {
  await page.getByRole("combobox", { name: "Search or scan" }).fill(search);
  await page.getByRole("option", { name: new RegExp(name) }).waitFor();
  await page.keyboard.press("Enter");
  const qty = page.getByLabel(new RegExp(`^Quantity of ${name}`));
  await qty.fill(quantity);
}

describe("POS stock", () => {
  it("rolls back a refused bill and marks the line with what is available", async () => {
    const id = await createItem(app, { name: "Brown Sugar", category: "Grocery", unit: "kg", unitPrice: "190", stockQty: "5" });
    const page = await app.newPage({ width: 820, height: 1180 }); // counter tablet
    await page.goto(`${app.url}/pos`);
    await addToCart(page, "sugar", "Brown Sugar", "4");
    const line = page.locator("table.cart tr", { hasText: "Brown Sugar" });
    await line.getByTestId("line-stock").filter({ hasText: "1 kg left" }).waitFor();

    // Another counter sells 3 kg.
    expect(await adjustStock(app, { itemId: id, delta: "-3", reason: "ADJUSTMENT", note: "sold at counter 2" })).toBe("2.000");

    expect(await line.getAttribute("data-stock")).toBe("5.000");

    const gate = await holdCreateBill(page);
    await page.getByRole("button", { name: "Pay (F2)" }).click();
    await page.getByRole("button", { name: "Complete sale" }).click();
    await gate.first;
    // In flight: the cache already holds the optimistic stock (5 − 4), the button is busy.
    await page.locator('table.cart tr[data-stock="1.000"]').waitFor();
    await page.getByRole("button", { name: "Completing…" }).waitFor();
    expect(await page.getByLabel("Quantity of Brown Sugar (kg)").isDisabled()).toBe(true);
    gate.release();

    await line.getByTestId("line-problem").filter({ hasText: "Only 2 kg available" }).waitFor();
    // The optimistic stock drop is undone and the stock the server reported is shown.
    await page.locator('table.cart tr[data-stock="2.000"]').waitFor();
    expect(await line.getByTestId("line-stock").textContent()).toBe("short by 2 kg");
    expect(await page.getByRole("alert").filter({ hasText: /stock/i }).count()).toBeGreaterThan(0);
    expect(await page.getByRole("article").count()).toBe(0);
    expect(await app.sql("SELECT id FROM bills")).toHaveLength(0);
    await page.screenshot({ path: "/tmp/storelite-pos-refused.png" });

    // Fix the quantity: the line is no longer marked and the bill goes through.
    await page.getByLabel("Quantity of Brown Sugar (kg)").fill("2");
    expect(await line.getByTestId("line-problem").count()).toBe(0);
    await page.getByRole("button", { name: "Pay (F2)" }).click();
    await page.getByRole("button", { name: "Complete sale" }).click();
    await page.getByRole("article", { name: /^Invoice \d+$/ }).getByTestId("invoice-total").filter({ hasText: "380.00" }).waitFor();
    const [item] = await app.sql<{ stock_qty: string }>("SELECT stock_qty FROM items WHERE id = $1", [id]);
    expect(item?.stock_qty).toBe("0.000");
  });

  it("keeps the cart over a reload, and a double-clicked Complete sale makes exactly one bill", async () => {
    const id = await createItem(app, { name: "Bath Soap", category: "Beauty", unit: "piece", unitPrice: "45.50", stockQty: "20", sku: "BTY-SOAP" });
    const page = await app.newPage();
    await page.goto(`${app.url}/pos`);
    // A scanner types the SKU and Enter: added at once.
    await page.getByRole("combobox", { name: "Search or scan" }).fill("BTY-SOAP");
    await page.keyboard.press("Enter");
    await page.getByLabel("Quantity of Bath Soap (piece)").fill("3");
    expect(await page.getByTestId("cart-total").textContent()).toBe("136.50");

    await page.reload();
    await page.getByLabel("Quantity of Bath Soap (piece)").waitFor();
    expect(await page.getByLabel("Quantity of Bath Soap (piece)").inputValue()).toBe("3");
    expect(await page.getByTestId("cart-total").textContent()).toBe("136.50");

    const gate = await holdCreateBill(page);
    await page.getByRole("button", { name: "Pay (F2)" }).click();
    await page.getByRole("button", { name: "Complete sale" }).dblclick();
    await gate.first;
    await page.getByRole("button", { name: "Completing…" }).waitFor();
    gate.release();
    const invoice = page.getByRole("article", { name: /^Invoice \d+$/ });
    await invoice.waitFor();
    expect(gate.count).toBe(1); // the second click sent nothing
    expect(await invoice.getByTestId("invoice-total").textContent()).toBe("Rs\u00a0136.50");

    const bills = await app.sql<{ bill_id: number }>("SELECT bill_id FROM bill_items WHERE item_id = $1", [id]);
    expect(bills).toHaveLength(1);
    const [item] = await app.sql<{ stock_qty: string }>("SELECT stock_qty FROM items WHERE id = $1", [id]);
    expect(item?.stock_qty).toBe("17.000");
  });
});

describe("POS keyboard", () => {
  it("moves through the results with ↑/↓ and adds the chosen one with Enter", async () => {
    await createItem(app, { name: "Olive Oil", category: "Grocery", unit: "liter", unitPrice: "900", stockQty: "10" });
    await createItem(app, { name: "Mustard Oil", category: "Grocery", unit: "liter", unitPrice: "450", stockQty: "10" });
    await createItem(app, { name: "Coconut Oil", category: "Beauty", unit: "piece", unitPrice: "250", stockQty: "10" });
    const page = await app.newPage();
    await page.goto(`${app.url}/pos`);
    await page.getByRole("combobox", { name: "Search or scan" }).waitFor();
    await page.keyboard.type("oil");
    await page.getByRole("option", { name: /Olive Oil/ }).waitFor();
    expect(await page.getByRole("listbox").getByRole("option").allInnerTexts()).toEqual([
      expect.stringMatching(/^Coconut Oil/),
      expect.stringMatching(/^Mustard Oil/),
      expect.stringMatching(/^Olive Oil/),
    ]);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    expect(await page.getByRole("option", { selected: true }).innerText()).toMatch(/^Mustard Oil/);
    await page.keyboard.press("Enter");
    const qty = page.getByLabel("Quantity of Mustard Oil (liter)");
    await qty.waitFor();
    await page.keyboard.type("0.75");
    expect(await page.getByTestId("cart-total").textContent()).toBe("337.50");
  });
});
