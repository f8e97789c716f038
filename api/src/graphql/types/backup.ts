// Backups: the state /admin shows (last good backup, its age, the last failure).
// Making and restoring backups happens at the console and GET /backup/download.
import { getBackupStatus } from "../../domain/backup.ts";
import type { BackupStatus } from "../../backup/schedule.ts";
import { builder } from "../builder.ts";

const BackupStatusRef = builder.objectRef<BackupStatus>("BackupStatus").implement({
  description: "The newest good backup and the latest failure after it (null when none).",
  fields: (t) => ({
    lastGoodAt: t.field({ type: "DateTime", nullable: true, resolve: (s) => s.lastGood?.at ?? null }),
    lastGoodFile: t.string({ nullable: true, resolve: (s) => s.lastGood?.file ?? null }),
    lastGoodBytes: t.float({ nullable: true, description: "Size of the file in bytes.", resolve: (s) => s.lastGood?.bytes ?? null }),
    ageSeconds: t.int({ nullable: true, description: "Seconds since the last good backup.", resolve: (s) => s.ageSeconds }),
    lastErrorAt: t.field({ type: "DateTime", nullable: true, resolve: (s) => s.lastError?.at ?? null }),
    lastError: t.string({ nullable: true, description: "Why the latest backup after the last good one failed.", resolve: (s) => s.lastError?.message ?? null }),
  }),
});

builder.queryFields((t) => ({
  backupStatus: t.field({
    type: BackupStatusRef,
    description: "The state of backups (needs MANAGE_SETTINGS).",
    resolve: (_, _args, ctx) => getBackupStatus(ctx),
  }),
}));
