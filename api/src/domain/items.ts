// The catalogue: creating, editing, (de)activating, finding items. Stock is
// changed only through stock.ts so that every change leaves a ledger row.
import { createHash } from "node:crypto";
import type pg from "pg";
import { inTransaction } from "../db/database.ts";
import { actorName, actorStaffId, authorize } from "./access.ts";
import type { ServiceContext } from "./context.ts";
import { NotFoundError, Problems, ValidationError } from "./errors.ts";
import { Decimal, PRICE, QUANTITY, STOCK, parseDecimal, type DecimalRule } from "./money.ts";
import { decodeCursor, parseFirst, toPage, type Page } from "./pagination.ts";
import { ITEM_COLUMNS, toItem, type Item, type ItemRow } from "./rows.ts";
import { applyCount, recordMovement } from "./stock.ts";
import { CATEGORY, ITEM_NAME, NOTE, SKU, UNIT, parseId, parseText } from "./text.ts";

export type { Item };

export interface CreateItemInput {
  name: unknown;
  category?: unknown;
  unit?: unknown;
  unitPrice: unknown;
  stockQty?: unknown;
  sku?: unknown;
  /** Low stock at or below this (null: the category's default). */
  reorderPoint?: unknown;
  /** How much to order when low (null: the category's default). */
  reorderQty?: unknown;
  /** What one unit costs the shop, for margins (null: not recorded). */
  unitCost?: unknown;
}

/** The optional threshold and cost fields: undefined leaves them, null clears them. */
function parseStockFields(input: { reorderPoint?: unknown; reorderQty?: unknown; unitCost?: unknown }, p: Problems) {
  const opt = (v: unknown, path: string, rule: DecimalRule) => (v === undefined ? undefined : v === null ? null : p.take(() => parseDecimal(v, [path], rule)) ?? null);
  return {
    reorderPoint: opt(input.reorderPoint, "reorderPoint", STOCK),
    reorderQty: opt(input.reorderQty, "reorderQty", QUANTITY),
    unitCost: opt(input.unitCost, "unitCost", PRICE),
  };
}

export interface UpdateItemInput {
  name?: unknown;
  category?: unknown;
  unit?: unknown;
  unitPrice?: unknown;
  /** null clears the SKU. */
  sku?: unknown;
  isActive?: unknown;
  reorderPoint?: unknown;
  reorderQty?: unknown;
  unitCost?: unknown;
  /** A physical count: stock is set to it and the ledger records the difference. */
  countedQty?: unknown;
  /** Note for the count's ledger row. */
  countNote?: unknown;
}

export interface ListItemsInput {
  search?: string | null;
  category?: string | null;
  includeInactive?: boolean | null;
  /** Only items whose stock is below this quantity. */
  lowStockBelow?: unknown;
  /** Only items at or below their own reorder point (see thresholds.ts). */
  lowStockOnly?: boolean | null;
  first?: unknown;
  after?: unknown;
}

const isUniqueViolation = (err: unknown, constraint: string) =>
  (err as { code?: string; constraint?: string }).code === "23505" && (err as { constraint?: string }).constraint === constraint;

async function skuOwner(client: pg.PoolClient | pg.Pool, sku: string): Promise<number | undefined> {
  const { rows } = await client.query<{ id: number }>("SELECT id FROM items WHERE sku = $1", [sku]);
  return rows[0]?.id;
}

