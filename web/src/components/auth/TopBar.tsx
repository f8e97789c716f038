"use client";
// The top bar: the screens this person may use, who is signed in (name and
// role; on a POS terminal also the terminal), and Sign out — or Lock on a terminal.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useLockTerminalMutation, useSignOutMutation } from "../../gql/graphql.ts";
import { forgetCart } from "../../lib/cart.ts";
import { can, ROLE_LABEL, useSession } from "../../lib/session.tsx";
import { SCREENS } from "./nav.ts";
import { IdleLock } from "./IdleLock.tsx";

export function TopBar() {
  const { me, restart } = useSession();
  const router = useRouter();
  const path = usePathname();
  const [signingOut, signOut] = useSignOutMutation();
  const [locking, lockTerminal] = useLockTerminalMutation();
  const staff = me?.staff ?? null;
  const terminal = me?.session?.kind === "TERMINAL" ? me.session : null;
  const screens = staff ? SCREENS.filter((s) => s.needs.length === 0 || can(me, ...s.needs)) : [];

  async function doSignOut() {
    await signOut({});
    forgetCart();
    router.push("/signin");
    restart();
  }

  async function lock() {
    await lockTerminal({});
    restart();
  }

  return (
    <header className="topbar no-print">
      <Link href="/" className="brand">StoreLite</Link>
      <nav aria-label="Main">
        {screens.map((s) => (
          <Link key={s.href} href={s.href}>{s.label}</Link>
        ))}
      </nav>
      <div className="whoami" aria-label="Signed in">
        {terminal ? <span className="terminal-name" title="This device is a POS terminal">{terminal.terminalName}</span> : null}
        {staff ? (
          <Link href="/account" data-testid="whoami" className="whoami-link" title="Your account: password and PIN">
            <strong>{staff.displayName}</strong> <span className="role">{ROLE_LABEL[staff.role] ?? staff.role}</span>
          </Link>
        ) : terminal ? (
          <span className="muted-inverse">Locked</span>
        ) : null}
        {terminal && staff ? (
          <>
            <IdleLock seconds={terminal.autoLockSeconds ?? 300} onIdle={lock} />
            <button type="button" className="small" onClick={lock} disabled={locking.fetching}>Lock</button>
            {can(me, "REGISTER_TERMINAL") ? (
              <button type="button" className="small ghost" onClick={doSignOut} disabled={signingOut.fetching} title="This device stops being a POS terminal">
                Sign out terminal
              </button>
            ) : null}
          </>
        ) : staff ? (
          <button type="button" className="small" onClick={doSignOut} disabled={signingOut.fetching}>Sign out</button>
        ) : me && !terminal && !me.setupRequired && path !== "/signin" ? (
          <Link href="/signin" className="button-link small">Sign in</Link>
        ) : null}
      </div>
    </header>
  );
}
