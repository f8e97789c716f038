"use client";
// One line on /admin: when the last good backup was made (and a warning when
// it is old or the latest attempt failed), with a link to download a fresh one.
import { useBackupStatusQuery } from "../../gql/graphql.ts";

const STALE_SECONDS = 2 * 86_400;

function age(seconds: number): string {
  if (seconds < 90) return "just now";
  if (seconds < 5400) return `${Math.round(seconds / 60)} minutes ago`;
  if (seconds < 129_600) return `${Math.round(seconds / 3600)} hours ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

export function BackupStatusLine() {
  const [{ data, error }] = useBackupStatusQuery({ requestPolicy: "network-only" });
  const s = data?.backupStatus;
  let text: string;
  let warn = false;
  if (error) text = "Backup status unavailable.";
  else if (!s) text = "Backups: …";
  else if (!s.lastGoodAt || s.ageSeconds === null) {
    text = "No backup yet.";
    warn = true;
  } else {
    text = `Last backup ${age(s.ageSeconds)} (${new Date(s.lastGoodAt).toLocaleString()}).`;
    warn = s.ageSeconds > STALE_SECONDS;
  }
  return (
    <p className={`hint backup-status${warn || s?.lastError ? " warn" : ""}`} role="status" aria-label="Backup status">
      <span title={s?.lastGoodFile ?? undefined}>{text}</span>
      {s?.lastError ? <span> The latest attempt failed: {s.lastError} (retrying).</span> : null}{" "}
      <a href="/backup/download" download>
        Download a backup
      </a>
    </p>
  );
}
