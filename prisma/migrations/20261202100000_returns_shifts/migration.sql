-- Returns, voids and the cashier's day. A return is its own document against
-- a bill (lines, quantities, what happened to the goods, how the money went
-- back); a void marks the bill (nothing is deleted); a shift is one register's
-- drawer from opening float to counted close, with its cash paid in and out,
-- and a Z report is the immutable snapshot taken at close.

-- Shifts are off unless the owner turns them on (the original flows unchanged).
ALTER TABLE "stores" ADD COLUMN "shifts_enabled" BOOLEAN NOT NULL DEFAULT false;

-- Stock that comes back when a bill is voided.
ALTER TYPE "stock_reason" ADD VALUE IF NOT EXISTS 'void';

-- CreateEnum
CREATE TYPE "shift_status" AS ENUM ('OPEN', 'CLOSED');
CREATE TYPE "cash_movement_kind" AS ENUM ('PAID_IN', 'PAID_OUT');

-- CreateTable: one register's drawer. register_key is lower(trim(register)),
-- so "Counter 1" and "counter 1 " are the same register.
CREATE TABLE "shifts" (
    "id" SERIAL NOT NULL,
    "store_id" INTEGER NOT NULL,
    "register" TEXT NOT NULL,
    "register_key" TEXT NOT NULL,
    "status" "shift_status" NOT NULL DEFAULT 'OPEN',
    "opening_float" DECIMAL(12,2) NOT NULL,
    "opened_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "opened_by" INTEGER,
    "opened_by_name" TEXT,
    "open_key" TEXT,
    "closed_at" TIMESTAMPTZ(6),
    "closed_by" INTEGER,
    "closed_by_name" TEXT,
    "expected_cash" DECIMAL(12,2),
    "counted_cash" DECIMAL(12,2),
    "variance" DECIMAL(12,2),
    "close_note" TEXT,

    CONSTRAINT "shifts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "shifts_register_not_blank" CHECK (length(btrim("register")) > 0),
    CONSTRAINT "shifts_register_key_is_lower" CHECK ("register_key" = lower(btrim("register"))),
    CONSTRAINT "shifts_opening_float_valid" CHECK ("opening_float" >= 0 AND "opening_float" <> 'NaN'),
    CONSTRAINT "shifts_closed_has_count" CHECK (
        ("status" = 'OPEN' AND "closed_at" IS NULL AND "expected_cash" IS NULL AND "counted_cash" IS NULL AND "variance" IS NULL)
        OR ("status" = 'CLOSED' AND "closed_at" IS NOT NULL AND "expected_cash" IS NOT NULL AND "counted_cash" IS NOT NULL
            AND "variance" = "counted_cash" - "expected_cash" AND "counted_cash" >= 0))
);
CREATE UNIQUE INDEX "shifts_open_key_key" ON "shifts"("open_key");
CREATE INDEX "shifts_store_id_opened_at_idx" ON "shifts"("store_id", "opened_at");
-- At most one open shift per register.
CREATE UNIQUE INDEX "shifts_one_open_per_register" ON "shifts"("store_id", "register_key") WHERE "status" = 'OPEN';
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_opened_by_fkey" FOREIGN KEY ("opened_by") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_closed_by_fkey" FOREIGN KEY ("closed_by") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable: cash put into or taken out of the drawer during a shift, with why.
CREATE TABLE "cash_movements" (
    "id" SERIAL NOT NULL,
    "shift_id" INTEGER NOT NULL,
    "kind" "cash_movement_kind" NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "reason" TEXT NOT NULL,
    "actor_id" INTEGER,
    "actor_name" TEXT,
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cash_movements_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "cash_movements_amount_valid" CHECK ("amount" > 0 AND "amount" <> 'NaN'),
    CONSTRAINT "cash_movements_reason_not_blank" CHECK (length(btrim("reason")) > 0)
);
CREATE UNIQUE INDEX "cash_movements_idempotency_key_key" ON "cash_movements"("idempotency_key");
CREATE INDEX "cash_movements_shift_id_idx" ON "cash_movements"("shift_id");
ALTER TABLE "cash_movements" ADD CONSTRAINT "cash_movements_shift_id_fkey" FOREIGN KEY ("shift_id") REFERENCES "shifts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "cash_movements" ADD CONSTRAINT "cash_movements_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Bills: the shift that took the money, the void (who, when, why), and how
-- much of the bill has been refunded by returns.
ALTER TABLE "bills"
    ADD COLUMN "shift_id" INTEGER,
    ADD COLUMN "voided_at" TIMESTAMPTZ(6),
    ADD COLUMN "voided_by" INTEGER,
    ADD COLUMN "voided_by_name" TEXT,
    ADD COLUMN "void_reason" TEXT,
    ADD COLUMN "void_approved_by" INTEGER,
    ADD COLUMN "refunded_total" DECIMAL(12,2) NOT NULL DEFAULT 0,
    ADD CONSTRAINT "bills_void_complete" CHECK (
        ("voided_at" IS NULL AND "voided_by_name" IS NULL AND "void_reason" IS NULL AND "voided_by" IS NULL AND "void_approved_by" IS NULL)
        OR ("voided_at" IS NOT NULL AND "void_reason" IS NOT NULL AND length(btrim("void_reason")) > 0)),
    ADD CONSTRAINT "bills_refunded_total_valid" CHECK ("refunded_total" >= 0 AND "refunded_total" <= "total_amount"),
    -- A bill with returns cannot be voided (and a voided bill cannot be returned).
    ADD CONSTRAINT "bills_void_or_returns" CHECK ("voided_at" IS NULL OR "refunded_total" = 0);
