-- Ranked item search (searchSql in api/src/domain/items.ts): the planner's own
-- estimate of how many names match a pattern, so a common term walks the A–Z
-- index at once instead of first collecting up to 2,001 trigram candidates to
-- find out (≈ 20 ms at 1M items: each candidate is a heap fetch and a recheck).
-- The estimate comes from the column statistics (ANALYZE's sample of names),
-- costs one planning of a one-table query (no row is read), and is only a
-- hint: a term it does not call common is probed as before. VOLATILE only
-- because PostgreSQL runs EXPLAIN in no other kind of function; it writes nothing.
CREATE FUNCTION "item_name_match_estimate"(pattern TEXT, OUT matches DOUBLE PRECISION, OUT total DOUBLE PRECISION)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  plan JSON;
BEGIN
  SELECT greatest(reltuples, 0) INTO total FROM pg_class WHERE oid = 'items'::regclass;
  EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM items WHERE name ILIKE %L', pattern) INTO plan;
  matches := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::DOUBLE PRECISION;
END
$$;
