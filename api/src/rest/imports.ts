// /imports and /items/export.csv: the catalogue as a CSV file, and importing
// one (dry run → apply → undo). The file is the raw request body (text/csv),
// streamed to the domain under the import cap, not the JSON body limit.
import { exportItemsCsv } from "../domain/catalog-export.ts";
import {
  EMPTY_CELL_POLICIES,
  IMPORT_MODES,
  applyImport,
  dryRunImport,
  getImportJob,
  listImportRows,
  undoImport,
  type ImportJob,
  type ImportLimits,
  type ImportRowResult,
  type RowAction,
} from "../domain/catalog-import.ts";
import { HttpError } from "../http/errors.ts";
import { z } from "zod";
import { operation, type Operation } from "./operation.ts";
import { invalid, location, notFound } from "./responses.ts";
import { ErrorResponse, IdParams, ValidationErrorResponse, components } from "./schemas.ts";
import { ValidationError } from "../domain/errors.ts";

const tag = "Imports";
const boolText = z.enum(["true", "false"]).transform((v) => v === "true");
const ACTIONS = ["create", "update", "unchanged", "skip", "error"] as const;

// ---- wire shapes ----------------------------------------------------------------------

const cellValue = z.union([z.string(), z.boolean(), z.int(), z.null()]).meta({ description: "A value as stored: decimals as fixed-point text (\"160.00\")." });

const IssueResponse = z
  .strictObject({
    column: z.string().nullable().meta({ description: "The file's header of the column; null for the row as a whole." }),
    field: z.string().nullable(),
    value: z.string().nullable().meta({ description: "The cell as found (at most 80 characters)." }),
    code: z.string().meta({ examples: ["THOUSANDS_SEPARATOR"] }),
    message: z.string(),
  })
  .register(components, { id: "ImportIssue" });

const ImportRowResponse = z
  .strictObject({
    row: z.int().meta({ description: "The row number a spreadsheet shows (the header is row 1)." }),
    action: z.enum(ACTIONS),
    item_id: z.int().nullable(),
    label: z.string().nullable().meta({ description: "The row's SKU or name." }),
    diff: z.record(z.string(), z.strictObject({ from: cellValue, to: cellValue })).meta({ description: "Field by field: what changes (from is null for a new item)." }),
    errors: z.array(IssueResponse),
    warnings: z.array(IssueResponse),
    undone: z.boolean(),
  })
  .register(components, { id: "ImportRow" });

const ImportJobResponse = z
  .strictObject({
    id: z.int(),
    file_name: z.string().nullable(),
    file_bytes: z.int(),
    file_hash: z.string().meta({ description: "SHA-256 of the file." }),
    delimiter: z.string(),
    mode: z.enum(IMPORT_MODES),
    match_by_name: z.boolean(),
    empty_cells: z.enum(EMPTY_CELL_POLICIES),
    decimal_comma: z.boolean(),
    columns: z.array(z.strictObject({ header: z.string(), field: z.string().nullable() })).meta({ description: "Each column of the file and the field it fills (null: ignored)." }),
    status: z.enum(["dry_run", "applied", "partly_undone", "undone"]),
    rows_total: z.int(),
    rows_done: z.int().meta({ description: "While an apply runs: rows written so far (of counts.create + counts.update)." }),
    counts: z.strictObject({ create: z.int(), update: z.int(), unchanged: z.int(), skip: z.int(), error: z.int(), warning: z.int() }),
    created_at: z.string(),
    applied_at: z.string().nullable(),
    undone_at: z.string().nullable(),
    rows: z.array(ImportRowResponse).optional().meta({ description: "A page of rows (GET /imports/{id})." }),
    next_after_row: z.int().nullable().optional().meta({ description: "Pass as after_row for the next page; null on the last." }),
  })
  .register(components, { id: "ImportJob" });

const UndoResponse = z
  .strictObject({
    job: ImportJobResponse,
    undone: z.int(),
    kept_count: z.int(),
    kept: z.array(z.strictObject({ item_id: z.int(), item_name: z.string().nullable(), row: z.int(), changed: z.array(z.string()) })),
  })
  .register(components, { id: "ImportUndo" });

export const jobJson = (j: ImportJob) => ({
  id: j.id,
  file_name: j.fileName,
  file_bytes: j.fileBytes,
  file_hash: j.fileHash,
  delimiter: j.delimiter,
  mode: j.mode,
  match_by_name: j.matchByName,
  empty_cells: j.emptyCells,
  decimal_comma: j.decimalComma,
  columns: j.columns,
  status: j.status,
  rows_total: j.rowsTotal,
  rows_done: j.rowsDone,
  counts: j.counts,
  created_at: j.createdAt.toISOString(),
  applied_at: j.appliedAt?.toISOString() ?? null,
  undone_at: j.undoneAt?.toISOString() ?? null,
});

const rowJson = (r: ImportRowResult) => ({
  row: r.rowNo,
  action: r.action,
  item_id: r.itemId,
  label: r.label,
  diff: r.diff,
  errors: r.errors,
  warnings: r.warnings,
  undone: r.undone,
});