export async function createItem(ctx: ServiceContext, input: CreateItemInput): Promise<Item> {
  authorize(ctx, "EDIT_CATALOG");
  const p = new Problems();
  const name = p.take(() => parseText(input.name, ["name"], ITEM_NAME));
  const category = p.take(() => parseText(input.category ?? "Other", ["category"], CATEGORY));
  const unit = p.take(() => parseText(input.unit ?? "piece", ["unit"], UNIT));
  const unitPrice = p.take(() => parseDecimal(input.unitPrice, ["unitPrice"], PRICE));
  const stockQty = p.take(() => parseDecimal(input.stockQty ?? 0, ["stockQty"], STOCK));
  const sku = p.take(() => parseText(input.sku, ["sku"], SKU));
  const extra = parseStockFields(input, p);
  p.throwIfAny();

  try {
    return await inTransaction(ctx.db.pool, async (client) => {
      const { rows } = await client.query<ItemRow>(
        `INSERT INTO items (name, category, unit, unit_price, stock_qty, sku, reorder_point, reorder_qty, unit_cost)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${ITEM_COLUMNS}`,
        [
          name,
          category,
          unit,
          unitPrice!.toFixed(2),
          stockQty!.toFixed(3),
          sku,
          extra.reorderPoint?.toFixed(3) ?? null,
          extra.reorderQty?.toFixed(3) ?? null,
          extra.unitCost?.toFixed(2) ?? null,
        ],
      );
      const item = toItem(rows[0]!);
      if (!item.stockQty.isZero()) {
        await recordMovement(client, { itemId: item.id, quantity: item.stockQty, stockAfter: item.stockQty, reason: "restock", note: "Opening stock", actorId: actorStaffId(ctx.actor) });
      }
      return item;
    });
  } catch (err) {
    if (sku && isUniqueViolation(err, "items_sku_key")) {
      const owner = await skuOwner(ctx.db.pool, sku);
      throw ValidationError.one(["sku"], `SKU ${sku} is already used by item ${owner ?? "?"}`, "DUPLICATE");
    }
    throw err;
  }
}

export async function getItem(ctx: ServiceContext, id: unknown): Promise<Item> {
  authorize(ctx, "VIEW_CATALOG");
  const itemId = parseId(id, ["id"]);
  const { rows } = await ctx.db.pool.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = $1`, [itemId]);
  if (!rows[0]) throw new NotFoundError("Item", itemId);
  return toItem(rows[0]);
}

/** Finds an item by its exact SKU / barcode (active or not); null when none. */
export async function findItemBySku(ctx: ServiceContext, sku: unknown): Promise<Item | null> {
  authorize(ctx, "VIEW_CATALOG");
  const code = parseText(sku, ["sku"], { ...SKU, required: true });
  const { rows } = await ctx.db.pool.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE sku = $1`, [code]);
  return rows[0] ? toItem(rows[0]) : null;
}

/** Changes an item's details (and, for callers that send them together, its active flag and a stock count) in one transaction. */
export async function updateItem(ctx: ServiceContext, id: unknown, input: UpdateItemInput): Promise<Item> {
  const details = (["name", "category", "unit", "unitPrice", "sku", "isActive"] as const).some((f) => input[f] !== undefined);
  if (details || input.countedQty === undefined) authorize(ctx, "EDIT_CATALOG");
  if (input.countedQty !== undefined) authorize(ctx, "ADJUST_STOCK");
  const p = new Problems();
  const itemId = p.take(() => parseId(id, ["id"]));
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length + 1}`);
  };
  if (input.name !== undefined) set("name", p.take(() => parseText(input.name, ["name"], ITEM_NAME)));
  if (input.category !== undefined) set("category", p.take(() => parseText(input.category, ["category"], CATEGORY)));
  if (input.unit !== undefined) set("unit", p.take(() => parseText(input.unit, ["unit"], UNIT)));
  if (input.unitPrice !== undefined) set("unit_price", p.take(() => parseDecimal(input.unitPrice, ["unitPrice"], PRICE))?.toFixed(2));
  if (input.sku !== undefined) set("sku", p.take(() => parseText(input.sku, ["sku"], SKU)));
  if (input.isActive !== undefined) {
    if (typeof input.isActive === "boolean") set("is_active", input.isActive);
    else p.add(["isActive"], "must be true or false", "INVALID_TYPE");
  }
  const extra = parseStockFields(input, p);
  if (extra.reorderPoint !== undefined) set("reorder_point", extra.reorderPoint?.toFixed(3) ?? null);
  if (extra.reorderQty !== undefined) set("reorder_qty", extra.reorderQty?.toFixed(3) ?? null);
  if (extra.unitCost !== undefined) set("unit_cost", extra.unitCost?.toFixed(2) ?? null);
  const counted = input.countedQty === undefined ? undefined : p.take(() => parseDecimal(input.countedQty, ["countedQty"], STOCK));
  const countNote = p.take(() => parseText(input.countNote, ["countNote"], NOTE));
  p.throwIfAny();
  if (!sets.length && !counted) return getItem(ctx, itemId);

  try {
    return await inTransaction(ctx.db.pool, async (client) => {
      let item: Item | undefined;
      if (sets.length) {
        const { rows: old } = await client.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = $1 FOR UPDATE`, [itemId]);
        if (!old[0]) throw new NotFoundError("Item", itemId!);
        const { rows } = await client.query<ItemRow>(
          `UPDATE items SET ${sets.join(", ")}, updated_at = now() WHERE id = $1 RETURNING ${ITEM_COLUMNS}`,
          [itemId, ...values],
        );
        item = toItem(rows[0]!);
        await recordChanges(client, ctx, toItem(old[0]), item);
      }
      if (counted) item = (await applyCount(client, itemId!, counted, countNote, actorStaffId(ctx.actor))).item;
      return item!;
    });
  } catch (err) {
    if (isUniqueViolation(err, "items_sku_key")) {
      const sku = String(values[sets.findIndex((s) => s.startsWith("sku "))]);
      throw ValidationError.one(["sku"], `SKU ${sku} is already used by item ${(await skuOwner(ctx.db.pool, sku)) ?? "?"}`, "DUPLICATE");
    }
    throw err;
  }
}

