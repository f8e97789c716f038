import { describe, expect, it } from "vitest";
import { bookViolations } from "../testing/books.ts";
import { NotAuthorizedError, type Permission } from "./access.ts";
import type { ServiceContext } from "./context.ts";
import { databaseChecksum } from "../testing/checksum.ts";
import { useTestDatabase } from "../testing/fixtures.ts";
import { createBill } from "./bills.ts";
import { exportItemsCsv } from "./catalog-export.ts";
import {
  ImportFileError,
  ImportHasErrorsError,
  ImportStaleError,
  ImportStateError,
  UndoConflictError,
  applyImport,
  dryRunImport,
  listImportRows,
  undoImport,
  type ImportOptions,
} from "./catalog-import.ts";
import { createItem, getItem, updateItem } from "./items.ts";
import { listMovements } from "./stock.ts";

const t = useTestDatabase();

const file = (text: string) => [Buffer.from(text, "utf8")];
const dry = (text: string | Buffer, o: ImportOptions = {}) => dryRunImport(t.ctx(), typeof text === "string" ? file(text) : [text], o);
async function rowsOf(jobId: number) {
  return (await listImportRows(t.ctx(), jobId, { first: 1000 })).rows;
}
async function exported(): Promise<string> {
  let out = "";
  for await (const chunk of exportItemsCsv(t.ctx())) out += chunk;
  return out;
}
let n = 0;
/** A unique SKU prefix per test so tests sharing the database do not meet. */
const prefix = () => `T${++n}-`;

describe("export", () => {
  it("writes the header, decimals with a dot, and neutralises formula cells but not negative numbers", async () => {
    const p = prefix();
    const evil = await createItem(t.ctx(), { name: "=HYPERLINK(\"http://x\")", category: "+Grocery", unit: "@kg", unitPrice: "12.5", stockQty: "1.5", sku: `${p}1` });
    const csv = await exported();
    expect(csv.startsWith("\uFEFFid,sku,name,category,unit,unit_price,stock_qty,active\r\n")).toBe(true);
    const line = csv.split("\r\n").find((l) => l.startsWith(`${evil.id},`))!;
    expect(line).toBe(`${evil.id},${p}1,"'=HYPERLINK(""http://x"")",'+Grocery,'@kg,12.50,1.500,true`);
  });
});

