// Cursor pagination shared by every list: opaque cursors that encode the sort
// key of the last row, so pages stay stable and fast however deep you go.
import { ValidationError } from "./errors.ts";

export interface Page<T> {
  nodes: T[];
  /** Cursor of each node, same order. */
  cursors: string[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export function parseFirst(first: unknown): number {
  if (first === undefined || first === null) return DEFAULT_PAGE;
  if (typeof first !== "number" || !Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw ValidationError.one(["first"], `must be a whole number from 1 to ${MAX_PAGE}`, "INVALID_PAGE_SIZE");
  }
  return first;
}

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** Decodes a cursor and checks its shape with `valid`; a tampered cursor is a validation error. */
export function decodeCursor<T extends unknown[]>(cursor: unknown, valid: (key: unknown[]) => key is T): T | undefined {
  if (cursor === undefined || cursor === null || cursor === "") return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(String(cursor), "base64url").toString("utf8"));
    if (Array.isArray(key) && valid(key)) return key;
  } catch {
    // fall through
  }
  throw ValidationError.one(["after"], "is not a cursor this list gave out", "INVALID_CURSOR");
}

/** Builds a page from up to first+1 rows fetched in order. */
export function toPage<T>(rows: T[], first: number, keyOf: (row: T) => unknown[]): Page<T> {
  const nodes = rows.slice(0, first);
  const cursors = nodes.map((n) => encodeCursor(keyOf(n)));
  return { nodes, cursors, hasNextPage: rows.length > first, endCursor: cursors.at(-1) ?? null };
}
