-- Ranked item search (searchSql in api/src/domain/items.ts).
--
-- A common term walks the A–Z index and filters as it goes. Carrying name, sku
-- and is_active in that index lets the filter run on index entries alone (an
-- index-only scan), several times cheaper per entry than fetching every row it
-- passes; plain listing uses the same index as before.
--
-- An SKU now matches by its start (any case) through a btree on lower(sku):
-- the trigram index on sku answered a barcode in ≈ 70 ms at 1M items, since
-- every code shares the same digit trigrams; it goes.
--
-- Prisma cannot model expression indexes, so these live only here (the drift
-- test lists them as SQL-only).

-- DropIndex
DROP INDEX "items_name_order_idx";

-- CreateIndex
CREATE INDEX "items_name_order_idx" ON "items" (lower("name"), "id") INCLUDE ("name", "sku", "is_active");

-- DropIndex
DROP INDEX "items_sku_trgm_idx";

-- CreateIndex
CREATE INDEX "items_sku_lower_idx" ON "items" (lower("sku"));