describe("dry run", () => {
  it("matches synonyms in any case, detects ; and a BOM, and writes nothing", async () => {
    const p = prefix();
    const before = await databaseChecksum(t.db.pool);
    const job = await dry(`\uFEFFBarcode;Item Name;MRP;Qty;Unit\n${p}A;Rice;120;10;kg\n${p}B;"Tea\nGreen";450;3;piece\n`);
    expect(job.delimiter).toBe(";");
    expect(job.columns.map((c) => c.field)).toEqual(["sku", "name", "unit_price", "stock_qty", "unit"]);
    expect(job.counts).toMatchObject({ create: 2, update: 0, error: 0 });
    const rows = await rowsOf(job.id);
    expect(rows.map((r) => [r.rowNo, r.action, r.label])).toEqual([
      [2, "create", `${p}A`],
      [3, "create", `${p}B`],
    ]);
    expect(rows[1]!.diff.name).toEqual({ from: null, to: "Tea Green" });
    expect(rows[0]!.diff.unit_price).toEqual({ from: null, to: "120.00" });
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("names row, column, value and problem for bad cells", async () => {
    const p = prefix();
    const job = await dry(
      [
        "sku,name,price,stock",
        `${p}1,Good,10,1`,
        `${p}2,Comma,"1,234.50",1`,
        `${p}3,Neg,-5,1`,
        `${p}4,NaN,NaN,1`,
        `${p}5,=SUM(A1:A2),10,1`,
        `${p}6,Ragged,10`,
        `${p}7,Decimal comma,"12,50",1`,
        `${p}8,,10,1`,
        `${p}9,Big,10,${"9".repeat(2000)}`,
      ].join("\n"),
    );
    const rows = await rowsOf(job.id);
    const err = (row: number) => rows.find((r) => r.rowNo === row)!.errors[0]!;
    expect(rows[0]!.action).toBe("create");
    expect(err(3)).toMatchObject({ column: "price", value: "1,234.50", code: "THOUSANDS_SEPARATOR" });
    expect(err(4)).toMatchObject({ column: "price", value: "-5", code: "NEGATIVE" });
    expect(err(5)).toMatchObject({ column: "price", value: "NaN", code: "INVALID_NUMBER" });
    expect(err(6)).toMatchObject({ column: "name", code: "FORMULA" });
    expect(err(7)).toMatchObject({ column: null, code: "RAGGED_ROW" });
    expect(err(7).message).toMatch(/3 cells but the header has 4/);
    expect(err(8)).toMatchObject({ column: "price", code: "DECIMAL_COMMA" });
    expect(err(9)).toMatchObject({ column: "name", code: "REQUIRED" });
    expect(err(10)).toMatchObject({ column: "stock", code: "TOO_LONG" });
    expect(job.counts.error).toBe(8);
    // All-or-nothing: refused, nothing written.
    const before = await databaseChecksum(t.db.pool);
    await expect(applyImport(t.ctx(), job.id)).rejects.toBeInstanceOf(ImportHasErrorsError);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("reads decimal commas when asked", async () => {
    const p = prefix();
    const job = await dry(`sku;name;price\n${p}1;Oil;"12,50"\n${p}2;Ghee;1.250,00\n`, { decimalComma: true });
    const rows = await rowsOf(job.id);
    expect(rows[0]!.diff.unit_price!.to).toBe("12.50");
    expect(rows[1]!.errors[0]!.code).toBe("THOUSANDS_SEPARATOR");
  });

  it("warns about big price changes, price 0, duplicate SKUs and new units", async () => {
    const p = prefix();
    await createItem(t.ctx(), { name: "Soap", unitPrice: "100", unit: "piece", sku: `${p}S` });
    const job = await dry(
      `sku,name,price,unit\n${p}S,Soap,180,piece\n${p}F,Free,0,piece\n${p}D,Dup,5,piece\n${p}D,Dup,5,piece\n${p}E,Dup2,5,piece\n${p}E,Dup2,6,piece\n${p}U,Odd,5,bushel-${p}\n`,
    );
    const rows = await rowsOf(job.id);
    const codes = (row: number) => rows.find((r) => r.rowNo === row)!.warnings.map((w) => w.code);
    expect(rows[0]!.action).toBe("update");
    expect(rows[0]!.diff).toEqual({ unit_price: { from: "100.00", to: "180.00" } });
    expect(codes(2)).toEqual(["PRICE_CHANGE"]);
    expect(codes(3)).toEqual(["PRICE_ZERO"]);
    expect(rows.find((r) => r.rowNo === 5)!.action).toBe("skip");
    expect(codes(5)).toEqual(["DUPLICATE_ROW"]);
    expect(rows.find((r) => r.rowNo === 7)!.errors[0]!.message).toMatch(/also on row 6 with different values/);
    expect(codes(8)).toEqual(["NEW_UNIT"]);
  });
});

describe("modes and empty cells", () => {
  async function setup() {
    const p = prefix();
    const a = await createItem(t.ctx(), { name: "Alpha", category: "Grocery", unit: "kg", unitPrice: "10", sku: `${p}A`, stockQty: "5" });
    return { p, a };
  }
  const csv = (p: string) => `sku,name,category,price\n${p}A,Alpha 2,,11\n${p}N,New,Beauty,20\n`;

  it("create_only creates new items and leaves existing ones", async () => {
    const { p, a } = await setup();
    const job = await dry(csv(p), { mode: "create_only" });
    expect((await rowsOf(job.id)).map((r) => r.action)).toEqual(["skip", "create"]);
    await applyImport(t.ctx(), job.id);
    expect((await getItem(t.ctx(), a.id)).name).toBe("Alpha");
  });

  it("update_only updates and creates nothing", async () => {
    const { p, a } = await setup();
    const job = await dry(csv(p), { mode: "update_only" });
    expect((await rowsOf(job.id)).map((r) => r.action)).toEqual(["update", "skip"]);
    await applyImport(t.ctx(), job.id);
    const after = await getItem(t.ctx(), a.id);
    expect([after.name, after.category, after.unitPrice.toFixed(2)]).toEqual(["Alpha 2", "Grocery", "11.00"]); // empty category kept
  });

  it("upsert with the clear policy resets an empty cell to its default", async () => {
    const { p, a } = await setup();
    const job = await dry(csv(p), { mode: "upsert", emptyCells: "clear" });
    const rows = await rowsOf(job.id);
    expect(rows.map((r) => r.action)).toEqual(["update", "create"]);
    expect(rows[0]!.diff.category).toEqual({ from: "Grocery", to: "Other" });
    await applyImport(t.ctx(), job.id);
    expect((await getItem(t.ctx(), a.id)).category).toBe("Other");
  });

  it("clear refuses to clear a required field; keep leaves it", async () => {
    const { p } = await setup();
    const text = `sku,name,price\n${p}A,,12\n`;
    expect((await rowsOf((await dry(text, { emptyCells: "clear" })).id))[0]!.errors[0]!.code).toBe("REQUIRED");
    expect((await rowsOf((await dry(text, { emptyCells: "keep" })).id))[0]!.action).toBe("update");
  });

  it("matches by exact name (any case) only when asked", async () => {
    const name = `Named ${prefix()}`;
    const item = await createItem(t.ctx(), { name, unitPrice: "5" });
    const text = `name,price\n${name.toUpperCase()},6\n`;
    expect((await rowsOf((await dry(text)).id))[0]!.action).toBe("create");
    const rows = await rowsOf((await dry(text, { matchByName: true })).id);
    expect([rows[0]!.action, rows[0]!.itemId]).toEqual(["update", item.id]);
  });

  it("takes an explicit mapping for headers it does not know", async () => {
    const p = prefix();
    const job = await dry(`Artikel,Bezeichnung,Preis,Notiz\n${p}1,Brot,3.5,x\n`, { mapping: { Artikel: "sku", Bezeichnung: "name", Preis: "unit_price" } });
    expect(job.columns).toEqual([
      { header: "Artikel", field: "sku" },
      { header: "Bezeichnung", field: "name" },
      { header: "Preis", field: "unit_price" },
      { header: "Notiz", field: null },
    ]);
    expect(job.counts.create).toBe(1);
  });
});

describe("apply and undo", () => {
  it("round trip: export then import of the same file changes nothing", async () => {
    await createItem(t.ctx(), { name: "-Minus start", unitPrice: "1", sku: `${prefix()}M` });
    await createItem(t.ctx(), { name: "No sku, \"quoted\"", category: "@home", unitPrice: "2.5", stockQty: "3.25" });
    await createItem(t.ctx(), { name: "'=Already quoted", unit: "'-", unitPrice: "4" });
    const inactive = await createItem(t.ctx(), { name: "Gone", unitPrice: "3" });
    await updateItem(t.ctx(), inactive.id, { isActive: false });
    const csv = await exported();
    const before = await databaseChecksum(t.db.pool);
    const job = await dry(csv);
    expect(job.counts.error).toBe(0);
    expect(job.counts.unchanged).toBe(job.rowsTotal);
    await applyImport(t.ctx(), job.id);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("applies stock as COUNT movements referencing the import, and undo restores exactly", async () => {
    const p = prefix();
    const a = await createItem(t.ctx(), { name: "Flour", unitPrice: "100", sku: `${p}F`, stockQty: "10" });
    const checksum = await databaseChecksum(t.db.pool);
    const job = await dry(`sku,name,price,stock\n${p}F,Flour fine,110,12.5\n${p}N,Salt,40,7\n`);
    const progress: number[] = [];
    const applied = await applyImport(t.ctx(), job.id, { onProgress: (d) => progress.push(d) });
    expect(applied.status).toBe("applied");
    expect(progress.at(-1)).toBe(2);
    const item = await getItem(t.ctx(), a.id);
    expect([item.name, item.unitPrice.toFixed(2), item.stockQty.toFixed(3)]).toEqual(["Flour fine", "110.00", "12.500"]);
    const moves = await listMovements(t.ctx(), a.id);
    expect([moves[0]!.reason, moves[0]!.quantity.toFixed(3), moves[0]!.importJobId]).toEqual(["COUNT", "2.500", job.id]);
    // The catalogue's change history shows what the import changed, and that it was the import.
    const history = await t.db.pool.query("SELECT field, before, after, actor_name FROM item_changes WHERE item_id = $1 ORDER BY field", [a.id]);
    expect(history.rows).toEqual([
      { field: "name", before: "Flour", after: "Flour fine", actor_name: `test (import #${job.id})` },
      { field: "unitPrice", before: "100.00", after: "110.00", actor_name: `test (import #${job.id})` },
    ]);
    expect(await bookViolations(t.db.pool)).toEqual([]);
    await expect(applyImport(t.ctx(), job.id)).rejects.toBeInstanceOf(ImportStateError);

    const undo = await undoImport(t.ctx(), job.id);
    expect(undo.undone).toBe(2);
    expect(undo.job.status).toBe("undone");
    const back = await getItem(t.ctx(), a.id);
    expect([back.name, back.unitPrice.toFixed(2), back.stockQty.toFixed(3)]).toEqual(["Flour", "100.00", "10.000"]);
    expect(await bookViolations(t.db.pool)).toEqual([]);
    // The item row is as before; the ledger keeps the count and its undo.
    const { rows } = await t.db.pool.query("SELECT count(*)::int AS n FROM items WHERE sku = $1", [`${p}N`]);
    expect(rows[0].n).toBe(0);
    expect(checksum).not.toBe(await databaseChecksum(t.db.pool)); // two ledger rows more
  });

  it("undo says which items changed since and, with partial, reverts the rest", async () => {
    const p = prefix();
    const a = await createItem(t.ctx(), { name: "Sold later", unitPrice: "10", sku: `${p}A`, stockQty: "5" });
    const b = await createItem(t.ctx(), { name: "Edited later", unitPrice: "10", sku: `${p}B` });
    const c = await createItem(t.ctx(), { name: "Untouched", unitPrice: "10", sku: `${p}C` });
    const job = await dry(`sku,price\n${p}A,20\n${p}B,20\n${p}C,20\n`);
    await applyImport(t.ctx(), job.id);
    await createBill(t.ctx(), { lines: [{ itemId: a.id, quantity: "1" }] });
    await updateItem(t.ctx(), b.id, { name: "Renamed" });

    const before = await databaseChecksum(t.db.pool);
    const err = (await undoImport(t.ctx(), job.id).catch((e: unknown) => e)) as UndoConflictError;
    expect(err).toBeInstanceOf(UndoConflictError);
    expect(err.conflicts.map((x) => [x.itemId, x.changed])).toEqual([
      [a.id, ["stock_qty", "stock movements"]],
      [b.id, ["name"]],
    ]);
    expect(err.undoable).toBe(1);
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    const partial = await undoImport(t.ctx(), job.id, { partial: true });
    expect([partial.undone, partial.keptCount, partial.job.status]).toEqual([1, 2, "partly_undone"]);
    expect((await getItem(t.ctx(), c.id)).unitPrice.toFixed(2)).toBe("10.00");
    expect((await getItem(t.ctx(), a.id)).unitPrice.toFixed(2)).toBe("20.00");
  });

  it("undo that would give back a SKU another item took since is refused, nothing undone", async () => {
    const p = prefix();
    const item = await createItem(t.ctx(), { name: "Renumbered", unitPrice: "10", sku: `${p}OLD` });
    const job = await dry(`id,sku\n${item.id},${p}NEW\n`);
    await applyImport(t.ctx(), job.id);
    await createItem(t.ctx(), { name: "Took the old code", unitPrice: "1", sku: `${p}OLD` });
    const before = await databaseChecksum(t.db.pool);
    const err = (await undoImport(t.ctx(), job.id).catch((e: unknown) => e)) as ImportStaleError;
    expect(err).toBeInstanceOf(ImportStaleError);
    expect(err.message).toContain(`SKU ${p}OLD, which the undo would give back, is now used by another item`);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("a sale during the import stays correct: ledger and stock agree", async () => {
    const p = prefix();
    const items = [];
    for (let k = 0; k < 30; k++) items.push(await createItem(t.ctx(), { name: `Busy ${k}`, unitPrice: "10", sku: `${p}${k}`, stockQty: "100" }));
    const lines = items.map((it, k) => `${p}${k},Busy ${k},11,50`);
    const job = await dry(`sku,name,price,stock\n${lines.join("\n")}\n`);
    const sales = Promise.all(items.slice(0, 10).map((it) => createBill(t.ctx(), { lines: [{ itemId: it.id, quantity: "2" }] })));
    await Promise.all([applyImport(t.ctx(), job.id), sales]);
    expect(await bookViolations(t.db.pool)).toEqual([]);
    for (const it of items.slice(0, 10)) {
      const now = await getItem(t.ctx(), it.id);
      // Either the sale came first (count then says 50) or after (50 - 2).
      expect(["50.000", "48.000"]).toContain(now.stockQty.toFixed(3));
    }
  });
});

describe("permissions", () => {
  it("needs EDIT_CATALOG, and ADJUST_STOCK for a stock column", async () => {
    const actor = (permissions: Permission[]): ServiceContext => ({
      db: t.db,
      actor: { kind: "staff", staffId: 1, name: "Sam", role: "MANAGER", permissions: new Set(permissions) },
    });
    const text = "sku,name,price\nPERM-1,Tea,10\n";
    await expect(dryRunImport(actor(["VIEW_CATALOG"]), file(text))).rejects.toBeInstanceOf(NotAuthorizedError);
    const job = await dryRunImport(actor(["EDIT_CATALOG"]), file(text));
    expect(job.counts.create).toBe(1);
    const err = await dryRunImport(actor(["EDIT_CATALOG"]), file("sku,name,price,stock\nPERM-1,Tea,10,5\n")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotAuthorizedError);
    expect((err as NotAuthorizedError).permission).toBe("ADJUST_STOCK");
    await expect(dryRunImport(t.ctx(), file(text)).then((j) => applyImport(actor(["VIEW_CATALOG"]), j.id))).rejects.toBeInstanceOf(NotAuthorizedError);
  });
});

describe("refused files leave nothing behind", () => {
  const cases: [string, Buffer | string, string][] = [
    ["empty", "", "EMPTY_FILE"],
    ["header only", "sku,name,price\n", "NO_ROWS"],
    ["xlsx", Buffer.from("PK\u0003\u0004rest-of-zip", "latin1"), "SPREADSHEET_WORKBOOK"],
    ["binary", Buffer.from([0x73, 0x6b, 0x75, 0x0a, 0x00, 0x01, 0x02]), "NOT_TEXT"],
    ["latin-1 in UTF-8", Buffer.concat([Buffer.from("sku,name,price\nA1,Caf"), Buffer.from([0xe9]), Buffer.from(",10\n")]), "INVALID_UTF8"],
    ["unclosed quote", 'sku,name,price\nA1,"Open,10\n', "UNCLOSED_QUOTE"],
    ["10 MB cell", `sku,name,price\nA1,"${"x".repeat(10_000_000)}",10\n`, "ROW_TOO_LARGE"],
    ["no key column", "colour,price\nred,10\n", "NO_KEY_COLUMN"],
    ["UTF-16", Buffer.from("\ufeffsku,name\n", "utf16le"), "UTF16"],
  ];
  it.each(cases)("%s", async (_name, content, reason) => {
    const before = await databaseChecksum(t.db.pool);
    const jobsBefore = (await t.db.pool.query("SELECT count(*)::int AS n FROM import_jobs")).rows[0].n;
    const err = (await dry(content).catch((e: unknown) => e)) as ImportFileError;
    expect(err, String(err)).toBeInstanceOf(ImportFileError);
    expect(err.reason).toBe(reason);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    expect((await t.db.pool.query("SELECT count(*)::int AS n FROM import_jobs")).rows[0].n).toBe(jobsBefore);
  });

  it("caps size and rows", async () => {
    const big = await dryRunImport(t.ctx(), file("sku,name,price\n" + "A,B,1\n".repeat(100)), {}, { maxBytes: 100, maxRows: 1000 }).catch((e: unknown) => e);
    expect((big as ImportFileError).reason).toBe("FILE_TOO_LARGE");
    const many = await dryRunImport(t.ctx(), file("sku,name,price\n" + "A,B,1\n".repeat(11)), {}, { maxBytes: 10_000, maxRows: 10 }).catch((e: unknown) => e);
    expect((many as ImportFileError).reason).toBe("TOO_MANY_ROWS");
    expect((many as Error).message).toMatch(/more than 10 rows/);
  });
});
