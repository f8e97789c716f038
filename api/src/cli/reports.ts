// `storelite report ...` and `storelite items low-stock|reorder`: the reports
// on the console, as aligned tables or --json (money and quantities as strings).
import { parseArgs } from "node:util";
import type { ServiceContext } from "../domain/context.ts";
import { Decimal, formatMoney, formatQuantity } from "../domain/money.ts";
import {
  paymentsByMethod,
  revenueByCategory,
  salesByCashier,
  salesByHour,
  salesSummary,
  slowMovers,
  stockValuation,
  taxByRate,
  topItems,
  type ReportRange,
} from "../domain/reports.ts";
import { listLowStock, reorderSuggestions } from "../domain/thresholds.ts";
import { formatTable } from "./format.ts";

export const REPORT_USAGE = `  storelite report sales --from DATE --to DATE | --period PERIOD [--group-by DAY|WEEK|MONTH] [--json]
  storelite report top-items (--from/--to | --period) [--by QUANTITY|REVENUE] [--limit N] [--category NAME] [--json]
  storelite report categories (--from/--to | --period) [--json]
  storelite report hours (--from/--to | --period) [--json]
  storelite report cashiers (--from/--to | --period) [--json]
  storelite report tax (--from/--to | --period) [--json]
  storelite report payments (--from/--to | --period) [--json]
  storelite report stock-value [--json]
  storelite report slow-movers [--days N] [--limit N] [--json]
  storelite items low-stock [--category NAME] [--json]
  storelite items reorder [--category NAME] [--json]
                      DATE is a shop-calendar day (2026-11-01) or an ISO date-time;
                      --to is not included. PERIOD: TODAY, YESTERDAY, THIS_WEEK,
                      LAST_WEEK, THIS_MONTH, LAST_MONTH, LAST_7_DAYS, LAST_30_DAYS`;

export const REPORT_NAMES = ["sales", "top-items", "categories", "hours", "cashiers", "tax", "payments", "stock-value", "slow-movers", "low-stock", "reorder"] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface ReportCommand {
  kind: "report";
  report: ReportName;
  json: boolean;
  options: Record<string, string | undefined>;
}

/** Field names of the report inputs → the option typed, for error messages. */
export const REPORT_OPTIONS: Record<string, string> = {
  from: "--from",
  to: "--to",
  period: "--period",
  groupBy: "--group-by",
  by: "--by",
  first: "--limit",
  days: "--days",
};

const OPTIONS = {
  json: { type: "boolean" },
  verbose: { type: "boolean" },
  from: { type: "string" },
  to: { type: "string" },
  period: { type: "string" },
  "group-by": { type: "string" },
  by: { type: "string" },
  limit: { type: "string" },
  category: { type: "string" },
  days: { type: "string" },
} as const;

/** Parses the options after `report NAME` (or `items low-stock`); throws node's parse errors. */
export function parseReport(report: ReportName, args: string[]): ReportCommand {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length) throw new Error(`unexpected argument "${positionals[0]}"`);
  const { json, verbose: _verbose, ...options } = values;
  return { kind: "report", report, json: Boolean(json), options: options as Record<string, string | undefined> };
}

const upper = (v: string | undefined) => v?.toUpperCase();
const int = (v: string | undefined) => (v === undefined ? undefined : /^\d{1,9}$/.test(v) ? Number(v) : v);
const rangeLine = (r: ReportRange) => `${r.fromLocal.replace("T00:00:00", "")} to ${r.toLocal.replace("T00:00:00", "")} (not included), ${r.timeZone}`;
const json = (value: unknown) => JSON.stringify(value, null, 2);
const R = "right" as const;

