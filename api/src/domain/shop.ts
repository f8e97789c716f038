// The shop's own settings that reports and alerts depend on: the time zone of
// the shop's settings row (stores.time_zone, edited on /settings), unless
// STORELITE_TIME_ZONE overrides it for this process.
import { isTimeZone } from "../env.ts";
import type { ServiceContext } from "./context.ts";
import { loadShopSettings } from "./settings.ts";

/**
 * The shop's IANA time zone: "today", report days and the daily digest are in
 * it. STORELITE_TIME_ZONE (checked at start-up by env.ts) when set, else the
 * shop settings' time zone.
 */
export async function shopTimeZone(ctx: Pick<ServiceContext, "db"> & Partial<ServiceContext>): Promise<string> {
  const configured = process.env.STORELITE_TIME_ZONE?.trim();
  if (configured && isTimeZone(configured)) return configured;
  return (await loadShopSettings(ctx.db.pool)).timeZone;
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** How far the time zone's wall clock is ahead of UTC at an instant, in ms. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) - Math.floor(at / 1000) * 1000;
}

/**
 * A wall-clock time in the shop ("2026-11-25" = its midnight, or
 * "2026-11-25T09:30") as an instant, the way PostgreSQL's `AT TIME ZONE`
 * reads it; undefined for text of another form or a day that does not exist (2026-02-31).
 */
export function shopWallClockInstant(text: string, timeZone: string, addDays = 0): Date | undefined {
  const m = WALL_CLOCK.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const ms = Number((m[7] ?? "0").padEnd(3, "0"));
  const check = new Date(Date.UTC(y!, mo! - 1, d!));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d || h! > 23 || mi! > 59 || s! > 59) return undefined;
  const wall = Date.UTC(y!, mo! - 1, d! + addDays, h, mi, s, ms);
  // The offsets in force a day either side (no zone changes its clock twice in two days): the
  // instant is the wall time minus one of them, the one that reads back as this wall time.
  const DAY = 86_400_000;
  const candidates = [...new Set([zoneOffset(wall - DAY, timeZone), zoneOffset(wall + DAY, timeZone)])].map((offset) => ({ at: wall - offset, offset }));
  const consistent = candidates.filter((c) => zoneOffset(c.at, timeZone) === c.offset);
  // Twice (the hour repeated when clocks go back): the later, standard-time one; never (the hour
  // skipped when they go forward): the instant just after the gap. Both as PostgreSQL does.
  return new Date(Math.max(...(consistent.length ? consistent : candidates).map((c) => c.at)));
}

/** Midnight starting today on the shop's calendar. */
export function startOfShopDay(timeZone: string, at = new Date()): Date {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  return shopWallClockInstant(today, timeZone)!;
}
