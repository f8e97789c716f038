// A throw-away embedded PostgreSQL for one bench run: temp data dir, free
// port, the project's migrations, and a catalogue loaded with one SQL statement.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort, startEmbeddedPostgres } from "../../api/src/db/embedded.ts";
import { migrate } from "../../api/src/db/migrate.ts";
import { onCleanup } from "./cleanup.ts";

export interface BenchDb {
  url: string;
  dataDir: string;
  pool: pg.Pool;
  /** Connection settings for libpq tools (pgbench, psql). */
  libpq: { host: string; port: string; user: string; password: string; database: string };
}

export async function startBenchDb(log: (m: string) => void = console.log): Promise<BenchDb> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-bench-"));
  fs.chmodSync(root, 0o755); // as root, PostgreSQL runs as `postgres` and must enter it
  onCleanup("remove temp dir", () => fs.rmSync(root, { recursive: true, force: true }));
  const started = Date.now();
  // pgbench runs up to 64 clients; shared_buffers as in the earlier results (PostgreSQL's default).
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), port: await freePort(), settings: { max_connections: "200", shared_buffers: "128MB" } });
  onCleanup("stop PostgreSQL", () => server.stop());
  const pool = new pg.Pool({ connectionString: server.url, max: 4 });
  onCleanup("close bench pool", () => pool.end());
  await migrate(pool);
  const u = new URL(server.url);
  log(`PostgreSQL on 127.0.0.1:${server.port} (temp dir ${root}), migrated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    url: server.url,
    dataDir: server.dataDir,
    pool,
    libpq: {
      host: u.hostname,
      port: u.port,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: u.pathname.slice(1),
    },
  };
}

/** Ids of rare items get this word: a selective search term (~1 in 10,007 items). */
export const RARE_WORD = "Saffron";
export const STOCK_PER_ITEM = 1_000_000;

/**
 * Adds items with ids from..to (inclusive): realistic shop names built from
 * brand × product × variant × size word lists, an EAN-like SKU, plenty of stock.
 * Secondary indexes are dropped and rebuilt around the load (much faster than
 * maintaining the GIN index row by row); their definitions come from the
 * migrated database, so the bench always measures the project's real indexes.
 */
export async function loadItems(pool: pg.Pool, from: number, to: number, log: (m: string) => void = console.log): Promise<void> {
  const started = Date.now();
  const { rows: indexes } = await pool.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.tablename = 'items' AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'items'::regclass)`,
  );
  for (const ix of indexes) await pool.query(`DROP INDEX ${ix.indexname}`);
  await pool.query(
    `WITH w AS (SELECT
        '{Tapal,Lipton,Nestle,Shan,National,Dalda,Sufi,Habib,Knorr,Olpers,Haleeb,Mitchells,Rafhan,Kolson,Peek,Young,Lux,Safeguard,Dettol,Surf,Ariel,Bonus,Colgate,Sensodyne,Pantene,Sunsilk,Head,Fair,Ponds,Nivea,Vaseline,Gillette,Pampers,Molfix,Tullo,Eva,Canolive,Kisan,Mezan,Seasons,Sprite,Pepsi,Coke,Nurpur,Prema,Adams,Dawn,Bake,Gourmet,Ismail}'::text[] AS brand,
        '{Tea,Green Tea,Tea Whitener,Milk,Yogurt,Butter,Cheese,Cooking Oil,Ghee,Rice,Basmati Rice,Flour,Sugar,Salt,Red Chilli,Turmeric,Coriander,Cumin,Garam Masala,Biryani Masala,Ketchup,Mayonnaise,Jam,Honey,Noodles,Macaroni,Vermicelli,Biscuits,Rusk,Bread,Soap,Shampoo,Conditioner,Toothpaste,Toothbrush,Detergent,Dishwash,Bleach,Floor Cleaner,Tissue,Diapers,Baby Wipes,Face Wash,Lotion,Petroleum Jelly,Razor,Shaving Foam,Juice,Soft Drink,Mineral Water,Lentils,Chickpeas,Kidney Beans,Corn Flour,Custard,Jelly,Dates,Almonds,Cashews,Raisins}'::text[] AS product,
        '{Classic,Premium,Family,Value,Gold,Original,Fresh,Lite,Extra,Super,Royal,Natural,Herbal,Active,Pure,Select,Choice,Special,Daily,Mega}'::text[] AS variant,
        '{50g,100g,250g,500g,1kg,2kg,5kg,250ml,500ml,1L,1.5L,5L}'::text[] AS size,
        '{Grocery,Dairy,Spices,Beverages,Bakery,Personal Care,Household,Baby Care,Snacks,Dry Fruits}'::text[] AS category
     )
     INSERT INTO items (id, name, sku, category, unit, unit_price, stock_qty)
     SELECT g,
            w.brand[1 + (g * 7) % 50] || ' ' || w.product[1 + (g * 13) % 60] || ' '
              || CASE WHEN g % 10007 = 0 THEN '${RARE_WORD}' ELSE w.variant[1 + (g * 3) % 20] END || ' ' || w.size[1 + (g * 11) % 12],
            lpad((8960000000000 + g)::text, 13, '0'),
            w.category[1 + (g * 13) % 60 / 6],
            CASE WHEN (g * 13) % 60 IN (9, 10, 11, 12, 13) THEN 'kg' ELSE 'piece' END,
            (10 + (g::bigint * 7919) % 490000 / 100.0)::numeric(12,2),
            $3
     FROM generate_series($1::int, $2::int) AS g, w`,
    [from, to, STOCK_PER_ITEM],
  );
  await pool.query(`SELECT setval(pg_get_serial_sequence('items', 'id'), (SELECT max(id) FROM items))`);
  for (const ix of indexes) await pool.query(ix.indexdef);
  await pool.query("VACUUM ANALYZE items");
  log(`loaded items ${from}..${to} (${(to - from + 1).toLocaleString("en")}) with ${indexes.length} indexes rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
