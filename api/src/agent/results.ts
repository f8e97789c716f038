// Turning tool calls and MCP tool outputs into words and structured results:
// what a pending write would do (for the approval prompt), and what a finished
// write did (e.g. a created bill's id and total) for the API's callers.
import type { RunToolCallOutputItem } from "@openai/agents";
import { Decimal, lineTotal } from "../domain/money.ts";

export interface ToolResult {
  tool: string;
  ok: boolean;
  output: unknown;
  /** Set when a bill was created: its id and total, as the MCP tool returned them. */
  bill?: { id: unknown; total: unknown; customer?: unknown };
  /** Set when an item was added or changed. */
  item?: { id: unknown; name?: unknown; stock?: unknown; unit?: unknown };
}

const VERBS: Record<string, string> = {
  inventory_add_item: "Add a new item",
  inventory_update_item: "Update an item",
  inventory_adjust_stock: "Change an item's stock",
  inventory_set_item_active: "Change whether an item is sold",
  billing_create_bill: "Create a bill",
  billing_create_return: "Take goods back (a return)",
  billing_void_bill: "Void a bill",
};

function show(value: unknown): string {
  if (Array.isArray(value)) return value.map(show).join(", ");
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => `${k} ${show(v)}`)
      .join(" ");
  }
  return String(value);
}

/** One line saying what a tool call would do, from its name and arguments alone. */
export function describeToolCall(tool: string, args: Record<string, unknown>): string {
  const parts = Object.entries(args)
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => (Array.isArray(v) ? `${k}: [${v.map(show).join("; ")}]` : `${k}: ${show(v)}`));
  return `${VERBS[tool] ?? `Run ${tool}`} (${parts.join(", ")})`;
}

/** An item as inventory_get_item returns it. */
export interface KnownItem {
  id: number;
  name: string;
  unit: string;
  unitPrice: string;
  stockQty: string;
  category?: string;
}

function decimal(value: unknown): Decimal | undefined {
  try {
    const d = new Decimal(String(value).trim());
    return d.isFinite() ? d : undefined;
  } catch {
    return undefined;
  }
}

/** "2", "1.5": a quantity as people write it (no trailing zeros). */
const qty = (d: Decimal) => d.toString();

/** What billing_preview_bill answers (the fields the approval summary uses). */
export interface BillPreviewSummary {
  lines: { itemName: string; unit: string; quantity: string; unitPrice: string; lineTotal: string; lineDiscount: string; chargedTotal: string }[];
  discountTotal: string;
  taxTotal: string;
  totalAmount: string;
  changeDue: string;
  payments: { method: string; amount: string; tendered: string | null }[];
}

/** "Create a bill for Ali: 2 kg Sugar × 160.00 = 320.00 − 32.00 off; …; total 315.90 incl. tax 45.90; paid 500.00 cash, change 184.10". */
function describeBill(args: Record<string, unknown>, p: BillPreviewSummary): string {
  const lines = p.lines.map((l) => {
    const off = new Decimal(l.lineDiscount).isZero() ? "" : ` − ${l.lineDiscount} off`;
    return `${qty(new Decimal(l.quantity))} ${l.unit} ${l.itemName} × ${l.unitPrice} = ${l.lineTotal}${off}`;
  });
  const who = args.customer_name ? ` for ${String(args.customer_name)}` : "";
  const discount = new Decimal(p.discountTotal).isZero() ? "" : `, discounts ${p.discountTotal}`;
  const paid = p.payments.map((x) => `${x.tendered ?? x.amount} ${x.method.toLowerCase()}`).join(" + ");
  const change = new Decimal(p.changeDue).isZero() ? "" : `, change ${p.changeDue}`;
  return `Create a bill${who}: ${lines.join("; ")}${discount}; total ${p.totalAmount} (tax ${p.taxTotal}); paid ${paid}${change}`;
}

/** What billing_refund_preview answers (the fields the approval summary uses). */
export interface RefundPreviewSummary {
  billId: number;
  lines: { itemName: string; unit: string; quantity: string; restock: boolean; refundAmount: string }[];
  refundTotal: string;
  taxTotal: string;
  payments: { method: string; amount: string }[];
  approvalRequired?: boolean;
}

