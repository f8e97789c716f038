// The catalogue's spreadsheet columns, declared once: export writes them, the
// importer recognises their headers (and synonyms), parses their cells and
// writes them to `items`. Adding a column (tax rate, reorder point, cost) is
// one more entry in CATALOG_COLUMNS.
import type { Permission } from "./access.ts";
import { ValidationError } from "./errors.ts";
import { PRICE, STOCK, parseDecimal, type DecimalRule } from "./money.ts";
import { CATEGORY, ITEM_NAME, SKU, UNIT, parseId, parseText, type TextRule } from "./text.ts";

/** A cell's value in the form it is stored, compared and shown: decimals as fixed-point text. */
export type CellValue = string | boolean | number | null;

export interface CellOptions {
  /** "12,50" means 12.50 (and "." is then never a decimal point). */
  decimalComma: boolean;
}

/** A cell the importer cannot use; becomes a row-level error naming the column. */
export class CellError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CatalogColumn {
  /** The header StoreLite writes, and the field name used in diffs and mappings. */
  field: string;
  /** Other headers meaning the same (compared after normalizeHeader). */
  synonyms: string[];
  /** Column of `items` and its SQL type (for unnest arrays and casts). */
  sql: string;
  sqlType: "int" | "text" | "numeric" | "boolean";
  /** Text cells are neutralised against formula injection on export; numbers are not. */
  kind: "id" | "text" | "number" | "boolean";
  parse(cell: string, opts: CellOptions): CellValue;
  /** Value of an empty cell for a new item, and under the "clear" policy; "required" when there is none. */
  blank: CellValue | "required";
  /** A further permission needed to import this column. */
  permission?: Permission;
}

// Why a single quote: it is what OWASP recommends and what spreadsheets show as
// "text"; the importer strips it again when it precedes one of these characters.
export const FORMULA_START = /^[=+\-@\t\r]/;
// Quotes already in front of such a character get one more, so a name that
// really starts with "'=" survives the round trip too.
const NEEDS_QUOTE = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

/** A text cell as stored: the leading ' that neutralised a formula character is removed; a real formula is refused. */
function textCell(rule: TextRule) {
  return (cell: string): CellValue => {
    if (cell.startsWith("=")) {
      throw new CellError("FORMULA", "is a spreadsheet formula; export the values (copy, paste as values) and import again");
    }
    const text = NEUTRALISED.test(cell) ? cell.slice(1) : cell;
    try {
      return parseText(text, [], rule);
    } catch (err) {
      if (err instanceof ValidationError) throw new CellError(err.fieldErrors[0]!.code, err.fieldErrors[0]!.message);
      throw err;
    }
  };
}

/** A decimal cell: plain digits with one decimal separator, never a thousands separator or a currency. */
function decimalCell(rule: DecimalRule) {
  return (cell: string, opts: CellOptions): CellValue => {
    let text = cell.replace(/\s+/g, "");
    if (opts.decimalComma) {
      if (/^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$/.test(text)) {
        throw new CellError("THOUSANDS_SEPARATOR", "has a thousands separator (.); write the number without it");
      }
      if (text.includes(".")) throw new CellError("INVALID_NUMBER", "has a '.' but the file uses a decimal comma");
      text = text.replace(",", ".");
    } else {
      if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) {
        throw new CellError("THOUSANDS_SEPARATOR", "has a thousands separator (,); write the number without it, e.g. 1234.50");
      }
      if (/^[+-]?\d+,\d+$/.test(text)) {
        throw new CellError("DECIMAL_COMMA", "uses a decimal comma; turn on the decimal comma option or write it with a '.'");
      }
    }
    try {
      return parseDecimal(text, [], rule).toFixed(rule.places);
    } catch (err) {
      if (err instanceof ValidationError) throw new CellError(err.fieldErrors[0]!.code, err.fieldErrors[0]!.message);
      throw err;
    }
  };
}