const DryRunQuery = z.strictObject({
  mode: z.enum(IMPORT_MODES).meta({ description: "upsert (default): create new items and update existing ones; create_only; update_only." }).optional(),
  match_by_name: boolText.meta({ description: "Match rows without id or SKU to an item with exactly that name, any case (default false)." }).optional(),
  empty_cells: z.enum(EMPTY_CELL_POLICIES).meta({ description: "keep (default): an empty cell leaves the value as it is; clear: it clears it / resets it to the default." }).optional(),
  decimal_comma: boolText.meta({ description: "Numbers are written 12,50 (default false)." }).optional(),
  delimiter: z.enum(["comma", "semicolon", "tab"]).meta({ description: "Detected from the header line unless given." }).optional(),
  file_name: z.string().max(200).optional(),
  mapping: z
    .string()
    .meta({ description: 'JSON object: file header → field (id, sku, name, category, unit, unit_price, stock_qty, active) or "" to ignore. Other headers are matched by name and synonyms.', examples: ['{"Item Name":"name","Id":""}'] })
    .optional(),
});

const JobQuery = z.strictObject({
  after_row: z.string().regex(/^\d{1,9}$/).transform(Number).meta({ description: "Rows after this row number." }).optional(),
  limit: z.string().regex(/^\d{1,4}$/).transform(Number).meta({ description: "Rows per page, 1–1000 (default 100)." }).optional(),
  action: z.enum(ACTIONS).meta({ description: "Only rows with this action." }).optional(),
});

const ImportRefusedResponse = z
  .strictObject({ error: z.strictObject({ code: z.literal("IMPORT_FILE_REFUSED"), message: z.string(), reason: z.string().meta({ examples: ["INVALID_UTF8"] }) }) })
  .meta({ description: "The file cannot be imported as a whole; nothing was written. reason says why (FILE_TOO_LARGE, TOO_MANY_ROWS, NOT_TEXT, INVALID_UTF8, SPREADSHEET_WORKBOOK, NO_KEY_COLUMN, ...)." })
  .register(components, { id: "ImportRefusedError" });

const ImportConflictResponse = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(["IMPORT_HAS_ERRORS", "IMPORT_STATE", "IMPORT_STALE", "UNDO_CONFLICT"]),
      message: z.string(),
      import_id: z.int(),
      status: z.string().optional(),
      error_rows: z.int().optional(),
      first_errors: z.array(z.string()).optional(),
      conflict_count: z.int().optional(),
      undoable: z.int().optional(),
      conflicts: z.array(z.strictObject({ item_id: z.int(), item_name: z.string().nullable(), row: z.int(), changed: z.array(z.string()) })).optional(),
    }),
  })
  .register(components, { id: "ImportConflictError" });

const conflict = (what: string) => ({ description: what, schema: ImportConflictResponse });