/** "Take back from bill 12 (reason): 1 kg Sugar, back to stock, 160.54; refund 160.54 (tax 23.33) paid back 160.54 card". */
function describeReturn(args: Record<string, unknown>, p: RefundPreviewSummary): string {
  const lines = p.lines.map((l) => `${qty(new Decimal(l.quantity))} ${l.unit} ${l.itemName}, ${l.restock ? "back to stock" : "damaged (not restocked)"}, ${l.refundAmount}`);
  const paid = p.payments.map((x) => `${x.amount} ${x.method.toLowerCase()}`).join(" + ") || "nothing";
  const reason = args.reason ? ` (${String(args.reason)})` : "";
  return `Take back from bill ${p.billId}${reason}: ${lines.join("; ")}; refund ${p.refundTotal} (tax ${p.taxTotal}) paid back ${paid}`;
}

/** Read-only lookups an approval summary may use, all through the MCP tools with the user's rights. */
export interface ApprovalLookups {
  /** The refund billing_create_return would make, priced by billing_refund_preview (the server's own figures). */
  refund?: (args: Record<string, unknown>) => Promise<RefundPreviewSummary | undefined>;
  /** A bill's total, for a void. */
  bill?: (id: number) => Promise<{ id: number; totalAmount: string; customerName?: string | null } | undefined>;
}

/**
 * What a write would do, in the shop's words — item names, units, prices and
 * the stock before and after — so the approval is given knowingly. Items are
 * looked up with the read-only MCP tool; anything unknown falls back to the
 * plain arguments.
 */
export async function describeApproval(
  tool: string,
  args: Record<string, unknown>,
  lookup: (id: number) => Promise<KnownItem | undefined>,
  /** Prices a bill with billing_preview_bill (the server's own totals): total, tax and change come from there. */
  preview?: (args: Record<string, unknown>) => Promise<BillPreviewSummary | undefined>,
  more: ApprovalLookups = {},
): Promise<string> {
  const item = async (id: unknown) => (Number.isInteger(id) ? lookup(id as number) : undefined);
  try {
    if (tool === "billing_create_return" && more.refund) {
      const priced = await more.refund(args);
      if (priced) return describeReturn(args, priced);
    }
    if (tool === "billing_void_bill" && more.bill && Number.isInteger(args.bill_id)) {
      const bill = await more.bill(args.bill_id as number);
      if (bill) {
        const who = bill.customerName ? ` for ${bill.customerName}` : "";
        return `Void bill ${bill.id}${who} (total ${bill.totalAmount}${args.reason ? `, reason: ${String(args.reason)}` : ""}): its goods go back to stock and its payments are handed back; the bill stays, marked VOID`;
      }
    }
    if (tool === "billing_create_bill" && preview) {
      const priced = await preview(args);
      if (priced) return describeBill(args, priced);
    }
    if (tool === "inventory_add_item") {
      const unit = String(args.unit ?? "piece");
      const price = decimal(args.unit_price);
      const stock = decimal(args.stock_qty ?? 0);
      if (!price || !stock) return describeToolCall(tool, args);
      return `Add a new item "${String(args.name)}" (${String(args.category ?? "Other")}) at ${price.toFixed(2)} per ${unit}, with ${qty(stock)} ${unit} in stock${args.sku ? `, SKU ${String(args.sku)}` : ""}`;
    }
    if (tool === "inventory_adjust_stock") {
      const it = await item(args.item_id);
      const delta = decimal(args.delta);
      if (!it || !delta) return describeToolCall(tool, args);
      const before = new Decimal(it.stockQty);
      const verb = delta.isNegative() ? `Remove ${qty(delta.abs())} ${it.unit} from` : `Add ${qty(delta)} ${it.unit} to`;
      const reason = args.reason ? ` (${String(args.reason).toLowerCase()}${args.note ? `: ${String(args.note)}` : ""})` : "";
      return `${verb} the stock of ${it.name}: ${qty(before)} → ${qty(before.plus(delta))} ${it.unit}${reason}`;
    }
    if (tool === "inventory_update_item") {
      const it = await item(args.item_id);
      if (!it) return describeToolCall(tool, args);
      const changes: string[] = [];
      if (args.name != null) changes.push(`name "${it.name}" → "${String(args.name)}"`);
      if (args.category != null) changes.push(`category ${it.category ?? "?"} → ${String(args.category)}`);
      if (args.unit != null) changes.push(`unit ${it.unit} → ${String(args.unit)}`);
      const price = decimal(args.unit_price);
      if (price) changes.push(`price ${new Decimal(it.unitPrice).toFixed(2)} → ${price.toFixed(2)} per ${String(args.unit ?? it.unit)}`);
      if (args.sku != null) changes.push(`SKU → ${String(args.sku)}`);
      return `Update ${it.name}: ${changes.join(", ") || "no changes"}`;
    }
    if (tool === "inventory_set_item_active") {
      const it = await item(args.item_id);
      if (!it) return describeToolCall(tool, args);
      return `${args.active === false || args.is_active === false ? "Stop selling (deactivate)" : "Sell again (reactivate)"} ${it.name}`;
    }
    if (tool === "billing_create_bill" && Array.isArray(args.items)) {
      const lines: string[] = [];
      let total = new Decimal(0);
      for (const line of args.items as { item_id?: unknown; quantity?: unknown }[]) {
        const it = await item(line?.item_id);
        const q = decimal(line?.quantity);
        if (!it || !q) return describeToolCall(tool, args);
        const amount = lineTotal(new Decimal(it.unitPrice), q);
        total = total.plus(amount);
        lines.push(`${qty(q)} ${it.unit} ${it.name} × ${new Decimal(it.unitPrice).toFixed(2)} = ${amount.toFixed(2)}`);
      }
      const who = args.customer_name ? ` for ${String(args.customer_name)}` : "";
      return `Create a bill${who}: ${lines.join("; ")}; total ${total.toFixed(2)} (at today's prices)`;
    }
  } catch {
    // Fall through to the plain description.
  }
  return describeToolCall(tool, args);
}

