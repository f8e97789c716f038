// First run in a real browser: with no staff at all, every screen points to the
// one-time setup link; /setup?token=… (the link `npm start` prints) creates the
// owner and signs them in; the link then works no more.
import { describe, expect, it } from "vitest";
import { createSetupToken } from "@storelite/api/domain/staff";
import { useWebApp } from "./harness.ts";

const app = useWebApp();

describe("first-run owner setup", () => {
  it("creates the owner once, through the web app's own /setup page", async () => {
    // This file's database starts like a new shop's: no staff (the harness made a test owner; remove it).
    await app.sql("DELETE FROM sessions");
    await app.sql("DELETE FROM staff");
    const token = await createSetupToken(app.api.db);
    expect(token).toBeTruthy();

    const page = await app.newPage(undefined, { as: null });
    await page.goto(`${app.url}/pos`);
    await page.getByRole("heading", { name: "Set up the shop first" }).waitFor();

    // A wrong token is refused with the server's reason, and nothing is created.
    await page.goto(`${app.url}/setup?token=slsetup_wrong`);
    const form = page.getByRole("form", { name: "Create the owner" });
    await form.getByLabel("Your name").fill("Meera Shah");
    await form.getByLabel("Username").fill("meera");
    await form.getByLabel("Password").fill("meera-password-1");
    await form.getByRole("button", { name: "Create owner and sign in" }).click();
    await form.getByRole("alert").waitFor();
    expect(await app.sql("SELECT 1 FROM staff")).toHaveLength(0);

    await page.goto(`${app.url}/setup?token=${token}`);
    await form.getByLabel("Your name").fill("Meera Shah");
    await form.getByLabel("Username").fill("meera");
    await form.getByLabel("Password").fill("short");
    await page.screenshot({ path: "/tmp/storelite-setup.png" });
    await form.getByLabel("Password").fill("meera-password-1");
    await form.getByRole("button", { name: "Create owner and sign in" }).click();
    await page.waitForURL(/\/staff/);
    await page.getByTestId("whoami").filter({ hasText: "Meera Shah" }).waitFor();
    expect(await page.getByTestId("whoami").innerText()).toMatch(/^Meera Shah\s+Owner$/i);
    expect(await app.sql("SELECT username, role FROM staff")).toEqual([{ username: "meera", role: "OWNER" }]);

    // The link is spent.
    const again = await app.newPage(undefined, { as: null });
    await again.goto(`${app.url}/setup?token=${token}`);
    await again.getByRole("heading", { name: "The shop is set up" }).waitFor();
  });
});
