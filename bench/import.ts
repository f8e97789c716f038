// `npm run bench:import`: a catalogue import of a 100,000-row CSV file (half
// updates of existing items with new prices and stock counts, half new items)
// on a fresh embedded PostgreSQL holding 50,000 items. The dry run and the
// apply each run in their own process, streaming the file: prints rows/s and
// the peak RSS of each, and the export of the resulting catalogue.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { promisify } from "node:util";
import { connectDatabase } from "../api/src/db/database.ts";
import { systemActor } from "../api/src/domain/access.ts";
import { exportItemsCsv } from "../api/src/domain/catalog-export.ts";
import { bookViolations } from "../api/src/testing/books.ts";
import { onCleanup, runBench } from "./lib/cleanup.ts";
import { loadItems, startBenchDb } from "./lib/db.ts";
import { machineInfo } from "./lib/stats.ts";

const { values: opts } = parseArgs({ options: { rows: { type: "string", default: "100000" }, existing: { type: "string", default: "50000" } } });
const ROWS = Number(opts.rows);
const EXISTING = Math.min(Number(opts.existing), ROWS);
const run = promisify(execFile);
const PHASE = path.join(import.meta.dirname, "lib/import-phase.ts");

/** Writes the file streamed: rows 1..EXISTING update the loaded items (their SKUs), the rest are new. */
async function writeFile(file: string) {
  const out = fs.createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write("SKU,Item Name,Category,Unit,Price,Stock\r\n");
  for (let g = 1; g <= ROWS; g++) {
    const sku = g <= EXISTING ? String(8960000000000 + g).padStart(13, "0") : `NEW-${g}`;
    const price = (10 + ((g * 7919) % 490000) / 100 + 1.25).toFixed(2);
    await write(`${sku},"Imported item ${g}, ${g % 7 ? "regular" : "family pack"}",Grocery,${g % 5 ? "piece" : "kg"},${price},${(g % 97) + 0.5}\r\n`);
  }
  await new Promise<void>((r) => out.end(() => r()));
}

async function phase(url: string, args: string[]) {
  const { stdout } = await run(process.execPath, ["--import", "tsx", PHASE, ...args], { env: { ...process.env, DATABASE_URL: url }, maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { job: { id: number; counts: Record<string, number> }; rows: number; ms: number; maxRssMb: number };
}

runBench(async () => {
  console.log(`StoreLite import bench — ${new Date().toISOString()}\n${machineInfo()}`);
  const db = await startBenchDb();
  await loadItems(db.pool, 1, EXISTING);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-import-bench-"));
  onCleanup("remove the CSV", () => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "items.csv");
  await writeFile(file);
  console.log(`file: ${ROWS.toLocaleString("en")} rows, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB (${EXISTING.toLocaleString("en")} updates of existing items, ${(ROWS - EXISTING).toLocaleString("en")} new)`);

  const dry = await phase(db.url, ["dry-run", file]);
  console.log(`dry run: ${dry.rows.toLocaleString("en")} rows in ${(dry.ms / 1000).toFixed(1)} s = ${Math.round(dry.rows / (dry.ms / 1000)).toLocaleString("en")} rows/s, peak RSS ${dry.maxRssMb.toFixed(0)} MB; counts ${JSON.stringify(dry.job.counts)}`);
  const applied = await phase(db.url, ["apply", String(dry.job.id)]);
  console.log(`apply:   ${applied.rows.toLocaleString("en")} rows in ${(applied.ms / 1000).toFixed(1)} s = ${Math.round(applied.rows / (applied.ms / 1000)).toLocaleString("en")} rows/s, peak RSS ${applied.maxRssMb.toFixed(0)} MB`);

  const database = connectDatabase(db.url, 2);
  onCleanup("close", () => database.close());
  const started = performance.now();
  let bytes = 0;
  for await (const chunk of exportItemsCsv({ db: database, actor: systemActor("bench") })) bytes += Buffer.byteLength(chunk);
  const ms = performance.now() - started;
  const { rows } = await db.pool.query<{ n: number; moves: number }>("SELECT (SELECT count(*)::int FROM items) AS n, (SELECT count(*)::int FROM stock_movements WHERE import_job_id = $1) AS moves", [dry.job.id]);
  console.log(`export:  ${rows[0]!.n.toLocaleString("en")} items, ${(bytes / 1e6).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s; ${rows[0]!.moves.toLocaleString("en")} COUNT ledger rows reference the import`);
  const violations = (await bookViolations(db.pool)).filter((v) => !v.startsWith("ledger does not sum")); // loadItems sets stock without ledger rows
  console.log(`books: ${violations.length ? violations.join("; ") : "no violations"}`);
});
