// What every transport must get right, written once: the tools listed with
// their schemas and annotations, each tool called, and the effects checked in
// PostgreSQL. The in-memory, stdio and HTTP tests all run these.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type pg from "pg";
import { expect } from "vitest";
import { databaseChecksum } from "@storelite/api/testing/checksum";
// Declares vitest's provided `pgServerUrl` (the test PostgreSQL) for the fixtures.
import type {} from "@storelite/api/testing/global-setup";

export const QUERY_TOOLS = [
  "billing_get_bill",
  "billing_list_bills",
  "billing_preview_bill",
  "billing_refund_preview",
  "inventory_get_item",
  "inventory_list_categories",
  "inventory_list_items",
  "inventory_low_stock",
  "inventory_reorder_suggestions",
  "reports_payments_by_method",
  "reports_revenue_by_category",
  "reports_sales_by_cashier",
  "reports_sales_by_hour",
  "reports_sales_summary",
  "reports_slow_movers",
  "reports_stock_valuation",
  "reports_tax_by_rate",
  "reports_top_items",
  "shift_current_report",
];
export const WRITE_TOOL_NAMES = ["billing_create_bill", "billing_create_return", "billing_void_bill", "inventory_add_item", "inventory_adjust_stock", "inventory_set_item_active", "inventory_update_item"];
export const ALL_TOOLS = [...QUERY_TOOLS, ...WRITE_TOOL_NAMES].sort();

export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}

/** The structured result of a call that must have succeeded. */
export function ok<T = any>(result: CallToolResult): T {
  expect(result.isError, text(result)).toBeFalsy();
  expect(result.structuredContent).toBeDefined();
  return result.structuredContent as T;
}

export function refused(result: CallToolResult): string {
  expect(result.isError, JSON.stringify(result)).toBe(true);
  return text(result);
}

export async function stockOf(pool: pg.Pool, id: number): Promise<string> {
  const { rows } = await pool.query<{ stock_qty: string }>("SELECT stock_qty FROM items WHERE id = $1", [id]);
  return rows[0]!.stock_qty;
}

export async function checkToolList(client: Client) {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS);
  for (const tool of tools) {
    expect(tool.description?.length, tool.name).toBeGreaterThan(40);
    expect(tool.inputSchema.type).toBe("object");
    expect(tool.outputSchema?.type, tool.name).toBe("object");
    if (QUERY_TOOLS.includes(tool.name)) {
      expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: true, idempotentHint: true, destructiveHint: false });
    } else {
      expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: false });
      expect(typeof tool.annotations?.destructiveHint).toBe("boolean");
    }
  }
  const bill = tools.find((t) => t.name === "billing_create_bill")!;
  expect(bill.inputSchema.required).toEqual(["items"]);
  expect(bill.inputSchema.properties).toMatchObject({
    customer_name: { type: "string" },
    store_name: { type: "string" },
    idempotency_key: { type: "string" },
    items: {
      type: "array",
      items: { type: "object", required: ["item_id", "quantity"], properties: { item_id: { type: "integer" }, quantity: { type: ["string", "number"] } } },
    },
  });
  const adjust = tools.find((t) => t.name === "inventory_adjust_stock")!;
  expect(adjust.inputSchema.properties?.reason).toMatchObject({ enum: ["RESTOCK", "ADJUSTMENT", "RETURN"] });
  expect(adjust.annotations).toMatchObject({ destructiveHint: false, idempotentHint: false });
  return tools;
}

/**
 * Calls every tool once, in the order a shopkeeper would, and checks the
 * database after each write. Works on an empty database; leaves data behind.
 */