export function importOperations(limits: ImportLimits): Operation[] {
  return [
    operation({
      method: "GET",
      path: "/items/export.csv",
      permission: "VIEW_CATALOG",
      operationId: "exportItems",
      tag,
      summary: "Export the catalogue as CSV",
      description:
        "Every item, active or not, by id: `id,sku,name,category,unit,unit_price,stock_qty,active` (UTF-8 with a byte-order mark, `.` decimals). Text cells that a spreadsheet would run as a formula get a leading `'`, which the importer removes again: importing the file back changes nothing.",
      responses: { 200: { description: "The CSV file.", mediaType: "text/csv" } },
      async handle(_input, ctx) {
        const stream = exportItemsCsv(ctx);
        const day = new Date().toISOString().slice(0, 10);
        return {
          status: 200,
          body: undefined,
          stream,
          headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="storelite-items-${day}.csv"` },
        };
      },
    }),

    operation({
      method: "POST",
      path: "/imports",
      permission: "EDIT_CATALOG",
      operationId: "dryRunImport",
      tag,
      summary: "Upload a CSV file for a dry run",
      description: `Reads the file and records, for every row, what importing it would do (create / update / unchanged / skip / error) with a field-by-field diff, errors and warnings. Nothing in the catalogue changes: apply the job with POST /imports/{id}/apply. Send the file itself as the body (\`curl --data-binary @items.csv -H 'Content-Type: text/csv'\`), up to ${limits.maxBytes.toLocaleString("en")} bytes and ${limits.maxRows.toLocaleString("en")} rows (STORELITE_IMPORT_MAX_BYTES / _ROWS).`,
      query: DryRunQuery,
      upload: { mediaTypes: ["text/csv", "text/plain", "application/octet-stream"], description: "The CSV file (UTF-8; , ; or tab; a header row)." },
      responses: {
        201: { description: "The dry-run job with its counts; GET /imports/{id} lists its rows.", schema: ImportJobResponse, headers: location("/imports/7") },
        413: { description: "The file is larger than the import limit (PAYLOAD_TOO_LARGE, or IMPORT_FILE_REFUSED with reason FILE_TOO_LARGE).", schema: z.union([ErrorResponse, ImportRefusedResponse]) },
        415: { description: "The body is not sent as text/csv (UNSUPPORTED_MEDIA_TYPE).", schema: ErrorResponse },
        422: {
          description: "The file cannot be imported as a whole (IMPORT_FILE_REFUSED with a reason: not CSV, not UTF-8, no key column, too many rows...), or an option is invalid (VALIDATION_FAILED).",
          schema: z.union([ImportRefusedResponse, ValidationErrorResponse]),
        },
      },
      async handle({ query, upload }, ctx) {
        const declared = Number(upload!.headers["content-length"]);
        if (Number.isFinite(declared) && declared > limits.maxBytes) {
          throw new HttpError(413, "PAYLOAD_TOO_LARGE", `The file is larger than the import limit of ${limits.maxBytes} bytes: split it into smaller files`);
        }
        let mapping: Record<string, unknown> | undefined;
        if (query.mapping !== undefined) {
          try {
            mapping = JSON.parse(query.mapping);
          } catch {
            mapping = undefined;
          }
          if (!mapping || typeof mapping !== "object" || Array.isArray(mapping)) {
            throw ValidationError.one(["mapping"], 'must be a JSON object such as {"Item Name":"name"}');
          }
        }
        const job = await dryRunImport(
          ctx,
          upload!,
          {
            fileName: query.file_name,
            mode: query.mode,
            matchByName: query.match_by_name,
            emptyCells: query.empty_cells,
            decimalComma: query.decimal_comma,
            delimiter: query.delimiter,
            mapping,
          },
          limits,
        );
        return { status: 201, body: jobJson(job), headers: { location: `/imports/${job.id}` } };
      },
    }),

    operation({
      method: "GET",
      path: "/imports/{id}",
      permission: "EDIT_CATALOG",
      operationId: "getImport",
      tag,
      summary: "An import job with a page of its rows",
      description: "Poll it during an apply: rows_done counts the rows written so far.",
      params: IdParams,
      query: JobQuery,
      responses: { 200: { description: "The job and its rows in file order.", schema: ImportJobResponse }, 404: notFound("import"), 422: invalid("A query parameter is invalid") },
      async handle({ params, query }, ctx) {
        const job = await getImportJob(ctx, params.id);
        const page = await listImportRows(ctx, params.id, { afterRow: query.after_row, first: query.limit, actions: query.action ? [query.action as RowAction] : null });
        return { status: 200, body: { ...jobJson(job), rows: page.rows.map(rowJson), next_after_row: page.hasMore ? page.rows.at(-1)!.rowNo : null } };
      },
    }),

    operation({
      method: "POST",
      path: "/imports/{id}/apply",
      permission: "EDIT_CATALOG",
      operationId: "applyImport",
      tag,
      summary: "Apply a dry-run job",
      description:
        "All or nothing, in one transaction: refused while any row has an error unless skip_errors=true. Stock values become COUNT movements in the stock ledger that reference the import.",
      params: IdParams,
      query: z.strictObject({ skip_errors: boolText.meta({ description: "Apply the good rows and leave the error rows out." }).optional() }),
      responses: {
        200: { description: "The applied job.", schema: ImportJobResponse },
        404: notFound("import"),
        409: conflict("Not applied: rows have errors (IMPORT_HAS_ERRORS), it was already applied (IMPORT_STATE), or the catalogue changed so that it cannot be (IMPORT_STALE)."),
        422: invalid("A query parameter is invalid"),
      },
      async handle({ params, query }, ctx) {
        return { status: 200, body: jobJson(await applyImport(ctx, params.id, { skipErrors: query.skip_errors })) };
      },
    }),

    operation({
      method: "POST",
      path: "/imports/{id}/undo",
      permission: "EDIT_CATALOG",
      operationId: "undoImport",
      tag,
      summary: "Undo an applied import",
      description:
        "Reverts exactly what the import changed. If some of its items changed since (a sale, an edit), nothing is undone and the answer (409 UNDO_CONFLICT) lists them with what can still be undone; partial=true then reverts the others and keeps those.",
      params: IdParams,
      query: z.strictObject({ partial: boolText.meta({ description: "Revert what can be reverted, keep the items changed since." }).optional() }),
      responses: {
        200: { description: "What was undone.", schema: UndoResponse },
        404: notFound("import"),
        409: conflict("Nothing undone: items changed since (UNDO_CONFLICT, with conflicts and undoable) or the job is not applied (IMPORT_STATE)."),
        422: invalid("A query parameter is invalid"),
      },
      async handle({ params, query }, ctx) {
        const r = await undoImport(ctx, params.id, { partial: query.partial });
        return {
          status: 200,
          body: {
            job: jobJson(r.job),
            undone: r.undone,
            kept_count: r.keptCount,
            kept: r.kept.map((c) => ({ item_id: c.itemId, item_name: c.itemName, row: c.rowNo, changed: c.changed })),
          },
        };
      },
    }),
  ];
}
