// Report date ranges: half-open [from, to) instants, resolved in the shop's
// time zone. A date (2026-11-25) is that day's midnight in the shop, so the
// evening's sales stay on their own day; presets (TODAY, LAST_WEEK...) are
// computed from the shop's calendar, weeks start on Monday.
import type { ServiceContext } from "../context.ts";
import { Problems, ValidationError } from "../errors.ts";
import { shopTimeZone } from "../shop.ts";

export const PERIODS = ["TODAY", "YESTERDAY", "THIS_WEEK", "LAST_WEEK", "THIS_MONTH", "LAST_MONTH", "LAST_7_DAYS", "LAST_30_DAYS"] as const;
export type Period = (typeof PERIODS)[number];

/** The longest range a report accepts (two years and a day, so two calendar years fit). */
export const MAX_RANGE_DAYS = 732;

export interface RangeInput {
  period?: unknown;
  /** Inclusive: a date (shop midnight) or an ISO date-time (with Z/offset, else shop time). */
  from?: unknown;
  /** Exclusive, same forms: from 2026-11-01 to 2026-12-01 is all of November. */
  to?: unknown;
}

export interface ReportRange {
  from: Date;
  to: Date;
  timeZone: string;
  /** The bounds as shop wall-clock time, e.g. 2026-11-01T00:00:00. */
  fromLocal: string;
  toLocal: string;
  period: Period | null;
  /**
   * The shop days [from, to) to read from the report rollups, or null when the
   * raw rows must answer: a bound that is not a shop midnight, rollups kept in
   * another time zone, or STORELITE_REPORT_ROLLUPS=false.
   */
  rollupDays: { from: string; to: string } | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/** Whether reports may read the rollups (STORELITE_REPORT_ROLLUPS=false, checked by env.ts at start, makes every report read the raw rows). */
export const rollupsOn = () => !/^(false|0|no)$/.test(process.env.STORELITE_REPORT_ROLLUPS ?? "");

/** Today's date on the shop's calendar, YYYY-MM-DD. */
export function shopDate(timeZone: string, at = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

const toUtcDay = (date: string) => {
  const [, y, m, d] = DATE.exec(date)!.map(Number) as [number, number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
};
const fmt = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (date: string, n: number) => fmt(new Date(toUtcDay(date).getTime() + n * 86_400_000));
const monthStart = (date: string, monthsAhead = 0) => {
  const d = toUtcDay(date);
  return fmt(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthsAhead, 1)));
};

/** A preset as shop dates [from, to). */
export function periodDates(period: Period, today: string): [string, string] {
  const monday = addDays(today, -((toUtcDay(today).getUTCDay() + 6) % 7));
  switch (period) {
    case "TODAY":
      return [today, addDays(today, 1)];
    case "YESTERDAY":
      return [addDays(today, -1), today];
    case "THIS_WEEK":
      return [monday, addDays(monday, 7)];
    case "LAST_WEEK":
      return [addDays(monday, -7), monday];
    case "THIS_MONTH":
      return [monthStart(today), monthStart(today, 1)];
    case "LAST_MONTH":
      return [monthStart(today, -1), monthStart(today)];
    case "LAST_7_DAYS":
      return [addDays(today, -6), addDays(today, 1)];
    case "LAST_30_DAYS":
      return [addDays(today, -29), addDays(today, 1)];
  }
}

function checkBound(value: unknown, path: string, p: Problems): string | undefined {
  if (value === undefined || value === null || value === "") {
    p.add([path], "is required (a date such as 2026-11-01, or give a period)", "REQUIRED");
    return undefined;
  }
  const text = typeof value === "string" ? value.trim() : value instanceof Date ? value.toISOString() : "";
  const m = DATE.exec(text);
  const realDay = m && fmt(toUtcDay(text)) === text; // no 2026-02-31
  if ((m && realDay) || (!m && DATE_TIME.test(text) && !Number.isNaN(new Date(text.replace(/(T\d{2}:\d{2})$/, "$1:00")).getTime()))) return text;
  p.add([path], "must be a date (2026-11-25) or an ISO date-time (2026-11-25T09:30:00Z)", "INVALID_DATE");
  return undefined;
}

/** Validates and resolves a report's range; refuses to ≤ from and ranges over maxDays. */
export async function resolveRange(ctx: ServiceContext, input: RangeInput, maxDays = MAX_RANGE_DAYS): Promise<ReportRange> {
  const timeZone = await shopTimeZone(ctx);
  const p = new Problems();
  let from: string | undefined;
  let to: string | undefined;
  let period: Period | null = null;
  if (input.period != null) {
    if (!PERIODS.includes(input.period as Period)) p.add(["period"], `must be one of ${PERIODS.join(", ")}`, "INVALID_VALUE");
    else if (input.from != null || input.to != null) p.add(["period"], "give either a period or from/to, not both", "CONFLICT");
    else {
      period = input.period as Period;
      [from, to] = periodDates(period, shopDate(timeZone));
    }
  } else {
    from = checkBound(input.from, "from", p);
    to = checkBound(input.to, "to", p);
  }
  p.throwIfAny();

  // PostgreSQL turns shop wall-clock times into instants (DST included); a
  // date-time with Z or an offset is already an instant.
  const { rows } = await ctx.db.pool.query<{ from: Date; to: Date; from_local: string; to_local: string; rollup_zone: string | null }>(
    `WITH r AS (
       SELECT CASE WHEN $1 ~ 'T[0-9:.]+(Z|[+-]\\d{2}(:?\\d{2})?)$' THEN $1::timestamptz ELSE $1::timestamp AT TIME ZONE $3 END AS f,
              CASE WHEN $2 ~ 'T[0-9:.]+(Z|[+-]\\d{2}(:?\\d{2})?)$' THEN $2::timestamptz ELSE $2::timestamp AT TIME ZONE $3 END AS t
     )
     SELECT f AS from, t AS to, to_char(f AT TIME ZONE $3, 'YYYY-MM-DD"T"HH24:MI:SS') AS from_local,
            to_char(t AT TIME ZONE $3, 'YYYY-MM-DD"T"HH24:MI:SS') AS to_local,
            (SELECT time_zone FROM report_rollup_state) AS rollup_zone FROM r`,
    [from, to, timeZone],
  );
  const r = rows[0]!;
  if (r.to <= r.from) throw ValidationError.one(["to"], `must be after from (the range is [from, to): to is not included)`, "INVALID_RANGE");
  if (r.to.getTime() - r.from.getTime() > maxDays * 86_400_000 + 3_600_000) {
    throw ValidationError.one(["to"], `the range may span at most ${maxDays} days`, "RANGE_TOO_LONG");
  }
  const midnight = (local: string) => local.endsWith("T00:00:00");
  const rollupDays =
    rollupsOn() && r.rollup_zone === timeZone && midnight(r.from_local) && midnight(r.to_local)
      ? { from: r.from_local.slice(0, 10), to: r.to_local.slice(0, 10) }
      : null;
  return { from: r.from, to: r.to, timeZone, fromLocal: r.from_local, toLocal: r.to_local, period, rollupDays };
}

/**
 * Whole months inside shop days [from, to) (read from the rollups' month rows)
 * and the days around them (read from day rows): [from, monthsFrom) and
 * [monthsTo, to). No whole month: monthsFrom = monthsTo = to.
 */
export function splitMonths(from: string, to: string): { monthsFrom: string; monthsTo: string } {
  const first = from.endsWith("-01") ? from : monthStart(from, 1);
  const last = monthStart(to);
  return first < last ? { monthsFrom: first, monthsTo: last } : { monthsFrom: to, monthsTo: to };
}

/** The item rollups' parameters $1–$4 for shop days [from, to): the days and the whole months among them. */
export function bucketParams(days: { from: string; to: string }): [string, string, string, string] {
  const { monthsFrom, monthsTo } = splitMonths(days.from, days.to);
  return [days.from, days.to, monthsFrom, monthsTo];
}

/** Whole days from shop date a to shop date b. */
const daysBetween = (a: string, b: string) => Math.round((toUtcDay(b).getTime() - toUtcDay(a).getTime()) / 86_400_000);

/** Day rows [from, to) counted with sign (+1 or -1). */
export interface SignedDays {
  from: string;
  to: string;
  sign: 1 | -1;
}

/** The cumulative item totals' boundaries: these days of every month (report_prefix_boundary_after in SQL). */
const BOUNDARY_DAYS = [1, 8, 15, 22];

/** The boundaries either side of a shop date (the same twice when it is one). */
function boundariesAround(date: string): [string, string] {
  const day = toUtcDay(date).getUTCDate();
  const at = (d: number) => `${date.slice(0, 8)}${String(d).padStart(2, "0")}`;
  const below = BOUNDARY_DAYS.filter((d) => d <= day).at(-1)!;
  const above = BOUNDARY_DAYS.find((d) => d > day);
  return below === day ? [date, date] : [at(below), above ? at(above) : monthStart(date, 1)];
}

/**
 * Shop days [from, to) as the difference of two boundaries of the cumulative
 * item totals (report_item_prefix) corrected by day rows: each bound is taken
 * to its nearer boundary, adding the days before it or taking away the days
 * after (at most 5). Returns null when that reads more rows than the month and
 * day rows themselves (short ranges): a boundary costs about a month row per
 * item, a day row about a fifth of one (a busy shop sells a fifth of its items a day).
 */
export function prefixBounds(days: { from: string; to: string }): { boundaryFrom: string; boundaryTo: string; low: SignedDays; high: SignedDays } | null {
  const DAY = 0.2;
  const near = (x: string) => {
    const [below, above] = boundariesAround(x);
    return daysBetween(below, x) <= daysBetween(x, above) ? { at: below, days: daysBetween(below, x) } : { at: above, days: daysBetween(x, above) };
  };
  const lo = near(days.from);
  const hi = near(days.to);
  if (lo.at > hi.at) return null;
  const { monthsFrom, monthsTo } = splitMonths(days.from, days.to);
  const direct =
    monthsFrom < monthsTo ? daysBetween(monthsFrom, monthsTo) / 30 + DAY * (daysBetween(days.from, monthsFrom) + daysBetween(monthsTo, days.to)) : DAY * daysBetween(days.from, days.to);
  if (2 + DAY * (lo.days + hi.days) >= direct) return null;
  // The total is prefix(to) - prefix(from); a bound's prefix is its boundary's plus the days up to it, or the next boundary's less the days from it.
  const side = (x: string, b: string, sign: 1 | -1): SignedDays => (x <= b ? { from: x, to: b, sign: (-sign) as 1 | -1 } : { from: b, to: x, sign });
  return { boundaryFrom: lo.at, boundaryTo: hi.at, low: side(days.from, lo.at, -1), high: side(days.to, hi.at, 1) };
}
