// /account in Chromium: a cashier opens it from their name in the top bar,
// is told when the current password is wrong, changes the password (their
// other browser is signed out, this one stays) and sets a PIN.
import { describe, expect, it } from "vitest";
import { TEST_PASSWORD, signedInStaff } from "@storelite/api/testing/fixtures";
import { useWebApp } from "./harness.ts";

const app = useWebApp();

describe("your account", () => {
  it("changes your own password and PIN from the page the top bar's name leads to", async () => {
    const me = await signedInStaff(app.api.db, "CASHIER", "Account Cashier");
    const page = await app.newPage(undefined, { as: null });
    await app.signIn(page, me.staff.username, TEST_PASSWORD);
    const other = await app.newPage(undefined, { as: null });
    await app.signIn(other, me.staff.username, TEST_PASSWORD);

    await page.getByTestId("whoami").click();
    await page.getByRole("heading", { name: "Your account" }).waitFor();
    const password = page.getByRole("region", { name: "Change password" });
    await password.getByLabel("Current password").fill("not-my-password");
    await password.getByLabel("New password", { exact: true }).fill("a-new-long-password");
    await password.getByLabel("New password again").fill("a-new-long-password");
    await password.getByRole("button", { name: "Change password" }).click();
    await password.getByText("is not your current password").waitFor();

    await password.getByLabel("Current password").fill(TEST_PASSWORD);
    await password.getByLabel("New password again").fill("a-new-long-passwort");
    await password.getByRole("button", { name: "Change password" }).click();
    await password.getByText("does not match the new password").waitFor();
    await password.getByLabel("New password again").fill("a-new-long-password");
    await password.getByRole("button", { name: "Change password" }).click();
    await password.getByRole("status").filter({ hasText: "Password changed" }).waitFor();

    // This browser is still signed in; the other one is sent to the sign-in page on its next step.
    await page.reload();
    await page.getByRole("heading", { name: "Your account" }).waitFor();
    await other.goto(`${app.url}/bills`);
    await other.waitForURL(/\/signin/);
    const signIn = await app.api.anonymous.graphql<{ signIn: { __typename: string } }>(
      "mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) { __typename } }",
      { u: me.staff.username, p: "a-new-long-password" },
    );
    expect(signIn.data?.signIn.__typename).toBe("SignInSuccess");

    const pin = page.getByRole("region", { name: "PIN for POS terminals" });
    await pin.getByLabel("Current password").fill("a-new-long-password");
    await pin.getByLabel("New PIN").fill("12");
    await pin.getByRole("button", { name: "Set PIN" }).click();
    await pin.getByText("must be 4 to 6 digits").waitFor();
    await pin.getByLabel("New PIN").fill("86420");
    await pin.getByRole("button", { name: "Set PIN" }).click();
    await pin.getByRole("status").filter({ hasText: "PIN set" }).waitFor();
    expect(await pin.getByText("You have a PIN.").count()).toBe(1);
    const rows = await app.sql<{ has_pin: boolean }>("SELECT pin_hash IS NOT NULL AS has_pin FROM staff WHERE id = $1", [me.staff.id]);
    expect(rows).toEqual([{ has_pin: true }]);
  });
});
