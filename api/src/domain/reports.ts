// Reports for the owner, each one SQL module in reports/ over the values
// stored on bills and bill lines (never today's prices or costs), in the
// shop's time zone with half-open [from, to) ranges. Every report checks
// VIEW_REPORTS first.
export { MAX_RANGE_DAYS, PERIODS, periodDates, resolveRange, shopDate, type Period, type RangeInput, type ReportRange } from "./reports/range.ts";
export { GROUPINGS, salesSummary, type Grouping, type SalesFigures, type SalesSummary, type SalesSummaryRow } from "./reports/sales-summary.ts";
export { MAX_TOP, TOP_BY, topItems, type TopBy, type TopItem, type TopItems } from "./reports/top-items.ts";
export { revenueByCategory, type CategoryRevenue, type RevenueByCategory } from "./reports/revenue-by-category.ts";
export { salesByHour, type HourSales } from "./reports/sales-by-hour.ts";
export { stockValuation, type CategoryValuation } from "./reports/stock-valuation.ts";
export { slowMovers, type SlowMover } from "./reports/slow-movers.ts";
export { salesByCashier, type CashierSales } from "./reports/cashiers.ts";
export { taxByRate, type TaxByRate, type TaxRateRow } from "./reports/tax-by-rate.ts";
export { paymentsByMethod, type MethodPayments, type PaymentsByMethod } from "./reports/payments-by-method.ts";
