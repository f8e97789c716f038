// Reports against an independent computation: a random workload of bills at
// times around midnight and across DST changes, summed here in JavaScript from
// the raw rows with Intl's time zone rules (not PostgreSQL's), in two zones.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/fixtures.ts";
import { createBill } from "./bills.ts";
import { ValidationError } from "./errors.ts";
import { createItem, updateItem } from "./items.ts";
import { Decimal } from "./money.ts";
import { periodDates, revenueByCategory, salesByHour, salesSummary, shopDate, slowMovers, stockValuation, topItems } from "./reports.ts";

const t = useTestDatabase(5);

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(13);
const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;

const setZone = (tz: string | undefined) => {
  if (tz === undefined) delete process.env.STORELITE_TIME_ZONE;
  else process.env.STORELITE_TIME_ZONE = tz;
};
afterEach(() => setZone(undefined));

interface Line {
  id: number;
  bill_id: number;
  item_id: number;
  item_name: string;
  category: string;
  quantity: string;
  line_total: string;
  unit_cost: string | null;
  created_at: Date;
}

/** Local wall-clock parts of an instant in a zone, by Intl. */
function local(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

// Midnights and DST changes of both zones: New York falls back on 2026-11-01 and springs forward on 2026-03-08.
const INSTANTS = [
  "2026-03-08T04:30:00Z", "2026-03-08T06:59:00Z", "2026-03-08T07:01:00Z", "2026-03-09T03:59:59Z", "2026-03-09T04:00:00Z",
  "2026-10-31T18:59:00Z", "2026-10-31T19:00:00Z", "2026-11-01T03:59:59Z", "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z",
  "2026-11-01T06:30:00Z", "2026-11-02T04:59:59Z", "2026-11-02T05:00:00Z", "2026-11-02T19:00:01Z", "2026-11-03T18:59:59Z",
];

let lines: Line[] = [];
let bills: { id: number; created_at: Date; subtotal: string; total_amount: string }[] = [];

beforeAll(async () => {
  const ctx = t.ctx();
  const items: Awaited<ReturnType<typeof createItem>>[] = [];
  for (let i = 0; i < 8; i++) {
    items.push(
      await createItem(ctx, {
        name: `Report item ${i}`,
        category: pick(["Grocery", "Beauty", "Utilities"]),
        unit: i % 2 ? "kg" : "piece",
        unitPrice: (1 + Math.floor(random() * 50000) / 100).toFixed(2),
        stockQty: "100000",
        unitCost: i % 3 === 0 ? null : (Math.floor(random() * 20000) / 100).toFixed(2),
      }),
    );
  }
  for (let b = 0; b < 90; b++) {
    const chosen = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(items)))];
    const { bill } = await createBill(ctx, { lines: chosen.map((it) => ({ itemId: it.id, quantity: (0.001 + Math.floor(random() * 5000) / 1000).toFixed(3) })) });
    // A few seconds either side of a boundary instant.
    const at = new Date(new Date(pick(INSTANTS)).getTime() + Math.floor((random() - 0.5) * 4000));
    await t.db.pool.query("UPDATE bills SET created_at = $2 WHERE id = $1", [bill.id, at]);
    // Half-way through, the catalogue changes: later reports must still use what was sold.
    if (b === 45) for (const it of items) await updateItem(ctx, it.id, { unitCost: "999.99", category: "Renamed", name: `${it.name} renamed` });
  }
  bills = (await t.db.pool.query("SELECT id, created_at, subtotal, total_amount FROM bills")).rows;
  lines = (
    await t.db.pool.query<Line>(
      "SELECT bi.id, bi.bill_id, bi.item_id, bi.item_name, bi.category, bi.quantity::text, bi.line_total::text, bi.unit_cost::text, b.created_at FROM bill_items bi JOIN bills b ON b.id = bi.bill_id",
    )
  ).rows;
});

