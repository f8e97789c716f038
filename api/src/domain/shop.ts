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
