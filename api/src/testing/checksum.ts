// A checksum of every row in StoreLite's tables, to prove that a refused
// request changed nothing at all.
import type pg from "pg";

const TABLES = ["items", "bills", "bill_items", "stock_movements", "item_changes", "staff"];

export async function databaseChecksum(pool: pg.Pool): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const { rows } = await pool.query<{ sum: string | null; n: string }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) AS sum, count(*) AS n FROM ${table} t`,
    );
    parts.push(`${table}:${rows[0]!.n}:${rows[0]!.sum ?? "-"}`);
  }
  // Sequences too: a rolled-back insert still burns an id, which is fine, so they are left out.
  return parts.join(" ");
}
