// schema.prisma is the model; prisma/migrations/*.sql is what builds the
// database. Prisma's migrate engine can't run here, so this test is what keeps
// them in agreement: tables, columns, types, nullability, indexes, keys, enums.
import fs from "node:fs";
import path from "node:path";
import internals from "@prisma/internals";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/env.ts";
import { useTestDatabase } from "../src/testing/fixtures.ts";

const t = useTestDatabase(2);

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  isRequired: boolean;
  isList: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationName?: string;
};
/** Indexes Prisma's schema language cannot express (expression indexes), kept in the SQL only. */
const SQL_ONLY_INDEXES = [
  "items.items_name_order_idx", // (lower(name), id) INCLUDE (name, sku, is_active): A–Z paging and the search walk
  "items.items_sku_lower_idx", // lower(sku): search by the start of an SKU, any case
  // (first 3 characters of word k, lower(name), id) INCLUDE (name, sku, is_active) for k = 2..6, and an A–Z index of names with 6+ spaces: word-start search
  ...[2, 3, 4, 5, 6].map((k) => `items.items_word${k}_idx`),
  "items.items_long_name_idx",
  "stock_alerts.stock_alerts_open_item_key unique", // partial unique (WHERE cleared_at IS NULL): one open alert per item
  "shifts.shifts_one_open_per_register unique", // partial unique (WHERE status = 'OPEN'): one open shift per register
  "report_sales.report_sales_day_totals_idx", // partial (WHERE hour = -1): the rollups' day totals
  "report_items.report_items_item_id_day_idx", // (item_id, day) INCLUDE (kind, category, last_line_id): top items' names, index only
];

type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = { model: string; type: "id" | "unique" | "normal" | "fulltext"; dbName?: string | null; fields: { name: string }[] };

async function model() {
  const dmmf = await internals.getDMMF({ datamodel: fs.readFileSync(path.join(projectRoot, "prisma/schema.prisma"), "utf8") });
  const dm = dmmf.datamodel as unknown as {
    models: DmmfModel[];
    enums: { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] }[];
    indexes: DmmfIndex[];
  };
  return dm;
}

/** The column type Prisma would create for a field, as information_schema spells it. */
function expectedType(f: DmmfField, enumTables: Map<string, string>): string {
  const native = f.nativeType;
  if (f.kind === "enum") return `enum:${enumTables.get(f.type)}`;
  switch (f.type) {
    case "Int":
      return "integer";
    case "BigInt":
      return "bigint";
    case "String":
      return native?.[0] === "Uuid" ? "uuid" : native?.[0] === "VarChar" ? `character varying(${native[1][0]})` : "text";
    case "Boolean":
      return "boolean";
    case "Json":
      return "jsonb";
    case "Decimal":
      return native ? `numeric(${native[1][0]},${native[1][1]})` : "numeric(65,30)";
    case "DateTime":
      if (native?.[0] === "Date") return "date";
      return native?.[0] === "Timestamptz" ? `timestamp with time zone(${native[1][0] ?? 3})` : `timestamp without time zone(${native?.[1][0] ?? 3})`;
    default:
      return `unknown:${f.type}`;
  }
}

