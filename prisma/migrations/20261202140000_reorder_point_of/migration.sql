-- The effective reorder point from the item's own and its category's default,
-- as one rule both item_reorder_point() (one item: looks the default up) and
-- the low-stock list (every item: joins the defaults once, instead of a
-- look-up per item) apply. Defaults are still read when the list is asked
-- for, so a changed category default applies at once.
CREATE FUNCTION "reorder_point_of"(p_own NUMERIC, p_category_default NUMERIC) RETURNS NUMERIC
LANGUAGE sql IMMUTABLE AS $$ SELECT COALESCE(p_own, p_category_default, 5) $$;

CREATE OR REPLACE FUNCTION "item_reorder_point"(p_point NUMERIC, p_category TEXT) RETURNS NUMERIC
LANGUAGE sql STABLE AS $$
  SELECT reorder_point_of(p_point, (SELECT d.reorder_point FROM category_defaults d WHERE lower(d.category) = lower(p_category)))
$$;