const sum = (xs: Decimal[]) => xs.reduce((s, x) => s.add(x), new Decimal(0));
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe.each(["America/New_York", "Asia/Karachi"])("reports in %s", (tz) => {
  const from = "2026-10-31";
  const to = "2026-11-04";
  const inRange = (at: Date) => {
    const d = local(at, tz).day;
    return d >= from && d < to;
  };

  it("sales summary by day equals the sums of the bills' local days", async () => {
    setZone(tz);
    const report = await salesSummary(t.ctx(), { from, to, groupBy: "DAY" });
    expect(report.range.timeZone).toBe(tz);
    const days: string[] = [];
    for (let d = from; d < to; d = dayAfter(d)) days.push(d);
    expect(report.rows.map((r) => r.period)).toEqual(days);
    for (const row of report.rows) {
      const mine = bills.filter((b) => local(b.created_at, tz).day === row.period);
      const myLines = lines.filter((l) => local(l.created_at, tz).day === row.period);
      const costed = myLines.filter((l) => l.unit_cost !== null);
      const cost = sum(costed.map((l) => new Decimal(l.unit_cost!).mul(l.quantity)));
      expect(row.bills, row.period).toBe(mine.length);
      expect(row.gross.toFixed(2), row.period).toBe(sum(mine.map((b) => new Decimal(b.subtotal))).toFixed(2));
      expect(row.net.toFixed(2), row.period).toBe(sum(mine.map((b) => new Decimal(b.total_amount))).toFixed(2));
      expect(row.cost.toFixed(2), row.period).toBe(cost.toFixed(2));
      expect(row.margin.toFixed(2), row.period).toBe(sum(costed.map((l) => new Decimal(l.line_total))).sub(cost).toFixed(2));
      expect(row.linesWithoutCost).toBe(myLines.length - costed.length);
      expect(row.discounts.toFixed(2)).toBe("0.00");
      expect(row.tax.toFixed(2)).toBe("0.00");
    }
    expect(report.totals.bills).toBe(bills.filter((b) => inRange(b.created_at)).length);
    expect(report.totals.bills).toBeGreaterThan(10);
  });

  it("groups by week (Monday) and month", async () => {
    setZone(tz);
    const weeks = await salesSummary(t.ctx(), { from: "2026-10-26", to: "2026-11-09", groupBy: "WEEK" });
    expect(weeks.rows.map((r) => r.period)).toEqual(["2026-10-26", "2026-11-02"]);
    const inWeek = (start: string) =>
      bills.filter((b) => {
        const d = local(b.created_at, tz).day;
        return d >= start && d < new Date(Date.parse(`${start}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
      });
    expect(weeks.rows.map((r) => r.bills)).toEqual([inWeek("2026-10-26").length, inWeek("2026-11-02").length]);
    const months = await salesSummary(t.ctx(), { from: "2026-03-01", to: "2026-12-01", groupBy: "MONTH" });
    expect(months.rows).toHaveLength(9);
    const march = bills.filter((b) => local(b.created_at, tz).day.startsWith("2026-03"));
    expect(months.rows[0]).toMatchObject({ period: "2026-03-01", bills: march.length });
    expect(months.rows[0]!.net.toFixed(2)).toBe(sum(march.map((b) => new Decimal(b.total_amount))).toFixed(2));
  });

  it("the DST day in March has its real length: bills just before and after the change land on the right day", async () => {
    setZone(tz);
    const report = await salesSummary(t.ctx(), { from: "2026-03-08", to: "2026-03-09" });
    const expected = bills.filter((b) => local(b.created_at, tz).day === "2026-03-08");
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]!.bills).toBe(expected.length);
    const hours = (report.range.to.getTime() - report.range.from.getTime()) / 3_600_000;
    expect(hours).toBe(tz === "America/New_York" ? 23 : 24);
  });

  it("top items by quantity and by revenue, with the names and categories as sold", async () => {
    setZone(tz);
    const l = lines.filter((x) => inRange(x.created_at));
    const byItem = new Map<number, { qty: Decimal; rev: Decimal; name: string; category: string; last: number }>();
    for (const x of l) {
      const e = byItem.get(x.item_id) ?? { qty: new Decimal(0), rev: new Decimal(0), name: "", category: "", last: -1 };
      e.qty = e.qty.add(x.quantity);
      e.rev = e.rev.add(x.line_total);
      if (x.id > e.last) Object.assign(e, { last: x.id, name: x.item_name, category: x.category });
      byItem.set(x.item_id, e);
    }
    for (const by of ["QUANTITY", "REVENUE"] as const) {
      const report = await topItems(t.ctx(), { from, to, by, first: 5 });
      const key = by === "QUANTITY" ? "qty" : "rev";
      const other = by === "QUANTITY" ? "rev" : "qty";
      const expected = [...byItem.entries()]
        .sort(([ia, a], [ib, b]) => b[key].comparedTo(a[key]) || b[other].comparedTo(a[other]) || ia - ib)
        .slice(0, 5);
      expect(report.rows.map((r) => [r.itemId, r.quantity.toFixed(3), r.revenue.toFixed(2), r.itemName, r.category])).toEqual(
        expected.map(([id, e]) => [id, e.qty.toFixed(3), e.rev.toFixed(2), e.name, e.category]),
      );
    }
  });

  it("revenue by category uses the category each line was sold under", async () => {
    setZone(tz);
    const report = await revenueByCategory(t.ctx(), { from, to });
    const byCat = new Map<string, Decimal>();
    for (const x of lines.filter((x) => inRange(x.created_at))) byCat.set(x.category, (byCat.get(x.category) ?? new Decimal(0)).add(x.line_total));
    expect(Object.fromEntries(report.rows.map((r) => [r.category, r.revenue.toFixed(2)]))).toEqual(Object.fromEntries([...byCat].map(([c, v]) => [c, v.toFixed(2)])));
    expect(report.rows.map((r) => r.revenue.toFixed(2))).toEqual([...report.rows.map((r) => r.revenue)].sort((a, b) => b.comparedTo(a)).map((d) => d.toFixed(2)));
    expect(report.total.toFixed(2)).toBe(sum([...byCat.values()]).toFixed(2));
  });

  it("sales by hour of the shop's day", async () => {
    setZone(tz);
    const report = await salesByHour(t.ctx(), { from, to });
    expect(report.rows.map((r) => r.hour)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    for (const row of report.rows) {
      const mine = bills.filter((b) => inRange(b.created_at) && local(b.created_at, tz).hour === row.hour);
      expect([row.hour, row.bills, row.revenue.toFixed(2)]).toEqual([row.hour, mine.length, sum(mine.map((b) => new Decimal(b.total_amount))).toFixed(2)]);
    }
  });
});

describe("ranges", () => {
  it("an empty range answers zeros, not nothing", async () => {
    const report = await salesSummary(t.ctx(), { from: "2020-01-01", to: "2020-01-03" });
    expect(report.rows.map((r) => [r.period, r.bills, r.net.toFixed(2)])).toEqual([
      ["2020-01-01", 0, "0.00"],
      ["2020-01-02", 0, "0.00"],
    ]);
    expect((await topItems(t.ctx(), { from: "2020-01-01", to: "2020-01-03" })).rows).toEqual([]);
  });

  it("refuses to ≤ from, ranges over the limit, bad dates and a period with dates, naming the field", async () => {
    const refused = async (input: Record<string, unknown>) => {
      const err = await salesSummary(t.ctx(), input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).fieldErrors.map((f) => `${f.path.join(".")}:${f.code}`);
    };
    expect(await refused({ from: "2026-11-02", to: "2026-11-02" })).toEqual(["to:INVALID_RANGE"]);
    expect(await refused({ from: "2026-11-03", to: "2026-11-02" })).toEqual(["to:INVALID_RANGE"]);
    expect(await refused({ from: "2020-01-01", to: "2026-01-01" })).toEqual(["to:RANGE_TOO_LONG"]);
    expect(await refused({ from: "2026-02-31", to: "soon" })).toEqual(["from:INVALID_DATE", "to:INVALID_DATE"]);
    expect(await refused({})).toEqual(["from:REQUIRED", "to:REQUIRED"]);
    expect(await refused({ period: "TODAY", from: "2026-01-01" })).toEqual(["period:CONFLICT"]);
    expect(await refused({ period: "SOMEDAY" })).toEqual(["period:INVALID_VALUE"]);
    expect(await refused({ from: "2026-11-01", to: "2026-11-02", groupBy: "YEAR" })).toEqual(["groupBy:INVALID_VALUE"]);
  });

  it("date-times: with an offset they are instants, without one shop time", async () => {
    setZone("Asia/Karachi");
    const a = await salesSummary(t.ctx(), { from: "2026-11-01T00:00:00+05:00", to: "2026-11-02T00:00:00Z" });
    expect(a.range.from.toISOString()).toBe("2026-10-31T19:00:00.000Z");
    expect(a.range.to.toISOString()).toBe("2026-11-02T00:00:00.000Z");
    const b = await salesByHour(t.ctx(), { from: "2026-11-01T09:30", to: "2026-11-01T10:00" });
    expect(b.range.from.toISOString()).toBe("2026-11-01T04:30:00.000Z");
  });

  it("presets follow the shop's calendar; weeks start on Monday", () => {
    expect(periodDates("TODAY", "2026-11-04")).toEqual(["2026-11-04", "2026-11-05"]);
    expect(periodDates("YESTERDAY", "2026-03-01")).toEqual(["2026-02-28", "2026-03-01"]);
    expect(periodDates("THIS_WEEK", "2026-11-01")).toEqual(["2026-10-26", "2026-11-02"]); // a Sunday
    expect(periodDates("LAST_WEEK", "2026-11-02")).toEqual(["2026-10-26", "2026-11-02"]); // a Monday
    expect(periodDates("THIS_MONTH", "2026-12-31")).toEqual(["2026-12-01", "2027-01-01"]);
    expect(periodDates("LAST_MONTH", "2026-01-15")).toEqual(["2025-12-01", "2026-01-01"]);
    // 20:30 UTC on Nov 4 is already Nov 5 in Karachi and still Nov 4 in New York.
    const at = new Date("2026-11-04T20:30:00Z");
    expect([shopDate("Asia/Karachi", at), shopDate("America/New_York", at)]).toEqual(["2026-11-05", "2026-11-04"]);
  });
});

describe("stock reports", () => {
  it("stock valuation is on hand × cost (items with a cost) and × price", async () => {
    const { rows } = await t.db.pool.query<{ category: string; stock_qty: string; unit_cost: string | null; unit_price: string }>(
      "SELECT category, stock_qty, unit_cost, unit_price FROM items WHERE is_active",
    );
    const report = await stockValuation(t.ctx());
    for (const row of report.rows) {
      const mine = rows.filter((r) => r.category === row.category);
      expect(row.costValue.toFixed(2)).toBe(sum(mine.filter((r) => r.unit_cost).map((r) => new Decimal(r.stock_qty).mul(r.unit_cost!))).toDecimalPlaces(2).toFixed(2));
      expect(row.retailValue.toFixed(2)).toBe(sum(mine.map((r) => new Decimal(r.stock_qty).mul(r.unit_price))).toDecimalPlaces(2).toFixed(2));
    }
  });

  it("slow movers: stocked items with no sale in N days, never-sold first", async () => {
    const fresh = await createItem(t.ctx(), { name: "Never sold", unitPrice: "5", stockQty: "3" });
    const report = await slowMovers(t.ctx(), { days: 20 });
    // Every workload bill is dated before mid-November: all of them are slow now, and the new item first.
    expect(report.rows[0]).toMatchObject({ item: { id: fresh.id }, lastSoldAt: null });
    expect(report.rows.length).toBe(9);
    await expect(slowMovers(t.ctx(), { days: 0 })).rejects.toBeInstanceOf(ValidationError);
  });
});
