-- Catalogue import from a spreadsheet: a job per uploaded file (its options,
-- status and counts) and one row per data row of the file with the action the
-- dry run found, its field-by-field diff, errors and warnings, and after an
-- apply the exact before/after values that undo restores. Stock set by an
-- import is a COUNT movement that references its job.

-- CreateTable
CREATE TABLE "import_jobs" (
    "id" SERIAL NOT NULL,
    "file_name" TEXT,
    "file_bytes" INTEGER NOT NULL,
    "file_hash" TEXT NOT NULL,
    "delimiter" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "match_by_name" BOOLEAN NOT NULL DEFAULT false,
    "empty_cells" TEXT NOT NULL,
    "decimal_comma" BOOLEAN NOT NULL DEFAULT false,
    "columns" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'dry_run',
    "rows_total" INTEGER NOT NULL DEFAULT 0,
    "rows_done" INTEGER NOT NULL DEFAULT 0,
    "creates" INTEGER NOT NULL DEFAULT 0,
    "updates" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "skips" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "warnings" INTEGER NOT NULL DEFAULT 0,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "applied_at" TIMESTAMPTZ(6),
    "undone_at" TIMESTAMPTZ(6),
    "ledger_mark" INTEGER,

    CONSTRAINT "import_jobs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "import_jobs_mode_valid" CHECK ("mode" IN ('create_only', 'update_only', 'upsert')),
    CONSTRAINT "import_jobs_empty_cells_valid" CHECK ("empty_cells" IN ('keep', 'clear')),
    CONSTRAINT "import_jobs_status_valid" CHECK ("status" IN ('dry_run', 'applied', 'partly_undone', 'undone'))
);

-- CreateTable
CREATE TABLE "import_rows" (
    "id" SERIAL NOT NULL,
    "job_id" INTEGER NOT NULL,
    "row_no" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "item_id" INTEGER,
    "label" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "diff" JSONB NOT NULL DEFAULT '{}',
    "errors" JSONB NOT NULL DEFAULT '[]',
    "warnings" JSONB NOT NULL DEFAULT '[]',
    "before" JSONB,
    "after" JSONB,
    "undone" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "import_rows_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "import_rows_action_valid" CHECK ("action" IN ('create', 'update', 'unchanged', 'skip', 'error'))
);

-- AlterTable
ALTER TABLE "stock_movements" ADD COLUMN "import_job_id" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "import_rows_job_id_row_no_key" ON "import_rows"("job_id", "row_no");

-- CreateIndex
CREATE INDEX "import_rows_job_id_item_id_idx" ON "import_rows"("job_id", "item_id");

-- CreateIndex
CREATE INDEX "stock_movements_import_job_id_idx" ON "stock_movements"("import_job_id");

-- AddForeignKey
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "import_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_import_job_id_fkey" FOREIGN KEY ("import_job_id") REFERENCES "import_jobs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
