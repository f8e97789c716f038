// `npm run bench:backup`: a database with 1M bills (≈2M lines, ≈2M ledger rows,
// generated with generate_series, books exact) is backed up, verified and
// restored into a fresh database, each in its own child process so its peak
// RSS is its own. Prints MB/s (table data, uncompressed), rows/s, file size and
// peak RSS. Options: --bills N (default 1000000), --items N (default 1000).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createBackupFile } from "../api/src/backup/backup.ts";
import { restoreBackup, verifyBackup } from "../api/src/backup/restore.ts";
import { bookViolations } from "../api/src/domain/books.ts";
import { onCleanup, runBench } from "./lib/cleanup.ts";
import { startBenchDb } from "./lib/db.ts";
import { machineInfo, table } from "./lib/stats.ts";

const { values: opts } = parseArgs({
  options: {
    bills: { type: "string", default: "1000000" },
    items: { type: "string", default: "1000" },
    child: { type: "string" },
    url: { type: "string" },
    file: { type: "string" },
  },
});

interface ChildResult {
  seconds: number;
  rows: number;
  dataBytes: number;
  fileBytes: number;
  maxRssMB: number;
  phases?: Record<string, number>;
}

/** The measured step itself, run inside the child process. */
async function child(step: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: opts.url, max: 2 });
  const started = performance.now();
  let rows = 0;
  let dataBytes = 0;
  let file = opts.file!;
  let phases: Record<string, number> | undefined;
  if (step === "backup") {
    const made = await createBackupFile(pool, file, { kind: "manual" });
    file = made.file;
    rows = made.manifest.totalRows;
    dataBytes = made.manifest.dataBytes;
  } else if (step === "verify") {
    const m = await verifyBackup(file);
    rows = m.totalRows;
    dataBytes = m.dataBytes;
  } else {
    const r = await restoreBackup(pool, file);
    rows = r.rows;
    dataBytes = r.manifest.dataBytes;
    phases = r.phases;
  }
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  const result: ChildResult & { file: string } = {
    seconds,
    rows,
    dataBytes,
    fileBytes: fs.statSync(file).size,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    file,
    phases,
  };
  process.stdout.write(JSON.stringify(result));
}

