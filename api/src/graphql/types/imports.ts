// Catalogue import over GraphQL: previewImport (the CSV text as a string, so it
// fits the request body limit; bigger files go through POST /imports), the job
// with its rows, applyImport and undoImport. One domain call per resolver.
import {
  ImportFileError,
  ImportHasErrorsError,
  ImportStaleError,
  ImportStateError,
  UndoConflictError,
  applyImport,
  dryRunImport,
  getImportJob,
  listImportRows,
  undoImport,
  type ImportJob,
  type ImportRowResult,
  type RowAction,
  type RowIssue,
  type UndoConflict,
  type UndoResult,
} from "../../domain/catalog-import.ts";
import { CATALOG_COLUMNS } from "../../domain/catalog-columns.ts";
import { NotFoundError, ValidationError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";
import { orNull } from "../resolve.ts";
import { ErrorInterface } from "./errors.ts";

const ImportModeEnum = builder.enumType("ImportMode", {
  values: {
    UPSERT: { value: "upsert", description: "Create new items and update existing ones." },
    CREATE_ONLY: { value: "create_only", description: "Only create; existing items are skipped." },
    UPDATE_ONLY: { value: "update_only", description: "Only update; rows without a match are skipped." },
  } as const,
});

const EmptyCellsEnum = builder.enumType("EmptyCellPolicy", {
  values: {
    KEEP: { value: "keep", description: "An empty cell leaves the current value." },
    CLEAR: { value: "clear", description: "An empty cell clears the value (or resets it to its default)." },
  } as const,
});

const ACTIONS = ["create", "update", "unchanged", "skip", "error"] as const;
const RowActionEnum = builder.enumType("ImportRowAction", {
  values: Object.fromEntries(ACTIONS.map((a) => [a.toUpperCase(), { value: a }])) as Record<Uppercase<RowAction>, { value: RowAction }>,
});

const ColumnRef = builder.objectRef<{ header: string; field: string | null }>("ImportColumn").implement({
  description: "A column of the file and the field it fills (null: ignored).",
  fields: (t) => ({ header: t.exposeString("header"), field: t.exposeString("field", { nullable: true }) }),
});

const CountsRef = builder.objectRef<ImportJob["counts"]>("ImportCounts").implement({
  fields: (t) => ({
    create: t.exposeInt("create"),
    update: t.exposeInt("update"),
    unchanged: t.exposeInt("unchanged"),
    skip: t.exposeInt("skip"),
    error: t.exposeInt("error"),
    warning: t.exposeInt("warning", { description: "Rows with at least one warning." }),
  }),
});

const IssueRef = builder.objectRef<RowIssue>("ImportIssue").implement({
  description: "An error or warning on one row: the column (the file's header), the cell as found, and what is wrong.",
  fields: (t) => ({
    column: t.exposeString("column", { nullable: true }),
    field: t.exposeString("field", { nullable: true }),
    value: t.exposeString("value", { nullable: true }),
    code: t.exposeString("code"),
    message: t.exposeString("message"),
  }),
});

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
const ChangeRef = builder.objectRef<{ field: string; from: unknown; to: unknown }>("ImportFieldChange").implement({
  fields: (t) => ({
    field: t.exposeString("field"),
    from: t.string({ nullable: true, description: "null for a new item.", resolve: (c) => text(c.from) }),
    to: t.string({ nullable: true, resolve: (c) => text(c.to) }),
  }),
});

const RowRef = builder.objectRef<ImportRowResult>("ImportRow").implement({
  fields: (t) => ({
    rowNo: t.exposeInt("rowNo", { description: "The row number a spreadsheet shows (the header is row 1)." }),
    action: t.field({ type: RowActionEnum, resolve: (r) => r.action }),
    itemId: t.exposeInt("itemId", { nullable: true }),
    label: t.exposeString("label", { nullable: true }),
    changes: t.field({
      type: [ChangeRef],
      description: "Field by field, in column order.",
      resolve: (r) => CATALOG_COLUMNS.filter((c) => r.diff[c.field]).map((c) => ({ field: c.field, ...r.diff[c.field]! })),
    }),
    errors: t.field({ type: [IssueRef], resolve: (r) => r.errors }),
    warnings: t.field({ type: [IssueRef], resolve: (r) => r.warnings }),
    undone: t.exposeBoolean("undone"),
  }),
});

const RowPageRef = builder.objectRef<{ rows: ImportRowResult[]; hasMore: boolean }>("ImportRowPage").implement({
  fields: (t) => ({ rows: t.field({ type: [RowRef], resolve: (p) => p.rows }), hasMore: t.exposeBoolean("hasMore") }),
});

export const ImportJobRef = builder.objectRef<ImportJob>("ImportJob").implement({
  description: "One uploaded file: its dry run, and whether it was applied or undone.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    fileName: t.exposeString("fileName", { nullable: true }),
    fileBytes: t.exposeInt("fileBytes"),
    delimiter: t.exposeString("delimiter"),
    mode: t.field({ type: ImportModeEnum, resolve: (j) => j.mode }),
    matchByName: t.exposeBoolean("matchByName"),
    emptyCells: t.field({ type: EmptyCellsEnum, resolve: (j) => j.emptyCells }),
    decimalComma: t.exposeBoolean("decimalComma"),
    columns: t.field({ type: [ColumnRef], resolve: (j) => j.columns }),
    status: t.exposeString("status", { description: "dry_run, applied, partly_undone or undone." }),
    rowsTotal: t.exposeInt("rowsTotal"),
    rowsDone: t.exposeInt("rowsDone", { description: "While an apply runs: rows written so far, of counts.create + counts.update." }),
    counts: t.field({ type: CountsRef, resolve: (j) => j.counts }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    appliedAt: t.expose("appliedAt", { type: "DateTime", nullable: true }),
    undoneAt: t.expose("undoneAt", { type: "DateTime", nullable: true }),
    rows: t.field({
      type: RowPageRef,
      description: "Rows in file order, a page at a time.",
      args: {
        first: t.arg.int({ required: false, defaultValue: 100, description: "1–1000." }),
        afterRow: t.arg.int({ required: false, description: "Rows after this row number." }),
        actions: t.arg({ type: [RowActionEnum], required: false }),
        warningsOnly: t.arg.boolean({ required: false }),
      },
      resolve: (j, args, ctx) => listImportRows(ctx, j.id, args),
    }),
  }),
});

