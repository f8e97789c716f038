"use client";
// /reports: the owner's reports for a range (presets on the shop's calendar or
// custom days), each as a table, a chart where a picture reads better, and a
// CSV download. All figures come from the API as decimal strings; charts turn
// them into numbers only to draw bar heights.
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useReportsPageQuery, useStockReportsQuery, type PaymentMethod, type ReportPeriod, type ReportGrouping } from "../../gql/graphql.ts";
import { downloadCsv, toCsv } from "../../lib/csv.ts";
import { displayQuantity } from "../../lib/decimal.ts";

const PRESETS: [ReportPeriod, string][] = [
  ["TODAY", "Today"],
  ["YESTERDAY", "Yesterday"],
  ["THIS_WEEK", "This week"],
  ["LAST_WEEK", "Last week"],
  ["THIS_MONTH", "This month"],
  ["LAST_MONTH", "Last month"],
];
const METHOD_NAMES: Record<PaymentMethod, string> = { CASH: "Cash", CARD: "Card", MOBILE: "Mobile", OTHER: "Other" };
const COLORS = ["#0b6e4f", "#1a73e8", "#8a5a00", "#b3261e", "#6a1b9a", "#00838f", "#5d6b7c"];

const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const plot = (money: string) => Number(money); // drawing only

type CellValue = string | number | null | undefined;

/** A report's table with its CSV button. */
function ReportTable({ title, file, header, rows, numeric, children }: { title: string; file: string; header: string[]; rows: CellValue[][]; numeric: boolean[]; children?: ReactNode }) {
  const id = file.replace(/\W+/g, "-");
  return (
    <section className="panel" aria-labelledby={id}>
      <div className="panel-head">
        <h2 id={id}>{title}</h2>
        <button type="button" onClick={() => downloadCsv(`${file}.csv`, toCsv(header, rows))}>Download CSV</button>
      </div>
      <div className="report-grid">
        {children ? <div className="chart">{children}</div> : null}
        <div className="table-wrap">
          <table data-report={file}>
            <thead>
              <tr>{header.map((h, i) => <th key={h} scope="col" className={numeric[i] ? "num" : undefined}>{h}</th>)}</tr>
            </thead>
            <tbody>
              {rows.length === 0 ? <tr><td colSpan={header.length} className="empty">Nothing in this range.</td></tr> : null}
              {rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j} className={numeric[j] ? "num" : undefined}>{c ?? "—"}</td>)}</tr>)}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

/**
 * A bar per name, drawn across (long names read on the left). `colour` paints
 * every bar alike; without it each bar takes the next colour.
 */