CREATE INDEX "bills_shift_id_idx" ON "bills"("shift_id");
ALTER TABLE "bills" ADD CONSTRAINT "bills_shift_id_fkey" FOREIGN KEY ("shift_id") REFERENCES "shifts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "bills" ADD CONSTRAINT "bills_voided_by_fkey" FOREIGN KEY ("voided_by") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "bills" ADD CONSTRAINT "bills_void_approved_by_fkey" FOREIGN KEY ("void_approved_by") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Bill lines: how much has come back. Never more than was sold, never more
-- money than the line charged: the database itself refuses it.
ALTER TABLE "bill_items"
    ADD COLUMN "returned_qty" DECIMAL(12,3) NOT NULL DEFAULT 0,
    ADD COLUMN "refunded_total" DECIMAL(12,2) NOT NULL DEFAULT 0,
    ADD CONSTRAINT "bill_items_returned_qty_valid" CHECK ("returned_qty" >= 0 AND "returned_qty" <= "quantity"),
    ADD CONSTRAINT "bill_items_refunded_total_valid" CHECK ("refunded_total" >= 0 AND "refunded_total" <= "charged_total");

-- CreateTable: a return (its id is the return number printed on the slip).
CREATE TABLE "bill_returns" (
    "id" SERIAL NOT NULL,
    "bill_id" INTEGER NOT NULL,
    "store_id" INTEGER,
    "shift_id" INTEGER,
    "reason" TEXT NOT NULL,
    "refund_total" DECIMAL(12,2) NOT NULL,
    "tax_total" DECIMAL(12,2) NOT NULL DEFAULT 0,
    "discount_total" DECIMAL(12,2) NOT NULL DEFAULT 0,
    "actor_id" INTEGER,
    "actor_name" TEXT,
    "approved_by" INTEGER,
    "approved_by_name" TEXT,
    "idempotency_key" TEXT,
    "request_hash" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bill_returns_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "bill_returns_reason_not_blank" CHECK (length(btrim("reason")) > 0),
    CONSTRAINT "bill_returns_amounts_valid" CHECK ("refund_total" >= 0 AND "refund_total" <> 'NaN' AND "tax_total" >= 0 AND "discount_total" >= 0),
    CONSTRAINT "bill_returns_idempotency_has_hash" CHECK ("idempotency_key" IS NULL OR "request_hash" IS NOT NULL)
);
CREATE UNIQUE INDEX "bill_returns_idempotency_key_key" ON "bill_returns"("idempotency_key");
CREATE INDEX "bill_returns_bill_id_idx" ON "bill_returns"("bill_id");
CREATE INDEX "bill_returns_shift_id_idx" ON "bill_returns"("shift_id");
CREATE INDEX "bill_returns_created_at_idx" ON "bill_returns"("created_at");
ALTER TABLE "bill_returns" ADD CONSTRAINT "bill_returns_bill_id_fkey" FOREIGN KEY ("bill_id") REFERENCES "bills"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "bill_returns" ADD CONSTRAINT "bill_returns_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "bill_returns" ADD CONSTRAINT "bill_returns_shift_id_fkey" FOREIGN KEY ("shift_id") REFERENCES "shifts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "bill_returns" ADD CONSTRAINT "bill_returns_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "bill_returns" ADD CONSTRAINT "bill_returns_approved_by_fkey" FOREIGN KEY ("approved_by") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable: the lines of a return. refund_amount is what goes back for
-- this line (tax included), tax_amount the tax part of it; restock says
-- whether the goods went back on the shelf (false: damaged, recorded only).
CREATE TABLE "bill_return_lines" (
    "id" SERIAL NOT NULL,
    "return_id" INTEGER NOT NULL,
    "bill_item_id" INTEGER NOT NULL,
    "item_id" INTEGER NOT NULL,
    "quantity" DECIMAL(12,3) NOT NULL,
    "restock" BOOLEAN NOT NULL,
    "refund_amount" DECIMAL(12,2) NOT NULL,
    "tax_amount" DECIMAL(12,2) NOT NULL DEFAULT 0,
    "discount_amount" DECIMAL(12,2) NOT NULL DEFAULT 0,

    CONSTRAINT "bill_return_lines_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "bill_return_lines_quantity_valid" CHECK ("quantity" > 0 AND "quantity" <> 'NaN'),
    CONSTRAINT "bill_return_lines_amounts_valid" CHECK ("refund_amount" >= 0 AND "refund_amount" <> 'NaN' AND "tax_amount" >= 0 AND "tax_amount" <= "refund_amount" AND "discount_amount" >= 0)
);
CREATE UNIQUE INDEX "bill_return_lines_return_id_bill_item_id_key" ON "bill_return_lines"("return_id", "bill_item_id");
CREATE INDEX "bill_return_lines_bill_item_id_idx" ON "bill_return_lines"("bill_item_id");
CREATE INDEX "bill_return_lines_item_id_idx" ON "bill_return_lines"("item_id");
ALTER TABLE "bill_return_lines" ADD CONSTRAINT "bill_return_lines_return_id_fkey" FOREIGN KEY ("return_id") REFERENCES "bill_returns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "bill_return_lines" ADD CONSTRAINT "bill_return_lines_bill_item_id_fkey" FOREIGN KEY ("bill_item_id") REFERENCES "bill_items"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "bill_return_lines" ADD CONSTRAINT "bill_return_lines_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateTable: how the refund was paid out, in order (by default to the
-- bill's own payment methods; cash comes out of the current drawer).
CREATE TABLE "bill_return_payments" (
    "id" SERIAL NOT NULL,
    "return_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "method" "payment_method" NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "label" TEXT,
    "reference" TEXT,

    CONSTRAINT "bill_return_payments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "bill_return_payments_amount_valid" CHECK ("amount" > 0 AND "amount" <> 'NaN')
);
CREATE UNIQUE INDEX "bill_return_payments_return_id_position_key" ON "bill_return_payments"("return_id", "position");
ALTER TABLE "bill_return_payments" ADD CONSTRAINT "bill_return_payments_return_id_fkey" FOREIGN KEY ("return_id") REFERENCES "bill_returns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The ledger row of goods coming back names the return line.
ALTER TABLE "stock_movements" ADD COLUMN "return_line_id" INTEGER;
CREATE INDEX "stock_movements_return_line_id_idx" ON "stock_movements"("return_line_id");
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_return_line_id_fkey" FOREIGN KEY ("return_line_id") REFERENCES "bill_return_lines"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateTable: the Z report, numbered by its id, written once at close.
CREATE TABLE "z_reports" (
    "id" SERIAL NOT NULL,
    "shift_id" INTEGER NOT NULL,
    "store_id" INTEGER NOT NULL,
    "figures" JSONB NOT NULL,
    "created_by" INTEGER,
    "created_by_name" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "z_reports_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "z_reports_shift_id_key" ON "z_reports"("shift_id");
ALTER TABLE "z_reports" ADD CONSTRAINT "z_reports_shift_id_fkey" FOREIGN KEY ("shift_id") REFERENCES "shifts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "z_reports" ADD CONSTRAINT "z_reports_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "z_reports" ADD CONSTRAINT "z_reports_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A Z report is never changed or removed once written.
CREATE FUNCTION "z_reports_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'Z report % is immutable: it cannot be changed or deleted', OLD.id USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER "z_reports_immutable" BEFORE UPDATE OR DELETE ON "z_reports" FOR EACH ROW EXECUTE FUNCTION "z_reports_immutable"();
