// Shop wall-clock times as instants, checked against PostgreSQL's own time
// zone rules (`timestamp AT TIME ZONE zone`) for random times in zones with
// and without DST, including half-hour shifts and days that start in a gap.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/fixtures.ts";
import { shopWallClockInstant, startOfShopDay } from "./shop.ts";

const t = useTestDatabase(2);

const ZONES = ["UTC", "Asia/Karachi", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata", "America/St_Johns"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

describe("shopWallClockInstant", () => {
  it("agrees with PostgreSQL for random wall-clock times (DST changes included)", async () => {
    const samples = fc.sample(
      fc.record({
        zone: fc.constantFrom(...ZONES),
        day: fc.date({ min: new Date("2019-01-01T00:00:00Z"), max: new Date("2031-12-31T00:00:00Z"), noInvalidDate: true }),
        // Midnight half of the time: date bounds are midnights, and some zones change the clock there.
        hour: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 23 })),
        minute: fc.constantFrom(0, 15, 30, 59),
      }),
      { numRuns: 400, seed: 11 },
    );
    // Every DST change of 2026 in these zones, at the minutes around it.
    for (const zone of ZONES) for (const day of ["2026-03-08", "2026-03-29", "2026-04-05", "2026-09-06", "2026-10-04", "2026-10-25", "2026-11-01"])
      for (const hour of [0, 1, 2, 3]) samples.push({ zone, day: new Date(`${day}T00:00:00Z`), hour, minute: 30 });
    const texts = samples.map((s) => `${s.day.toISOString().slice(0, 10)}T${pad(s.hour)}:${pad(s.minute)}:00`);
    const { rows } = await t.db.pool.query<{ at: Date }>(
      "SELECT (w::timestamp AT TIME ZONE z) AS at FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(w, z, n) ORDER BY n",
      [texts, samples.map((s) => s.zone)],
    );
    const wrong = samples.flatMap((s, i) => {
      const mine = shopWallClockInstant(texts[i]!, s.zone)!.toISOString();
      const theirs = rows[i]!.at.toISOString();
      return mine === theirs ? [] : [`${texts[i]} ${s.zone}: ${mine} vs PostgreSQL ${theirs}`];
    });
    expect(wrong).toEqual([]);
  });

  it("takes a date as that day's midnight in the shop, and refuses days that do not exist", () => {
    expect(shopWallClockInstant("2026-11-25", "Asia/Karachi")!.toISOString()).toBe("2026-11-24T19:00:00.000Z");
    expect(shopWallClockInstant("2026-11-25", "Asia/Karachi", 1)!.toISOString()).toBe("2026-11-25T19:00:00.000Z");
    expect(shopWallClockInstant("2026-11-25", "Pacific/Pago_Pago")!.toISOString()).toBe("2026-11-25T11:00:00.000Z");
    expect(shopWallClockInstant("2026-02-31", "UTC")).toBeUndefined();
    expect(shopWallClockInstant("2026-11-25T24:00", "UTC")).toBeUndefined();
    expect(shopWallClockInstant("25/11/2026", "UTC")).toBeUndefined();
  });

  it("starts the shop's day at the shop's midnight, not the server's", async () => {
    for (const zone of ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Karachi"]) {
      const { rows } = await t.db.pool.query<{ at: Date }>("SELECT date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1 AS at", [zone]);
      expect(startOfShopDay(zone).toISOString(), zone).toBe(rows[0]!.at.toISOString());
    }
  });
});
