// A cashier's day in Chromium: the owner turns shifts on in /settings; at the
// POS the cashier must open a shift (with its float) before the first sale,
// sells for cash, pays out, reads the X report and closes with a count that is
// short; the Z report page shows the variance and prints on an 80 mm roll and
// on A4 (checked in the PDF Chromium prints: the page size and the figures).
import { describe, expect, it } from "vitest";
import { useWebApp } from "./harness.ts";
import { createItem, pdfPageSize } from "./ops.ts";

const app = useWebApp();

describe("shifts at the POS", () => {
  it("open a shift, sell in cash, pay out, close with a variance, print the Z report", async () => {
    await createItem(app, { name: "Shift Sugar", category: "Grocery", unit: "kg", unitPrice: "160", stockQty: "50" });

    // The owner turns shifts on.
    const owner = await app.newPage();
    await owner.goto(`${app.url}/settings`);
    await owner.getByLabel(/Shifts and the cash drawer/).check();
    await owner.getByRole("button", { name: "Save settings" }).click();
    await owner.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    expect(await app.sql("SELECT shifts_enabled FROM stores")).toEqual([{ shifts_enabled: true }]);

    const page = await app.newPage({ width: 1280, height: 900 }, { as: "CASHIER" });
    await page.goto(`${app.url}/pos`);
    await page.getByRole("heading", { name: "No shift open on Counter 1" }).waitFor();
    const search = page.getByRole("combobox", { name: "Search or scan" });
    await search.fill("Shift Sugar");
    await page.getByRole("option", { name: /Shift Sugar/ }).waitFor();
    await page.keyboard.press("Enter");
    await page.getByLabel("Quantity of Shift Sugar (kg)").fill("1");
    // No sale before the drawer is open.
    await page.getByTestId("shift-required").waitFor();
    expect(await page.getByRole("button", { name: "Pay (F2)" }).isDisabled()).toBe(true);

    const open = page.getByRole("form", { name: "Open a shift" });
    await open.getByLabel("Opening float").fill("500");
    await open.getByRole("button", { name: "Open shift" }).click();
    await page.getByTestId("shift-expected").filter({ hasText: "500.00" }).waitFor();
    expect(await page.getByTestId("shift-register").textContent()).toBe("Counter 1");

    // A cash sale: 160.00, 200 tendered, 40.00 change.
    await page.getByRole("button", { name: "Pay (F2)" }).click();
    await page.getByLabel("Cash tendered").fill("200");
    await page.getByLabel("Cash tendered").press("Enter");
    await page.getByRole("article", { name: /^Invoice \d+$/ }).waitFor();
    await page.getByRole("button", { name: "New Bill" }).click();
    await page.getByTestId("shift-expected").filter({ hasText: "660.00" }).waitFor();

    // Paid out, with its reason (a blank reason is refused by the server and said on the field).
    await page.getByRole("button", { name: "Paid in / out" }).click();
    const cash = page.getByRole("form", { name: "Paid in or out" });
    await cash.getByLabel("Amount").fill("25");
    await cash.getByRole("button", { name: "Record" }).click();
    await cash.getByRole("alert").filter({ hasText: "must not be blank" }).waitFor();
    await cash.getByLabel("Reason").fill("milk for the shop");
    await cash.getByRole("button", { name: "Record" }).click();
    await page.getByRole("status").filter({ hasText: "Paid out 25.00 (milk for the shop)" }).waitFor();
    await page.getByTestId("shift-expected").filter({ hasText: "635.00" }).waitFor();

    // The X report: the figures so far, nothing closed.
    await page.getByRole("button", { name: "X report" }).click();
    const x = page.getByLabel("X report");
    await x.getByTestId("z-cash-sales").filter({ hasText: "160.00" }).waitFor();
    expect(await x.getByTestId("z-paid-out").textContent()).toContain("25.00");
    expect(await x.getByTestId("z-counted").count()).toBe(0);

    // Close with a count 5.00 short.
    await page.getByRole("button", { name: "Close shift" }).click();
    const close = page.getByRole("form", { name: "Close the shift" });
    await close.getByLabel("Counted cash").fill("630");
    await close.getByLabel("Note (optional)").fill("five short");
    await close.getByRole("button", { name: "Close shift and print Z report" }).click();
    const closed = page.getByTestId("shift-closed");
    await closed.filter({ hasText: "-5.00" }).waitFor();
    const [shift] = await app.sql<{ status: string; expected_cash: string; counted_cash: string; variance: string; close_note: string }>(
      "SELECT status, expected_cash, counted_cash, variance, close_note FROM shifts",
    );
    expect(shift).toEqual({ status: "CLOSED", expected_cash: "635.00", counted_cash: "630.00", variance: "-5.00", close_note: "five short" });
    // The next sale needs a new shift.
    await page.getByRole("heading", { name: "No shift open on Counter 1" }).waitFor();

    // The Z report page, and its print on both papers.
    await closed.getByRole("link", { name: /Z report \d+/ }).click();
    const z = page.getByRole("article", { name: /^Z report \d+$/ });
    await z.waitFor();
    await page.getByTestId("z-checked").waitFor();
    const money = async (id: string) => (await z.getByTestId(id).textContent())?.replace(/\u00a0/g, " ");
    expect(await money("z-expected")).toBe("Rs 635.00");
    expect(await money("z-counted")).toBe("Rs 630.00");
    expect(await money("z-variance")).toBe("-Rs 5.00");
    expect(await money("z-bills-total")).toBe("Rs 160.00");
    expect(await z.textContent()).toContain("Counter 1");

    await page.emulateMedia({ media: "print" });
    expect(await page.getByRole("button", { name: "Print" }).isVisible()).toBe(false);
    const receiptBox = await z.boundingBox();
    // 72 mm of printable roll at 96 px per inch.
    expect(Math.round(receiptBox!.width)).toBe(Math.round((72 / 25.4) * 96));
    await page.screenshot({ path: "/tmp/storelite-z-report-80mm.png", fullPage: true });
    const roll = pdfPageSize(await page.pdf({ preferCSSPageSize: true }));
    expect(Math.round(roll.width)).toBe(227); // 80 mm
    await page.emulateMedia({ media: "screen" });
    await page.getByLabel("Paper").selectOption("a4");
    await page.emulateMedia({ media: "print" });
    const a4 = pdfPageSize(await page.pdf({ preferCSSPageSize: true }));
    expect([Math.round(a4.width), Math.round(a4.height)]).toEqual([595, 842]);
    expect((await z.boundingBox())!.width).toBeGreaterThan(receiptBox!.width * 2);
    await page.screenshot({ path: "/tmp/storelite-z-report-a4.png", fullPage: true });

    // The list of Z reports leads back to this one.
    await page.emulateMedia({ media: "screen" });
    await page.getByRole("link", { name: "All Z reports" }).click();
    const list = page.getByRole("table", { name: "Z reports" });
    await list.waitFor();
    const row = list.getByTestId("z-row").filter({ hasText: "Counter 1" });
    expect((await row.getByTestId("z-row-variance").textContent())?.replace(/\u00a0/g, " ")).toBe("-Rs 5.00");
    await row.getByRole("link", { name: /^Z \d+$/ }).click();
    await page.getByRole("article", { name: /^Z report \d+$/ }).waitFor();
  });
});
