// /settings in Chromium: the owner edits the shop's header and pricing rules,
// adds a tax rate and makes it a category's default; the server keeps them
// and refuses what is wrong under the field.
import { describe, expect, it } from "vitest";
import { useWebApp } from "./harness.ts";

const app = useWebApp();

describe("settings page", () => {
  it("saves the shop settings, shows a refused field, adds a tax rate and a category default", async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/settings`);
    await page.getByLabel("Shop name").fill("Ali Traders");
    await page.getByLabel("Address").fill("12 Mall Road, Lahore");
    await page.getByLabel("Receipt footer").fill("Thank you, come again");
    await page.getByLabel("Prices include tax").check();
    await page.getByLabel("Cash rounding").selectOption("0.50");
    await page.getByLabel("Time zone (e.g. Asia/Karachi)").fill("Mars/Olympus");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("alert").filter({ hasText: "IANA time zone" }).waitFor();
    expect((await app.sql<{ name: string }>("SELECT name FROM stores"))[0]?.name).toBe("StoreLite"); // nothing saved

    await page.getByLabel("Time zone (e.g. Asia/Karachi)").fill("Asia/Karachi");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    expect(await app.sql("SELECT name, address, receipt_footer, prices_include_tax, cash_rounding, time_zone FROM stores")).toEqual([
      { name: "Ali Traders", address: "12 Mall Road, Lahore", receipt_footer: "Thank you, come again", prices_include_tax: true, cash_rounding: "0.50", time_zone: "Asia/Karachi" },
    ]);

    await page.getByLabel("Rate name").fill("GST");
    await page.getByLabel("Percent").fill("17");
    await page.getByRole("button", { name: "Add rate" }).click();
    await page.getByRole("cell", { name: "17%" }).waitFor();
    await page.getByLabel("Category").fill("Grocery");
    await page.getByLabel("Default rate").selectOption({ label: "GST" });
    await page.getByRole("button", { name: "Set category rate" }).click();
    await page.getByText("Grocery: GST (17%)").waitFor();
    expect(await app.sql("SELECT c.category, r.name, r.percent FROM category_tax_rates c JOIN tax_rates r ON r.id = c.tax_rate_id")).toEqual([
      { category: "Grocery", name: "GST", percent: "17.000" },
    ]);
  });
});
