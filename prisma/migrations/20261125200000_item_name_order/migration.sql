-- Items are listed A–Z by lower(name), id with keyset paging. Without an index
-- every page sorted the whole catalogue (≈ 40–120 ms at 100k items). Prisma
-- cannot model expression indexes, so this one lives only here (the drift
-- test lists it as SQL-only). Searches filter through the trigram indexes
-- first (a MATERIALIZED CTE in listItems) so this index never tempts the
-- planner to walk every name looking for a rare term.

-- CreateIndex
CREATE INDEX "items_name_order_idx" ON "items" (lower("name"), "id");