function runChild(step: string, url: string, file: string): Promise<ChildResult & { file: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ["--import", "tsx", import.meta.filename, "--child", step, "--url", url, "--file", file], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    c.stdout.on("data", (d) => (out += d));
    c.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${step} exited with ${code}`))));
  });
}

/** 1M bills with 1–3 lines each, a sale ledger row per line and a restock per item: books exact. */
async function generate(pool: pg.Pool, bills: number, items: number) {
  const t0 = performance.now();
  const lines = `FROM generate_series(1, $1::int) b CROSS JOIN LATERAL generate_series(1, 1 + b % 3) k`;
  const itemOf = `((b * 7 + k * 13) % ${items}) + 1`;
  const qty = `(((b + k) % 4 + 1) * 0.5)::numeric(12,3)`;
  await pool.query(
    `INSERT INTO items (id, name, sku, category, unit, unit_price, stock_qty)
     SELECT g, 'Item ' || g, 'SKU-' || g, (ARRAY['Grocery','Beauty','Utilities','Garments'])[1 + g % 4], CASE WHEN g % 3 = 0 THEN 'kg' ELSE 'piece' END,
            (10 + (g * 7919) % 49000 / 100.0)::numeric(12,2), 0
       FROM generate_series(1, $1::int) g`,
    [items],
  );
  await pool.query(`SELECT setval(pg_get_serial_sequence('items', 'id'), $1)`, [items]);
  await pool.query(
    `INSERT INTO bills (id, customer_name, store_name, subtotal, total_amount, created_at)
     SELECT b, CASE WHEN b % 4 = 0 THEN NULL ELSE 'Customer ' || (b % 5000) END, 'Utility Store #' || (1 + b % 3), t.s, t.s,
            timestamptz '2026-01-01' + b * interval '20 seconds'
       FROM generate_series(1, $1::int) b,
            LATERAL (SELECT sum(round(i.unit_price * ${qty}, 2)) AS s FROM generate_series(1, 1 + b % 3) k JOIN items i ON i.id = ${itemOf}) t`,
    [bills],
  );
  await pool.query(`SELECT setval(pg_get_serial_sequence('bills', 'id'), $1)`, [bills]);
  await pool.query(
    `INSERT INTO bill_items (bill_id, item_id, item_name, unit, unit_price, quantity, line_total)
     SELECT b, i.id, i.name, i.unit, i.unit_price, ${qty}, round(i.unit_price * ${qty}, 2) ${lines} JOIN items i ON i.id = ${itemOf}`,
    [bills],
  );
  // Opening stock first (10M each), then one sale row per line; stock = the ledger's sum.
  await pool.query(
    `INSERT INTO stock_movements (item_id, quantity, stock_after, reason, note, created_at)
     SELECT g, 10000000, 10000000, 'restock', 'opening stock', timestamptz '2025-12-31' FROM generate_series(1, $1::int) g`,
    [items],
  );
  await pool.query(
    `INSERT INTO stock_movements (item_id, quantity, stock_after, reason, bill_id, created_at)
     SELECT l.item_id, -l.quantity, 0, 'sale', l.bill_id, timestamptz '2026-01-01' + l.bill_id * interval '20 seconds' FROM bill_items l`,
  );
  await pool.query(`UPDATE items i SET stock_qty = s.q FROM (SELECT item_id, sum(quantity) AS q FROM stock_movements GROUP BY item_id) s WHERE s.item_id = i.id`);
  await pool.query(`UPDATE stock_movements m SET stock_after = i.stock_qty FROM items i WHERE m.item_id = i.id AND m.reason = 'sale'`);
  await pool.query("VACUUM ANALYZE");
  const { rows } = await pool.query<{ n: string; size: string }>(
    `SELECT (SELECT count(*) FROM bill_items)::text AS n, pg_size_pretty(pg_database_size(current_database())) AS size`,
  );
  console.log(`generated ${bills.toLocaleString("en")} bills, ${Number(rows[0]!.n).toLocaleString("en")} lines (database ${rows[0]!.size}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function main() {
  const bills = Number(opts.bills);
  const items = Number(opts.items);
  console.log(machineInfo());
  const db = await startBenchDb();
  await generate(db.pool, bills, items);
  const violations = await bookViolations(db.pool);
  if (violations.length) throw new Error(`generated books are wrong: ${violations.join("; ")}`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-bench-backup-"));
  fs.chmodSync(dir, 0o755);
  onCleanup("remove backup dir", () => fs.rmSync(dir, { recursive: true, force: true }));
  const backup = await runChild("backup", db.url, dir);
  console.log(`backup: ${backup.file} (${(backup.fileBytes / 1e6).toFixed(1)} MB)`);
  const verify = await runChild("verify", db.url, backup.file);

  await db.pool.query("CREATE DATABASE restored");
  const target = new URL(db.url);
  target.pathname = "/restored";
  const restore = await runChild("restore", target.toString(), backup.file);

  // The restored database equals the source, table by table (counts and sums of the money).
  const check = `SELECT (SELECT count(*) FROM bills)::text AS bills, (SELECT sum(total_amount) FROM bills)::text AS total,
                        (SELECT count(*) FROM stock_movements)::text AS movements, (SELECT sum(stock_qty) FROM items)::text AS stock`;
  const restoredPool = new pg.Pool({ connectionString: target.toString(), max: 1 });
  onCleanup("close restored pool", () => restoredPool.end());
  const [a, b] = [(await db.pool.query(check)).rows[0], (await restoredPool.query(check)).rows[0]];
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`restored database differs: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  console.log(`restore steps (s): ${Object.entries(restore.phases ?? {}).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(", ")}`);
  console.log(`restored database matches the source: ${JSON.stringify(b)}`);

  const row = (step: string, r: ChildResult) => [
    step,
    r.seconds.toFixed(1),
    r.rows.toLocaleString("en"),
    Math.round(r.rows / r.seconds).toLocaleString("en"),
    (r.dataBytes / 1e6).toFixed(0),
    (r.dataBytes / 1e6 / r.seconds).toFixed(1),
    (r.fileBytes / 1e6).toFixed(1),
    r.maxRssMB.toFixed(0),
  ];
  console.log("");
  console.log(
    table(
      ["step", "seconds", "rows", "rows/s", "data MB", "MB/s (data)", "file MB", "peak RSS MB"],
      [row("backup", backup), row("verify", verify), row("restore (+ migrations, books check)", restore)],
    ),
  );
}

if (opts.child) await child(opts.child);
else runBench(main);
