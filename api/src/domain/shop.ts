// The shop's own settings that reports and alerts depend on. Today they come
// from the environment; when shop settings move to a stores row, only this
// file changes (every caller already passes the request context).
import { isTimeZone, machineTimeZone } from "../env.ts";
import type { ServiceContext } from "./context.ts";

/**
 * The shop's IANA time zone: "today", report days and the daily digest are in
 * it. STORELITE_TIME_ZONE (checked at start-up by env.ts), else the machine's.
 */
export async function shopTimeZone(_ctx: ServiceContext): Promise<string> {
  const configured = process.env.STORELITE_TIME_ZONE?.trim();
  return configured && isTimeZone(configured) ? configured : machineTimeZone();
}