builder.objectType(ImportFileError, {
  name: "ImportFileError",
  description: "The file cannot be imported as a whole (not CSV, not UTF-8, too big, no key column...); nothing was written.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ reason: t.exposeString("reason") }),
});
builder.objectType(ImportHasErrorsError, {
  name: "ImportHasErrorsError",
  description: "Apply refused because rows have errors (all or nothing); skipErrors applies the good rows.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ jobId: t.exposeInt("jobId"), errorRows: t.exposeInt("errorRows"), firstErrors: t.exposeStringList("firstErrors") }),
});
builder.objectType(ImportStateError, {
  name: "ImportStateError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ jobId: t.exposeInt("jobId"), status: t.exposeString("status") }),
});
builder.objectType(ImportStaleError, {
  name: "ImportStaleError",
  description: "The catalogue changed since the dry run so that the job cannot be applied as planned; nothing was applied.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ jobId: t.exposeInt("jobId") }),
});
const UndoConflictRef = builder.objectRef<UndoConflict>("UndoConflict").implement({
  fields: (t) => ({
    itemId: t.exposeInt("itemId"),
    itemName: t.exposeString("itemName", { nullable: true }),
    rowNo: t.exposeInt("rowNo"),
    changed: t.exposeStringList("changed", { description: 'Fields changed since the import, "stock movements", or "deleted".' }),
  }),
});
builder.objectType(UndoConflictError, {
  name: "UndoConflictError",
  description: "Items changed after the import, so nothing was undone; undoable rows could still be reverted with partial: true.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    jobId: t.exposeInt("jobId"),
    conflicts: t.field({ type: [UndoConflictRef], resolve: (e) => e.conflicts }),
    conflictCount: t.exposeInt("conflictCount"),
    undoable: t.exposeInt("undoable"),
  }),
});
const UndoResultRef = builder.objectRef<UndoResult>("UndoImport").implement({
  fields: (t) => ({
    job: t.field({ type: ImportJobRef, resolve: (r) => r.job }),
    undone: t.exposeInt("undone"),
    keptCount: t.exposeInt("keptCount"),
    kept: t.field({ type: [UndoConflictRef], resolve: (r) => r.kept }),
  }),
});

