-- Searches for a common term walk the A–Z index and filter as they go (see
-- searchSql in api/src/domain/items.ts). Carrying name, sku and is_active in the
-- index lets that filter run on index entries alone (an index-only scan), a few
-- times cheaper per entry than fetching every row it passes; plain listing
-- uses the same index as before. Prisma cannot model expression indexes, so
-- this one lives only here (the drift test lists it as SQL-only).

-- DropIndex
DROP INDEX "items_name_order_idx";

-- CreateIndex
CREATE INDEX "items_name_order_idx" ON "items" (lower("name"), "id") INCLUDE ("name", "sku", "is_active");
