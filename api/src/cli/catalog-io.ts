// `storelite items import FILE` / `items export [FILE]` and the import job
// commands: the console's door onto domain/catalog-import.ts, with a progress
// bar on stderr (a live bar on a terminal, a line every 10% otherwise).
import fs from "node:fs";
import { parseArgs } from "node:util";
import { exportItemsCsv } from "../domain/catalog-export.ts";
import {
  applyImport,
  describeIssue,
  dryRunImport,
  getImportJob,
  listImportRows,
  undoImport,
  type ImportJob,
  type ImportLimits,
} from "../domain/catalog-import.ts";
import type { ServiceContext } from "../domain/context.ts";

export const IMPORT_USAGE = `  storelite items import FILE [--mode upsert|create-only|update-only] [--match-name]
                      [--empty keep|clear] [--decimal-comma] [--delimiter ,|;|tab]
                      [--map COLUMN=FIELD ...] [--apply] [--skip-errors] [--json]
  storelite items import-apply ID [--skip-errors] [--json]
  storelite items import-undo ID [--partial] [--json]
  storelite items export [FILE]`;

export const IMPORT_OPTIONS_HELP = `  --mode      upsert (default: create and update), create-only, update-only
  --map       a column of the file and the field it fills (id, sku, name, category,
              unit, unit_price, stock_qty, active); COLUMN= ignores the column
  --apply     apply after the dry run (all or nothing; --skip-errors leaves error rows out)
  --partial   undo what can be undone, keep items that changed since the import`;

export type ImportCommand =
  | {
      kind: "items-import";
      file: string;
      json: boolean;
      apply: boolean;
      skipErrors: boolean;
      options: { mode?: string; matchByName: boolean; emptyCells?: string; decimalComma: boolean; delimiter?: string; mapping: Record<string, string> };
    }
  | { kind: "items-import-apply"; id: string; skipErrors: boolean; json: boolean }
  | { kind: "items-import-undo"; id: string; partial: boolean; json: boolean }
  | { kind: "items-export"; file?: string };

type Parse = (args: string[], options: Record<string, { type: "string" | "boolean"; multiple?: boolean }>, positionals: number) => { values: Record<string, any>; positionals: string[] };

/** Parses the import/export subcommands; returns undefined for other commands. */
export function parseImportCommand(what: string, rest: string[], parse: Parse, fail: (m: string) => never): ImportCommand | undefined {
  const common = { json: { type: "boolean" }, verbose: { type: "boolean" } } as const;
  switch (what) {
    case "items import": {
      const { values, positionals } = parse(
        rest,
        {
          ...common,
          mode: { type: "string" },
          "match-name": { type: "boolean" },
          empty: { type: "string" },
          "decimal-comma": { type: "boolean" },
          delimiter: { type: "string" },
          map: { type: "string", multiple: true },
          apply: { type: "boolean" },
          "skip-errors": { type: "boolean" },
        },
        1,
      );
      const mapping: Record<string, string> = {};
      for (const m of (values.map as string[] | undefined) ?? []) {
        const at = m.lastIndexOf("=");
        if (at < 1) fail(`--map ${m}: expected COLUMN=FIELD, e.g. --map "Item Name=name"`);
        mapping[m.slice(0, at).trim()] = m.slice(at + 1).trim();
      }
      return {
        kind: "items-import",
        file: positionals[0]!,
        json: Boolean(values.json),
        apply: Boolean(values.apply),
        skipErrors: Boolean(values["skip-errors"]),
        options: {
          mode: values.mode,
          matchByName: Boolean(values["match-name"]),
          emptyCells: values.empty,
          decimalComma: Boolean(values["decimal-comma"]),
          delimiter: values.delimiter,
          mapping,
        },
      };
    }
    case "items import-apply": {
      const { values, positionals } = parse(rest, { ...common, "skip-errors": { type: "boolean" } }, 1);
      return { kind: "items-import-apply", id: positionals[0]!, skipErrors: Boolean(values["skip-errors"]), json: Boolean(values.json) };
    }
    case "items import-undo": {
      const { values, positionals } = parse(rest, { ...common, partial: { type: "boolean" } }, 1);
      return { kind: "items-import-undo", id: positionals[0]!, partial: Boolean(values.partial), json: Boolean(values.json) };
    }
    case "items export": {
      const { positionals } = parse(rest, common, rest.filter((a) => !a.startsWith("--")).length ? 1 : 0);
      return { kind: "items-export", file: positionals[0] };
    }
  }
  return undefined;
}

export interface ImportIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Raw writes to stderr for the progress bar (no newline). */
  progress?: (text: string) => void;
  /** Whether stderr is a terminal (a live bar) or not (a line every 10%). */
  tty?: boolean;
  limits?: ImportLimits;
  /** Where `items export` without FILE writes. */
  writeStdout?: (chunk: string) => Promise<void>;
}

