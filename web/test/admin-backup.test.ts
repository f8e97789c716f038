// /admin's backup status line and its download link, in a real browser on the
// real API: no backup yet, then the one just made; the downloaded file is a
// complete backup.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifyBackup } from "@storelite/api/backup/restore";
import { recordedBackup } from "@storelite/api/backup/schedule";
import { useWebApp } from "./harness.ts";
import { createItem } from "./ops.ts";

const app = useWebApp();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-web-backup-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("/admin backups", () => {
  it("shows the last backup and downloads a fresh one", async () => {
    await createItem(app, { name: "Green Tea", category: "Grocery", unit: "piece", unitPrice: "450", stockQty: "12" });
    const page = await app.newPage();
    await page.goto(`${app.url}/admin`);
    const status = page.getByRole("status", { name: "Backup status" });
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/No backup yet/);

    await recordedBackup(app.api.db.pool, dir, "manual");
    await page.reload();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/Last backup just now/);
    await page.screenshot({ path: "/tmp/storelite-admin-backup.png" });

    const [download] = await Promise.all([page.waitForEvent("download"), status.getByRole("link", { name: "Download a backup" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^storelite-\d{8}-\d{6}-download\.storelite\.gz$/);
    const file = path.join(dir, "downloaded.storelite.gz");
    await download.saveAs(file);
    const manifest = await verifyBackup(file);
    expect(manifest.tables.find((t) => t.name === "items")?.rows).toBe(1);
  });
});