/** MCP tool output arrives as text (usually JSON); parse it when it is JSON. */
export function parseToolOutput(output: unknown): unknown {
  let value = output;
  const isText = (v: unknown): v is { text: string } => !!v && typeof v === "object" && typeof (v as { text?: unknown }).text === "string";
  if (Array.isArray(value) && value.length > 0 && value.every(isText)) value = value.map((v) => v.text).join("\n");
  if (isText(value)) value = value.text;
  if (typeof value === "string") {
    // StoreLite's MCP tools answer with a one-line summary, then the JSON data.
    for (const start of [0, value.indexOf("\n{") + 1, value.indexOf("\n[") + 1]) {
      if (start < 0 || (start === 0 && !/^[[{]/.test(value))) continue;
      try {
        return JSON.parse(value.slice(start));
      } catch {}
    }
    return value;
  }
  return value;
}

/** Depth-first search for the first object that has all the given keys. */
function findObject(value: unknown, keys: string[], depth = 0): Record<string, unknown> | undefined {
  if (!value || typeof value !== "object" || depth > 6) return undefined;
  if (!Array.isArray(value) && keys.every((k) => k in (value as object))) return value as Record<string, unknown>;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    const found = findObject(v, keys, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function hasError(value: unknown): boolean {
  if (!value || typeof value !== "object") return typeof value === "string" && /^error\b/i.test(value);
  const v = value as Record<string, unknown>;
  if (v.isError === true || (Array.isArray(v.errors) && v.errors.length > 0)) return true;
  if (typeof v.__typename === "string" && /Error$/.test(v.__typename)) return true;
  return Object.values(v).some((x) => x && typeof x === "object" && !Array.isArray(x) && typeof (x as { __typename?: unknown }).__typename === "string" && /Error$/.test((x as { __typename: string }).__typename));
}

export function summariseResult(item: RunToolCallOutputItem): ToolResult {
  const tool = (item.rawItem as { name?: string }).name ?? "";
  const output = parseToolOutput(item.output);
  // StoreLite's MCP tools answer a success with its JSON data, a refusal (isError) with words only.
  const result: ToolResult = { tool, ok: typeof output === "object" && output !== null && !hasError(output), output };
  if (tool === "billing_create_bill" && result.ok) {
    const bill = findObject(output, ["id", "totalAmount"]) ?? findObject(output, ["id", "total_amount"]) ?? findObject(output, ["id", "total"]);
    if (bill) result.bill = { id: bill.id, total: bill.totalAmount ?? bill.total_amount ?? bill.total, customer: bill.customerName ?? bill.customer_name };
  }
  if ((tool === "inventory_add_item" || tool === "inventory_update_item" || tool === "inventory_adjust_stock") && result.ok) {
    const found = findObject(output, ["id", "stockQty"]) ?? findObject(output, ["id", "stock_qty"]) ?? findObject(output, ["id", "name"]);
    if (found) result.item = { id: found.id, name: found.name, stock: found.stockQty ?? found.stock_qty, unit: found.unit };
  }
  return result;
}
