// Catalogue import: a dry run reads the file (streamed, in batches) and records
// for every row what would happen — create / update / unchanged / skip / error —
// with a field-by-field diff, errors naming row, column, value and problem, and
// warnings for suspicious values. Nothing in the catalogue changes until apply,
// which writes the job in one transaction (stock as COUNT ledger rows that
// reference it) and keeps each item's before/after so undo can revert exactly.
import { createHash } from "node:crypto";
import type pg from "pg";
import { inTransaction } from "../db/database.ts";
import { actorName, authorize } from "./access.ts";
import {
  CATALOG_COLUMNS,
  CellError,
  SNAPSHOT_SQL,
  WRITABLE_COLUMNS,
  columnByField,
  columnForHeader,
  normalizeHeader,
  type CatalogColumn,
  type CellValue,
} from "./catalog-columns.ts";
import { ImportFileError, openCsv, type Delimiter, type ImportSource, DELIMITERS } from "./catalog-csv.ts";
import type { ServiceContext } from "./context.ts";
import { DomainError, NotFoundError, Problems } from "./errors.ts";
import { Decimal } from "./money.ts";
import { insertItemChanges } from "./items.ts";
import { parseId } from "./text.ts";

export { ImportFileError, type ImportSource } from "./catalog-csv.ts";

export const IMPORT_MODES = ["create_only", "update_only", "upsert"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const EMPTY_CELL_POLICIES = ["keep", "clear"] as const;
export type EmptyCells = (typeof EMPTY_CELL_POLICIES)[number];

export interface ImportOptions {
  fileName?: string | null;
  /** Default upsert: create new items and update existing ones. */
  mode?: unknown;
  /** Match rows without an id or SKU to an item with exactly that name (any case). */
  matchByName?: unknown;
  /** keep (default): an empty cell leaves the value as it is; clear: it clears it (or resets it to the default). */
  emptyCells?: unknown;
  /** Numbers are written 12,50. */
  decimalComma?: unknown;
  /** , ; or tab; detected from the header line when not given. */
  delimiter?: unknown;
  /** File header → field (id, sku, name, ...), or "" to ignore that column. Headers not mentioned are matched by name and synonyms. */
  mapping?: Record<string, unknown> | null;
  /** Called after each batch with the rows read so far (for a progress display). */
  onProgress?: (rowsRead: number) => void;
}

export interface ImportLimits {
  maxBytes: number;
  maxRows: number;
}
export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxBytes: 32_000_000, maxRows: 200_000 };

/** The caps from the settings (STORELITE_IMPORT_MAX_BYTES / _ROWS), defaults for what is not given. */
export const importLimits = (env: { STORELITE_IMPORT_MAX_BYTES?: number; STORELITE_IMPORT_MAX_ROWS?: number }): ImportLimits => ({
  maxBytes: env.STORELITE_IMPORT_MAX_BYTES ?? DEFAULT_IMPORT_LIMITS.maxBytes,
  maxRows: env.STORELITE_IMPORT_MAX_ROWS ?? DEFAULT_IMPORT_LIMITS.maxRows,
});

/** Longest cell the importer looks at; longer ones are a row error (no catalogue field is near it). */
const MAX_CELL_CHARS = 1000;
const BATCH = 1000;
/** Namespace of the advisory locks that keep one job from being applied or undone twice at once. */
const LOCK_NS = 1768776801;

export interface RowIssue {
  /** The file's header of the column, null for the row as a whole. */
  column: string | null;
  field: string | null;
  /** The cell as found (cut to 80 characters). */
  value: string | null;
  code: string;
  message: string;
}

export interface ColumnUse {
  header: string;
  /** The field it fills, or null when the column is ignored. */
  field: string | null;
}

export type RowAction = "create" | "update" | "unchanged" | "skip" | "error";
export type FieldDiff = Record<string, { from: CellValue; to: CellValue }>;

export interface ImportJob {
  id: number;
  fileName: string | null;
  fileBytes: number;
  fileHash: string;
  delimiter: string;
  mode: ImportMode;
  matchByName: boolean;
  emptyCells: EmptyCells;
  decimalComma: boolean;
  columns: ColumnUse[];
  status: "dry_run" | "applied" | "partly_undone" | "undone";
  rowsTotal: number;
  rowsDone: number;
  counts: { create: number; update: number; unchanged: number; skip: number; error: number; warning: number };
  createdAt: Date;
  appliedAt: Date | null;
  undoneAt: Date | null;
}

export interface ImportRowResult {
  rowNo: number;
  action: RowAction;
  itemId: number | null;
  label: string | null;
  diff: FieldDiff;
  errors: RowIssue[];
  warnings: RowIssue[];
  undone: boolean;
}

// ---- typed failures ------------------------------------------------------------------

