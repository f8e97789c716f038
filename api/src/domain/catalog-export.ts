// Catalogue export: every item (active or not) as CSV in the importer's own
// columns, streamed page by page so memory stays flat at any catalogue size.
// Importing the file again changes nothing (the round trip test checks it).
import { authorize } from "./access.ts";
import { CATALOG_COLUMNS, SNAPSHOT_SQL, exportCell, type CellValue } from "./catalog-columns.ts";
import type { ServiceContext } from "./context.ts";

const PAGE = 2000;

/** One CSV cell: quoted when it holds the delimiter, a quote, a line break or edge spaces. */
function quote(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const EXPORT_HEADER = CATALOG_COLUMNS.map((c) => c.field).join(",");

/**
 * Yields the CSV text in chunks: a UTF-8 byte-order mark (so Excel opens it as
 * UTF-8; the importer skips it), the header row, then one line per item by id.
 */
export function exportItemsCsv(ctx: ServiceContext): AsyncGenerator<string> {
  authorize(ctx, "VIEW_CATALOG"); // before the first byte, so a refusal is still a clean error response
  return csvLines(ctx);
}

async function* csvLines(ctx: ServiceContext): AsyncGenerator<string> {
  yield `\uFEFF${EXPORT_HEADER}\r\n`;
  let after = 0;
  for (;;) {
    const { rows } = await ctx.db.pool.query<{ id: number; snap: Record<string, CellValue> }>(
      `SELECT i.id, ${SNAPSHOT_SQL} AS snap FROM items i WHERE i.id > $1 ORDER BY i.id LIMIT ${PAGE}`,
      [after],
    );
    if (!rows.length) return;
    after = rows.at(-1)!.id;
    let chunk = "";
    for (const r of rows) {
      const values: Record<string, CellValue> = { ...r.snap, id: r.id };
      chunk += `${CATALOG_COLUMNS.map((c) => quote(exportCell(c, values[c.field] ?? null))).join(",")}\r\n`;
    }
    yield chunk;
  }
}
