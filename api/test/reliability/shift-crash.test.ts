// Reliability of the close: a process killed with SIGKILL in the middle of
// closing a shift (the shift row already updated, the Z report not yet
// written) leaves nothing half-written — the shift is still open, no Z report,
// no Z number used — and a retry with the same idempotency key closes it once,
// with the figures a close would have had; a second retry answers the same.
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createBill } from "../../src/domain/bills.ts";
import { createItem } from "../../src/domain/items.ts";
import { updateShopSettings } from "../../src/domain/settings.ts";
import { closeShift, openShift, recordCashMovement } from "../../src/domain/shifts.ts";
import { databaseChecksum } from "../../src/testing/checksum.ts";
import { useTestDatabase } from "../../src/testing/fixtures.ts";

const t = useTestDatabase(6);
const CHILD = path.join(import.meta.dirname, "close-shift-child.ts");

async function lockWaiters(): Promise<number> {
  const { rows } = await t.db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'",
  );
  return rows[0]!.n;
}

describe("kill -9 during a close", () => {
  it("leaves the shift open with no Z report; the retry with the same key closes it exactly once", async () => {
    await updateShopSettings(t.ctx(), { shiftsEnabled: true });
    const item = await createItem(t.ctx(), { name: "Crash Tea", unitPrice: "12.50", stockQty: "100" });
    const { value: shift } = await openShift(t.ctx(), { register: "Crash counter", openingFloat: "200.00" });
    await createBill(t.ctx(), { lines: [{ itemId: item.id, quantity: "2" }], payments: [{ method: "CASH", amount: "50" }] });
    await recordCashMovement(t.ctx(), { kind: "PAID_OUT", amount: "5.00", reason: "stamps" });
    const before = await databaseChecksum(t.db.pool);

    // Hold the Z numbering lock: the child's close stops right before writing its Z report.
    const holder = await t.db.pool.connect();
    await holder.query("SELECT pg_advisory_lock(hashtext('storelite.z_reports'))");
    const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
      env: { ...process.env, DATABASE_URL: t.url, SHIFT_ID: String(shift.id), COUNTED: "240.00", CLOSE_KEY: "crash-close-1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    try {
      while ((await lockWaiters()) < 1) {
        if (child.exitCode !== null) throw new Error(`the child ended early:\n${output}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      // The child's transaction has closed the shift row but not committed: nobody else sees it.
      const { rows: mid } = await t.db.pool.query<{ status: string }>("SELECT status FROM shifts WHERE id = $1", [shift.id]);
      expect(mid[0]!.status).toBe("OPEN");
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
    } finally {
      await holder.query("SELECT pg_advisory_unlock(hashtext('storelite.z_reports'))");
      holder.release();
    }
    expect(output).not.toContain("closed Z");
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    // The dead client's backend rolls back once it notices; then nothing of the close is left.
    const retry = await closeShift(t.ctx(), { shiftId: shift.id, countedCash: "240.00", idempotencyKey: "crash-close-1" });
    const { rows: zs } = await t.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM z_reports");
    expect(zs[0]!.n).toBe(1);
    expect(retry.replayed).toBe(false);
    // Z numbers run without gaps: the killed close used none.
    expect(retry.value.zReport.number).toBe(1);
    expect(retry.value.zReport.figures.cash).toMatchObject({ openingFloat: "200.00", sales: "25.00", paidOut: "5.00", expected: "220.00", counted: "240.00", variance: "20.00" });
    expect(await databaseChecksum(t.db.pool)).not.toBe(before);

    const again = await closeShift(t.ctx(), { shiftId: shift.id, countedCash: "240.00", idempotencyKey: "crash-close-1" });
    expect(again.replayed).toBe(true);
    expect(again.value.zReport.number).toBe(retry.value.zReport.number);
    expect(again.value.zReport.figures).toEqual(retry.value.zReport.figures);
    expect(again.value.zReport.differences).toEqual([]);
  });
});