/** A progress reporter: "[#########...........] 45%  4,500 / 10,000 rows". */
export function progressBar(io: ImportIO, label: string) {
  let lastTenth = -1;
  return {
    update(done: number, total: number) {
      const share = total ? done / total : 1;
      if (io.tty && io.progress) {
        const width = 30;
        const full = Math.round(share * width);
        io.progress(`\r${label} [${"#".repeat(full)}${".".repeat(width - full)}] ${Math.floor(share * 100)}%  ${done.toLocaleString("en")} / ${total.toLocaleString("en")} rows`);
      } else {
        const tenth = Math.floor(share * 10);
        if (tenth > lastTenth) {
          lastTenth = tenth;
          io.stderr(`${label}: ${done.toLocaleString("en")} / ${total.toLocaleString("en")} rows (${tenth * 10}%)`);
        }
      }
    },
    done() {
      if (io.tty && io.progress) io.progress("\n");
    },
  };
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

function summary(job: ImportJob): string {
  const c = job.counts;
  return `${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.skip} skipped, ${c.error} with errors, ${c.warning} with warnings`;
}

async function printDryRun(ctx: ServiceContext, job: ImportJob, io: ImportIO) {
  io.stdout(`Dry run of ${job.fileName ?? "the file"} (import ${job.id}), ${job.rowsTotal} rows: ${summary(job)}.`);
  const mapped = job.columns.map((c) => `${c.header} → ${c.field ?? "(ignored)"}`).join(", ");
  io.stdout(`Columns: ${mapped}`);
  const show = async (actions: ("error" | "update" | "create")[] | null, warningsOnly: boolean, title: string, line: (r: Awaited<ReturnType<typeof listImportRows>>["rows"][number]) => string[]) => {
    const page = await listImportRows(ctx, job.id, { actions, warningsOnly, first: 20 });
    if (!page.rows.length) return;
    io.stdout(`${title}:`);
    for (const r of page.rows) for (const l of line(r)) io.stdout(`  ${l}`);
    if (page.hasMore) io.stdout("  ... (the full list: GET /imports/<id> or the web page)");
  };
  await show(["error"], false, "Errors", (r) => r.errors.map((e) => describeIssue(r.rowNo, e)));
  await show(null, true, "Warnings", (r) => r.warnings.map((w) => describeIssue(r.rowNo, w)));
  await show(["update"], false, "Changes", (r) => [
    `Row ${r.rowNo} ${r.label ?? ""} (item ${r.itemId}): ${Object.entries(r.diff)
      .map(([f, d]) => `${f} ${d.from ?? "(empty)"} → ${d.to ?? "(empty)"}`)
      .join(", ")}`,
  ]);
}

/** Runs an import/export command; domain errors are left to the caller (exit 1). */
export async function executeImportCommand(cmd: ImportCommand, ctx: ServiceContext, io: ImportIO): Promise<number> {
  switch (cmd.kind) {
    case "items-export": {
      const out = cmd.file ? fs.createWriteStream(cmd.file) : undefined;
      let rows = -1;
      for await (const chunk of exportItemsCsv(ctx)) {
        rows += chunk.split("\r\n").length - 1;
        if (out) {
          if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
        } else await io.writeStdout!(chunk);
      }
      if (out) {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        io.stderr(`Exported ${rows} items to ${cmd.file}`);
      }
      return 0;
    }
    case "items-import": {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(cmd.file);
      } catch (err) {
        io.stderr(`storelite: cannot read ${cmd.file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
        return 1;
      }
      const reading = progressBar(io, "Reading");
      const bytes = stat.size;
      const stream = fs.createReadStream(cmd.file);
      let read = 0;
      stream.on("data", (c) => {
        read += c.length;
      });
      const job = await dryRunImport(
        ctx,
        stream,
        { ...cmd.options, fileName: cmd.file.split(/[\\/]/).pop(), onProgress: () => reading.update(read, bytes) },
        io.limits,
      );
      reading.update(bytes, bytes);
      reading.done();
      if (!cmd.apply) {
        if (cmd.json) io.stdout(json({ job, rows: (await listImportRows(ctx, job.id, { first: 1000 })).rows }));
        else {
          await printDryRun(ctx, job, io);
          io.stdout(`Nothing was changed. To import: storelite items import-apply ${job.id}${job.counts.error ? " --skip-errors" : ""} (or run again with --apply).`);
        }
        return job.counts.error ? 1 : 0;
      }
      if (!cmd.json) await printDryRun(ctx, job, io);
      return apply(ctx, job.id, cmd.skipErrors, cmd.json, io);
    }
    case "items-import-apply":
      return apply(ctx, cmd.id, cmd.skipErrors, cmd.json, io);
    case "items-import-undo": {
      const r = await undoImport(ctx, cmd.id, { partial: cmd.partial });
      if (cmd.json) io.stdout(json(r));
      else {
        io.stdout(`Undid import ${r.job.id}: ${r.undone} rows reverted.`);
        for (const k of r.kept) io.stdout(`  kept ${k.itemName ?? ""} (item ${k.itemId}, row ${k.rowNo}): ${k.changed.join(", ")} changed since the import`);
      }
      return 0;
    }
  }
}

async function apply(ctx: ServiceContext, id: string | number, skipErrors: boolean, asJson: boolean, io: ImportIO): Promise<number> {
  const writing = progressBar(io, "Applying");
  const job = await applyImport(ctx, id, { skipErrors, onProgress: (d, t) => writing.update(d, t) });
  writing.done();
  if (asJson) io.stdout(json(await getImportJob(ctx, job.id)));
  else io.stdout(`Applied import ${job.id}: ${job.counts.create} created, ${job.counts.update} updated. To undo: storelite items import-undo ${job.id}`);
  return 0;
}
