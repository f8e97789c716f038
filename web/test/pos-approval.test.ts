// A cashier's discount above their limit at the counter, in Chromium: the
// server refuses the sale, the POS asks for a manager's username and PIN, a
// wrong PIN (or a cashier's) sells nothing and says why, the manager's PIN
// completes the same sale with the approval recorded on the bill.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { TEST_PIN } from "@storelite/api/testing/fixtures";
import { useWebApp } from "./harness.ts";
import { createItem } from "./ops.ts";

const app = useWebApp();

async function gql(query: string) {
  const res = await app.api.graphql<any>(query);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

/** Puts 1 kg of the rice in the cart with a bill discount, and waits for the total the screen shows. */
async function cartWithDiscount(page: Page, percent: string, total: string) {
  await page.getByRole("combobox", { name: "Search or scan" }).fill("Basmati");
  await page.getByRole("option", { name: /Basmati Rice/ }).waitFor();
  await page.keyboard.press("Enter");
  await page.getByLabel("Quantity of Basmati Rice (kg)").fill("1");
  await page.getByLabel("Bill discount", { exact: true }).fill(percent);
  await page.getByTestId("cart-total").filter({ hasText: total }).waitFor();
}

const billsOf = (itemId: number) =>
  app.sql<{ id: number; total_amount: string; discount_total: string; cashier_id: number; discount_requested_by: number | null; discount_approved_by: number | null }>(
    "SELECT b.id, b.total_amount, b.discount_total, b.cashier_id, b.discount_requested_by, b.discount_approved_by FROM bills b JOIN bill_items l ON l.bill_id = b.id WHERE l.item_id = $1 ORDER BY b.id",
    [itemId],
  );

describe("POS manager approval", () => {
  it("asks for a manager's PIN over the cashier limit; a wrong PIN sells nothing; the right one completes the sale", async () => {
    await gql(`mutation { updateShopSettings(input: { cashierDiscountLimit: "10", cashRounding: "0.00", pricesIncludeTax: false, timeZone: "Pacific/Kiritimati" }) { __typename } }`);
    const rice = await createItem(app, { name: "Basmati Rice", category: "Approval", unit: "kg", unitPrice: "200", stockQty: "10" });
    const cashier = (await app.api.as("CASHIER")).staff!;
    const manager = (await app.api.as("MANAGER")).staff!;
    const page = await app.newPage(undefined, { as: "CASHIER" });
    await page.goto(`${app.url}/pos`);
    await cartWithDiscount(page, "25", "150.00");
    await page.keyboard.press("F2");
    await page.getByLabel("Cash tendered").fill("200");
    await page.getByLabel("Cash tendered").press("Enter");

    const dialog = page.getByRole("dialog", { name: "Manager approval" });
    await dialog.waitFor();
    expect(await dialog.getByTestId("approval-discount").textContent()).toBe("25.00%");
    expect(await dialog.textContent()).toContain("cashier limit of 10%");
    expect(await billsOf(rice)).toEqual([]);

    // A wrong PIN: refused in the dialog, nothing sold, the PIN cleared for another try.
    await dialog.getByLabel("Manager username").fill(manager.username);
    await dialog.getByLabel("Manager PIN").fill("0000");
    await dialog.getByRole("button", { name: "Approve and complete sale" }).click();
    await dialog.getByRole("alert").filter({ hasText: "the approval does not count" }).waitFor();
    expect(await dialog.getByLabel("Manager PIN").inputValue()).toBe("");
    // The same refusal again still clears the PIN for the next try.
    await dialog.getByLabel("Manager PIN").fill("1111");
    await dialog.getByRole("button", { name: "Approve and complete sale" }).click();
    await page.waitForFunction(() => (document.querySelector("dialog input[type=password]") as HTMLInputElement | null)?.value === "");
    // The cashier's own right PIN does not approve either: their role may not.
    await dialog.getByLabel("Manager username").fill(cashier.username);
    await dialog.getByLabel("Manager PIN").fill(TEST_PIN);
    await dialog.getByLabel("Manager PIN").press("Enter");
    await dialog.getByRole("alert").filter({ hasText: "may not approve it" }).waitFor();
    expect(await billsOf(rice)).toEqual([]);
    expect((await app.sql<{ stock_qty: string }>("SELECT stock_qty FROM items WHERE id = $1", [rice]))[0]!.stock_qty).toBe("10.000");

    // The manager's PIN: the same sale completes, with its cash and change.
    await dialog.getByLabel("Manager username").fill(manager.username);
    await dialog.getByLabel("Manager PIN").fill(TEST_PIN);
    await page.screenshot({ path: "/tmp/storelite-pos-approval.png" });
    await dialog.getByRole("button", { name: "Approve and complete sale" }).click();
    const invoice = page.getByRole("article", { name: /^Invoice \d+$/ });
    await invoice.waitFor();
    expect(await invoice.getByTestId("invoice-total").textContent()).toBe("Rs\u00a0150.00");
    expect(await invoice.getByTestId("invoice-change").textContent()).toBe("Rs\u00a050.00");
    expect(await dialog.count()).toBe(0);
    // The receipt's time is on the shop's clock (UTC+14 here), not the browser's.
    const [sold] = await app.sql<{ created_at: Date }>("SELECT b.created_at FROM bills b JOIN bill_items l ON l.bill_id = b.id WHERE l.item_id = $1", [rice]);
    const language = await page.evaluate(() => navigator.language);
    const shopTime = sold!.created_at.toLocaleString(language, { dateStyle: "medium", timeStyle: "short", timeZone: "Pacific/Kiritimati" });
    expect(await invoice.locator("time").textContent()).toBe(shopTime);
    expect(await billsOf(rice)).toEqual([
      expect.objectContaining({ total_amount: "150.00", discount_total: "50.00", cashier_id: cashier.id, discount_requested_by: cashier.id, discount_approved_by: manager.id }),
    ]);

    // Cancelled (Escape): back to the cart, told why, nothing sold.
    await page.getByRole("button", { name: "New Bill" }).click();
    await cartWithDiscount(page, "30", "140.00");
    await page.keyboard.press("F2");
    await page.getByRole("button", { name: "Complete sale" }).click();
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("alert").filter({ hasText: "needs a manager's approval" }).waitFor();
    expect(await dialog.count()).toBe(0);
    expect(await billsOf(rice)).toHaveLength(1);
  });
});
