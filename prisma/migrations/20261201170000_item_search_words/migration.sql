-- Word-start search at any catalogue size (searchSql, group 2, in api/src/domain/items.ts).
--
-- A common word ("tea" in 50,000 of 1M names) could only be found A–Z by walking
-- the whole A–Z index past every name without it (≈ 8 ms for 37,000 entries of
-- brands without tea), and a trigram lookup has no order. Here word k of a name
-- (k = 2..6, split at single spaces; word 1 is the name-prefix group) gets an
-- index on (its first three characters, lower(name), id): a term of 3+
-- characters reads one A–Z range per position, limited to a page, and merges
-- them. Names with six or more spaces (their later words have no position
-- index) are walked through a partial A–Z index that holds only them. Like the
-- A–Z index they include name, sku and is_active, so the filter runs on index
-- entries, and a longer term reads them only when the trigram lookup finds it
-- common (a rare "teapot" under 50,000 "tea" entries is collected instead).
--
-- Prisma cannot model expression indexes, so these live only here (the drift
-- test lists them as SQL-only). WORD_POSITIONS in items.ts must match.

-- CreateIndex
CREATE INDEX "items_word2_idx" ON "items" (left(split_part(lower("name"), ' ', 2), 3), lower("name"), "id") INCLUDE ("name", "sku", "is_active") WHERE split_part(lower("name"), ' ', 2) <> '';
CREATE INDEX "items_word3_idx" ON "items" (left(split_part(lower("name"), ' ', 3), 3), lower("name"), "id") INCLUDE ("name", "sku", "is_active") WHERE split_part(lower("name"), ' ', 3) <> '';
CREATE INDEX "items_word4_idx" ON "items" (left(split_part(lower("name"), ' ', 4), 3), lower("name"), "id") INCLUDE ("name", "sku", "is_active") WHERE split_part(lower("name"), ' ', 4) <> '';
CREATE INDEX "items_word5_idx" ON "items" (left(split_part(lower("name"), ' ', 5), 3), lower("name"), "id") INCLUDE ("name", "sku", "is_active") WHERE split_part(lower("name"), ' ', 5) <> '';
CREATE INDEX "items_word6_idx" ON "items" (left(split_part(lower("name"), ' ', 6), 3), lower("name"), "id") INCLUDE ("name", "sku", "is_active") WHERE split_part(lower("name"), ' ', 6) <> '';
CREATE INDEX "items_long_name_idx" ON "items" (lower("name"), "id") INCLUDE ("name", "sku", "is_active") WHERE "name" LIKE '% % % % % % %';
