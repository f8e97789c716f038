-- Item search matches `name ILIKE '%term%' OR sku ILIKE '%term%'`. With a
-- trigram index on name only, the OR made PostgreSQL scan the whole table
-- (0.7–1.9 s at 1M items, bench/RESULTS.md); with both it ORs two index scans.

-- CreateIndex
CREATE INDEX "items_sku_trgm_idx" ON "items" USING GIN ("sku" gin_trgm_ops);
