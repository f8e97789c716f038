// Checksums of table contents: databaseChecksum covers the shop's books (to
// prove that a refused request changed nothing at all); tableChecksums covers
// every table found in pg_catalog (to prove a restored database equals its source).
import type pg from "pg";
import { ident, listTables } from "../backup/catalog.ts";

type Queryable = Pick<pg.ClientBase, "query">;

// The shop's books plus who-changed-what and the staff: a refused request changes none of them.
const BOOKS = [
  "items", "bills", "bill_items", "bill_payments", "bill_returns", "bill_return_lines", "bill_return_payments", "stock_movements", "item_changes",
  "staff", "stores", "tax_rates", "shifts", "cash_movements", "z_reports",
];

/** "rows:md5" of each table (every table of the schema unless named), rows in text order, so no id column is needed. */
export async function tableChecksums(db: Queryable, only?: string[]): Promise<Record<string, string>> {
  const tables = (await listTables(db)).filter((t) => !only || only.includes(t.name));
  const out: Record<string, string> = {};
  for (const table of tables) {
    const cols = table.columns.map((c) => `t.${ident(c)}`).join(", ");
    const { rows } = await db.query<{ sum: string | null; n: string }>(
      `SELECT md5(string_agg(r, '|' ORDER BY r)) AS sum, count(*) AS n FROM (SELECT ROW(${cols})::text AS r FROM ${ident(table.name)} t) s`,
    );
    out[table.name] = `${rows[0]!.n}:${rows[0]!.sum ?? "-"}`;
  }
  return out;
}

export async function databaseChecksum(db: Queryable): Promise<string> {
  const sums = await tableChecksums(db, BOOKS);
  // Sequences are left out: a rolled-back insert still burns an id, which is fine.
  return BOOKS.map((t) => `${t}:${sums[t] ?? "missing"}`).join(" ");
}
