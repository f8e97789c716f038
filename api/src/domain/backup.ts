// Backups as services: every door (console, GraphQL, the download route) goes
// through these, so the MANAGE_SETTINGS check covers them all. The machinery
// (file format, COPY, schedule) is in api/src/backup.
import type { Writable } from "node:stream";
import { writeBackup } from "../backup/backup.ts";
import type { Manifest } from "../backup/format.ts";
import { restoreBackup, verifyBackup, type RestoreResult } from "../backup/restore.ts";
import { backupStatus, recordedBackup, type BackupStatus } from "../backup/schedule.ts";
import { authorize } from "./access.ts";
import type { ServiceContext } from "./context.ts";

/** A backup file in `dir` now (recorded in backup_runs, so /admin shows it). */
export async function backupNow(ctx: ServiceContext, dir: string) {
  authorize(ctx, "MANAGE_SETTINGS");
  return recordedBackup(ctx.db.pool, dir, "manual");
}

/** A fresh backup streamed to `out` (the web app's download); nothing is kept on disk. */
export async function streamBackup(ctx: ServiceContext, out: Writable): Promise<Manifest> {
  authorize(ctx, "MANAGE_SETTINGS");
  return writeBackup(ctx.db.pool, out);
}

export async function checkBackupFile(ctx: Pick<ServiceContext, "actor">, file: string): Promise<Manifest> {
  authorize(ctx, "MANAGE_SETTINGS");
  return verifyBackup(file);
}

export async function restoreFromBackup(ctx: ServiceContext, file: string, opts: { force?: boolean; log?: (m: string) => void } = {}): Promise<RestoreResult> {
  authorize(ctx, "MANAGE_SETTINGS");
  return restoreBackup(ctx.db.pool, file, opts);
}

export async function getBackupStatus(ctx: ServiceContext): Promise<BackupStatus> {
  authorize(ctx, "MANAGE_SETTINGS");
  return backupStatus(ctx.db.pool);
}