function HorizontalBars({ bars, label, colour, height = 240, nameWidth = 120 }: { bars: { name: string; value: string }[]; label: string; colour?: string; height?: number; nameWidth?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart layout="vertical" data={bars.map((b) => ({ name: b.name, value: plot(b.value) }))}>
        <XAxis type="number" fontSize={11} />
        <YAxis type="category" dataKey="name" width={nameWidth} fontSize={11} />
        <Tooltip />
        <Bar dataKey="value" name={label} fill={colour} isAnimationActive={false}>
          {colour ? null : bars.map((b, i) => <Cell key={b.name} fill={COLORS[i % COLORS.length]} />)}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

type TopItemRow = { itemName: string; category: string; quantity: string; unit: string; revenue: string; bills: number };

function TopItemsTable({ title, file, items, children }: { title: string; file: string; items: TopItemRow[]; children?: ReactNode }) {
  return (
    <ReportTable
      title={title}
      file={file}
      header={["Item", "Category", "Quantity", "Unit", "Revenue", "Bills"]}
      numeric={[false, false, true, false, true, true]}
      rows={items.map((r) => [r.itemName, r.category, displayQuantity(r.quantity), r.unit, r.revenue, r.bills])}
    >
      {children}
    </ReportTable>
  );
}

export function ReportsScreen() {
  const [period, setPeriod] = useState<ReportPeriod | null>("THIS_MONTH");
  const [from, setFrom] = useState("");
  const [until, setUntil] = useState("");
  const [groupBy, setGroupBy] = useState<ReportGrouping>("DAY");
  const custom = period === null;
  const ready = !custom || (from !== "" && until !== "");
  const [{ data, fetching, error }] = useReportsPageQuery({
    variables: custom ? { from, to: until ? dayAfter(until) : null, groupBy } : { period, groupBy },
    pause: !ready,
    requestPolicy: "cache-and-network",
  });
  const [{ data: stock }] = useStockReportsQuery({ variables: { days: 30 }, requestPolicy: "cache-and-network" });

  const summary = data?.salesSummary.__typename === "SalesSummarySuccess" ? data.salesSummary.report : null;
  const invalid = data?.salesSummary.__typename === "ValidationError";
  const topQ = data?.topQuantity.__typename === "TopItemsSuccess" ? data.topQuantity.report.rows : [];
  const topR = data?.topRevenue.__typename === "TopItemsSuccess" ? data.topRevenue.report.rows : [];
  const cats = data?.revenueByCategory.__typename === "RevenueByCategorySuccess" ? data.revenueByCategory.report : null;
  const hours = data?.salesByHour.__typename === "SalesByHourSuccess" ? data.salesByHour.report.rows : [];
  const cashiers = data?.salesByCashier.__typename === "SalesByCashierSuccess" ? data.salesByCashier.report.rows : [];
  const tax = data?.taxByRate.__typename === "TaxByRateSuccess" ? data.taxByRate.report : null;
  const payments = data?.paymentsByMethod.__typename === "PaymentsByMethodSuccess" ? data.paymentsByMethod.report : null;
  const slow = stock?.slowMovers.__typename === "SlowMoversSuccess" ? stock.slowMovers.report.rows : [];
  const range = summary ? `${summary.range.fromLocal.slice(0, 10)}_${summary.range.toLocal.slice(0, 10)}` : "range";

  return (
    <div className="reports">
      <section className="panel" aria-labelledby="reports-title">
        <div className="panel-head">
          <h1 id="reports-title">Reports</h1>
          <Link href="/z-reports">Z reports of closed shifts</Link>
          {summary ? (
            <p className="muted" data-testid="range">
              {summary.range.fromLocal.replace("T00:00:00", "")} to {summary.range.toLocal.replace("T00:00:00", "")} (not included), {summary.range.timeZone}
            </p>
          ) : null}
        </div>
        <div className="presets" role="group" aria-label="Date range">
          {PRESETS.map(([p, label]) => (
            <button key={p} type="button" aria-pressed={period === p} onClick={() => setPeriod(p)}>{label}</button>
          ))}
          <button type="button" aria-pressed={custom} onClick={() => setPeriod(null)}>Custom</button>
          {custom ? (
            <>
              <label>From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
              <label>To (included) <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} /></label>
            </>
          ) : null}
          <label>
            Rows per{" "}
            <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as ReportGrouping)}>
              <option value="DAY">day</option>
              <option value="WEEK">week</option>
              <option value="MONTH">month</option>
            </select>
          </label>
        </div>
        {error ? <p className="status error" role="alert">{error.message}</p> : null}
        {invalid ? <p className="status error" role="alert">Choose a start day before the end day, at most two years apart.</p> : null}
        {fetching && !data ? <p className="loading">Loading…</p> : null}
        {summary ? (
          <p data-testid="totals">
            <strong>{summary.totals.bills}</strong> bills · net <strong>{summary.totals.net}</strong> · gross {summary.totals.gross} · discounts {summary.totals.discounts} · returns{" "}
            {summary.totals.returns} · tax {summary.totals.tax} · margin <strong>{summary.totals.margin}</strong>
            {summary.totals.linesWithoutCost ? <span className="muted"> ({summary.totals.linesWithoutCost} lines without a cost left out of the margin)</span> : null}
          </p>
        ) : null}
      </section>

      {summary ? (
        <ReportTable
          title="Sales summary"
          file={`sales-summary_${range}`}
          header={["Period", "Bills", "Gross", "Discounts", "Returns", "Net", "Tax", "Cost", "Margin"]}
          numeric={[false, true, true, true, true, true, true, true, true]}
          rows={summary.rows.map((r) => [r.period, r.bills, r.gross, r.discounts, r.returns, r.net, r.tax, r.cost, r.margin])}
        >
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={summary.rows.map((r) => ({ period: r.period, net: plot(r.net) }))}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="period" fontSize={11} />
              <YAxis fontSize={11} />
              <Tooltip />
              <Bar dataKey="net" name="Net" fill={COLORS[0]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </ReportTable>
      ) : null}

      {cats ? (
        <ReportTable
          title="Revenue by category"
          file={`revenue-by-category_${range}`}
          header={["Category", "Revenue", "Share %", "Bills", "Cost", "Margin"]}
          numeric={[false, true, true, true, true, true]}
          rows={cats.rows.map((r) => [r.category, r.revenue, r.share, r.bills, r.cost, r.margin])}
        >
          <HorizontalBars label="Revenue" nameWidth={100} bars={cats.rows.map((r) => ({ name: r.category, value: r.revenue }))} />
        </ReportTable>
      ) : null}

      <TopItemsTable title="Top items by revenue" file={`top-items-revenue_${range}`} items={topR}>
        <HorizontalBars label="Revenue" colour={COLORS[1]} bars={topR.map((r) => ({ name: r.itemName, value: r.revenue }))} />
      </TopItemsTable>

      <TopItemsTable title="Top items by quantity" file={`top-items-quantity_${range}`} items={topQ} />

      {payments ? (
        <ReportTable
          title={`Payments by method: ${payments.amount} paid, ${payments.refunded} refunded`}
          file={`payments-by-method_${range}`}
          header={["Method", "Payments", "Bills", "Amount", "Refunded", "Net"]}
          numeric={[false, true, true, true, true, true]}
          rows={payments.rows.map((r) => [METHOD_NAMES[r.method], r.payments, r.bills, r.amount, r.refunded, r.net])}
        >
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={payments.rows.map((r) => ({ name: METHOD_NAMES[r.method], net: plot(r.net) }))}>
              <XAxis dataKey="name" fontSize={11} />
              <YAxis fontSize={11} />
              <Tooltip />
              <Bar dataKey="net" name="Net" isAnimationActive={false}>
                {payments.rows.map((r, i) => <Cell key={r.method} fill={COLORS[i % COLORS.length]} />)}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </ReportTable>
      ) : null}

      <ReportTable
        title="Sales per cashier"
        file={`sales-by-cashier_${range}`}
        header={["Staff", "Bills", "Net", "Paid", "Discounts", "Discounted bills", "Returns", "Refunded", "Voids", "Voided", "Approvals asked", "Approvals given"]}
        numeric={[false, true, true, true, true, true, true, true, true, true, true, true]}
        rows={cashiers.map((r) => [r.name, r.bills, r.net, r.total, r.discounts, r.discountedBills, r.returns, r.refunded, r.voids, r.voided, r.approvalsAsked, r.approvalsGiven])}
      >
        <HorizontalBars label="Net" height={200} colour={COLORS[4]} bars={cashiers.map((r) => ({ name: r.name, value: r.net }))} />
      </ReportTable>

      {tax ? (
        <ReportTable
          title={`Tax by rate: ${tax.tax} on ${tax.taxable}`}
          file={`tax-by-rate_${range}`}
          header={["Rate", "Percent", "Bills", "Taxable", "Tax", "Refunded tax"]}
          numeric={[false, true, true, true, true, true]}
          rows={tax.rows.map((r) => [r.name, r.percent, r.bills, r.taxable, r.tax, r.returnedTax])}
        />
      ) : null}

      <ReportTable
        title="Sales by hour of day"
        file={`sales-by-hour_${range}`}
        header={["Hour", "Bills", "Revenue"]}
        numeric={[false, true, true]}
        rows={hours.filter((h) => h.bills > 0).map((h) => [`${String(h.hour).padStart(2, "0")}:00`, h.bills, h.revenue])}
      >
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={hours.map((h) => ({ hour: String(h.hour).padStart(2, "0"), bills: h.bills }))}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="hour" fontSize={11} />
            <YAxis allowDecimals={false} fontSize={11} />
            <Tooltip />
            <Bar dataKey="bills" name="Bills" fill={COLORS[2]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ReportTable>

      {stock ? (
        <>
          <ReportTable
            title={`Stock valuation: ${stock.stockValuation.costValue} at cost, ${stock.stockValuation.retailValue} at price`}
            file="stock-valuation"
            header={["Category", "Items", "At cost", "At price", "Items without a cost"]}
            numeric={[false, true, true, true, true]}
            rows={stock.stockValuation.rows.map((r) => [r.category, r.items, r.costValue, r.retailValue, r.itemsWithoutCost])}
          />
          <ReportTable
            title="What to reorder"
            file="reorder"
            header={["Category", "Item", "On hand", "Reorder at", "Order", "Unit", "Est. cost"]}
            numeric={[false, false, true, true, true, false, true]}
            rows={stock.reorderSuggestions.flatMap((g) =>
              g.lines.map((l) => [g.category, l.item.name, displayQuantity(l.item.stockQty), displayQuantity(l.item.lowStockAt), displayQuantity(l.quantity), l.item.unit, l.estimatedCost]),
            )}
          />
          <ReportTable
            title="Slow movers (no sale in 30 days)"
            file="slow-movers"
            header={["Item", "Category", "On hand", "Unit", "Last sold"]}
            numeric={[false, false, true, false, false]}
            rows={slow.map((s) => [s.item.name, s.item.category, displayQuantity(s.item.stockQty), s.item.unit, s.lastSoldAt ? new Date(s.lastSoldAt).toLocaleDateString() : "never"])}
          />
        </>
      ) : null}
    </div>
  );
}