export async function exerciseEveryTool(client: Client, pool: pg.Pool, tag = "") {
  await client.listTools(); // the client validates structured results against the listed output schemas

  const added = ok(
    await call(client, "inventory_add_item", { name: `Lipstick${tag}`, category: "Beauty", unit: "piece", unit_price: "450", stock_qty: 2 }),
  ).createItem;
  expect(added).toMatchObject({ __typename: "CreateItemSuccess", item: { name: `Lipstick${tag}`, unitPrice: "450.00", stockQty: "2.000" } });
  const lipstick: number = added.item.id;
  const flour: number = ok(
    await call(client, "inventory_add_item", { name: `Flour${tag}`, category: "Grocery", unit: "kg", unit_price: 120.5, stock_qty: "10" }),
  ).createItem.item.id;
  expect(await stockOf(pool, flour)).toBe("10.000");

  const listed = ok(await call(client, "inventory_list_items", { search: `lipstick${tag}`, category: "Beauty" })).items;
  expect(listed.nodes.map((n: { id: number }) => n.id)).toEqual([lipstick]);
  const low = ok(await call(client, "inventory_list_items", { search: tag || undefined, low_stock_below: 5 })).items;
  expect(low.nodes.map((n: { id: number }) => n.id)).toContain(lipstick);
  expect(low.nodes.map((n: { id: number }) => n.id)).not.toContain(flour);

  const categories = ok(await call(client, "inventory_list_categories")).categories;
  expect(categories.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(["Beauty", "Grocery"]));

  const updated = ok(await call(client, "inventory_update_item", { item_id: flour, unit_price: "125.00" })).updateItem;
  expect(updated.item).toMatchObject({ id: flour, unitPrice: "125.00", name: `Flour${tag}` });
  expect((await pool.query("SELECT unit_price FROM items WHERE id = $1", [flour])).rows[0].unit_price).toBe("125.00");

  // "Increase flour by 25 kg"
  const adjusted = ok(await call(client, "inventory_adjust_stock", { item_id: flour, delta: 25, reason: "RESTOCK", note: "supplier" })).adjustStock;
  expect(adjusted.change).toMatchObject({ delta: "25.000", item: { id: flour, stockQty: "35.000" } });
  expect(await stockOf(pool, flour)).toBe("35.000");
  const ledger = await pool.query("SELECT reason, quantity, note FROM stock_movements WHERE item_id = $1 ORDER BY id DESC LIMIT 1", [flour]);
  expect(ledger.rows[0]).toMatchObject({ reason: "restock", quantity: "25.000", note: "supplier" });

  const item = ok(await call(client, "inventory_get_item", { item_id: flour })).item;
  expect(item).toMatchObject({ id: flour, stockQty: "35.000", isActive: true });
  expect(item.movements[0]).toMatchObject({ reason: "RESTOCK", quantity: "25.000", stockAfter: "35.000" });

  // A sale decrements stock in the database.
  const created = ok(
    await call(client, "billing_create_bill", {
      customer_name: "Ali",
      store_name: "Utility Store #1",
      items: [
        { item_id: flour, quantity: "1.5" },
        { item_id: lipstick, quantity: 1 },
      ],
      idempotency_key: `mcp-test${tag}-1`,
    }),
  ).createBill;
  expect(created).toMatchObject({ __typename: "CreateBillSuccess", replayed: false, bill: { customerName: "Ali", totalAmount: "637.50" } });
  expect(created.bill.lines.map((l: { itemId: number; quantity: string; lineTotal: string }) => [l.itemId, l.quantity, l.lineTotal])).toEqual([
    [flour, "1.500", "187.50"],
    [lipstick, "1.000", "450.00"],
  ]);
  expect(await stockOf(pool, flour)).toBe("33.500");
  expect(await stockOf(pool, lipstick)).toBe("1.000");
  const billId: number = created.bill.id;
  expect((await pool.query("SELECT total_amount FROM bills WHERE id = $1", [billId])).rows[0].total_amount).toBe("637.50");

  // Over-quantity: refused with what is available, and nothing at all changes.
  const before = await databaseChecksum(pool);
  const short = await call(client, "billing_create_bill", {
    items: [
      { item_id: flour, quantity: 1 },
      { item_id: lipstick, quantity: 3 },
    ],
  });
  const message = refused(short);
  expect(message).toContain(`Lipstick${tag}`);
  expect(message).toMatch(/requested 3\.000 piece, only 1\.000 piece available/);
  expect(message).toContain("Nothing was changed");
  expect(short.structuredContent).toMatchObject({ createBill: { __typename: "InsufficientStockError", itemId: lipstick, available: "1.000", requested: "3.000" } });
  expect(await databaseChecksum(pool)).toBe(before);

  // Bad arguments: rejected before anything runs, saying what is wrong.
  const badType = refused(await call(client, "billing_create_bill", { items: [{ item_id: "flour", quantity: 1 }] }));
  expect(badType).toMatch(/Invalid arguments for tool billing_create_bill/);
  expect(badType).toMatch(/items\.0\.item_id|items\[0\]\.item_id/);
  const badValue = refused(await call(client, "billing_create_bill", { items: [{ item_id: flour, quantity: "-2" }] }));
  expect(badValue).toMatch(/items\[0\]\.quantity: /);
  expect(await databaseChecksum(pool)).toBe(before);

  const got = ok(await call(client, "billing_get_bill", { bill_id: billId })).bill;
  expect(got).toMatchObject({ id: billId, totalAmount: "637.50", customerName: "Ali" });
  expect(got.lines).toHaveLength(2);

  const bills = ok(await call(client, "billing_list_bills", { from: new Date(Date.now() - 86_400_000 * 2).toISOString().slice(0, 10) })).bills;
  expect(bills.nodes.map((b: { id: number }) => b.id)).toContain(billId);
  const none = ok(await call(client, "billing_list_bills", { to: "2000-01-01" })).bills;
  expect(none.nodes).toEqual([]);

  // "2 packs of tea with 10% off, 5 off the bill, 100 by card and 200 cash": priced first, then sold as priced.
  const tea: number = ok(await call(client, "inventory_add_item", { name: `Tea${tag}`, category: "Grocery", unit: "pack", unit_price: "125", stock_qty: 10 })).createItem.item.id;
  const rate = await pool.query<{ id: number }>("INSERT INTO tax_rates (name, percent) VALUES ($1, 17) RETURNING id", [`GST${tag || " mcp"}`]);
  await pool.query("UPDATE items SET tax_rate_id = $2 WHERE id = $1", [tea, rate.rows[0]!.id]);
  const sale = {
    customer_name: "Ali",
    items: [{ item_id: tea, quantity: 2, discount: { kind: "PERCENT", value: "10" } }],
    bill_discount: { kind: "AMOUNT", value: "5" },
    payments: [{ method: "CARD", amount: "100", reference: "4242" }, { method: "CASH", amount: "200" }],
  };
  const priced = ok(await call(client, "billing_preview_bill", sale)).previewBill.preview;
  // 250 − 25 − 5 = 220, GST 17% 37.40 → 257.40; card 100, cash 200 → change 42.60.
  expect(priced).toMatchObject({ subtotal: "250.00", discountTotal: "30.00", taxTotal: "37.40", totalAmount: "257.40", changeDue: "42.60" });
  expect(await stockOf(pool, tea)).toBe("10.000");
  const sold = ok(await call(client, "billing_create_bill", { ...sale, expected_total: priced.totalAmount, idempotency_key: `mcp-sale${tag}` })).createBill.bill;
  expect(sold).toMatchObject({ totalAmount: "257.40", taxTotal: "37.40", changeDue: "42.60", taxBreakdown: [{ percent: "17", taxableBase: "220.00", tax: "37.40" }] });
  expect(sold.payments).toEqual([
    { method: "CARD", amount: "100.00", tendered: null, change: "0.00", reference: "4242" },
    { method: "CASH", amount: "157.40", tendered: "200.00", change: "42.60", reference: null },
  ]);
  expect(await stockOf(pool, tea)).toBe("8.000");
  const overCard = await call(client, "billing_create_bill", { ...sale, payments: [{ method: "CARD", amount: "300" }] });
  expect(refused(overCard)).toMatch(/only 257\.40 is still due; only cash can exceed/);
  const moved = await call(client, "billing_create_bill", { ...sale, expected_total: "250.00" });
  expect(refused(moved)).toMatch(/The total is now 257\.40, not 250\.00/);

  // One tea comes back: the refund is the server's (its 10% off, bill-discount share and GST included), paid back to the card.
  const teaLine = ok(await call(client, "billing_get_bill", { bill_id: sold.id })).bill.lines[0];
  const back = { bill_id: sold.id, items: [{ bill_item_id: teaLine.id, quantity: 1 }], reason: "wrong flavour" };
  const refund = ok(await call(client, "billing_refund_preview", back)).refundPreview.preview;
  expect(refund).toMatchObject({ refundTotal: "128.70", taxTotal: "18.70", payments: [{ method: "CARD", amount: "100.00" }, { method: "CASH", amount: "28.70" }] });
  expect(await stockOf(pool, tea)).toBe("8.000");
  const returned = ok(await call(client, "billing_create_return", { ...back, idempotency_key: `mcp-return${tag}` })).createReturn;
  expect(returned).toMatchObject({ replayed: false, billReturn: { refundTotal: "128.70", lines: [{ quantity: "1.000", restock: true }] } });
  expect(await stockOf(pool, tea)).toBe("9.000");
  const beforeOver = await databaseChecksum(pool);
  expect(refused(await call(client, "billing_create_return", { ...back, items: [{ bill_item_id: teaLine.id, quantity: 2 }] }))).toMatch(/1\.000 left.*Nothing was changed/s);
  expect(refused(await call(client, "billing_void_bill", { bill_id: sold.id, reason: "mistake" }))).toMatch(/has returns/);
  expect(await databaseChecksum(pool)).toBe(beforeOver);
  const oneTea = ok(await call(client, "billing_create_bill", { items: [{ item_id: tea, quantity: 1 }] })).createBill.bill;
  expect(await stockOf(pool, tea)).toBe("8.000");
  const voided = ok(await call(client, "billing_void_bill", { bill_id: oneTea.id, reason: "rang up twice" })).voidBill.bill;
  expect(voided).toMatchObject({ id: oneTea.id, voidReason: "rang up twice" });
  expect(await stockOf(pool, tea)).toBe("9.000");

  const deactivated = ok(await call(client, "inventory_set_item_active", { item_id: lipstick, active: false })).setItemActive;
  expect(deactivated.item).toMatchObject({ id: lipstick, isActive: false });
  expect((await pool.query("SELECT is_active FROM items WHERE id = $1", [lipstick])).rows[0].is_active).toBe(false);
  const hidden = ok(await call(client, "inventory_list_items", { search: `lipstick${tag}` })).items;
  expect(hidden.nodes).toEqual([]);
  const shown = ok(await call(client, "inventory_list_items", { search: `lipstick${tag}`, include_inactive: true })).items;
  expect(shown.nodes.map((n: { id: number }) => n.id)).toEqual([lipstick]);

  // The X report: this shop runs without shifts, and says so.
  const shift = ok(await call(client, "shift_current_report")).currentShift;
  expect(shift).toMatchObject({ __typename: "CurrentShiftSuccess", current: { shiftsEnabled: false, report: null } });

  return { flour, lipstick, billId };
}
