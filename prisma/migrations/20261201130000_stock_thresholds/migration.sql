-- Reorder thresholds, unit costs, cost and category snapshots on bill lines,
-- and low-stock alerts. Written by hand in Prisma's layout.

-- Per-item thresholds and cost; NULL thresholds fall back to the category's
-- defaults (category_defaults), then to item_reorder_point()'s built-in 5.
ALTER TABLE "items"
    ADD COLUMN "reorder_point" DECIMAL(12,3),
    ADD COLUMN "reorder_qty" DECIMAL(12,3),
    ADD COLUMN "unit_cost" DECIMAL(12,2),
    ADD CONSTRAINT "items_reorder_point_valid" CHECK ("reorder_point" IS NULL OR ("reorder_point" >= 0 AND "reorder_point" <> 'NaN')),
    ADD CONSTRAINT "items_reorder_qty_valid" CHECK ("reorder_qty" IS NULL OR ("reorder_qty" > 0 AND "reorder_qty" <> 'NaN')),
    ADD CONSTRAINT "items_unit_cost_valid" CHECK ("unit_cost" IS NULL OR ("unit_cost" >= 0 AND "unit_cost" <> 'NaN'));

-- CreateTable
CREATE TABLE "category_defaults" (
    "category" TEXT NOT NULL,
    "reorder_point" DECIMAL(12,3) NOT NULL,
    "reorder_qty" DECIMAL(12,3),
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "category_defaults_pkey" PRIMARY KEY ("category"),
    CONSTRAINT "category_defaults_reorder_point_valid" CHECK ("reorder_point" >= 0 AND "reorder_point" <> 'NaN'),
    CONSTRAINT "category_defaults_reorder_qty_valid" CHECK ("reorder_qty" IS NULL OR ("reorder_qty" > 0 AND "reorder_qty" <> 'NaN'))
);

-- The one definition of an item's effective thresholds (used by the item
-- queries, the low-stock list and the alert trigger). Category names match
-- case-insensitively, as the item filters do.
CREATE FUNCTION "item_reorder_point"(p_point NUMERIC, p_category TEXT) RETURNS NUMERIC
LANGUAGE sql STABLE AS $$
  SELECT COALESCE(p_point, (SELECT d.reorder_point FROM category_defaults d WHERE lower(d.category) = lower(p_category)), 5)
$$;

CREATE FUNCTION "item_reorder_qty"(p_qty NUMERIC, p_category TEXT) RETURNS NUMERIC
LANGUAGE sql STABLE AS $$
  SELECT COALESCE(p_qty, (SELECT d.reorder_qty FROM category_defaults d WHERE lower(d.category) = lower(p_category)))
$$;

-- Snapshots on bill lines: a report of last month never reads today's catalogue.
ALTER TABLE "bill_items"
    ADD COLUMN "category" TEXT NOT NULL DEFAULT 'Other',
    ADD COLUMN "unit_cost" DECIMAL(12,2),
    ADD CONSTRAINT "bill_items_unit_cost_valid" CHECK ("unit_cost" IS NULL OR ("unit_cost" >= 0 AND "unit_cost" <> 'NaN'));
UPDATE "bill_items" bi SET "category" = i."category" FROM "items" i WHERE i."id" = bi."item_id";

-- Reports filter bills by time.
CREATE INDEX "bills_created_at_idx" ON "bills"("created_at");

-- Low-stock alerts: at most one open alert per item (the partial unique index),
-- raised and cleared by a trigger in the same transaction as the stock change.
CREATE TABLE "stock_alerts" (
    "id" SERIAL NOT NULL,
    "item_id" INTEGER NOT NULL,
    "item_name" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "stock_qty" DECIMAL(12,3) NOT NULL,
    "reorder_point" DECIMAL(12,3) NOT NULL,
    "raised_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cleared_at" TIMESTAMPTZ(6),

    CONSTRAINT "stock_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "stock_alerts_open_item_key" ON "stock_alerts"("item_id") WHERE "cleared_at" IS NULL;

-- CreateIndex
CREATE INDEX "stock_alerts_raised_at_idx" ON "stock_alerts"("raised_at");

-- AddForeignKey
ALTER TABLE "stock_alerts" ADD CONSTRAINT "stock_alerts_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Every path that changes stock or thresholds (sales, adjustments, counts,
-- returns, edits) goes through an UPDATE/INSERT of items, so one trigger
-- covers them all. Raising a second alert while one is open does nothing.
CREATE FUNCTION "items_stock_alert"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  point NUMERIC := item_reorder_point(NEW.reorder_point, NEW.category);
BEGIN
  IF NEW.stock_qty <= point AND NEW.is_active THEN
    INSERT INTO stock_alerts (item_id, item_name, unit, stock_qty, reorder_point)
    VALUES (NEW.id, NEW.name, NEW.unit, NEW.stock_qty, point)
    ON CONFLICT (item_id) WHERE cleared_at IS NULL DO NOTHING;
  ELSE
    UPDATE stock_alerts SET cleared_at = now() WHERE item_id = NEW.id AND cleared_at IS NULL;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "items_stock_alert"
AFTER INSERT OR UPDATE OF "stock_qty", "reorder_point", "category", "is_active" ON "items"
FOR EACH ROW EXECUTE FUNCTION "items_stock_alert"();