const TRUE = new Set(["true", "yes", "y", "1", "active", "on"]);
const FALSE = new Set(["false", "no", "n", "0", "inactive", "off"]);

export const CATALOG_COLUMNS: readonly CatalogColumn[] = [
  {
    field: "id",
    synonyms: ["storelite id"],
    sql: "id",
    sqlType: "int",
    kind: "id",
    blank: null,
    parse: (cell) => {
      try {
        return parseId(cell, []);
      } catch {
        throw new CellError("INVALID_ID", "must be a StoreLite item id (a whole number), or empty for a new item");
      }
    },
  },
  {
    field: "sku",
    synonyms: ["code", "barcode", "bar code", "item code", "product code", "item number", "upc", "ean", "reference", "ref"],
    sql: "sku",
    sqlType: "text",
    kind: "text",
    blank: null,
    parse: textCell(SKU),
  },
  {
    field: "name",
    synonyms: ["item", "item name", "product", "product name", "title"],
    sql: "name",
    sqlType: "text",
    kind: "text",
    blank: "required",
    parse: textCell(ITEM_NAME),
  },
  {
    field: "category",
    synonyms: ["category name", "department", "group"],
    sql: "category",
    sqlType: "text",
    kind: "text",
    blank: "Other",
    parse: textCell(CATEGORY),
  },
  {
    field: "unit",
    synonyms: ["uom", "unit of measure", "measure", "units"],
    sql: "unit",
    sqlType: "text",
    kind: "text",
    blank: "piece",
    parse: textCell(UNIT),
  },
  {
    field: "unit_price",
    synonyms: ["price", "unit price", "rate", "mrp", "selling price", "sale price", "retail price", "sell price"],
    sql: "unit_price",
    sqlType: "numeric",
    kind: "number",
    blank: "required",
    parse: decimalCell(PRICE),
  },
  {
    field: "stock_qty",
    synonyms: ["stock", "qty", "quantity", "quantity on hand", "qty on hand", "on hand", "in stock", "stock quantity", "current stock", "inventory"],
    sql: "stock_qty",
    sqlType: "numeric",
    kind: "number",
    blank: "0.000",
    permission: "ADJUST_STOCK",
    parse: decimalCell(STOCK),
  },
  {
    field: "active",
    synonyms: ["is active", "enabled"],
    sql: "is_active",
    sqlType: "boolean",
    kind: "boolean",
    blank: true,
    parse: (cell) => {
      const v = cell.toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      throw new CellError("INVALID_BOOLEAN", "must be true or false (yes/no, 1/0)");
    },
  },
];

export const columnByField = new Map(CATALOG_COLUMNS.map((c) => [c.field, c]));
/** Columns the importer writes (all but the id, which only identifies). */
export const WRITABLE_COLUMNS = CATALOG_COLUMNS.filter((c) => c.kind !== "id");

/** "Unit Price (Rs)", "unit_price", " UNIT-PRICE " and "In stock [Main]" compare equal to their plain words. */
export function normalizeHeader(header: string): string {
  return header
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]/g, " ")
    .replace(/[_\-./:]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const BY_HEADER = new Map<string, CatalogColumn>();
for (const c of CATALOG_COLUMNS) for (const h of [c.field, ...c.synonyms]) BY_HEADER.set(normalizeHeader(h), c);

/** The column a header names, if any. */
export const columnForHeader = (header: string) => BY_HEADER.get(normalizeHeader(header));

/** SQL that renders an items row (alias `i`) as the snapshot object compared by undo. */
export const SNAPSHOT_SQL = `jsonb_build_object(${WRITABLE_COLUMNS.map((c) => `'${c.field}', i.${c.sql}${c.sqlType === "numeric" ? "::text" : ""}`).join(", ")})`;

/** How a stored value is written in a CSV cell (before quoting). */
export function exportCell(column: CatalogColumn, value: CellValue): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "boolean" ? String(value) : String(value);
  return column.kind === "text" && NEEDS_QUOTE.test(text) ? `'${text}` : text;
}
