// Small React helpers shared by the screens.
import { useEffect, useState } from "react";
import type { FieldErrorFieldsFragment } from "../gql/graphql.ts";

/** The value, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** A ValidationError's fieldErrors by input field name (the last path element). */
export function fieldErrorMap(error: FieldErrorFieldsFragment | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const fe of error?.fieldErrors ?? []) {
    const field = fe.path[fe.path.length - 1] ?? "";
    out[field] = out[field] ? `${out[field]}; ${fe.message}` : fe.message;
  }
  return out;
}

export const DEFAULT_CATEGORIES = ["Grocery", "Utilities", "Beauty", "Garments", "Other"] as const;
export const COMMON_UNITS = ["piece", "kg", "g", "liter", "ml", "pack", "dozen", "meter"] as const;

/** Default categories first, then any other category in use, A–Z. */
export function categoryOptions(inUse: readonly string[], current?: string): string[] {
  const extra = [...inUse, ...(current ? [current] : [])].filter((c) => !(DEFAULT_CATEGORIES as readonly string[]).includes(c));
  return [...DEFAULT_CATEGORIES, ...[...new Set(extra)].sort((a, b) => a.localeCompare(b))];
}

/** A date and time on the shop's clock (its time zone), wherever the browser is; the browser's own zone when none is known. */
export function formatDateTime(iso: string, timeZone?: string | null): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
  try {
    return new Date(iso).toLocaleString(undefined, { ...options, timeZone: timeZone ?? undefined });
  } catch {
    return new Date(iso).toLocaleString(undefined, options); // a zone this browser does not know
  }
}