describe("schema.prisma and the migrated database agree", () => {
  it("has the same tables, columns, indexes, foreign keys and enums", async () => {
    const dm = await model();
    const pool = t.db.pool;
    const table = (m: DmmfModel) => m.dbName ?? m.name;
    const column = (f: DmmfField) => f.dbName ?? f.name;
    const enumTables = new Map(dm.enums.map((e) => [e.name, e.dbName ?? e.name]));

    // Tables
    const { rows: tables } = await pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
    );
    expect(tables.map((r) => r.table_name).sort()).toEqual(dm.models.map(table).sort());

    for (const m of dm.models) {
      const scalars = m.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
      const { rows: cols } = await pool.query<{
        column_name: string;
        data_type: string;
        udt_name: string;
        is_nullable: string;
        numeric_precision: number | null;
        numeric_scale: number | null;
        datetime_precision: number | null;
        character_maximum_length: number | null;
      }>(`SELECT * FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, [table(m)]);
      const actual = Object.fromEntries(
        cols.map((c) => {
          let type = c.data_type;
          if (type === "USER-DEFINED") type = `enum:${c.udt_name}`;
          if (type === "ARRAY") type = `${c.udt_name.replace(/^_/, "")}[]`;
          if (type === "numeric") type = `numeric(${c.numeric_precision},${c.numeric_scale})`;
          if (type.startsWith("timestamp")) type = `${type}(${c.datetime_precision})`;
          if (type === "character varying") type = `character varying(${c.character_maximum_length})`;
          return [c.column_name, `${type}${c.is_nullable === "YES" ? "?" : ""}`];
        }),
      );
      // Prisma lists are NOT NULL arrays (text[] is udt "_text").
      const expected = Object.fromEntries(
        scalars.map((f) => [column(f), f.isList ? `${expectedType(f, enumTables)}[]` : `${expectedType(f, enumTables)}${f.isRequired ? "" : "?"}`]),
      );
      expect(actual, `columns of ${table(m)}`).toEqual(expected);
    }

    // Indexes (primary keys, unique and plain), by Prisma's naming convention unless mapped.
    const colOf = (modelName: string, field: string) => {
      const m = dm.models.find((x) => x.name === modelName)!;
      return column(m.fields.find((f) => f.name === field)!);
    };
    const expectedIndexes = [...SQL_ONLY_INDEXES, ...dm.indexes.map((ix) => {
      const m = dm.models.find((x) => x.name === ix.model)!;
      const cols = ix.fields.map((f) => colOf(ix.model, f.name));
      const suffix = ix.type === "id" ? "pkey" : ix.type === "unique" ? "key" : "idx";
      const name = ix.dbName ?? (ix.type === "id" ? `${table(m)}_pkey` : `${table(m)}_${cols.join("_")}_${suffix}`);
      return `${table(m)}.${name}${ix.type === "normal" ? "" : " unique"}`;
    })];
    const { rows: idx } = await pool.query<{ tablename: string; indexname: string; indexdef: string }>(
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    const actualIndexes = idx.map((i) => `${i.tablename}.${i.indexname}${/CREATE UNIQUE/.test(i.indexdef) ? " unique" : ""}`);
    expect(actualIndexes.sort()).toEqual(expectedIndexes.sort());

    // Foreign keys
    const expectedFks = dm.models.flatMap((m) =>
      m.fields
        .filter((f) => f.kind === "object" && f.relationFromFields?.length)
        .map((f) => {
          const target = dm.models.find((x) => x.name === f.type)!;
          const cols = f.relationFromFields!.map((name) => colOf(m.name, name));
          return `${table(m)}_${cols.join("_")}_fkey -> ${table(target)}`;
        }),
    );
    const { rows: fks } = await pool.query<{ conname: string; target: string }>(
      `SELECT conname, confrelid::regclass::text AS target FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
    );
    expect(fks.map((f) => `${f.conname} -> ${f.target.replace(/"/g, "")}`).sort()).toEqual(expectedFks.sort());

    // Enums
    for (const e of dm.enums) {
      const { rows } = await pool.query<{ v: string }>(
        `SELECT e.enumlabel AS v FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder`,
        [e.dbName ?? e.name],
      );
      expect(rows.map((r) => r.v)).toEqual(e.values.map((v) => v.dbName ?? v.name));
    }
  });

  it("records applied migrations the way prisma migrate deploy does", async () => {
    const { rows } = await t.db.pool.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name`,
    );
    const dirs = fs
      .readdirSync(path.join(projectRoot, "prisma/migrations"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(rows.map((r) => r.migration_name)).toEqual(dirs);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
    }
  });
});
