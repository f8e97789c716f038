// A new shop starts on the machine's clock: creating the first owner (the
// setup link, or STORELITE_OWNER_* for scripted installs) gives the shop the
// machine's time zone when it is still the migration's default, and never
// overrides a zone someone chose.
import { afterEach, describe, expect, it } from "vitest";
import { updateShopSettings } from "../src/domain/settings.ts";
import { createSetupToken, ensureOwnerFromEnv, setupOwner } from "../src/domain/staff.ts";
import { systemActor } from "../src/domain/access.ts";
import { useTestDatabase } from "../src/testing/fixtures.ts";

const t = useTestDatabase(3);
const machineZone = process.env.TZ;
afterEach(() => {
  if (machineZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineZone;
});

const zone = async () => (await t.db.pool.query<{ time_zone: string }>("SELECT time_zone FROM stores WHERE code = 'main'")).rows[0]!.time_zone;
const reset = async () => {
  await t.db.pool.query("DELETE FROM sessions");
  await t.db.pool.query("DELETE FROM staff");
  await t.db.pool.query("UPDATE stores SET time_zone = 'UTC'");
};

describe("the first owner sets the shop's clock", () => {
  it("the setup link: a shop on the default UTC takes the machine's zone", async () => {
    await reset();
    process.env.TZ = "Asia/Karachi";
    const token = (await createSetupToken(t.db))!;
    await setupOwner(t.db, { token, displayName: "Meera", username: "meera-tz", password: "meera-password-1" });
    expect(await zone()).toBe("Asia/Karachi");
  });

  it("a scripted owner does the same; a zone already chosen is kept", async () => {
    await reset();
    process.env.TZ = "Pacific/Kiritimati";
    await ensureOwnerFromEnv(t.db, { STORELITE_OWNER_USERNAME: "script-owner", STORELITE_OWNER_PASSWORD: "script-password-1" });
    expect(await zone()).toBe("Pacific/Kiritimati");

    await reset();
    await updateShopSettings({ db: t.db, actor: systemActor("test") }, { timeZone: "Europe/London" });
    process.env.TZ = "Asia/Karachi";
    await ensureOwnerFromEnv(t.db, { STORELITE_OWNER_USERNAME: "script-owner", STORELITE_OWNER_PASSWORD: "script-password-1" });
    expect(await zone()).toBe("Europe/London");
  });
});
