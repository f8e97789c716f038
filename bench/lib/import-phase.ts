// One phase of the import bench in its own process, so its peak RSS is its own:
// `tsx bench/lib/import-phase.ts dry-run FILE` or `apply JOB_ID` (DATABASE_URL set).
// Prints one JSON line: {job, rows, ms, maxRssMb}.
import fs from "node:fs";
import { connectDatabase } from "../../api/src/db/database.ts";
import { systemActor } from "../../api/src/domain/access.ts";
import { applyImport, dryRunImport } from "../../api/src/domain/catalog-import.ts";

const [phase, arg] = process.argv.slice(2);
const db = connectDatabase(process.env.DATABASE_URL!, 4);
const ctx = { db, actor: systemActor("bench") };
const started = performance.now();
try {
  const job =
    phase === "dry-run"
      ? await dryRunImport(ctx, fs.createReadStream(arg!), { fileName: "bench.csv" }, { maxBytes: 1_000_000_000, maxRows: 10_000_000 })
      : await applyImport(ctx, Number(arg));
  const ms = performance.now() - started;
  const rows = phase === "dry-run" ? job.rowsTotal : job.counts.create + job.counts.update;
  console.log(JSON.stringify({ job, rows, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
} finally {
  await db.close();
}
