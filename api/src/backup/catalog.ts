// What is in StoreLite's schema right now, read from pg_catalog: every table
// (in foreign-key order), its columns and the sequences. Backups use this
// instead of a table list, so tables added by any later migration are covered.
import type pg from "pg";

type Queryable = Pick<pg.ClientBase, "query">;

/** Tables that describe this database rather than the shop's data: never copied. */
export const NOT_BACKED_UP = new Set(["_prisma_migrations", "backup_runs"]);

export interface TableInfo {
  name: string;
  /** Columns in attnum order, generated columns left out (PostgreSQL computes them again). */
  columns: string[];
  partitioned: boolean;
}

export interface SequenceInfo {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

/** SQL identifier quoting, as format('%I') does. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

// Objects that belong to an extension (pg_trgm's functions and types) are the extension's, not ours.
const notFromExtension = (oidExpr: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = ${oidExpr} AND d.deptype = 'e')`;

/** Every table of the current schema, parents before children (foreign keys), then by name. */
export async function listTables(db: Queryable, opts: { includeMeta?: boolean } = {}): Promise<TableInfo[]> {
  const { rows } = await db.query<{ oid: number; name: string; kind: string; columns: string[] | null }>(
    `SELECT c.oid::int AS oid, c.relname AS name, c.relkind::text AS kind,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND ${notFromExtension("c.oid")}
      ORDER BY c.relname`,
  );
  const { rows: fks } = await db.query<{ child: number; parent: number }>(
    `SELECT DISTINCT conrelid::int AS child, confrelid::int AS parent FROM pg_constraint
      WHERE contype = 'f' AND conrelid <> confrelid`,
  );
  const tables = rows.filter((r) => opts.includeMeta || !NOT_BACKED_UP.has(r.name));
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  const parents = new Map<number, Set<number>>(tables.map((t) => [t.oid, new Set()]));
  for (const fk of fks) if (byOid.has(fk.child) && byOid.has(fk.parent)) parents.get(fk.child)!.add(fk.parent);
  // Kahn's algorithm, taking the alphabetically first ready table each time so the order is stable.
  const order: typeof tables = [];
  const left = new Set(tables.map((t) => t.oid));
  while (left.size) {
    const ready = tables.find((t) => left.has(t.oid) && [...parents.get(t.oid)!].every((p) => !left.has(p)));
    // A cycle of foreign keys: take the first remaining table; its checks run at the end of each COPY.
    const next = ready ?? tables.find((t) => left.has(t.oid))!;
    order.push(next);
    left.delete(next.oid);
  }
  return order.map((t) => ({ name: t.name, columns: t.columns ?? [], partitioned: t.kind === "p" }));
}

/** Every sequence of the current schema with its current value. */
export async function listSequences(db: Queryable): Promise<SequenceInfo[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'S' AND ${notFromExtension("c.oid")} ORDER BY c.relname`,
  );
  const out: SequenceInfo[] = [];
  for (const { name } of rows) {
    const { rows: v } = await db.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text, is_called FROM ${ident(name)}`);
    out.push({ name, lastValue: v[0]!.last_value, isCalled: v[0]!.is_called });
  }
  return out;
}

/** Row counts of the tables that hold rows (meta tables left out). */
export async function nonEmptyTables(db: Queryable): Promise<{ table: string; rows: number }[]> {
  const out: { table: string; rows: number }[] = [];
  for (const t of await listTables(db)) {
    const { rows } = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${ident(t.name)}`);
    const n = Number(rows[0]!.n);
    if (n > 0) out.push({ table: t.name, rows: n });
  }
  return out;
}

/**
 * Drops everything StoreLite's migrations create in the current schema (tables,
 * views, sequences, types, functions; not extensions' objects), leaving the
 * schema itself with its owner and grants. Runs inside the caller's transaction.
 */
export async function dropSchemaObjects(db: Queryable): Promise<void> {
  const { rows } = await db.query<{ sql: string }>(
    `SELECT format('DROP %s IF EXISTS %I CASCADE',
                   CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                                  WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, c.relname) AS sql
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND NOT c.relispartition
        AND ${notFromExtension("c.oid")}
      ORDER BY CASE c.relkind WHEN 'S' THEN 1 ELSE 0 END, c.relname`,
  );
  for (const r of rows) await db.query(r.sql);
  const { rows: others } = await db.query<{ sql: string }>(
    `SELECT format('DROP TYPE IF EXISTS %I CASCADE', t.typname) AS sql
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() AND ${notFromExtension("t.oid")}
        AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
     UNION ALL
     SELECT format('DROP ROUTINE IF EXISTS %I(%s) CASCADE', p.proname, pg_get_function_identity_arguments(p.oid))
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = current_schema() AND ${notFromExtension("p.oid")}`,
  );
  for (const r of others) await db.query(r.sql);
}

/**
 * For a bulk load, as pg_restore does: drops the foreign keys and the indexes
 * that back no constraint, and returns what puts them back. Building an index
 * once and checking a foreign key with one join is far faster than doing both
 * row by row; inside the load's transaction, a violation still undoes it all.
 */
export async function setAsideForLoad(db: Queryable): Promise<() => Promise<void>> {
  const { rows: fks } = await db.query<{ tbl: string; name: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = current_schema() AND c.contype = 'f' ORDER BY c.conname`,
  );
  const { rows: indexes } = await db.query<{ name: string; def: string }>(
    `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
      WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        AND ${notFromExtension("i.indexrelid")} ORDER BY ic.relname`,
  );
  for (const fk of fks) await db.query(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${ident(fk.name)}`);
  for (const ix of indexes) await db.query(`DROP INDEX ${ident(ix.name)}`);
  return async () => {
    for (const ix of indexes) await db.query(ix.def);
    for (const fk of fks) await db.query(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT ${ident(fk.name)} ${fk.def}`);
  };
}
