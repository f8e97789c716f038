// Reports: one query per report, each one call into domain/reports.ts.
import { ValidationError } from "../../domain/errors.ts";
import {
  GROUPINGS,
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
  type CashierSales,
  type CategoryRevenue,
  type MethodPayments,
  type TaxRateRow,
  type CategoryValuation,
  type HourSales,
  type ReportRange,
  type SalesFigures,
  type SalesSummaryRow,
  type SlowMover,
  type TopItem,
} from "../../domain/reports.ts";
import type { ArgBuilder } from "@pothos/core";
import { builder } from "../builder.ts";
import { ItemRef } from "./items.ts";
import { PaymentMethodEnum } from "./sale.ts";

export const ReportPeriod = builder.enumType("ReportPeriod", {
  description: "A date range on the shop's calendar (its time zone); weeks start on Monday.",
  values: PERIODS,
});
const GroupingEnum = builder.enumType("ReportGrouping", { values: GROUPINGS });
const TopByEnum = builder.enumType("TopItemsBy", { values: TOP_BY });

const RangeRef = builder.objectRef<ReportRange>("ReportRange").implement({
  description: "The half-open range [from, to) a report covers.",
  fields: (t) => ({
    from: t.expose("from", { type: "DateTime" }),
    to: t.expose("to", { type: "DateTime", description: "Not included." }),
    timeZone: t.exposeString("timeZone", { description: "The shop's time zone the range and days are in." }),
    fromLocal: t.exposeString("fromLocal", { description: "from as shop wall-clock time, e.g. 2026-11-01T00:00:00." }),
    toLocal: t.exposeString("toLocal"),
    period: t.field({ type: ReportPeriod, nullable: true, resolve: (r) => r.period }),
  }),
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

// The arguments every ranged report takes.
const rangeArgs = (t: ArgBuilder<Types>) => ({
  period: t({ type: ReportPeriod, required: false, description: "A preset range; or give from and to." }),
  from: t.string({ required: false, description: "Inclusive: a date (2026-11-01, shop midnight) or an ISO date-time." }),
  to: t.string({ required: false, description: "Exclusive: from 2026-11-01 to 2026-12-01 is all of November." }),
});

const figureFields = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, SalesFigures>) => ({
  bills: t.exposeInt("bills"),
  gross: t.expose("gross", { type: "Money", description: "Line totals (price × quantity) before discounts; tax included when prices include it." }),
  discounts: t.expose("discounts", { type: "Money", description: "Line and bill discounts given." }),
  returns: t.expose("returns", { type: "Money", description: "Goods returned in the period (on the day of the return), without tax." }),
  returnCount: t.exposeInt("returnCount", { description: "Returns made in the period." }),
  net: t.expose("net", { type: "Money", description: "What the lines charged after discounts, without tax, less returns." }),
  tax: t.expose("tax", { type: "Money", description: "Tax charged, as stored on the bills, less tax refunded." }),
  cost: t.expose("cost", { type: "Money", description: "At the unit cost recorded on each line when sold." }),
  margin: t.expose("margin", { type: "Money", description: "Revenue − cost over the lines with a recorded cost." }),
  linesWithoutCost: t.exposeInt("linesWithoutCost"),
});

const FiguresRef = builder.objectRef<SalesFigures>("SalesFigures").implement({ fields: (t) => figureFields(t) });
const SummaryRowRef = builder.objectRef<SalesSummaryRow>("SalesSummaryRow").implement({
  fields: (t) => ({ period: t.exposeString("period", { description: "First shop day of the period, YYYY-MM-DD." }), ...figureFields(t) }),
});
const SummaryRef = builder.objectRef<Awaited<ReturnType<typeof salesSummary>>>("SalesSummary").implement({
  fields: (t) => ({
    range: t.field({ type: RangeRef, resolve: (s) => s.range }),
    groupBy: t.field({ type: GroupingEnum, resolve: (s) => s.groupBy }),
    rows: t.field({ type: [SummaryRowRef], resolve: (s) => s.rows }),
    totals: t.field({ type: FiguresRef, resolve: (s) => s.totals }),
  }),
});

const TopItemRef = builder.objectRef<TopItem>("TopItem").implement({
  fields: (t) => ({
    itemId: t.exposeInt("itemId"),
    itemName: t.exposeString("itemName"),
    category: t.exposeString("category", { description: "As sold." }),
    unit: t.exposeString("unit"),
    quantity: t.expose("quantity", { type: "Quantity", description: "Sold less returned in the range." }),
    revenue: t.expose("revenue", { type: "Money", description: "What the lines charged after discounts, without tax, less returns." }),
    returnedQuantity: t.expose("returnedQuantity", { type: "Quantity", description: "Returned in the range (already taken off quantity)." }),
    bills: t.exposeInt("bills"),
  }),
});
const TopItemsRef = builder.objectRef<Awaited<ReturnType<typeof topItems>>>("TopItems").implement({
  fields: (t) => ({
    range: t.field({ type: RangeRef, resolve: (s) => s.range }),
    by: t.field({ type: TopByEnum, resolve: (s) => s.by }),
    rows: t.field({ type: [TopItemRef], resolve: (s) => s.rows }),
  }),
});

const CategoryRevenueRef = builder.objectRef<CategoryRevenue>("CategoryRevenue").implement({
  fields: (t) => ({
    category: t.exposeString("category", { description: "The category the lines were sold under." }),
    revenue: t.expose("revenue", { type: "Money", description: "After discounts, without tax, less returns." }),
    returns: t.expose("returns", { type: "Money", description: "Returned in the range, without tax." }),
    share: t.field({ type: "String", description: "Percent of the range's revenue, one decimal, e.g. \"42.5\".", resolve: (r) => r.share.toFixed(1) }),
    bills: t.exposeInt("bills"),
    lines: t.exposeInt("lines"),
    cost: t.expose("cost", { type: "Money" }),
    margin: t.expose("margin", { type: "Money" }),
    linesWithoutCost: t.exposeInt("linesWithoutCost"),
  }),
});
const RevenueByCategoryRef = builder.objectRef<Awaited<ReturnType<typeof revenueByCategory>>>("RevenueByCategory").implement({
  fields: (t) => ({
    range: t.field({ type: RangeRef, resolve: (s) => s.range }),
    rows: t.field({ type: [CategoryRevenueRef], resolve: (s) => s.rows }),
    total: t.expose("total", { type: "Money" }),
  }),
});

const HourSalesRef = builder.objectRef<HourSales>("HourSales").implement({
  fields: (t) => ({ hour: t.exposeInt("hour", { description: "0–23, shop time." }), bills: t.exposeInt("bills"),
    revenue: t.expose("revenue", { type: "Money", description: "After discounts, without tax, less returns made in the hour." }),
    returns: t.expose("returns", { type: "Money" }),
  }),
});
const SalesByHourRef = builder.objectRef<Awaited<ReturnType<typeof salesByHour>>>("SalesByHour").implement({
  fields: (t) => ({ range: t.field({ type: RangeRef, resolve: (s) => s.range }), rows: t.field({ type: [HourSalesRef], resolve: (s) => s.rows }) }),
});

const ValuationRowRef = builder.objectRef<CategoryValuation>("CategoryValuation").implement({
  fields: (t) => ({
    category: t.exposeString("category"),
    items: t.exposeInt("items"),
    costValue: t.expose("costValue", { type: "Money", description: "On hand × unit cost (items with a cost)." }),
    retailValue: t.expose("retailValue", { type: "Money", description: "On hand × unit price." }),
    itemsWithoutCost: t.exposeInt("itemsWithoutCost"),
  }),
});
const ValuationRef = builder.objectRef<Awaited<ReturnType<typeof stockValuation>>>("StockValuation").implement({
  fields: (t) => ({
    rows: t.field({ type: [ValuationRowRef], resolve: (s) => s.rows }),
    costValue: t.expose("costValue", { type: "Money" }),
    retailValue: t.expose("retailValue", { type: "Money" }),
  }),
});

const SlowMoverRef = builder.objectRef<SlowMover>("SlowMover").implement({
  fields: (t) => ({
    item: t.field({ type: ItemRef, resolve: (s) => s.item }),
    lastSoldAt: t.expose("lastSoldAt", { type: "DateTime", nullable: true, description: "null: never sold." }),
  }),
});
const SlowMoversRef = builder.objectRef<Awaited<ReturnType<typeof slowMovers>>>("SlowMovers").implement({
  fields: (t) => ({ days: t.exposeInt("days"), rows: t.field({ type: [SlowMoverRef], resolve: (s) => s.rows }) }),
});

const CashierSalesRef = builder.objectRef<CashierSales>("CashierSales").implement({
  fields: (t) => ({
    staffId: t.exposeInt("staffId", { nullable: true, description: "null: bills that recorded no cashier." }),
    name: t.exposeString("name"),
    role: t.exposeString("role", { nullable: true }),
    bills: t.exposeInt("bills"),
    gross: t.expose("gross", { type: "Money", description: "Line totals before discounts." }),
    discounts: t.expose("discounts", { type: "Money", description: "Discounts given on their bills." }),
    discountedBills: t.exposeInt("discountedBills"),
    net: t.expose("net", { type: "Money", description: "After discounts, without tax." }),
    tax: t.expose("tax", { type: "Money" }),
    total: t.expose("total", { type: "Money", description: "What customers paid: tax and cash rounding included." }),
    returns: t.exposeInt("returns", { description: "Returns they made in the range." }),
    refunded: t.expose("refunded", { type: "Money", description: "Money refunded on those returns, tax included." }),
    voids: t.exposeInt("voids", { description: "Bills they voided in the range." }),
    voided: t.expose("voided", { type: "Money", description: "What the voided bills had charged." }),
    approvalsAsked: t.exposeInt("approvalsAsked", { description: "Their over-limit discounts, returns and voids a manager approved." }),
    approvalsGiven: t.exposeInt("approvalsGiven", { description: "Over-limit discounts, returns and voids they approved." }),
  }),
});
const SalesByCashierRef = builder.objectRef<Awaited<ReturnType<typeof salesByCashier>>>("SalesByCashier").implement({
  fields: (t) => ({ range: t.field({ type: RangeRef, resolve: (s) => s.range }), rows: t.field({ type: [CashierSalesRef], resolve: (s) => s.rows }) }),
});

const TaxRateRowRef = builder.objectRef<TaxRateRow>("TaxRateSales").implement({
  fields: (t) => ({
    rateId: t.exposeInt("rateId", { nullable: true, description: "null: lines sold without tax." }),
    name: t.exposeString("name", { description: "The rate's name as sold." }),
    percent: t.string({ description: "As sold, e.g. \"17\".", resolve: (r) => r.percent.toString() }),
    bills: t.exposeInt("bills"),
    lines: t.exposeInt("lines"),
    taxable: t.expose("taxable", { type: "Money", description: "What the tax was computed on (after discounts, without tax), less returns." }),
    tax: t.expose("tax", { type: "Money", description: "Tax charged less tax refunded." }),
    returnedTaxable: t.expose("returnedTaxable", { type: "Money" }),
    returnedTax: t.expose("returnedTax", { type: "Money" }),
  }),
});
const TaxByRateRef = builder.objectRef<Awaited<ReturnType<typeof taxByRate>>>("TaxByRate").implement({
  fields: (t) => ({
    range: t.field({ type: RangeRef, resolve: (s) => s.range }),
    rows: t.field({ type: [TaxRateRowRef], resolve: (s) => s.rows }),
    taxable: t.expose("taxable", { type: "Money" }),
    tax: t.expose("tax", { type: "Money" }),
  }),
});

const MethodPaymentsRef = builder.objectRef<MethodPayments>("MethodPayments").implement({
  fields: (t) => ({
    method: t.field({ type: PaymentMethodEnum, resolve: (r) => r.method }),
    payments: t.exposeInt("payments"),
    bills: t.exposeInt("bills"),
    amount: t.expose("amount", { type: "Money", description: "The part of the bills these payments paid." }),
    tendered: t.expose("tendered", { type: "Money", description: "Cash: what customers handed over." }),
    change: t.expose("change", { type: "Money", description: "Cash: the change given back." }),
    refunds: t.exposeInt("refunds", { description: "Refunds paid out this way on returns made in the range." }),
    refunded: t.expose("refunded", { type: "Money" }),
    net: t.expose("net", { type: "Money", description: "amount − refunded." }),
  }),
});
const PaymentsByMethodRef = builder.objectRef<Awaited<ReturnType<typeof paymentsByMethod>>>("PaymentsByMethod").implement({
  fields: (t) => ({
    range: t.field({ type: RangeRef, resolve: (s) => s.range }),
    rows: t.field({ type: [MethodPaymentsRef], resolve: (s) => s.rows }),
    amount: t.expose("amount", { type: "Money" }),
    refunded: t.expose("refunded", { type: "Money" }),
    net: t.expose("net", { type: "Money" }),
    billsWithoutPayments: t.exposeInt("billsWithoutPayments", { description: "Bills with no payment recorded (from before payments were stored)." }),
  }),
});

const errors = (name: string, data: string) => ({
  types: [ValidationError],
  result: { name: `${name}Success` },
  union: { name: `${name}Result` },
  dataField: { name: data },
});

builder.queryFields((t) => ({
  salesSummary: t.field({
    type: SummaryRef,
    description: "Bills, gross, discounts, returns, net, tax, cost and margin per day, week or month.",
    errors: errors("SalesSummary", "report"),
    args: { ...rangeArgs(t.arg), groupBy: t.arg({ type: GroupingEnum, required: false, defaultValue: "DAY" }) },
    resolve: (_, args, ctx) => salesSummary(ctx, args),
  }),
  topItems: t.field({
    type: TopItemsRef,
    description: "Best-selling items by quantity or revenue.",
    errors: errors("TopItems", "report"),
    args: {
      ...rangeArgs(t.arg),
      by: t.arg({ type: TopByEnum, required: false, defaultValue: "QUANTITY" }),
      first: t.arg.int({ required: false, defaultValue: 10, description: "How many, 1–100." }),
      category: t.arg.string({ required: false, description: "Only lines sold under this category." }),
    },
    resolve: (_, args, ctx) => topItems(ctx, args),
  }),
  revenueByCategory: t.field({
    type: RevenueByCategoryRef,
    description: "Revenue, cost and margin per category, highest revenue first.",
    errors: errors("RevenueByCategory", "report"),
    args: rangeArgs(t.arg),
    resolve: (_, args, ctx) => revenueByCategory(ctx, args),
  }),
  salesByHour: t.field({
    type: SalesByHourRef,
    description: "Bills and revenue per hour of the day (shop time), all 24 hours.",
    errors: errors("SalesByHour", "report"),
    args: rangeArgs(t.arg),
    resolve: (_, args, ctx) => salesByHour(ctx, args),
  }),
  salesByCashier: t.field({
    type: SalesByCashierRef,
    description: "Per member of staff: bills, gross, discounts given, net, tax, paid, and discount approvals asked and given.",
    errors: errors("SalesByCashier", "report"),
    args: rangeArgs(t.arg),
    resolve: (_, args, ctx) => salesByCashier(ctx, args),
  }),
  taxByRate: t.field({
    type: TaxByRateRef,
    description: "Taxable amount and tax per tax rate, by the rate each line was sold at.",
    errors: errors("TaxByRate", "report"),
    args: rangeArgs(t.arg),
    resolve: (_, args, ctx) => taxByRate(ctx, args),
  }),
  paymentsByMethod: t.field({
    type: PaymentsByMethodRef,
    description: "How the bills were paid: amount per payment method (cash, card, mobile, other).",
    errors: errors("PaymentsByMethod", "report"),
    args: rangeArgs(t.arg),
    resolve: (_, args, ctx) => paymentsByMethod(ctx, args),
  }),
  stockValuation: t.field({
    type: ValuationRef,
    description: "What the stock on hand is worth at cost and at today's prices, by category.",
    resolve: (_, __, ctx) => stockValuation(ctx),
  }),
  slowMovers: t.field({
    type: SlowMoversRef,
    description: "Active items with stock that sold nothing in the last `days` days, never-sold first.",
    errors: errors("SlowMovers", "report"),
    args: { days: t.arg.int({ required: false, defaultValue: 30 }), first: t.arg.int({ required: false, defaultValue: 50 }) },
    resolve: (_, args, ctx) => slowMovers(ctx, args),
  }),
}));
