// /reports: the owner's reports, low stock and the purchase list over REST.
// Each operation parses the query, calls domain/reports.ts or thresholds.ts
// and maps the answer to snake_case JSON.
import { z } from "zod";
import { formatMoney, formatQuantity } from "../domain/money.ts";
import {
  GROUPINGS,
  MAX_RANGE_DAYS,
  MAX_TOP,
  PERIODS,
  TOP_BY,
  paymentsByMethod,
  revenueByCategory,
  salesByCashier,
  salesByHour,
  salesSummary,
  taxByRate,
  slowMovers,
  stockValuation,
  topItems,
  type ReportRange,
  type SalesFigures,
} from "../domain/reports.ts";
import { listLowStock, reorderSuggestions } from "../domain/thresholds.ts";
import { PAYMENT_METHODS } from "../domain/totals.ts";
import { itemJson } from "./json.ts";
import { operation } from "./operation.ts";
import { invalid } from "./responses.ts";
import { ItemResponse, components, money, quantity, timestamp, wholeNumber } from "./schemas.ts";

const tag = "Reports";

const rangeQuery = {
  period: z.enum(PERIODS).meta({ description: "A preset range on the shop's calendar (its time zone); weeks start on Monday. Or give from and to." }).optional(),
  from: z.string().meta({ description: "Inclusive: a date (shop midnight) or an ISO date-time.", examples: ["2026-11-01"] }).optional(),
  to: z.string().meta({ description: `Exclusive: from=2026-11-01&to=2026-12-01 is all of November. At most ${MAX_RANGE_DAYS} days after from.`, examples: ["2026-12-01"] }).optional(),
};
const category = z.string().meta({ description: "Only this category (any case)." }).optional();

const Range = z
  .strictObject({
    from: timestamp,
    to: timestamp.meta({ description: "Not included." }),
    time_zone: z.string().meta({ examples: ["Asia/Karachi"] }),
    from_local: z.string().meta({ description: "from as shop wall-clock time.", examples: ["2026-11-01T00:00:00"] }),
    to_local: z.string(),
    period: z.enum(PERIODS).nullable(),
  })
  .register(components, { id: "ReportRange" });

const figures = {
  bills: z.int(),
  gross: money,
  discounts: money,
  returns: money.meta({ description: "Goods returned in the period (on the day of the return), without tax." }),
  return_count: z.int(),
  net: money.meta({ description: "What the lines charged after discounts, without tax, less returns." }),
  tax: money,
  cost: money.meta({ description: "At the unit cost recorded on each line when sold." }),
  margin: money,
  lines_without_cost: z.int(),
};
const SalesSummaryResponse = z
  .strictObject({
    range: Range,
    group_by: z.enum(GROUPINGS),
    rows: z.array(z.strictObject({ period: z.string().meta({ description: "First shop day of the period.", examples: ["2026-11-02"] }), ...figures })),
    totals: z.strictObject(figures),
  })
  .register(components, { id: "SalesSummary" });

const TopItemsResponse = z
  .strictObject({
    range: Range,
    by: z.enum(TOP_BY),
    rows: z.array(z.strictObject({ item_id: z.int(), item_name: z.string(), category: z.string(), unit: z.string(), quantity, revenue: money, returned_quantity: quantity, bills: z.int() })),
  })
  .register(components, { id: "TopItems" });

const RevenueByCategoryResponse = z
  .strictObject({
    range: Range,
    total: money,
    rows: z.array(
      z.strictObject({
        category: z.string(),
        revenue: money,
        returns: money,
        share: z.string().meta({ description: "Percent of the total, one decimal.", examples: ["42.5"] }),
        bills: z.int(),
        lines: z.int(),
        cost: money,
        margin: money,
        lines_without_cost: z.int(),
      }),
    ),
  })
  .register(components, { id: "RevenueByCategory" });

const SalesByHourResponse = z
  .strictObject({ range: Range, rows: z.array(z.strictObject({ hour: z.int().meta({ minimum: 0, maximum: 23 }), bills: z.int(), revenue: money, returns: money })) })
  .register(components, { id: "SalesByHour" });

const StockValuationResponse = z
  .strictObject({
    cost_value: money,
    retail_value: money,
    rows: z.array(z.strictObject({ category: z.string(), items: z.int(), cost_value: money, retail_value: money, items_without_cost: z.int() })),
  })
  .register(components, { id: "StockValuation" });

