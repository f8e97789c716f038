// "Who is working?": the console program holds the database's credentials, so
// the machine trusts it, but it records a person on every bill and stock change
// and offers only what that person's role allows. Scripts authenticate with
// STORELITE_TOKEN (an API token, or a session token) instead of the prompt.
import type { Database } from "../db/database.ts";
import { systemActor, type Actor } from "../domain/access.ts";
import { DomainError, InvalidCredentialsError, TooManyAttemptsError, ValidationError } from "../domain/errors.ts";
import { authenticate, staffActor } from "../domain/sessions.ts";
import { checkPassword, checkPin, createStaff, staffCount } from "../domain/staff.ts";
import { EndOfInput, type Prompter } from "./prompt.ts";

/** The per-address rate limit counts console attempts under this name. */
export const CONSOLE_ADDRESS = "console";

export class SignInRefused extends Error {}

/** STORELITE_TOKEN → its actor, or a refusal saying why. */
export async function tokenActor(db: Database, token: string): Promise<Actor> {
  const { actor } = await authenticate(db, token.trim());
  if (actor.kind === "anonymous") throw new SignInRefused(`STORELITE_TOKEN is not accepted: ${actor.reason ?? "unknown token"}`);
  return actor;
}

/** Asks who is working (username, then PIN or password) until someone signs in; on a fresh shop, creates the owner. */
export async function askWhoIsWorking(db: Database, io: Prompter, out: (line: string) => void): Promise<Actor> {
  if ((await staffCount(db)) === 0) return createFirstOwner(db, io, out);
  for (let attempt = 1; ; attempt++) {
    const username = (
      await io.ask("Username: ").catch((err: unknown) => {
        // Nothing typed yet: ending here is like leaving the menu.
        throw err instanceof EndOfInput ? new EndOfInput(true) : err;
      })
    ).trim();
    const secret = await io.askSecret("PIN or password: ");
    const check = /^\d{4,6}$/.test(secret) ? checkPin : checkPassword;
    try {
      const staff = await check(db, { username, secret, clientAddress: CONSOLE_ADDRESS });
      out(`Signed in as ${staff.displayName} (${staff.role.toLowerCase()}).`);
      return staffActor(staff);
    } catch (err) {
      if (err instanceof TooManyAttemptsError) throw new SignInRefused(err.message);
      if (!(err instanceof InvalidCredentialsError)) throw err;
      out(`  ${err.message}.`);
      if (attempt >= 3) throw new SignInRefused("Not signed in after 3 attempts");
    }
  }
}

async function createFirstOwner(db: Database, io: Prompter, out: (line: string) => void): Promise<Actor> {
  out("No staff accounts yet. Create the owner account now (or open the setup link `npm start` prints).");
  for (;;) {
    const displayName = await io.ask("Your name: ");
    const username = await io.ask("Username: ");
    const password = await io.askSecret("Password (at least 8 characters): ");
    try {
      // This process already holds the database's credentials: it is the machine creating its first owner.
      const staff = await createStaff({ db, actor: systemActor("console setup") }, { displayName, username, role: "OWNER", password });
      out(`Created the owner account ${staff.username}; you are signed in.`);
      return staffActor(staff);
    } catch (err) {
      if (err instanceof ValidationError) out(`  ${err.fieldErrors.map((f) => `${f.path.join(".")}: ${f.message}`).join("; ")}`);
      else if (err instanceof DomainError) out(`  ${err.message}`);
      else throw err;
    }
  }
}