/** Runs a report; returns what to print. */
export async function runReport(cmd: ReportCommand, ctx: ServiceContext): Promise<string> {
  const o = cmd.options;
  const range = { from: o.from, to: o.to, period: upper(o.period) };
  switch (cmd.report) {
    case "sales": {
      const s = await salesSummary(ctx, { ...range, groupBy: upper(o["group-by"]) });
      const money = (f: typeof s.totals) => [f.gross, f.discounts, f.returns, f.net, f.tax, f.cost, f.margin].map(formatMoney);
      if (cmd.json) return json({ range: s.range, groupBy: s.groupBy, rows: s.rows.map((r) => ({ ...r, ...moneyOf(r) })), totals: { ...s.totals, ...moneyOf(s.totals) } });
      const cols = ["Period", "Bills", "Gross", "Discounts", "Returns", "Net", "Tax", "Cost", "Margin"].map((h, i) => ({ header: h, align: i ? R : undefined }));
      return `Sales ${rangeLine(s.range)}\n${formatTable(cols, [...s.rows.map((r) => [r.period, String(r.bills), ...money(r)]), ["Total", String(s.totals.bills), ...money(s.totals)]])}`;
    }
    case "top-items": {
      const r = await topItems(ctx, { ...range, by: upper(o.by), first: int(o.limit), category: o.category });
      if (cmd.json) return json({ range: r.range, by: r.by, rows: r.rows.map((x) => ({ ...x, quantity: formatQuantity(x.quantity), revenue: formatMoney(x.revenue) })) });
      const cols = [{ header: "#", align: R }, { header: "Item", maxWidth: 40 }, { header: "Category" }, { header: "Quantity", align: R }, { header: "Unit" }, { header: "Revenue", align: R }, { header: "Bills", align: R }];
      return `Top items by ${r.by.toLowerCase()}, ${rangeLine(r.range)}\n${formatTable(cols, r.rows.map((x, i) => [String(i + 1), x.itemName, x.category, formatQuantity(x.quantity), x.unit, formatMoney(x.revenue), String(x.bills)]))}`;
    }
    case "categories": {
      const r = await revenueByCategory(ctx, range);
      if (cmd.json) return json({ range: r.range, total: formatMoney(r.total), rows: r.rows.map((x) => ({ ...x, ...moneyOf(x), share: x.share.toFixed(1) })) });
      const cols = [{ header: "Category" }, { header: "Revenue", align: R }, { header: "Share %", align: R }, { header: "Bills", align: R }, { header: "Cost", align: R }, { header: "Margin", align: R }];
      return `Revenue by category, ${rangeLine(r.range)}\n${formatTable(cols, [...r.rows.map((x) => [x.category, formatMoney(x.revenue), x.share.toFixed(1), String(x.bills), formatMoney(x.cost), formatMoney(x.margin)]), ["Total", formatMoney(r.total), "", "", "", ""]])}`;
    }
    case "hours": {
      const r = await salesByHour(ctx, range);
      if (cmd.json) return json({ range: r.range, rows: r.rows.map((x) => ({ ...x, revenue: formatMoney(x.revenue) })) });
      const cols = [{ header: "Hour" }, { header: "Bills", align: R }, { header: "Revenue", align: R }];
      return `Sales by hour, ${rangeLine(r.range)}\n${formatTable(cols, r.rows.map((x) => [`${String(x.hour).padStart(2, "0")}:00`, String(x.bills), formatMoney(x.revenue)]))}`;
    }
    case "cashiers": {
      const r = await salesByCashier(ctx, range);
      if (cmd.json) return json({ range: r.range, rows: r.rows.map((x) => ({ ...x, ...moneyOf(x) })) });
      const cols = ["Staff", "Bills", "Gross", "Discounts", "Disc. bills", "Net", "Tax", "Paid", "Returns", "Refunded", "Voids", "Voided", "Appr. asked", "Appr. given"].map((h, i) => ({ header: h, align: i ? R : undefined, maxWidth: i ? undefined : 30 }));
      return `Sales per cashier, ${rangeLine(r.range)}\n${formatTable(
        cols,
        r.rows.map((x) => [x.name, String(x.bills), formatMoney(x.gross), formatMoney(x.discounts), String(x.discountedBills), formatMoney(x.net), formatMoney(x.tax), formatMoney(x.total), String(x.returns), formatMoney(x.refunded), String(x.voids), formatMoney(x.voided), String(x.approvalsAsked), String(x.approvalsGiven)]),
      )}`;
    }
    case "tax": {
      const r = await taxByRate(ctx, range);
      if (cmd.json) return json({ range: r.range, taxable: formatMoney(r.taxable), tax: formatMoney(r.tax), rows: r.rows.map((x) => ({ ...x, ...moneyOf(x), percent: x.percent.toString() })) });
      const cols = ["Rate", "Percent", "Bills", "Lines", "Taxable", "Tax", "Returned taxable", "Returned tax"].map((h, i) => ({ header: h, align: i ? R : undefined }));
      return `Tax by rate, ${rangeLine(r.range)}\n${formatTable(cols, [
        ...r.rows.map((x) => [x.name, x.percent.toString(), String(x.bills), String(x.lines), formatMoney(x.taxable), formatMoney(x.tax), formatMoney(x.returnedTaxable), formatMoney(x.returnedTax)]),
        ["Total", "", "", "", formatMoney(r.taxable), formatMoney(r.tax), "", ""],
      ])}`;
    }
    case "payments": {
      const r = await paymentsByMethod(ctx, range);
      if (cmd.json) return json({ range: r.range, amount: formatMoney(r.amount), refunded: formatMoney(r.refunded), net: formatMoney(r.net), billsWithoutPayments: r.billsWithoutPayments, rows: r.rows.map((x) => ({ ...x, ...moneyOf(x) })) });
      const cols = ["Method", "Payments", "Bills", "Amount", "Tendered", "Change", "Refunded", "Net"].map((h, i) => ({ header: h, align: i ? R : undefined }));
      const note = r.billsWithoutPayments ? `\n${r.billsWithoutPayments} bills have no payment recorded.` : "";
      return `Payments by method, ${rangeLine(r.range)}\n${formatTable(cols, [
        ...r.rows.map((x) => [x.method, String(x.payments), String(x.bills), formatMoney(x.amount), formatMoney(x.tendered), formatMoney(x.change), formatMoney(x.refunded), formatMoney(x.net)]),
        ["Total", "", "", formatMoney(r.amount), "", "", formatMoney(r.refunded), formatMoney(r.net)],
      ])}${note}`;
    }
    case "stock-value": {
      const r = await stockValuation(ctx);
      if (cmd.json) return json({ costValue: formatMoney(r.costValue), retailValue: formatMoney(r.retailValue), rows: r.rows.map((x) => ({ ...x, ...moneyOf(x) })) });
      const cols = [{ header: "Category" }, { header: "Items", align: R }, { header: "At cost", align: R }, { header: "At price", align: R }, { header: "No cost", align: R }];
      return formatTable(cols, [...r.rows.map((x) => [x.category, String(x.items), formatMoney(x.costValue), formatMoney(x.retailValue), String(x.itemsWithoutCost)]), ["Total", "", formatMoney(r.costValue), formatMoney(r.retailValue), ""]]);
    }
    case "slow-movers": {
      const r = await slowMovers(ctx, { days: int(o.days), first: int(o.limit) });
      if (cmd.json) return json({ days: r.days, rows: r.rows.map((x) => ({ itemId: x.item.id, name: x.item.name, category: x.item.category, stockQty: formatQuantity(x.item.stockQty), lastSoldAt: x.lastSoldAt })) });
      const cols = [{ header: "ID", align: R }, { header: "Item", maxWidth: 40 }, { header: "Category" }, { header: "Stock", align: R }, { header: "Last sold" }];
      return `No sale in ${r.days} days\n${formatTable(cols, r.rows.map((x) => [String(x.item.id), x.item.name, x.item.category, formatQuantity(x.item.stockQty), x.lastSoldAt?.toISOString().slice(0, 10) ?? "never"]))}`;
    }
    case "low-stock": {
      const items = await listLowStock(ctx, { category: o.category });
      if (cmd.json) return json(items.map((i) => ({ id: i.id, name: i.name, category: i.category, unit: i.unit, stockQty: formatQuantity(i.stockQty), lowStockAt: formatQuantity(i.lowStockAt!) })));
      if (!items.length) return "No item is at or below its reorder point.";
      const cols = [{ header: "ID", align: R }, { header: "Item", maxWidth: 40 }, { header: "Category" }, { header: "Stock", align: R }, { header: "Reorder at", align: R }, { header: "Unit" }];
      return formatTable(cols, items.map((i) => [String(i.id), i.name, i.category, formatQuantity(i.stockQty), formatQuantity(i.lowStockAt!), i.unit]));
    }
    case "reorder": {
      const groups = await reorderSuggestions(ctx, { category: o.category });
      if (cmd.json) {
        return json(
          groups.map((g) => ({
            category: g.category,
            estimatedCost: formatMoney(g.estimatedCost),
            linesWithoutCost: g.linesWithoutCost,
            lines: g.lines.map((l) => ({ itemId: l.item.id, name: l.item.name, unit: l.item.unit, stockQty: formatQuantity(l.item.stockQty), quantity: formatQuantity(l.quantity), estimatedCost: l.estimatedCost ? formatMoney(l.estimatedCost) : null })),
          })),
        );
      }
      if (!groups.length) return "Nothing to reorder: every item is above its reorder point.";
      const cols = [{ header: "ID", align: R }, { header: "Item", maxWidth: 40 }, { header: "Stock", align: R }, { header: "Order", align: R }, { header: "Unit" }, { header: "Est. cost", align: R }];
      return groups
        .map((g) => `${g.category} (est. ${formatMoney(g.estimatedCost)}${g.linesWithoutCost ? `, ${g.linesWithoutCost} without a cost` : ""})\n${formatTable(cols, g.lines.map((l) => [String(l.item.id), l.item.name, formatQuantity(l.item.stockQty), formatQuantity(l.quantity), l.item.unit, l.estimatedCost ? formatMoney(l.estimatedCost) : "—"]))}`)
        .join("\n\n");
    }
  }
}

/** The money fields of a report row as strings. */
function moneyOf<T extends object>(row: T): Record<string, string> {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([k, v]) => v instanceof Decimal && k !== "share")
      .map(([k, v]) => [k, formatMoney(v as Decimal)]),
  );
}
