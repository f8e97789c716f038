-- A complete sale: the shop's settings on a stores row (one default store,
-- code 'main'), tax rates with a default per category and an override per
-- item, discounts, tax and payments on bills, and everything a reprint needs
-- snapshotted on the bill. Old bills get defaults that make them read exactly
-- as before: no discounts, no tax, each line charging its line_total.

-- CreateEnum
CREATE TYPE "discount_kind" AS ENUM ('PERCENT', 'AMOUNT');
CREATE TYPE "tax_rounding" AS ENUM ('PER_LINE', 'PER_BILL_PER_RATE');
CREATE TYPE "payment_method" AS ENUM ('CASH', 'CARD', 'MOBILE', 'OTHER');

-- CreateTable
CREATE TABLE "stores" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT,
    "phone" TEXT,
    "tax_registration_number" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'PKR',
    "receipt_footer" TEXT,
    "prices_include_tax" BOOLEAN NOT NULL DEFAULT false,
    "tax_rounding" "tax_rounding" NOT NULL DEFAULT 'PER_LINE',
    "cash_rounding" DECIMAL(4,2) NOT NULL DEFAULT 0,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "cashier_discount_limit" DECIMAL(6,3) NOT NULL DEFAULT 10,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stores_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "stores_name_not_blank" CHECK (length(btrim("name")) > 0),
    CONSTRAINT "stores_currency_iso" CHECK ("currency" ~ '^[A-Z]{3}$'),
    CONSTRAINT "stores_cash_rounding_valid" CHECK ("cash_rounding" IN (0, 0.05, 0.10, 0.50, 1.00)),
    CONSTRAINT "stores_cashier_discount_limit_valid" CHECK ("cashier_discount_limit" >= 0 AND "cashier_discount_limit" <= 100)
);
CREATE UNIQUE INDEX "stores_code_key" ON "stores"("code");
INSERT INTO "stores" ("code", "name") VALUES ('main', 'StoreLite');

-- CreateTable
CREATE TABLE "tax_rates" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "percent" DECIMAL(6,3) NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tax_rates_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tax_rates_name_not_blank" CHECK (length(btrim("name")) > 0),
    CONSTRAINT "tax_rates_percent_valid" CHECK ("percent" >= 0 AND "percent" <= 100 AND "percent" <> 'NaN')
);
CREATE UNIQUE INDEX "tax_rates_name_key" ON "tax_rates"("name");

-- Items keep their free-text category; this maps a category (any case, by
-- its lower-cased key) to its default rate.
CREATE TABLE "category_tax_rates" (
    "category_key" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "tax_rate_id" INTEGER NOT NULL,

    CONSTRAINT "category_tax_rates_pkey" PRIMARY KEY ("category_key"),
    CONSTRAINT "category_tax_rates_key_is_lower" CHECK ("category_key" = lower(btrim("category")))
);
CREATE INDEX "category_tax_rates_tax_rate_id_idx" ON "category_tax_rates"("tax_rate_id");
ALTER TABLE "category_tax_rates" ADD CONSTRAINT "category_tax_rates_tax_rate_id_fkey" FOREIGN KEY ("tax_rate_id") REFERENCES "tax_rates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An item's own rate overrides its category's.
ALTER TABLE "items" ADD COLUMN "tax_rate_id" INTEGER;
CREATE INDEX "items_tax_rate_id_idx" ON "items"("tax_rate_id");
ALTER TABLE "items" ADD CONSTRAINT "items_tax_rate_id_fkey" FOREIGN KEY ("tax_rate_id") REFERENCES "tax_rates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Bills: totals, the discount asked for and who asked/approved it, the
-- pricing rules and shop header in force. The staff ids get their foreign
-- keys when the staff table exists.
ALTER TABLE "bills"
    ADD COLUMN "store_id" INTEGER,
    ADD COLUMN "discount_total" DECIMAL(12,2) NOT NULL DEFAULT 0,
    ADD COLUMN "bill_discount_kind" "discount_kind",
    ADD COLUMN "bill_discount_value" DECIMAL(12,3),
    ADD COLUMN "bill_discount_amount" DECIMAL(12,2) NOT NULL DEFAULT 0,
    ADD COLUMN "bill_discount_reason" TEXT,
    ADD COLUMN "tax_total" DECIMAL(12,2) NOT NULL DEFAULT 0,
    ADD COLUMN "tax_breakdown" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "prices_include_tax" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "tax_rounding" "tax_rounding" NOT NULL DEFAULT 'PER_LINE',
    ADD COLUMN "cash_rounding" DECIMAL(12,2) NOT NULL DEFAULT 0,
    ADD COLUMN "change_due" DECIMAL(12,2) NOT NULL DEFAULT 0,
    ADD COLUMN "shop_header" JSONB,
    ADD COLUMN "discount_requested_by" INTEGER,
    ADD COLUMN "discount_approved_by" INTEGER,
    ADD CONSTRAINT "bills_discount_total_valid" CHECK ("discount_total" >= 0 AND "discount_total" <> 'NaN'),
    ADD CONSTRAINT "bills_bill_discount_valid" CHECK (("bill_discount_kind" IS NULL) = ("bill_discount_value" IS NULL) AND "bill_discount_amount" >= 0 AND "bill_discount_amount" <> 'NaN'),
    ADD CONSTRAINT "bills_tax_total_valid" CHECK ("tax_total" >= 0 AND "tax_total" <> 'NaN'),
    ADD CONSTRAINT "bills_cash_rounding_valid" CHECK ("cash_rounding" <> 'NaN'),
    ADD CONSTRAINT "bills_change_due_valid" CHECK ("change_due" >= 0 AND "change_due" <> 'NaN');