const MappingInput = builder.inputType("ImportColumnMapping", {
  fields: (t) => ({
    header: t.string({ required: true, description: "A header of the file." }),
    field: t.string({ required: false, description: `${CATALOG_COLUMNS.map((c) => c.field).join(", ")}; null or "" ignores the column.` }),
  }),
});

const PreviewImportInput = builder.inputType("PreviewImportInput", {
  fields: (t) => ({
    content: t.string({ required: true, description: "The CSV file's text. Files bigger than the request limit go through POST /imports." }),
    fileName: t.string({ required: false }),
    mode: t.field({ type: ImportModeEnum, required: false, defaultValue: "upsert" }),
    matchByName: t.boolean({ required: false, defaultValue: false, description: "Match rows without id or SKU by exact name (any case)." }),
    emptyCells: t.field({ type: EmptyCellsEnum, required: false, defaultValue: "keep" }),
    decimalComma: t.boolean({ required: false, defaultValue: false }),
    delimiter: t.string({ required: false, description: ", ; or tab; detected when not given." }),
    mapping: t.field({ type: [MappingInput], required: false }),
  }),
});

builder.queryFields((t) => ({
  importJob: t.field({
    type: ImportJobRef,
    nullable: true,
    args: { id: t.arg.int({ required: true }) },
    resolve: (_, args, ctx) => orNull(getImportJob(ctx, args.id)),
  }),
}));

const named = (name: string, data: string, types: (new (...a: never[]) => Error)[]) => ({
  types,
  result: { name: `${name}Success` },
  union: { name: `${name}Result` },
  dataField: { name: data },
});

builder.mutationFields((t) => ({
  previewImport: t.field({
    type: ImportJobRef,
    description: "Dry run: records what importing the file would do, row by row. Nothing in the catalogue changes.",
    errors: named("PreviewImport", "job", [ValidationError, ImportFileError]),
    args: { input: t.arg({ type: PreviewImportInput, required: true }) },
    resolve: (_, { input }, ctx) =>
      dryRunImport(ctx, [input.content], {
        fileName: input.fileName,
        mode: input.mode,
        matchByName: input.matchByName,
        emptyCells: input.emptyCells,
        decimalComma: input.decimalComma,
        delimiter: input.delimiter,
        mapping: input.mapping ? Object.fromEntries(input.mapping.map((m) => [m.header, m.field ?? ""])) : null,
      }),
  }),
  applyImport: t.field({
    type: ImportJobRef,
    description: "Writes a dry-run job in one transaction (all or nothing unless skipErrors). Poll importJob.rowsDone for progress.",
    errors: named("ApplyImport", "job", [NotFoundError, ImportHasErrorsError, ImportStateError, ImportStaleError]),
    args: { id: t.arg.int({ required: true }), skipErrors: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (_, args, ctx) => applyImport(ctx, args.id, { skipErrors: args.skipErrors ?? false }),
  }),
  undoImport: t.field({
    type: UndoResultRef,
    description: "Reverts an applied import exactly; refuses (UndoConflictError) if items changed since, unless partial.",
    errors: named("UndoImport", "result", [NotFoundError, ImportStateError, ImportStaleError, UndoConflictError]),
    args: { id: t.arg.int({ required: true }), partial: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (_, args, ctx) => undoImport(ctx, args.id, { partial: args.partial ?? false }),
  }),
}));