/** Deactivated items stay on old bills but can no longer be sold or listed by default. */
export async function setItemActive(ctx: ServiceContext, id: unknown, active: boolean): Promise<Item> {
  authorize(ctx, "EDIT_CATALOG");
  const itemId = parseId(id, ["id"]);
  if (typeof active !== "boolean") throw ValidationError.one(["active"], "must be true or false", "INVALID_TYPE");
  return inTransaction(ctx.db.pool, async (client) => {
    const { rows: old } = await client.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = $1 FOR UPDATE`, [itemId]);
    if (!old[0]) throw new NotFoundError("Item", itemId);
    const { rows } = await client.query<ItemRow>(
      `UPDATE items SET is_active = $2, updated_at = CASE WHEN is_active = $2 THEN updated_at ELSE now() END
       WHERE id = $1 RETURNING ${ITEM_COLUMNS}`,
      [itemId, active],
    );
    const item = toItem(rows[0]!);
    await recordChanges(client, ctx, toItem(old[0]), item);
    return item;
  });
}

/** The catalogue fields whose changes go to the history, and how each is written there. */
const TRACKED: { field: string; value: (i: Item) => string | null }[] = [
  { field: "name", value: (i) => i.name },
  { field: "category", value: (i) => i.category },
  { field: "unit", value: (i) => i.unit },
  { field: "unitPrice", value: (i) => i.unitPrice.toFixed(2) },
  { field: "sku", value: (i) => i.sku },
  { field: "isActive", value: (i) => String(i.isActive) },
];

/** One history row per field that really changed, with who changed it, in the change's transaction. */
async function recordChanges(client: pg.PoolClient, ctx: ServiceContext, before: Item, after: Item) {
  const changed = TRACKED.map((t) => ({ itemId: after.id, field: t.field, before: t.value(before), after: t.value(after) })).filter((c) => c.before !== c.after);
  await insertItemChanges(client, ctx, changed);
}

export interface ItemChangeRow {
  itemId: number;
  field: string;
  before: string | null;
  after: string | null;
}

/** Writes change-history rows under the actor's name (with a note such as "import #7"), in the caller's transaction. */
export async function insertItemChanges(client: pg.PoolClient, ctx: ServiceContext, rows: ItemChangeRow[], note?: string) {
  if (!rows.length) return;
  await client.query(
    `INSERT INTO item_changes (item_id, field, before, after, actor_id, actor_name)
     SELECT i, f, b, a, $5, $6 FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS c(i, f, b, a)`,
    [rows.map((r) => r.itemId), rows.map((r) => r.field), rows.map((r) => r.before), rows.map((r) => r.after), actorStaffId(ctx.actor), note ? `${actorName(ctx.actor)} (${note})` : actorName(ctx.actor)],
  );
}

export interface ItemChangeEntry {
  id: number;
  itemId: number;
  field: string;
  before: string | null;
  after: string | null;
  actorId: number | null;
  actorName: string;
  createdAt: Date;
}

/** Who changed what on the catalogue ("who changed the price of sugar?"), newest first; one item or all. */
export async function listItemChanges(ctx: ServiceContext, input: { itemId?: unknown; first?: unknown } = {}): Promise<ItemChangeEntry[]> {
  authorize(ctx, "EDIT_CATALOG");
  const itemId = input.itemId == null ? undefined : parseId(input.itemId, ["itemId"]);
  const first = parseFirst(input.first);
  return ctx.db.prisma.itemChange.findMany({ where: itemId ? { itemId } : {}, orderBy: { id: "desc" }, take: first });
}

type ListCursor = [string, number];
/** A search's cursor also carries the rank group, so pages continue across group boundaries. */
type SearchCursor = [number, string, number];
const isListCursor = (k: unknown[]): k is ListCursor => k.length === 2 && typeof k[0] === "string" && Number.isInteger(k[1]);
const isSearchCursor = (k: unknown[]): k is SearchCursor =>
  k.length === 3 && Number.isInteger(k[0]) && (k[0] as number) >= 0 && (k[0] as number) <= 3 && typeof k[1] === "string" && Number.isInteger(k[2]);

/** Rank groups of a search, best first (see searchSql). */
export const SEARCH_GROUPS = ["exact SKU", "name starts with the term", "a word starts with the term", "any other match"] as const;

/**
 * Above this many trigram candidates a rank group is found by walking the A–Z
 * index instead: at that density 50 matches sit within a few thousand index
 * entries, while collecting and sorting every candidate costs in proportion to
 * their number (≈ 80 ms for 50,000). Below it, collecting is the cheaper side.
 */
export const SEARCH_COLLECT_LIMIT = 2000;

/**
 * A rank group walks at once, without the trigram probe, when the planner's
 * estimate (item_name_match_estimate: ANALYZE's sample of names) puts the
 * term's matches above this share of the catalogue and above
 * SEARCH_COLLECT_LIMIT. The probe alone costs ≈ 20 ms when it finds its 2,001
 * candidates (a heap fetch and a recheck each); at this share the walk meets a
 * page of 50 within ≈ 10,000 entries (0.3 µs each) when matches are spread out.
 * The statistics hold ≈ 1,000 names (migration item_search_estimate), so a share
 * this high means at least five of them matched: a rare term is seldom called
 * common by chance (and is then walked, as a common one); one the estimate
 * misses is probed as before.
 */
export const SEARCH_COMMON_SHARE = 0.005;

/** The A–Z list query (no search term): walks items_name_order_idx page by page. */
export function itemListSql(filter: string, limit: number): string {
  return `SELECT ${ITEM_COLUMNS}, lower(name) AS sort_name FROM items ${filter} ORDER BY lower(name), id LIMIT ${limit}`;
}

export interface SearchSqlParams {
  /** The term as typed ($n placeholder). */
  term: string;
  /**
   * `%term%`, LIKE-escaped; only for terms of 3+ characters. A shorter term
   * matches only the starts of names and words (groups 0–2): it has no trigram,
   * so a match inside a word could only be found by reading the whole catalogue.
   */
  anywhere?: string;
  /** `% term%`, LIKE-escaped: a word (after a space) starting with the term; only for terms under 3 characters (their trigram lookup for group 2) while a cursor is not past group 2. */
  wordStart?: string;
  /**
   * The term is 3+ characters with no space among its first three: group 2 reads
   * the word-position indexes (see WORD_POSITIONS) instead of walking the A–Z
   * index — "always" for exactly 3 characters (every entry under that key is a
   * match), "when common" for longer terms: first the trigram lookup, and only
   * if it finds more than SEARCH_COLLECT_LIMIT candidates. A longer term can be
   * rare while its first three letters begin a common word ("teapot" among
   * 50,000 "tea" entries): the lookup answers that in a fraction of a millisecond.
   */
  wordIndex?: "always" | "when common";
}

/**
 * Word positions 2..WORD_POSITIONS of a name each have an index on (the word's
 * first three characters, lower(name), id) (migration item_search_words): a
 * word-start search reads one range of each, already A–Z, however common the
 * term. Names with more spaces than that are walked through items_long_name_idx.
 */
export const WORD_POSITIONS = 6;
/** The indexed key of word k (split at single spaces, as the word-start match is). */
const wordKeySql = (k: number) => `left(split_part(lower(name), ' ', ${k}), 3)`;
/** Matches names with at least WORD_POSITIONS spaces (the partial index items_long_name_idx). */
const LONG_NAME_SQL = `name LIKE '${"% ".repeat(WORD_POSITIONS)}%'`;

/** The term's placeholders for searchSql (also how the search bench builds them). */
export function searchSqlParams(search: string, group: number, param: (value: string, name: string) => string): SearchSqlParams {
  const term = param(search, "term");
  if ([...search].length >= 3) {
    // Lower case never shortens a string, so a space in lower(term)'s first three characters is one in the term's.
    const chars = [...search];
    const wordIndex = chars.slice(0, 3).includes(" ") ? undefined : chars.length === 3 ? "always" : "when common";
    return { term, anywhere: param(`%${likeEscape(search)}%`, "any"), ...(wordIndex ? { wordIndex } : {}) };
  }
  return group <= 2 ? { term, wordStart: param(`% ${likeEscape(search)}%`, "word") } : { term };
}

/**
 * The ranked search query (exported so the search bench runs exactly this SQL).
 * One UNION ALL branch per rank group, in rank order, each A–Z and each limited:
 * PostgreSQL runs the branches lazily, so a page filled by the first groups never
 * touches the later ones. Each group picks its plan when it runs:
 *   0 exact SKU — the unique sku index;
 *   1 name starts with the term — a range of the A–Z index (the database sorts by
 *     code point, so a prefix is one contiguous range);
 *   2 a word starts with the term — for most terms of 3+ characters (wordIndex)
 *     the word-position indexes: one A–Z range per position, each limited, merged
 *     (for a term over 3 characters only when it is common, as below);
 *   2 (other terms), 3 any other match (the name contains it or the
 *     SKU starts with it: items_sku_lower_idx; a trigram lookup of digits, which
 *     every barcode shares, cost ≈ 70 ms at 1M items) — for 2 and 3: when the
 *     planner's estimate calls the term common (SEARCH_COMMON_SHARE), walking the
 *     A–Z index with the filter meets enough matches at once; otherwise first at
 *     most SEARCH_COLLECT_LIMIT + 1 candidates through the trigram indexes
 *     (MATERIALIZED: the planner may not turn it into a walk, and one probe serves
 *     both groups); if that is all of them, sort those, else walk. Terms under 3
 *     characters skip group 3 (see anywhere).
 * `filter` holds the other conditions (active, category, stock); `after` the cursor
 * condition for the group it points into. Every placeholder given is used; null
 * when the cursor is past every group this term can have.
 */
export function searchSql(
  filter: string,
  p: SearchSqlParams,
  /** The page size plus one: a number, or a placeholder (so one statement text serves every page size). */
  limit: number | string,
  after?: { group: number; condition: string },
): string | null {
  const and = (...c: string[]) => ["WHERE", [filter, ...c].filter(Boolean).join(" AND ")].join(" ");
  const from = (group: number) => (after && group === after.group ? [after.condition] : []);
  const keep = (group: number) => !after || group >= after.group;
  const notSku = `sku IS DISTINCT FROM ${p.term}`;
  const prefix = `starts_with(lower(name), lower(${p.term}))`;
  const word = `strpos(lower(name), ' ' || lower(${p.term})) > 0`;
  const skuPrefix = `starts_with(lower(sku), lower(${p.term}))`;
  const anywhere = `(strpos(lower(name), lower(${p.term})) > 0 OR ${skuPrefix})`;
  const order = `ORDER BY lower(name), id LIMIT ${limit}`;
  const cols = `${ITEM_COLUMNS}, lower(name) AS sort_name`;
  const N = SEARCH_COLLECT_LIMIT;
  const ctes: string[] = [];
  const branches: string[] = [];
  if (keep(0) && !after) branches.push(`(SELECT ${cols}, 0 AS grp FROM items ${and(`sku = ${p.term}`)} LIMIT 1)`);
  if (keep(1)) {
    branches.push(
      `(SELECT ${cols}, 1 AS grp FROM items ${and(`lower(name) >= lower(${p.term})`, `lower(name) < lower(${p.term}) || chr(1114111)`, notSku, ...from(1))} ${order})`,
    );
  }
  // The walk reads only the A–Z index (it includes name, sku and is_active, so the
  // filter runs on index entries), then fetches the rows it kept. Its first member
  // condition is the selective one (the term is in the name): one CASE makes it
  // run first, as the planner would order separate conditions by cost alone, and
  // most entries passed fail it (a third of the walk's time with the others first).
  const firstThen = (member: string[]) => (member.length > 1 ? `CASE WHEN ${member[0]} THEN ${member.slice(1).join(" AND ")} ELSE false END` : member[0]!);
  const walk = (group: number, member: string[], gate: string[] = []) =>
    branches.push(
      `(SELECT ${cols}, ${group} AS grp FROM items WHERE id IN (SELECT id FROM items ${and(...gate, firstThen(member), ...from(group))} ${order}) ORDER BY lower(name), id)`,
    );
  // A word starting with the term at position k has the term's first three
  // characters as its key. Each position's first `limit` members A–Z hold the
  // group's first `limit` (an item with two such words comes twice: DISTINCT ON).
  // The ranges are index-only (the indexes include name, sku and is_active), so
  // entries whose word only shares the first three letters cost little; the
  // rows are fetched for the page alone.
  const wordRanges = (group: number, member: string[], gate: string[] = []) => {
    const where = [...gate, ...member, ...from(group)];
    const positions = Array.from({ length: WORD_POSITIONS - 1 }, (_, i) =>
      and(`${wordKeySql(i + 2)} = left(lower(${p.term}), 3)`, `split_part(lower(name), ' ', ${i + 2}) <> ''`, ...where),
    );
    const ranges = [...positions, and(LONG_NAME_SQL, ...where)].map((w) => `(SELECT lower(name) AS sort_name, id FROM items ${w} ${order})`);
    const page = `SELECT DISTINCT ON (sort_name, id) id FROM (${ranges.join(" UNION ALL ")}) AS word_matches ORDER BY sort_name, id LIMIT ${limit}`;
    branches.push(`(SELECT ${cols}, ${group} AS grp FROM items WHERE id IN (${page}) ORDER BY lower(name), id)`);
  };
  // Groups 2 and 3: walk at once when the estimate calls the term common; else
  // probe the trigram index, collect when few, walk when not. CASE keeps the
  // order (the probe runs only when the estimate did not decide).
  const common = `(SELECT common FROM search_estimate)`;
  const withOnce = (name: string, body: string) => {
    if (!ctes.some((c) => c.startsWith(`${name} `))) ctes.push(`${name} AS MATERIALIZED (${body})`);
  };
  const collectOrWalk = (group: number, cte: string, candidates: string, member: string[], walkAll: (group: number, member: string[], gate: string[]) => void = walk) => {
    withOnce("search_estimate", `SELECT matches > ${N} AND matches >= ${SEARCH_COMMON_SHARE} * total AS common FROM item_name_match_estimate(${p.anywhere ?? p.wordStart})`);
    withOnce(cte, `SELECT ${ITEM_COLUMNS} FROM items ${and(candidates)} LIMIT ${N + 1}`);
    const probe = `(SELECT count(*) FROM ${cte})`;
    branches.push(`(SELECT ${cols}, ${group} AS grp FROM ${cte} WHERE CASE WHEN ${common} THEN false ELSE ${probe} <= ${N} END AND ${[...member, ...from(group)].join(" AND ")} ${order})`);
    walkAll(group, member, [`CASE WHEN ${common} THEN true ELSE ${probe} > ${N} END`]);
  };
  // From 3 characters on, the plain substring is the cheaper trigram lookup (the
  // word-start pattern adds the "  x" and " xy" trigrams, which most names share).
  // Groups 2 and 3 of such a term share one probe: the any-match candidates hold
  // every word match (the group's conditions pick its own from them).
  const skuRange = `lower(sku) >= lower(${p.term}) AND lower(sku) < lower(${p.term}) || chr(1114111)`;
  const anyCandidates = ["any_candidates", `(name ILIKE ${p.anywhere} OR (${skuRange}))`] as const;
  const wordMember = [word, `NOT ${prefix}`, notSku];
  if (keep(2) && p.wordIndex === "always") wordRanges(2, wordMember);
  else if (keep(2) && p.wordIndex) collectOrWalk(2, ...anyCandidates, wordMember, wordRanges);
  else if (keep(2) && p.anywhere) collectOrWalk(2, ...anyCandidates, wordMember);
  else if (keep(2) && p.wordStart) collectOrWalk(2, "word_candidates", `name ILIKE ${p.wordStart}`, wordMember);
  if (keep(3) && p.anywhere) collectOrWalk(3, ...anyCandidates, [anywhere, `NOT (${word})`, `NOT ${prefix}`, notSku]);
  if (!branches.length) return null;
  return `${ctes.length ? `WITH ${ctes.join(",\n")}\n` : ""}${branches.join("\nUNION ALL\n")}\nLIMIT ${limit}`;
}

/** A prepared statement's name for a search text (the same text, the same name). */
const searchStatementName = (sql: string) => `items.search.${createHash("sha256").update(sql).digest("base64url").slice(0, 22)}`;

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Lists items A–Z (case-insensitive), optionally filtered by category and low
 * stock. With a search term (part of the name, or the start of the SKU, any case)
 * the matches come ranked for a counter: the exact SKU, then names starting with
 * the term, then names with a word starting with it, then any other match — A–Z
 * within each group.
 */
export async function listItems(ctx: ServiceContext, input: ListItemsInput = {}): Promise<Page<Item>> {
  authorize(ctx, "VIEW_CATALOG");
  const p = new Problems();
  const first = p.take(() => parseFirst(input.first))!;
  const lowStock = input.lowStockBelow == null ? undefined : p.take(() => parseDecimal(input.lowStockBelow, ["lowStockBelow"], STOCK));
  const search = input.search == null ? "" : String(input.search).trim();
  if (search.length > 100) p.add(["search"], "must be at most 100 characters", "TOO_LONG");
  const after = search ? p.take(() => decodeCursor(input.after, isSearchCursor)) : p.take(() => decodeCursor(input.after, isListCursor));
  const category = input.category == null ? "" : String(input.category).trim();
  p.throwIfAny();

  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  if (!input.includeInactive) where.push("is_active");
  if (category) where.push(`lower(category) = lower(${param(category)})`);
  if (lowStock) where.push(`stock_qty < ${param(lowStock.toFixed(3))}`);
  if (input.lowStockOnly) where.push("stock_qty <= item_reorder_point(reorder_point, category)");
  const filter = where.join(" AND ");

  if (!search) {
    if (after) where.push(`(lower(name), id) > (${param(after[0])}, ${param(after[1])})`);
    const { rows } = await ctx.db.pool.query<ItemRow & { sort_name: string }>(itemListSql(where.length ? `WHERE ${where.join(" AND ")}` : "", first + 1), params);
    const page = toPage(rows, first, (r) => [r.sort_name, r.id]);
    return { ...page, nodes: page.nodes.map(toItem) };
  }
  const cursor = after as SearchCursor | undefined;
  const group = cursor?.[0] ?? 0;
  const sqlParams = searchSqlParams(search, group, param);
  // Group 0 holds at most one item: a cursor there only says "past it".
  const sql = searchSql(
    filter,
    sqlParams,
    param(first + 1),
    cursor && { group, condition: group === 0 ? "true" : `(lower(name), id) > (${param(cursor[1])}, ${param(cursor[2])})` },
  );
  if (!sql) return { nodes: [], cursors: [], hasNextPage: false, endCursor: null };
  // A named (prepared) statement: PostgreSQL parses this long text once per
  // connection instead of on every keystroke (≈ 0.5–1.5 ms of its 1–5 ms at 1M
  // items); each run is still planned for its own values. The text holds no
  // values, only the shape (filters × term class × cursor group): a bounded set,
  // a handful in use.
  const { rows } = await ctx.db.pool.query<ItemRow & { sort_name: string; grp: number }>({ name: searchStatementName(sql), text: sql, values: params });
  const page = toPage(rows, first, (r) => [r.grp, r.sort_name, r.id]);
  return { ...page, nodes: page.nodes.map(toItem) };
}

/** Categories of active items, A–Z, with how many items each holds. */
export async function listCategories(ctx: ServiceContext): Promise<{ name: string; itemCount: number }[]> {
  authorize(ctx, "VIEW_CATALOG");
  const { rows } = await ctx.db.pool.query<{ name: string; item_count: string }>(
    `SELECT category AS name, count(*) AS item_count FROM items WHERE is_active GROUP BY category ORDER BY lower(category)`,
  );
  return rows.map((r) => ({ name: r.name, itemCount: Number(r.item_count) }));
}
