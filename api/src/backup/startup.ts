// What `npm start` says about backups: a warning when the newest one is more
// than two days old (or there is none for a database older than that).
import type pg from "pg";
import { backupStatus, listBackupFiles } from "./schedule.ts";

export const STALE_AFTER_MS = 2 * 86_400_000;

export async function staleBackupWarning(pool: pg.Pool, dir: string, now = new Date()): Promise<string | undefined> {
  const recorded = (await backupStatus(pool, now)).lastGood?.at;
  const onDisk = listBackupFiles(dir)[0]?.at;
  const newest = [recorded, onDisk].filter((d): d is Date => d !== undefined).sort((a, b) => b.getTime() - a.getTime())[0];
  if (newest && now.getTime() - newest.getTime() <= STALE_AFTER_MS) return undefined;
  if (!newest) {
    // A database created in the last two days has had no chance of a daily backup yet.
    const { rows } = await pool.query<{ first: Date | null }>(`SELECT min(finished_at) AS first FROM _prisma_migrations`);
    const first = rows[0]?.first;
    if (!first || now.getTime() - first.getTime() <= STALE_AFTER_MS) return undefined;
    return `Warning: this database has never been backed up. Run "npm run cli -- backup", or leave StoreLite running at the backup time.`;
  }
  const days = Math.floor((now.getTime() - newest.getTime()) / 86_400_000);
  return `Warning: the newest backup is ${days} days old (${newest.toLocaleString()}). Check STORELITE_BACKUP_DIR and the backup status on /admin.`;
}
