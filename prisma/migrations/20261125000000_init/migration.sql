-- StoreLite initial schema: items, bills, bill lines and the stock ledger.
-- Written by hand in Prisma's layout (migrate cannot run offline); CHECK
-- constraints are the database's own guard behind the services' validation.

CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "stock_reason" AS ENUM ('sale', 'restock', 'adjustment', 'count', 'return');

-- CreateTable
CREATE TABLE "items" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "sku" TEXT,
    "category" TEXT NOT NULL DEFAULT 'Other',
    "unit" TEXT NOT NULL DEFAULT 'piece',
    "unit_price" DECIMAL(12,2) NOT NULL,
    "stock_qty" DECIMAL(12,3) NOT NULL DEFAULT 0,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "items_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "items_name_not_blank" CHECK (length(btrim("name")) > 0),
    CONSTRAINT "items_sku_not_blank" CHECK ("sku" IS NULL OR length(btrim("sku")) > 0),
    CONSTRAINT "items_unit_price_valid" CHECK ("unit_price" >= 0 AND "unit_price" <> 'NaN'),
    CONSTRAINT "items_stock_qty_valid" CHECK ("stock_qty" >= 0 AND "stock_qty" <> 'NaN')
);

-- CreateTable
CREATE TABLE "bills" (
    "id" SERIAL NOT NULL,
    "customer_name" TEXT,
    "store_name" TEXT,
    "subtotal" DECIMAL(12,2) NOT NULL,
    "total_amount" DECIMAL(12,2) NOT NULL,
    "idempotency_key" TEXT,
    "request_hash" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bills_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "bills_subtotal_valid" CHECK ("subtotal" >= 0 AND "subtotal" <> 'NaN'),
    CONSTRAINT "bills_total_amount_valid" CHECK ("total_amount" >= 0 AND "total_amount" <> 'NaN'),
    CONSTRAINT "bills_idempotency_has_hash" CHECK ("idempotency_key" IS NULL OR "request_hash" IS NOT NULL)
);

-- CreateTable
CREATE TABLE "bill_items" (
    "id" SERIAL NOT NULL,
    "bill_id" INTEGER NOT NULL,
    "item_id" INTEGER NOT NULL,
    "item_name" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "unit_price" DECIMAL(12,2) NOT NULL,
    "quantity" DECIMAL(12,3) NOT NULL,
    "line_total" DECIMAL(12,2) NOT NULL,

    CONSTRAINT "bill_items_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "bill_items_unit_price_valid" CHECK ("unit_price" >= 0 AND "unit_price" <> 'NaN'),
    CONSTRAINT "bill_items_quantity_valid" CHECK ("quantity" > 0 AND "quantity" <> 'NaN'),
    CONSTRAINT "bill_items_line_total_valid" CHECK ("line_total" >= 0 AND "line_total" <> 'NaN')
);

-- CreateTable
CREATE TABLE "stock_movements" (
    "id" SERIAL NOT NULL,
    "item_id" INTEGER NOT NULL,
    "quantity" DECIMAL(12,3) NOT NULL,
    "stock_after" DECIMAL(12,3) NOT NULL,
    "reason" "stock_reason" NOT NULL,
    "bill_id" INTEGER,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_movements_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "stock_movements_quantity_valid" CHECK ("quantity" <> 'NaN'),
    CONSTRAINT "stock_movements_stock_after_valid" CHECK ("stock_after" >= 0 AND "stock_after" <> 'NaN'),
    CONSTRAINT "stock_movements_sale_has_bill" CHECK ("reason" <> 'sale' OR "bill_id" IS NOT NULL)
);

-- CreateIndex
CREATE UNIQUE INDEX "items_sku_key" ON "items"("sku");

-- CreateIndex
CREATE INDEX "items_category_idx" ON "items"("category");

-- CreateIndex
CREATE INDEX "items_name_trgm_idx" ON "items" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "bills_idempotency_key_key" ON "bills"("idempotency_key");

-- CreateIndex
CREATE INDEX "bills_created_at_id_idx" ON "bills"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "bill_items_bill_id_idx" ON "bill_items"("bill_id");

-- CreateIndex
CREATE INDEX "bill_items_item_id_idx" ON "bill_items"("item_id");

-- CreateIndex
CREATE INDEX "stock_movements_item_id_id_idx" ON "stock_movements"("item_id", "id");

-- CreateIndex
CREATE INDEX "stock_movements_bill_id_idx" ON "stock_movements"("bill_id");

-- AddForeignKey
ALTER TABLE "bill_items" ADD CONSTRAINT "bill_items_bill_id_fkey" FOREIGN KEY ("bill_id") REFERENCES "bills"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bill_items" ADD CONSTRAINT "bill_items_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_bill_id_fkey" FOREIGN KEY ("bill_id") REFERENCES "bills"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