CREATE INDEX "bills_store_id_idx" ON "bills"("store_id");
ALTER TABLE "bills" ADD CONSTRAINT "bills_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Bill lines: the snapshot a reprint needs. line_total keeps its meaning
-- (price × quantity, rounded); charged_total is what the line charges after
-- discounts with tax included, and for an old line the same as line_total.
ALTER TABLE "bill_items"
    ADD COLUMN "sku" TEXT,
    ADD COLUMN "discount_kind" "discount_kind",
    ADD COLUMN "discount_value" DECIMAL(12,3),
    ADD COLUMN "discount_reason" TEXT,
    ADD COLUMN "line_discount" DECIMAL(12,2) NOT NULL DEFAULT 0,
    ADD COLUMN "bill_discount_share" DECIMAL(12,2) NOT NULL DEFAULT 0,
    ADD COLUMN "tax_rate_id" INTEGER,
    ADD COLUMN "tax_rate_name" TEXT,
    ADD COLUMN "tax_rate_percent" DECIMAL(6,3) NOT NULL DEFAULT 0,
    ADD COLUMN "taxable_amount" DECIMAL(12,2),
    ADD COLUMN "tax_amount" DECIMAL(12,2) NOT NULL DEFAULT 0,
    ADD COLUMN "charged_total" DECIMAL(12,2);
UPDATE "bill_items" SET "taxable_amount" = "line_total", "charged_total" = "line_total";
ALTER TABLE "bill_items"
    ALTER COLUMN "taxable_amount" SET NOT NULL,
    ALTER COLUMN "charged_total" SET NOT NULL,
    ADD CONSTRAINT "bill_items_discount_valid" CHECK (("discount_kind" IS NULL) = ("discount_value" IS NULL) AND "line_discount" >= 0 AND "bill_discount_share" >= 0 AND "line_discount" + "bill_discount_share" <= "line_total"),
    ADD CONSTRAINT "bill_items_tax_valid" CHECK ("tax_amount" >= 0 AND "tax_amount" <> 'NaN' AND "tax_rate_percent" >= 0 AND "taxable_amount" >= 0),
    ADD CONSTRAINT "bill_items_charged_total_valid" CHECK ("charged_total" >= 0 AND "charged_total" <> 'NaN');
CREATE INDEX "bill_items_tax_rate_id_idx" ON "bill_items"("tax_rate_id");
ALTER TABLE "bill_items" ADD CONSTRAINT "bill_items_tax_rate_id_fkey" FOREIGN KEY ("tax_rate_id") REFERENCES "tax_rates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateTable: how a bill was paid, in order. Cash records what was handed
-- over (tendered) and the change; amount is the part of the bill it paid.
CREATE TABLE "bill_payments" (
    "id" SERIAL NOT NULL,
    "bill_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "method" "payment_method" NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "tendered" DECIMAL(12,2),
    "change" DECIMAL(12,2) NOT NULL DEFAULT 0,
    "label" TEXT,
    "reference" TEXT,

    CONSTRAINT "bill_payments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "bill_payments_amount_valid" CHECK ("amount" >= 0 AND "amount" <> 'NaN'),
    CONSTRAINT "bill_payments_cash_only_change" CHECK (
        ("method" = 'CASH' AND "tendered" IS NOT NULL AND "tendered" - "amount" = "change")
        OR ("method" <> 'CASH' AND "tendered" IS NULL AND "change" = 0)),
    CONSTRAINT "bill_payments_other_has_label" CHECK ("method" <> 'OTHER' OR "label" IS NOT NULL)
);
CREATE UNIQUE INDEX "bill_payments_bill_id_position_key" ON "bill_payments"("bill_id", "position");
ALTER TABLE "bill_payments" ADD CONSTRAINT "bill_payments_bill_id_fkey" FOREIGN KEY ("bill_id") REFERENCES "bills"("id") ON DELETE CASCADE ON UPDATE CASCADE;
