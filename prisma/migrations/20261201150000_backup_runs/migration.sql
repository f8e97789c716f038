-- Backups this database has had (see api/src/backup): one row per attempt, so
-- every StoreLite process can show the last good backup and the last error,
-- and the daily schedule runs once even with several API processes.
-- This table is never itself copied into a backup.

-- CreateTable
CREATE TABLE "backup_runs" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "slot" TEXT,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    "ok" BOOLEAN,
    "file" TEXT,
    "bytes" BIGINT,
    "rows" BIGINT,
    "error" TEXT,

    CONSTRAINT "backup_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "backup_runs_kind_check" CHECK ("kind" IN ('daily', 'manual', 'premigrate', 'download'))
);

-- CreateIndex
CREATE INDEX "backup_runs_started_at_idx" ON "backup_runs"("started_at");