const SalesByCashierResponse = z
  .strictObject({
    range: Range,
    rows: z.array(
      z.strictObject({
        staff_id: z.int().nullable().meta({ description: "null: bills that recorded no cashier." }),
        name: z.string(),
        role: z.string().nullable(),
        bills: z.int(),
        gross: money,
        discounts: money,
        discounted_bills: z.int(),
        net: money.meta({ description: "After discounts, without tax." }),
        tax: money,
        total: money.meta({ description: "What customers paid: tax and cash rounding included." }),
        returns: z.int(),
        refunded: money.meta({ description: "Refunded on their returns, tax included." }),
        voids: z.int(),
        voided: money.meta({ description: "What the bills they voided had charged." }),
        approvals_asked: z.int().meta({ description: "Their over-limit discounts, returns and voids a manager approved." }),
        approvals_given: z.int().meta({ description: "Over-limit discounts, returns and voids they approved." }),
      }),
    ),
  })
  .register(components, { id: "SalesByCashier" });

const TaxByRateResponse = z
  .strictObject({
    range: Range,
    taxable: money,
    tax: money,
    rows: z.array(
      z.strictObject({
        rate_id: z.int().nullable().meta({ description: "null: lines sold without tax." }),
        name: z.string(),
        percent: z.string().meta({ examples: ["17"] }),
        bills: z.int(),
        lines: z.int(),
        taxable: money.meta({ description: "After discounts, without tax, less returns." }),
        tax: money.meta({ description: "Charged less refunded." }),
        returned_taxable: money,
        returned_tax: money,
      }),
    ),
  })
  .register(components, { id: "TaxByRate" });

const PaymentsByMethodResponse = z
  .strictObject({
    range: Range,
    amount: money,
    refunded: money,
    net: money,
    bills_without_payments: z.int(),
    rows: z.array(
      z.strictObject({ method: z.enum(PAYMENT_METHODS), payments: z.int(), bills: z.int(), amount: money, tendered: money, change: money, refunds: z.int(), refunded: money, net: money }),
    ),
  })
  .register(components, { id: "PaymentsByMethod" });

const SlowMoversResponse = z
  .strictObject({ days: z.int(), rows: z.array(z.strictObject({ item: ItemResponse, last_sold_at: timestamp.nullable() })) })
  .register(components, { id: "SlowMovers" });

const ReorderResponse = z
  .array(
    z.strictObject({
      category: z.string(),
      estimated_cost: money,
      lines_without_cost: z.int(),
      lines: z.array(z.strictObject({ item: ItemResponse, quantity, estimated_cost: money.nullable() })),
    }),
  )
  .register(components, { id: "ReorderSuggestions" });

const rangeJson = (r: ReportRange) => ({
  from: r.from.toISOString(),
  to: r.to.toISOString(),
  time_zone: r.timeZone,
  from_local: r.fromLocal,
  to_local: r.toLocal,
  period: r.period,
});
const figuresJson = (f: SalesFigures) => ({
  bills: f.bills,
  gross: formatMoney(f.gross),
  discounts: formatMoney(f.discounts),
  returns: formatMoney(f.returns),
  return_count: f.returnCount,
  net: formatMoney(f.net),
  tax: formatMoney(f.tax),
  cost: formatMoney(f.cost),
  margin: formatMoney(f.margin),
  lines_without_cost: f.linesWithoutCost,
});

const rangeInvalid = invalid("The range or another parameter is invalid: to not after from (INVALID_RANGE), longer than the limit (RANGE_TOO_LONG), a bad date");

