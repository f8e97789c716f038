// Reports: one query per report, each one call into domain/reports.ts.
import { ValidationError } from "../../domain/errors.ts";
import {
  GROUPINGS,
  PERIODS,
  TOP_BY,
  revenueByCategory,
  salesByHour,
  salesSummary,
  slowMovers,
  stockValuation,
  topItems,
  type CategoryRevenue,
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
  gross: t.expose("gross", { type: "Money", description: "Line totals before discounts." }),
  discounts: t.expose("discounts", { type: "Money" }),
  returns: t.expose("returns", { type: "Money", description: "Refunds given in the period." }),
  net: t.expose("net", { type: "Money", description: "gross − discounts − returns − tax." }),
  tax: t.expose("tax", { type: "Money" }),
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
    quantity: t.expose("quantity", { type: "Quantity" }),
    revenue: t.expose("revenue", { type: "Money" }),
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
    revenue: t.expose("revenue", { type: "Money" }),
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
  fields: (t) => ({ hour: t.exposeInt("hour", { description: "0–23, shop time." }), bills: t.exposeInt("bills"), revenue: t.expose("revenue", { type: "Money" }) }),
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
