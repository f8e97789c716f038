// Turning tool calls and MCP tool outputs into words and structured results:
// what a pending write would do (for the approval prompt), and what a finished
// write did (e.g. a created bill's id and total) for the API's callers.
import type { RunToolCallOutputItem } from "@openai/agents";

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
  billing_create_bill: "Create a bill",
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

/** One line saying what a tool call would do, from its name and arguments. */
export function describeToolCall(tool: string, args: Record<string, unknown>): string {
  const parts = Object.entries(args)
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => (Array.isArray(v) ? `${k}: [${v.map(show).join("; ")}]` : `${k}: ${show(v)}`));
  return `${VERBS[tool] ?? `Run ${tool}`} (${parts.join(", ")})`;
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