export const reportOperations = [
  operation({
    method: "GET",
    path: "/reports/sales",
    permission: "VIEW_REPORTS",
    operationId: "salesSummary",
    tag,
    summary: "Sales summary by day, week or month",
    description: "Bills, gross, discounts, returns, net, tax, cost and margin, from the values stored on the bills, in the shop's time zone.",
    query: z.strictObject({ ...rangeQuery, group_by: z.enum(GROUPINGS).meta({ description: "Row per DAY (default), WEEK or MONTH." }).optional() }),
    responses: { 200: { description: "The summary, one row per period (zeros included).", schema: SalesSummaryResponse }, 422: rangeInvalid },
    async handle({ query }, ctx) {
      const s = await salesSummary(ctx, { ...query, groupBy: query.group_by });
      return { status: 200, body: { range: rangeJson(s.range), group_by: s.groupBy, rows: s.rows.map((r) => ({ period: r.period, ...figuresJson(r) })), totals: figuresJson(s.totals) } };
    },
  }),
  operation({
    method: "GET",
    path: "/reports/top-items",
    permission: "VIEW_REPORTS",
    operationId: "topItems",
    tag,
    summary: "Best-selling items",
    query: z.strictObject({
      ...rangeQuery,
      by: z.enum(TOP_BY).meta({ description: "QUANTITY (default) or REVENUE." }).optional(),
      limit: wholeNumber.meta({ description: `How many, 1–${MAX_TOP} (default 10).` }).optional(),
      category,
    }),
    responses: { 200: { description: "The items, best first.", schema: TopItemsResponse }, 422: rangeInvalid },
    async handle({ query }, ctx) {
      const r = await topItems(ctx, { period: query.period, from: query.from, to: query.to, by: query.by, first: query.limit, category: query.category });
      return {
        status: 200,
        body: {
          range: rangeJson(r.range),
          by: r.by,
          rows: r.rows.map((x) => ({
            item_id: x.itemId,
            item_name: x.itemName,
            category: x.category,
            unit: x.unit,
            quantity: formatQuantity(x.quantity),
            revenue: formatMoney(x.revenue),
            returned_quantity: formatQuantity(x.returnedQuantity),
            bills: x.bills,
          })),
        },
      };
    },
  }),
  operation({
    method: "GET",
    path: "/reports/revenue-by-category",
    permission: "VIEW_REPORTS",
    operationId: "revenueByCategory",
    tag,
    summary: "Revenue by category",
    description: "By the category each line was sold under; highest revenue first.",
    query: z.strictObject(rangeQuery),
    responses: { 200: { description: "Revenue, share, cost and margin per category.", schema: RevenueByCategoryResponse }, 422: rangeInvalid },
    async handle({ query }, ctx) {
      const r = await revenueByCategory(ctx, query);
      return {
        status: 200,
        body: {
          range: rangeJson(r.range),
          total: formatMoney(r.total),
          rows: r.rows.map((x) => ({
            category: x.category,
            revenue: formatMoney(x.revenue),
            returns: formatMoney(x.returns),
            share: x.share.toFixed(1),
            bills: x.bills,
            lines: x.lines,
            cost: formatMoney(x.cost),
            margin: formatMoney(x.margin),
            lines_without_cost: x.linesWithoutCost,
          })),
        },
      };
    },
  }),
  operation({
    method: "GET",
    path: "/reports/sales-by-hour",
    permission: "VIEW_REPORTS",
    operationId: "salesByHour",
    tag,
    summary: "Sales by hour of the day (shop time)",
    query: z.strictObject(rangeQuery),
    responses: { 200: { description: "24 rows, hour 0 to 23.", schema: SalesByHourResponse }, 422: rangeInvalid },
    async handle({ query }, ctx) {
      const r = await salesByHour(ctx, query);
      return { status: 200, body: { range: rangeJson(r.range), rows: r.rows.map((x) => ({ hour: x.hour, bills: x.bills, revenue: formatMoney(x.revenue), returns: formatMoney(x.returns) })) } };
    },
  }),
  operation({
    method: "GET",
    path: "/reports/cashiers",
    permission: "VIEW_REPORTS",
    operationId: "salesByCashier",
    tag,
    summary: "Sales per cashier",
    description: "Per member of staff: bills, gross, discounts given, net, tax, what customers paid, and discount approvals asked and given.",
    query: z.strictObject(rangeQuery),
    responses: { 200: { description: "One row per member of staff with bills or approvals in the range.", schema: SalesByCashierResponse }, 422: rangeInvalid },
    async handle({ query }, ctx) {
      const r = await salesByCashier(ctx, query);
      return {
        status: 200,
        body: {
          range: rangeJson(r.range),
          rows: r.rows.map((x) => ({
            staff_id: x.staffId,
            name: x.name,
            role: x.role,
            bills: x.bills,
            gross: formatMoney(x.gross),
            discounts: formatMoney(x.discounts),
            discounted_bills: x.discountedBills,
            net: formatMoney(x.net),
            tax: formatMoney(x.tax),
            total: formatMoney(x.total),
            returns: x.returns,
            refunded: formatMoney(x.refunded),
            voids: x.voids,
            voided: formatMoney(x.voided),
            approvals_asked: x.approvalsAsked,
            approvals_given: x.approvalsGiven,
          })),
        },
      };
    },
  }),
  operation({
    method: "GET",
    path: "/reports/tax",
    permission: "VIEW_REPORTS",
    operationId: "taxByRate",
    tag,
    summary: "Tax by rate",
    description: "Taxable amount and tax per rate, by the rate (name and percent) each line was sold at.",
    query: z.strictObject(rangeQuery),
    responses: { 200: { description: "Highest rate first; untaxed lines as rate_id null.", schema: TaxByRateResponse }, 422: rangeInvalid },
    async handle({ query }, ctx) {
      const r = await taxByRate(ctx, query);
      return {
        status: 200,
        body: {
          range: rangeJson(r.range),
          taxable: formatMoney(r.taxable),
          tax: formatMoney(r.tax),
          rows: r.rows.map((x) => ({ rate_id: x.rateId, name: x.name, percent: x.percent.toString(), bills: x.bills, lines: x.lines, taxable: formatMoney(x.taxable), tax: formatMoney(x.tax), returned_taxable: formatMoney(x.returnedTaxable), returned_tax: formatMoney(x.returnedTax) })),
        },
      };
    },
  }),
  operation({
    method: "GET",
    path: "/reports/payments",
    permission: "VIEW_REPORTS",
    operationId: "paymentsByMethod",
    tag,
    summary: "Payments by method",
    description: "How the bills were paid: payments, bills and amount per method (every method has a row).",
    query: z.strictObject(rangeQuery),
    responses: { 200: { description: "One row per payment method.", schema: PaymentsByMethodResponse }, 422: rangeInvalid },
    async handle({ query }, ctx) {
      const r = await paymentsByMethod(ctx, query);
      return {
        status: 200,
        body: {
          range: rangeJson(r.range),
          amount: formatMoney(r.amount),
          refunded: formatMoney(r.refunded),
          net: formatMoney(r.net),
          bills_without_payments: r.billsWithoutPayments,
          rows: r.rows.map((x) => ({
            method: x.method,
            payments: x.payments,
            bills: x.bills,
            amount: formatMoney(x.amount),
            tendered: formatMoney(x.tendered),
            change: formatMoney(x.change),
            refunds: x.refunds,
            refunded: formatMoney(x.refunded),
            net: formatMoney(x.net),
          })),
        },
      };
    },
  }),
  operation({
    method: "GET",
    path: "/reports/stock-valuation",
    permission: "VIEW_REPORTS",
    operationId: "stockValuation",
    tag,
    summary: "Stock valuation (on hand × cost, and × price)",
    responses: { 200: { description: "Per category and in total.", schema: StockValuationResponse } },
    async handle(_, ctx) {
      const r = await stockValuation(ctx);
      return {
        status: 200,
        body: {
          cost_value: formatMoney(r.costValue),
          retail_value: formatMoney(r.retailValue),
          rows: r.rows.map((x) => ({ category: x.category, items: x.items, cost_value: formatMoney(x.costValue), retail_value: formatMoney(x.retailValue), items_without_cost: x.itemsWithoutCost })),
        },
      };
    },
  }),
  operation({
    method: "GET",
    path: "/reports/slow-movers",
    permission: "VIEW_REPORTS",
    operationId: "slowMovers",
    tag,
    summary: "Items with stock and no sale in N days",
    query: z.strictObject({
      days: wholeNumber.meta({ description: "No sale in this many days, 1–3650 (default 30)." }).optional(),
      limit: wholeNumber.meta({ description: "How many, 1–200 (default 50)." }).optional(),
    }),
    responses: { 200: { description: "Never-sold items first, then the longest unsold.", schema: SlowMoversResponse }, 422: invalid() },
    async handle({ query }, ctx) {
      const r = await slowMovers(ctx, { days: query.days, first: query.limit });
      return { status: 200, body: { days: r.days, rows: r.rows.map((x) => ({ item: itemJson(x.item), last_sold_at: x.lastSoldAt?.toISOString() ?? null })) } };
    },
  }),
  operation({
    method: "GET",
    path: "/reports/low-stock",
    permission: "VIEW_CATALOG",
    operationId: "lowStock",
    tag,
    summary: "Items at or below their reorder point",
    query: z.strictObject({ category }),
    responses: { 200: { description: "Active low items by category and name.", schema: z.array(ItemResponse) }, 422: invalid() },
    async handle({ query }, ctx) {
      return { status: 200, body: (await listLowStock(ctx, query)).map(itemJson) };
    },
  }),
  operation({
    method: "GET",
    path: "/reports/reorder",
    permission: "VIEW_CATALOG",
    operationId: "reorderSuggestions",
    tag,
    summary: "Suggested purchase list, by category",
    description: "Each low item with how much to order (its reorder quantity, else up to twice its reorder point) and the estimated cost.",
    query: z.strictObject({ category }),
    responses: { 200: { description: "Groups by category.", schema: ReorderResponse }, 422: invalid() },
    async handle({ query }, ctx) {
      const groups = await reorderSuggestions(ctx, query);
      return {
        status: 200,
        body: groups.map((g) => ({
          category: g.category,
          estimated_cost: formatMoney(g.estimatedCost),
          lines_without_cost: g.linesWithoutCost,
          lines: g.lines.map((l) => ({ item: itemJson(l.item), quantity: formatQuantity(l.quantity), estimated_cost: l.estimatedCost ? formatMoney(l.estimatedCost) : null })),
        })),
      };
    },
  }),
];