/** The job is not in a state that allows this (applied twice, undo before apply...). */
export class ImportStateError extends DomainError {
  readonly code = "IMPORT_STATE";
  constructor(
    readonly jobId: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

/** All-or-nothing apply refused: some rows have errors. */
export class ImportHasErrorsError extends DomainError {
  readonly code = "IMPORT_HAS_ERRORS";
  constructor(
    readonly jobId: number,
    readonly errorRows: number,
    readonly firstErrors: string[],
  ) {
    super(
      `Import ${jobId} has ${errorRows} row${errorRows === 1 ? "" : "s"} with errors, so nothing was applied (fix the file and run it again, or apply skipping the error rows). ${firstErrors.join("; ")}`,
    );
  }
}

/** Something changed since the dry run that makes the job impossible as planned; nothing was applied. */
export class ImportStaleError extends DomainError {
  readonly code = "IMPORT_STALE";
  constructor(
    readonly jobId: number,
    message: string,
  ) {
    super(message);
  }
}

export interface UndoConflict {
  itemId: number;
  itemName: string | null;
  rowNo: number;
  /** What changed after the import: fields, "stock movements", or "deleted". */
  changed: string[];
}

/** Some of the job's items changed after it; nothing was undone. `undoable` rows could still be reverted with partial. */
export class UndoConflictError extends DomainError {
  readonly code = "UNDO_CONFLICT";
  constructor(
    readonly jobId: number,
    readonly conflicts: UndoConflict[],
    readonly conflictCount: number,
    readonly undoable: number,
  ) {
    const list = conflicts
      .slice(0, 5)
      .map((c) => `${c.itemName ?? "item"} (item ${c.itemId}, row ${c.rowNo}): ${c.changed.join(", ")} changed`)
      .join("; ");
    super(
      `${conflictCount} item${conflictCount === 1 ? "" : "s"} of import ${jobId} changed after it, so nothing was undone: ${list}${conflictCount > 5 ? "; ..." : ""}. ` +
        `${undoable} other row${undoable === 1 ? "" : "s"} can still be undone (undo with partial to revert those and keep the changed items).`,
    );
  }
}

// ---- options ------------------------------------------------------------------------

interface ResolvedOptions {
  fileName: string | null;
  mode: ImportMode;
  matchByName: boolean;
  emptyCells: EmptyCells;
  decimalComma: boolean;
  delimiter?: Delimiter;
  mapping: Map<string, string | null>;
}

const DELIMITER_NAMES: Record<string, Delimiter> = { ",": ",", ";": ";", "\t": "\t", comma: ",", semicolon: ";", tab: "\t" };

function resolveOptions(o: ImportOptions): ResolvedOptions {
  const p = new Problems();
  const oneOf = <T extends string>(v: unknown, list: readonly T[], path: string, dflt: T): T => {
    if (v === undefined || v === null) return dflt;
    if (typeof v === "string" && (list as readonly string[]).includes(v.toLowerCase().replace(/-/g, "_"))) return v.toLowerCase().replace(/-/g, "_") as T;
    p.add([path], `must be one of ${list.join(", ")}`, "INVALID_VALUE");
    return dflt;
  };
  const bool = (v: unknown, path: string) => {
    if (v === undefined || v === null) return false;
    if (typeof v === "boolean") return v;
    p.add([path], "must be true or false", "INVALID_TYPE");
    return false;
  };
  let delimiter: Delimiter | undefined;
  if (o.delimiter !== undefined && o.delimiter !== null && o.delimiter !== "") {
    delimiter = typeof o.delimiter === "string" ? DELIMITER_NAMES[o.delimiter.toLowerCase()] : undefined;
    if (!delimiter) p.add(["delimiter"], "must be , ; or tab (or comma, semicolon, tab)", "INVALID_VALUE");
  }
  const mapping = new Map<string, string | null>();
  for (const [header, target] of Object.entries(o.mapping ?? {})) {
    const field = typeof target === "string" ? target.trim().toLowerCase() : target;
    if (field === "" || field === null || field === "ignore" || field === "-") mapping.set(header.trim().toLowerCase(), null);
    else if (typeof field === "string" && columnByField.has(field)) mapping.set(header.trim().toLowerCase(), field);
    else p.add(["mapping", header], `must be one of ${CATALOG_COLUMNS.map((c) => c.field).join(", ")} or "" to ignore the column`, "INVALID_VALUE");
  }
  const fileName = typeof o.fileName === "string" ? o.fileName.slice(0, 200) : null;
  const resolved = {
    fileName,
    mode: oneOf(o.mode, IMPORT_MODES, "mode", "upsert"),
    matchByName: bool(o.matchByName, "matchByName"),
    emptyCells: oneOf(o.emptyCells, EMPTY_CELL_POLICIES, "emptyCells", "keep"),
    decimalComma: bool(o.decimalComma, "decimalComma"),
    delimiter,
    mapping,
  };
  p.throwIfAny();
  return resolved;
}

interface BoundColumn {
  index: number;
  header: string;
  column: CatalogColumn;
}

/** Which file column fills which field: the explicit mapping first, then header names and synonyms. */
function bindColumns(header: string[], o: ResolvedOptions): { bound: BoundColumn[]; uses: ColumnUse[] } {
  const known = new Set(header.map((h) => h.toLowerCase()));
  for (const h of o.mapping.keys()) {
    if (!known.has(h)) {
      throw new ImportFileError("MAPPING_UNKNOWN_COLUMN", `The mapping names a column "${h}" that the file does not have (its columns: ${header.map((x) => `"${x}"`).join(", ")})`);
    }
  }
  const bound: BoundColumn[] = [];
  const uses: ColumnUse[] = [];
  header.forEach((h, index) => {
    const mapped = o.mapping.get(h.toLowerCase());
    const column = mapped === undefined ? columnForHeader(h) : mapped === null ? undefined : columnByField.get(mapped);
    uses.push({ header: h, field: column?.field ?? null });
    if (column) bound.push({ index, header: h, column });
  });
  for (const c of CATALOG_COLUMNS) {
    const same = bound.filter((b) => b.column === c);
    if (same.length > 1) {
      throw new ImportFileError(
        "DUPLICATE_COLUMN",
        `Columns ${same.map((b) => `"${b.header}"`).join(" and ")} all mean ${c.field}: map all but one of them to nothing`,
      );
    }
  }
  const has = (f: string) => bound.some((b) => b.column.field === f);
  const list = `(the file's columns: ${header.map((x) => `"${x}"`).join(", ")}; map them with column=field)`;
  if (!has("id") && !has("sku") && !has("name")) {
    throw new ImportFileError("NO_KEY_COLUMN", `No column identifies the items: the file needs an id, sku (code, barcode) or name (item, product) column ${list}`);
  }
  if (o.mode === "create_only" && (!has("name") || !has("unit_price"))) {
    throw new ImportFileError("MISSING_COLUMNS", `Creating items needs a name and a unit_price (price, rate, mrp) column ${list}`);
  }
  return { bound, uses };
}

// ---- dry run ------------------------------------------------------------------------

type Snapshot = Record<string, CellValue>;
const EMPTY = Symbol("empty");

interface ParsedRow {
  rowNo: number;
  values: Map<string, CellValue | typeof EMPTY>;
  errors: RowIssue[];
  warnings: RowIssue[];
}

const show = (cell: string) => (cell.length > 80 ? `${cell.slice(0, 77)}...` : cell);

function parseRow(rowNo: number, cells: string[], width: number, bound: BoundColumn[], o: ResolvedOptions): ParsedRow {
  const row: ParsedRow = { rowNo, values: new Map(), errors: [], warnings: [] };
  if (cells.length !== width) {
    // csv-parse keeps short and long rows (relax_column_count); which cell is which is then unknowable.
    row.errors.push({
      column: null,
      field: null,
      value: null,
      code: "RAGGED_ROW",
      message: `has ${cells.length} cell${cells.length === 1 ? "" : "s"} but the header has ${width}: a delimiter or quote is missing or extra`,
    });
    return row;
  }
  for (const b of bound) {
    const raw = cells[b.index] ?? "";
    if (raw.length > MAX_CELL_CHARS) {
      row.errors.push({ column: b.header, field: b.column.field, value: show(raw), code: "TOO_LONG", message: `is ${raw.length} characters long; no catalogue field holds that much` });
      continue;
    }
    const cell = raw.trim();
    if (!cell) {
      row.values.set(b.column.field, EMPTY);
      continue;
    }
    try {
      row.values.set(b.column.field, b.column.parse(cell, { decimalComma: o.decimalComma }));
    } catch (err) {
      if (!(err instanceof CellError)) throw err;
      row.errors.push({ column: b.header, field: b.column.field, value: show(raw), code: err.code, message: err.message });
    }
  }
  return row;
}

interface Planned {
  rowNo: number;
  action: RowAction;
  itemId: number | null;
  label: string | null;
  data: Record<string, CellValue>;
  diff: FieldDiff;
  errors: RowIssue[];
  warnings: RowIssue[];
}

interface DryRunState {
  o: ResolvedOptions;
  bound: BoundColumn[];
  headerOf: Map<string, string>;
  units: Set<string>;
  /** Item key (item:<id> / sku:<sku>) → the first row that used it and its values' fingerprint. */
  seen: Map<string, { rowNo: number; print: string }>;
}

async function lookup(client: pg.PoolClient, rows: ParsedRow[], o: ResolvedOptions) {
  const ids = new Set<number>();
  const skus = new Set<string>();
  const names = new Set<string>();
  for (const r of rows) {
    const id = r.values.get("id");
    const sku = r.values.get("sku");
    const name = r.values.get("name");
    if (typeof id === "number") ids.add(id);
    if (typeof sku === "string") skus.add(sku);
    if (o.matchByName && typeof name === "string") names.add(name.toLowerCase());
  }
  const byId = new Map<number, Snapshot & { id: number }>();
  const bySku = new Map<string, Snapshot & { id: number }>();
  const byName = new Map<string, (Snapshot & { id: number })[]>();
  type R = { id: number; snap: Snapshot };
  if (ids.size) {
    const { rows: found } = await client.query<R>(`SELECT i.id, ${SNAPSHOT_SQL} AS snap FROM items i WHERE i.id = ANY($1::int[])`, [[...ids]]);
    for (const f of found) byId.set(f.id, { ...f.snap, id: f.id });
  }
  if (skus.size) {
    const { rows: found } = await client.query<R>(`SELECT i.id, ${SNAPSHOT_SQL} AS snap FROM items i WHERE i.sku = ANY($1::text[])`, [[...skus]]);
    for (const f of found) bySku.set(f.snap.sku as string, { ...f.snap, id: f.id });
  }
  if (names.size) {
    const { rows: found } = await client.query<R & { key: string }>(
      `SELECT i.id, lower(i.name) AS key, ${SNAPSHOT_SQL} AS snap FROM items i WHERE lower(i.name) = ANY($1::text[]) ORDER BY i.id`,
      [[...names]],
    );
    for (const f of found) {
      const list = byName.get(f.key) ?? [];
      list.push({ ...f.snap, id: f.id });
      byName.set(f.key, list);
    }
  }
  return { byId, bySku, byName };
}

const same = (a: CellValue, b: CellValue) => a === b || (a === null && b === null);

function plan(r: ParsedRow, found: Awaited<ReturnType<typeof lookup>>, st: DryRunState): Planned {
  const { o } = st;
  const out: Planned = { rowNo: r.rowNo, action: "error", itemId: null, label: null, data: {}, diff: {}, errors: r.errors, warnings: r.warnings };
  const value = (f: string) => r.values.get(f);
  const text = (f: string) => {
    const v = value(f);
    return typeof v === "string" ? v : null;
  };
  out.label = text("sku") ?? text("name");
  if (out.errors.length) return out;
  const issue = (field: string | null, code: string, message: string): RowIssue => {
    const v = field ? value(field) : undefined;
    return {
      column: field ? (st.headerOf.get(field) ?? null) : null,
      field,
      value: v === undefined || v === EMPTY ? null : String(v),
      code,
      message,
    };
  };

  // Which item the row is about: its id, else its SKU, else (optionally) its exact name.
  let item: (Snapshot & { id: number }) | undefined;
  const id = value("id");
  const sku = text("sku");
  if (typeof id === "number") {
    item = found.byId.get(id);
    if (!item) {
      out.errors.push(issue("id", "NOT_FOUND", `no item has id ${id}; leave the id empty to create a new item`));
      return out;
    }
    const owner = sku ? found.bySku.get(sku) : undefined;
    if (owner && owner.id !== item.id) {
      out.errors.push(issue("sku", "DUPLICATE", `SKU ${sku} belongs to item ${owner.id} (${owner.name}), not to item ${item.id}`));
      return out;
    }
  } else if (sku) {
    item = found.bySku.get(sku);
  }
  if (!item && o.matchByName && !(typeof id === "number") && text("name")) {
    const candidates = found.byName.get(text("name")!.toLowerCase()) ?? [];
    // A name match must not steal an item that has another SKU than the row's.
    const usable = candidates.filter((c) => !sku || c.sku === null);
    if (usable.length > 1) {
      out.errors.push(issue("name", "AMBIGUOUS", `${usable.length} items are named "${text("name")}" (ids ${usable.map((c) => c.id).join(", ")}): add an id or SKU column`));
      return out;
    }
    item = usable[0];
  }

  // A second row about the same item: harmless if identical, an error if it says something else.
  const key = item ? `item:${item.id}` : sku ? `sku:${sku}` : null;
  if (key) {
    // A digest, not the values themselves, so the map stays small at 100k rows.
    const print = createHash("sha1")
      .update(JSON.stringify([...r.values].filter(([f]) => f !== "id").map(([f, v]) => [f, v === EMPTY ? "" : v])))
      .digest("base64");
    const first = st.seen.get(key);
    if (first) {
      const what = sku ? `SKU ${sku}` : `item ${item!.id}`;
      if (first.print === print) {
        out.action = "skip";
        out.itemId = item?.id ?? null;
        out.warnings.push(issue(sku ? "sku" : null, "DUPLICATE_ROW", `${what} is also on row ${first.rowNo} with the same values; this row is skipped`));
      } else {
        out.errors.push(issue(sku ? "sku" : null, "DUPLICATE", `${what} is also on row ${first.rowNo} with different values; keep one of the two rows`));
      }
      return out;
    }
    st.seen.set(key, { rowNo: r.rowNo, print });
  }

  if (item && o.mode === "create_only") {
    out.action = "skip";
    out.itemId = item.id;
    out.warnings.push(issue(null, "EXISTS", `item ${item.id} (${item.name}) already exists; create-only mode leaves it as it is`));
    return out;
  }
  if (!item && o.mode === "update_only") {
    out.action = "skip";
    out.warnings.push(issue(null, "NO_MATCH", `no existing item ${sku ? `has SKU ${sku}` : `is named "${text("name") ?? ""}"`}; update-only mode creates nothing`));
    return out;
  }

  const warn = (field: string, code: string, message: string) => out.warnings.push(issue(field, code, message));
  const target = (c: CatalogColumn, current: CellValue | undefined): CellValue | undefined => {
    const v = value(c.field);
    if (v === undefined) return current === undefined ? (c.blank === "required" ? undefined : c.blank) : undefined; // column not in the file
    if (v !== EMPTY) return v;
    if (current !== undefined && o.emptyCells === "keep") return undefined;
    if (c.blank === "required") {
      out.errors.push(
        issue(c.field, "REQUIRED", current === undefined ? `is empty; a new item needs a ${c.field}` : `is empty and cannot be cleared (empty-cell policy "clear"); fill it in or use "keep"`),
      );
      return undefined;
    }
    return c.blank;
  };

  if (!item) {
    for (const c of WRITABLE_COLUMNS) {
      const v = target(c, undefined);
      if (v === undefined) {
        if (c.blank === "required" && !out.errors.some((e) => e.field === c.field)) {
          out.errors.push({ column: null, field: c.field, value: null, code: "REQUIRED", message: `a new item needs a ${c.field}, and the file has no column for it` });
        }
        continue;
      }
      out.data[c.field] = v;
      out.diff[c.field] = { from: null, to: v };
    }
    if (out.errors.length) return out;
    out.action = "create";
  } else {
    out.itemId = item.id;
    for (const c of WRITABLE_COLUMNS) {
      const v = target(c, item[c.field] ?? null);
      if (v === undefined || same(v, item[c.field] ?? null)) continue;
      out.data[c.field] = v;
      out.diff[c.field] = { from: item[c.field] ?? null, to: v };
    }
    if (out.errors.length) return out;
    out.action = Object.keys(out.diff).length ? "update" : "unchanged";
    const before = item.unit_price;
    const after = out.data.unit_price;
    if (typeof before === "string" && typeof after === "string" && !new Decimal(before).isZero()) {
      const change = new Decimal(after).sub(before).abs().div(before);
      if (change.greaterThan(0.5)) warn("unit_price", "PRICE_CHANGE", `price changes by ${change.mul(100).toFixed(0)}% (${before} → ${after})`);
    }
  }
  if (out.data.unit_price !== undefined && new Decimal(out.data.unit_price as string).isZero()) warn("unit_price", "PRICE_ZERO", "price is 0: the item would sell for nothing");
  // Only a unit the file spells out (not the default of a new item) can be a typo.
  const unit = out.data.unit;
  if (typeof unit === "string" && typeof value("unit") === "string" && !st.units.has(unit.toLowerCase())) {
    st.units.add(unit.toLowerCase());
    warn("unit", "NEW_UNIT", `unit "${unit}" is not used by any item yet (check the spelling)`);
  }
  return out;
}

const toJob = (r: Record<string, any>): ImportJob => ({
  id: r.id,
  fileName: r.file_name,
  fileBytes: r.file_bytes,
  fileHash: r.file_hash,
  delimiter: r.delimiter,
  mode: r.mode,
  matchByName: r.match_by_name,
  emptyCells: r.empty_cells,
  decimalComma: r.decimal_comma,
  columns: r.columns,
  status: r.status,
  rowsTotal: r.rows_total,
  rowsDone: r.rows_done,
  counts: { create: r.creates, update: r.updates, unchanged: r.unchanged, skip: r.skips, error: r.errors, warning: r.warnings },
  createdAt: r.created_at,
  appliedAt: r.applied_at,
  undoneAt: r.undone_at,
});

async function insertRows(client: pg.PoolClient, jobId: number, rows: Planned[]) {
  if (!rows.length) return;
  await client.query(
    `INSERT INTO import_rows (job_id, row_no, action, item_id, label, data, diff, errors, warnings)
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::jsonb[], $8::jsonb[], $9::jsonb[])`,
    [
      jobId,
      rows.map((r) => r.rowNo),
      rows.map((r) => r.action),
      rows.map((r) => r.itemId),
      rows.map((r) => r.label),
      rows.map((r) => JSON.stringify(r.data)),
      rows.map((r) => JSON.stringify(r.diff)),
      rows.map((r) => JSON.stringify(r.errors)),
      rows.map((r) => JSON.stringify(r.warnings)),
    ],
  );
}

/**
 * Reads the file and records what importing it would do, without touching the
 * catalogue. A file that cannot be read as a whole (not CSV, too big, bad
 * encoding...) is refused with ImportFileError and leaves no job behind.
 */
export async function dryRunImport(
  ctx: ServiceContext,
  source: ImportSource,
  options: ImportOptions = {},
  limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
): Promise<ImportJob> {
  authorize(ctx, "EDIT_CATALOG");
  const o = resolveOptions(options);
  const file = await openCsv(source, { maxBytes: limits.maxBytes, delimiter: o.delimiter });
  try {
    const { bound, uses } = bindColumns(file.header, o);
    for (const b of bound) if (b.column.permission) authorize(ctx, b.column.permission);
    return await inTransaction(ctx.db.pool, async (client) => {
      const { rows: unitRows } = await client.query<{ u: string }>("SELECT DISTINCT lower(unit) AS u FROM items");
      const st: DryRunState = {
        o,
        bound,
        headerOf: new Map(bound.map((b) => [b.column.field, b.header])),
        units: new Set(unitRows.map((r) => r.u)),
        seen: new Map(),
      };
      const { rows: jobRows } = await client.query<{ id: number }>(
        `INSERT INTO import_jobs (file_name, file_bytes, file_hash, delimiter, mode, match_by_name, empty_cells, decimal_comma, columns, created_by)
         VALUES ($1, 0, '', $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [o.fileName, file.delimiter, o.mode, o.matchByName, o.emptyCells, o.decimalComma, JSON.stringify(uses), actorName(ctx.actor)],
      );
      const jobId = jobRows[0]!.id;
      const counts = { create: 0, update: 0, unchanged: 0, skip: 0, error: 0, warning: 0 };
      let total = 0;
      let batch: ParsedRow[] = [];
      const flush = async () => {
        if (!batch.length) return;
        const found = await lookup(client, batch, o);
        const planned = batch.map((r) => plan(r, found, st));
        for (const p of planned) {
          if (p.errors.length) p.action = "error";
          counts[p.action]++;
          if (p.warnings.length) counts.warning++;
        }
        await insertRows(client, jobId, planned);
        batch = [];
        options.onProgress?.(total);
      };
      for await (const rec of file.records) {
        if (++total > limits.maxRows) {
          throw new ImportFileError("TOO_MANY_ROWS", `The file has more than ${limits.maxRows.toLocaleString("en")} rows, the import limit: split it into smaller files`);
        }
        batch.push(parseRow(rec.rowNo, rec.cells, file.header.length, bound, o));
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      if (!total) throw new ImportFileError("NO_ROWS", "The file has a header row but no items below it");
      const { rows } = await client.query(
        `UPDATE import_jobs SET file_bytes = $2, file_hash = $3, rows_total = $4, creates = $5, updates = $6, unchanged = $7, skips = $8, errors = $9, warnings = $10
         WHERE id = $1 RETURNING *`,
        [jobId, file.bytes(), file.sha256(), total, counts.create, counts.update, counts.unchanged, counts.skip, counts.error, counts.warning],
      );
      return toJob(rows[0]!);
    });
  } finally {
    // Stop reading the rest of the source when refused early.
    await file.records.return(undefined);
  }
}

// ---- reading jobs -------------------------------------------------------------------

async function loadJob(db: pg.Pool | pg.PoolClient, id: number): Promise<ImportJob> {
  const { rows } = await db.query("SELECT * FROM import_jobs WHERE id = $1", [id]);
  if (!rows[0]) throw new NotFoundError("Import", id);
  return toJob(rows[0]);
}

export async function getImportJob(ctx: ServiceContext, id: unknown): Promise<ImportJob> {
  authorize(ctx, "EDIT_CATALOG");
  return loadJob(ctx.db.pool, parseId(id, ["id"]));
}

export interface ListImportRowsInput {
  /** Only rows with one of these actions. */
  actions?: RowAction[] | null;
  /** Only rows with warnings. */
  warningsOnly?: boolean | null;
  /** Rows after this row number. */
  afterRow?: number | null;
  first?: number | null;
}

/** The job's rows in file order, a page at a time. */
export async function listImportRows(ctx: ServiceContext, jobId: unknown, input: ListImportRowsInput = {}): Promise<{ rows: ImportRowResult[]; hasMore: boolean }> {
  authorize(ctx, "EDIT_CATALOG");
  const id = parseId(jobId, ["id"]);
  await loadJob(ctx.db.pool, id);
  const first = Math.min(Math.max(Math.trunc(input.first ?? 100), 1), 1000);
  const params: unknown[] = [id, input.afterRow ?? 0, first + 1];
  const where = ["job_id = $1", "row_no > $2"];
  if (input.actions?.length) where.push(`action = ANY($${params.push(input.actions)}::text[])`);
  if (input.warningsOnly) where.push("jsonb_array_length(warnings) > 0");
  const { rows } = await ctx.db.pool.query(
    `SELECT row_no, action, item_id, label, diff, errors, warnings, undone FROM import_rows WHERE ${where.join(" AND ")} ORDER BY row_no LIMIT $3`,
    params,
  );
  return {
    hasMore: rows.length > first,
    rows: rows.slice(0, first).map((r) => ({
      rowNo: r.row_no,
      action: r.action,
      itemId: r.item_id,
      label: r.label,
      diff: r.diff,
      errors: r.errors,
      warnings: r.warnings,
      undone: r.undone,
    })),
  };
}

/** "Row 5, column "Unit Price" ("12,50"): uses a decimal comma; ..." */
export function describeIssue(rowNo: number, i: RowIssue): string {
  const where = i.column ? `, column "${i.column}"` : "";
  const value = i.value !== null && i.column ? ` (${JSON.stringify(i.value)})` : "";
  return `Row ${rowNo}${where}${value}: ${i.message}`;
}

// ---- apply --------------------------------------------------------------------------

export interface ApplyOptions {
  /** Apply the good rows and leave the error rows out (default: refuse the whole job if any row has an error). */
  skipErrors?: boolean;
  /** Called after each batch with rows written so far and the total to write. */
  onProgress?: (done: number, total: number) => void;
}

const SQL_ARRAY: Record<CatalogColumn["sqlType"], string> = { int: "int[]", text: "text[]", numeric: "numeric[]", boolean: "boolean[]" };

/** Error rows' descriptions for the refusal message (the first few). */
async function firstErrors(db: pg.Pool | pg.PoolClient, jobId: number): Promise<string[]> {
  const { rows } = await db.query<{ row_no: number; errors: RowIssue[] }>(
    `SELECT row_no, errors FROM import_rows WHERE job_id = $1 AND action = 'error' ORDER BY row_no LIMIT 3`,
    [jobId],
  );
  return rows.map((r) => describeIssue(r.row_no, r.errors[0]!));
}

const usesStock = (job: ImportJob) => job.columns.some((c) => c.field && columnByField.get(c.field)?.permission === "ADJUST_STOCK");

/**
 * Writes a dry-run job to the catalogue in one transaction: all of it or
 * nothing. Updates lock their items in ascending id order (as sales do, so the
 * two never deadlock) and are computed against the locked row, so a sale that
 * lands during the import is neither lost nor counted twice; stock becomes a
 * COUNT movement (the difference to the locked stock) that references the job.
 */
export async function applyImport(ctx: ServiceContext, jobId: unknown, options: ApplyOptions = {}): Promise<ImportJob> {
  authorize(ctx, "EDIT_CATALOG");
  const id = parseId(jobId, ["id"]);
  const job = await loadJob(ctx.db.pool, id);
  if (usesStock(job)) authorize(ctx, "ADJUST_STOCK");
  if (job.status !== "dry_run") throw new ImportStateError(id, job.status, `Import ${id} was already applied (status ${job.status}); run a new dry run to import the file again`);
  if (job.counts.error > 0 && !options.skipErrors) throw new ImportHasErrorsError(id, job.counts.error, await firstErrors(ctx.db.pool, id));
  const total = job.counts.create + job.counts.update;

  // Progress goes through the pool (its own connection, committed at once) so
  // other requests can read it while this transaction is still open.
  let done = 0;
  // (A pool of one connection is held by the transaction itself: then only the callback reports.)
  const canReport = (ctx.db.pool.options.max ?? 10) > 1;
  const progress = async (n: number) => {
    done += n;
    options.onProgress?.(done, total);
    if (canReport) await ctx.db.pool.query("UPDATE import_jobs SET rows_done = $2 WHERE id = $1", [id, done]);
  };
  try {
    return await inTransaction(ctx.db.pool, async (client) => {
      const { rows: lock } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1, $2) AS ok", [LOCK_NS, id]);
      if (!lock[0]!.ok) throw new ImportStateError(id, "applying", `Import ${id} is being applied or undone right now`);
      const current = await loadJob(client, id);
      if (current.status !== "dry_run") throw new ImportStateError(id, current.status, `Import ${id} was already applied (status ${current.status})`);
      await progress(0);

      // Updates, in ascending item id across the whole job.
      let after: [number, number] = [0, 0];
      for (;;) {
        const { rows } = await client.query<{ id: number; row_no: number; item_id: number; data: Snapshot }>(
          `SELECT id, row_no, item_id, data FROM import_rows WHERE job_id = $1 AND action = 'update' AND (item_id, id) > ($2, $3)
           ORDER BY item_id, id LIMIT ${BATCH}`,
          [id, after[0], after[1]],
        );
        if (!rows.length) break;
        after = [rows.at(-1)!.item_id, rows.at(-1)!.id];
        await applyUpdates(client, id, rows, ctx);
        await progress(rows.length);
      }
      // Creates, in file order.
      let afterRow = 0;
      for (;;) {
        const { rows } = await client.query<{ id: number; row_no: number; data: Snapshot }>(
          `SELECT id, row_no, data FROM import_rows WHERE job_id = $1 AND action = 'create' AND row_no > $2 ORDER BY row_no LIMIT ${BATCH}`,
          [id, afterRow],
        );
        if (!rows.length) break;
        afterRow = rows.at(-1)!.row_no;
        await applyCreates(client, id, rows);
        await progress(rows.length);
      }
      const { rows } = await client.query(
        `UPDATE import_jobs SET status = 'applied', applied_at = now(), rows_done = $2,
                ledger_mark = (SELECT coalesce(max(id), 0) FROM stock_movements) WHERE id = $1 RETURNING *`,
        [id, total],
      );
      return toJob(rows[0]!);
    });
  } catch (err) {
    await ctx.db.pool.query("UPDATE import_jobs SET rows_done = 0 WHERE id = $1 AND status = 'dry_run'", [id]).catch(() => {});
    const e = err as { code?: string; constraint?: string; detail?: string };
    if (e.code === "23505" && e.constraint === "items_sku_key") {
      const sku = /\(sku\)=\((.*)\)/.exec(e.detail ?? "")?.[1];
      throw new ImportStaleError(id, `SKU ${sku ?? "?"} is now used by another item (it changed since the dry run, or two rows end with the same SKU); nothing was applied: run the dry run again`);
    }
    throw err;
  }
}

async function applyUpdates(client: pg.PoolClient, jobId: number, rows: { id: number; item_id: number; data: Snapshot }[], ctx: ServiceContext) {
  const ids = rows.map((r) => r.item_id);
  const { rows: locked } = await client.query<{ id: number; snap: Snapshot }>(
    `SELECT i.id, ${SNAPSHOT_SQL} AS snap FROM items i WHERE i.id = ANY($1::int[]) ORDER BY i.id FOR UPDATE`,
    [ids],
  );
  const now = new Map(locked.map((l) => [l.id, l.snap]));
  const changed: { rowId: number; itemId: number; next: Snapshot; before: Snapshot }[] = [];
  const unchanged: number[] = [];
  for (const r of rows) {
    const cur = now.get(r.item_id);
    if (!cur) throw new ImportStaleError(jobId, `Item ${r.item_id} no longer exists; nothing was applied: run the dry run again`);
    const next: Snapshot = { ...cur };
    const before: Snapshot = {};
    for (const [f, v] of Object.entries(r.data)) {
      if (!same(cur[f] ?? null, v)) {
        before[f] = cur[f] ?? null;
        next[f] = v;
      }
    }
    if (Object.keys(before).length) changed.push({ rowId: r.id, itemId: r.item_id, next, before });
    else unchanged.push(r.id);
  }
  if (changed.length) {
    const cols = WRITABLE_COLUMNS;
    const { rows: written } = await client.query<{ id: number; snap: Snapshot }>(
      `WITH v AS (SELECT * FROM unnest($1::int[], ${cols.map((c, k) => `$${k + 2}::${SQL_ARRAY[c.sqlType]}`).join(", ")}) AS v(id, ${cols.map((c) => c.sql).join(", ")}))
       UPDATE items i SET ${cols.map((c) => `${c.sql} = v.${c.sql}`).join(", ")}, updated_at = now()
       FROM v WHERE i.id = v.id RETURNING i.id, ${SNAPSHOT_SQL} AS snap`,
      [changed.map((c) => c.itemId), ...cols.map((c) => changed.map((x) => x.next[c.field] ?? null))],
    );
    const snapOf = new Map(written.map((w) => [w.id, w.snap]));
    await recordHistory(client, ctx, jobId, changed.map((c) => ({ itemId: c.itemId, before: c.before, after: snapOf.get(c.itemId)! })));
    const moves = changed.filter((c) => "stock_qty" in c.before);
    await recordCounts(
      client,
      jobId,
      moves.map((m) => ({ itemId: m.itemId, from: m.before.stock_qty as string, to: m.next.stock_qty as string })),
      `Count from import #${jobId}`,
    );
    await saveApplied(
      client,
      changed.map((c) => ({ rowId: c.rowId, itemId: c.itemId, before: c.before, after: snapOf.get(c.itemId)! })),
    );
  }
  // Rows whose item already matches the file: nothing to write, nothing to undo.
  if (unchanged.length) await client.query(`UPDATE import_rows SET before = '{}', after = NULL WHERE id = ANY($1::int[])`, [unchanged]);
}

/** The catalogue's own names for the fields its change history tracks (stock goes to the ledger instead). */
const HISTORY_FIELDS: Record<string, string> = { name: "name", category: "category", unit: "unit", unit_price: "unitPrice", sku: "sku", active: "isActive" };

/** One item_changes row per field the import changed, with who applied it: "who changed the price of sugar?" names the import too. */
async function recordHistory(client: pg.PoolClient, ctx: ServiceContext, jobId: number, changes: { itemId: number; before: Snapshot; after: Snapshot }[]) {
  const rows = changes.flatMap((c) =>
    Object.entries(c.before)
      .filter(([field]) => HISTORY_FIELDS[field])
      .map(([field, before]) => ({ itemId: c.itemId, field: HISTORY_FIELDS[field]!, before: before == null ? null : String(before), after: c.after[field] == null ? null : String(c.after[field]) })),
  );
  await insertItemChanges(client, ctx, rows, `import #${jobId}`);
}

async function applyCreates(client: pg.PoolClient, jobId: number, rows: { id: number; data: Snapshot }[]) {
  const { rows: idRows } = await client.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('items', 'id'))::int AS id FROM generate_series(1, $1)`, [rows.length]);
  const ids = idRows.map((r) => r.id);
  const cols = WRITABLE_COLUMNS;
  const { rows: written } = await client.query<{ id: number; snap: Snapshot }>(
    `INSERT INTO items AS i (id, ${cols.map((c) => c.sql).join(", ")})
     SELECT * FROM unnest($1::int[], ${cols.map((c, k) => `$${k + 2}::${SQL_ARRAY[c.sqlType]}`).join(", ")})
     RETURNING i.id, ${SNAPSHOT_SQL} AS snap`,
    [ids, ...cols.map((c) => rows.map((r) => r.data[c.field] ?? (c.blank === "required" ? null : c.blank)))],
  );
  const snapOf = new Map(written.map((w) => [w.id, w.snap]));
  await recordCounts(
    client,
    jobId,
    ids.map((itemId) => ({ itemId, from: "0", to: snapOf.get(itemId)!.stock_qty as string })).filter((m) => !new Decimal(m.to).isZero()),
    `Opening count from import #${jobId}`,
  );
  await saveApplied(
    client,
    rows.map((r, k) => ({ rowId: r.id, itemId: ids[k]!, before: null, after: snapOf.get(ids[k]!)! })),
  );
}

/** COUNT ledger rows (stock set from → to) that reference the import. */
async function recordCounts(client: pg.PoolClient, jobId: number, moves: { itemId: number; from: string; to: string }[], note: string) {
  if (!moves.length) return;
  await client.query(
    `INSERT INTO stock_movements (item_id, quantity, stock_after, reason, note, import_job_id)
     SELECT m.item_id, m.to_qty - m.from_qty, m.to_qty, 'count', $4, $5 FROM unnest($1::int[], $2::numeric[], $3::numeric[]) AS m(item_id, from_qty, to_qty)`,
    [moves.map((m) => m.itemId), moves.map((m) => m.from), moves.map((m) => m.to), note, jobId],
  );
}

async function saveApplied(client: pg.PoolClient, rows: { rowId: number; itemId: number; before: Snapshot | null; after: Snapshot }[]) {
  await client.query(
    `UPDATE import_rows r SET item_id = v.item_id, before = v.before, after = v.after
     FROM unnest($1::int[], $2::int[], $3::jsonb[], $4::jsonb[]) AS v(id, item_id, before, after) WHERE r.id = v.id`,
    [rows.map((r) => r.rowId), rows.map((r) => r.itemId), rows.map((r) => (r.before ? JSON.stringify(r.before) : null)), rows.map((r) => JSON.stringify(r.after))],
  );
}

// ---- undo ---------------------------------------------------------------------------

export interface UndoOptions {
  /** Revert what can be reverted and leave the items that changed since as they are. */
  partial?: boolean;
}

export interface UndoResult {
  job: ImportJob;
  /** Rows reverted now. */
  undone: number;
  /** Items left as they are because they changed after the import. */
  kept: UndoConflict[];
  keptCount: number;
}

/**
 * Reverts an applied job exactly: updated items get their old values back
 * (stock by a COUNT movement referencing the job), created items are removed.
 * An item that changed after the import (any field differs from what the
 * import wrote, or it has later stock movements such as a sale) is a conflict:
 * without `partial` nothing is undone and the conflicts are reported.
 */
export async function undoImport(ctx: ServiceContext, jobId: unknown, options: UndoOptions = {}): Promise<UndoResult> {
  authorize(ctx, "EDIT_CATALOG");
  const id = parseId(jobId, ["id"]);
  const job = await loadJob(ctx.db.pool, id);
  if (usesStock(job)) authorize(ctx, "ADJUST_STOCK");
  if (job.status !== "applied" && job.status !== "partly_undone") {
    throw new ImportStateError(id, job.status, job.status === "undone" ? `Import ${id} was already undone` : `Import ${id} was never applied, so there is nothing to undo`);
  }
  return inTransaction(ctx.db.pool, (client) => revert(client, id, options)).catch((err: { code?: string; constraint?: string; detail?: string }) => {
    if (err.code === "23505" && err.constraint === "items_sku_key") {
      const sku = /\(sku\)=\((.*)\)/.exec(err.detail ?? "")?.[1];
      throw new ImportStaleError(id, `SKU ${sku ?? "?"}, which the undo would give back, is now used by another item; nothing was undone`);
    }
    throw err;
  });
}

async function revert(client: pg.PoolClient, id: number, options: UndoOptions): Promise<UndoResult> {
  const { rows: lock } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1, $2) AS ok", [LOCK_NS, id]);
  if (!lock[0]!.ok) throw new ImportStateError(id, "applying", `Import ${id} is being applied or undone right now`);
  const fresh = await loadJob(client, id);
  if (fresh.status !== "applied" && fresh.status !== "partly_undone") throw new ImportStateError(id, fresh.status, `Import ${id} was already undone`);

  // Lock every item the job wrote (ascending id, like sales), then compare it with what the import left.
  await client.query(
    `SELECT i.id FROM items i WHERE i.id IN (SELECT item_id FROM import_rows WHERE job_id = $1 AND after IS NOT NULL AND NOT undone) ORDER BY i.id FOR UPDATE`,
    [id],
  );
  const conflictSql = `
    FROM import_rows r LEFT JOIN items i ON i.id = r.item_id
    WHERE r.job_id = $1 AND r.after IS NOT NULL AND NOT r.undone
      AND (i.id IS NULL OR ${SNAPSHOT_SQL} IS DISTINCT FROM r.after
           OR EXISTS (SELECT 1 FROM stock_movements m WHERE m.item_id = r.item_id AND m.id > $2))`;
  const mark = (await client.query<{ m: number | null }>("SELECT ledger_mark AS m FROM import_jobs WHERE id = $1", [id])).rows[0]!.m ?? 0;
  const { rows: conflictRows } = await client.query<{ item_id: number; row_no: number; after: Snapshot; snap: Snapshot | null; moved: boolean }>(
    `SELECT r.item_id, r.row_no, r.after, CASE WHEN i.id IS NULL THEN NULL ELSE ${SNAPSHOT_SQL} END AS snap,
            EXISTS (SELECT 1 FROM stock_movements m WHERE m.item_id = r.item_id AND m.id > $2) AS moved
     ${conflictSql} ORDER BY r.row_no LIMIT 100`,
    [id, mark],
  );
  const { rows: conflictIds } = await client.query<{ id: number }>(`SELECT r.id ${conflictSql}`, [id, mark]);
  const conflictCount = conflictIds.length;
  const conflicts: UndoConflict[] = conflictRows.map((c) => {
    const changed = c.snap ? WRITABLE_COLUMNS.filter((col) => !same(c.snap![col.field] ?? null, c.after[col.field] ?? null)).map((col) => col.field) : ["deleted"];
    if (c.moved) changed.push("stock movements");
    return { itemId: c.item_id, itemName: (c.snap?.name ?? c.after.name ?? null) as string | null, rowNo: c.row_no, changed: [...new Set(changed)] };
  });

  // The rows to revert: everything the job wrote minus the conflicts.
  const { rows: todo } = await client.query<{ id: number; item_id: number; before: Snapshot | null }>(
    `SELECT r.id, r.item_id, r.before FROM import_rows r WHERE r.job_id = $1 AND r.after IS NOT NULL AND NOT r.undone AND NOT (r.id = ANY($2::int[]))
     ORDER BY r.item_id`,
    [id, conflictIds.map((c) => c.id)],
  );
  if (conflictCount > 0 && !options.partial) throw new UndoConflictError(id, conflicts, conflictCount, todo.length);
  for (let k = 0; k < todo.length; k += BATCH) {
    const chunk = todo.slice(k, k + BATCH);
    const created = chunk.filter((r) => r.before === null).map((r) => r.item_id);
    const updated = chunk.filter((r) => r.before !== null);
    if (created.length) {
      // Items the import created and nobody touched since: their import count is their only movement.
      await client.query("DELETE FROM stock_movements WHERE item_id = ANY($1::int[]) AND import_job_id = $2", [created, id]);
      // A low stock count in the file raised an alert for the new item (the stock trigger): it goes with the item.
      await client.query("DELETE FROM stock_alerts WHERE item_id = ANY($1::int[])", [created]);
      await client.query("DELETE FROM items WHERE id = ANY($1::int[])", [created]);
    }
    if (updated.length) {
      const cols = WRITABLE_COLUMNS;
      const { rows: stockNow } = await client.query<{ id: number; stock: string }>(
        "SELECT id, stock_qty::text AS stock FROM items WHERE id = ANY($1::int[])",
        [updated.map((u) => u.item_id)],
      );
      const stockOf = new Map(stockNow.map((s) => [s.id, s.stock]));
      await client.query(
        `UPDATE items i SET ${cols
          .map((c) => `${c.sql} = CASE WHEN v.before ? '${c.field}' THEN (v.before->>'${c.field}')::${c.sqlType === "int" ? "int" : c.sqlType} ELSE i.${c.sql} END`)
          .join(", ")}, updated_at = now()
         FROM unnest($1::int[], $2::jsonb[]) AS v(id, before) WHERE i.id = v.id`,
        [updated.map((u) => u.item_id), updated.map((u) => JSON.stringify(u.before))],
      );
      await recordCounts(
        client,
        id,
        updated.filter((u) => u.before && "stock_qty" in u.before).map((u) => ({ itemId: u.item_id, from: stockOf.get(u.item_id)!, to: u.before!.stock_qty as string })),
        `Undo of import #${id}`,
      );
    }
    await client.query("UPDATE import_rows SET undone = true WHERE id = ANY($1::int[])", [chunk.map((r) => r.id)]);
  }
  const { rows } = await client.query(
    `UPDATE import_jobs SET status = CASE WHEN EXISTS (SELECT 1 FROM import_rows WHERE job_id = $1 AND after IS NOT NULL AND NOT undone) THEN 'partly_undone' ELSE 'undone' END,
            undone_at = now() WHERE id = $1 RETURNING *`,
    [id],
  );
  return { job: toJob(rows[0]!), undone: todo.length, kept: conflicts, keptCount: conflictCount };
}

export { DELIMITERS };
