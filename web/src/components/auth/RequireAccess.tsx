"use client";
// Every screen sits behind this: it shows the screen only to someone signed in
// whose role opens it. Otherwise: the first-run note, a terminal's lock screen,
// a trip to the sign-in page (and back), or a clear "not allowed" page.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { can, ROLE_LABEL, useSession, type Me } from "../../lib/session.tsx";
import { LockScreen } from "./LockScreen.tsx";
import { SCREENS, screenFor } from "./nav.ts";

export function RequireAccess({ children }: { children: (me: Me & { staff: NonNullable<Me["staff"]> }) => ReactNode }) {
  const { me, loading, error } = useSession();
  const path = usePathname();
  const router = useRouter();
  const mustSignIn = !!me && !me.setupRequired && !me.staff && me.session?.kind !== "TERMINAL";
  useEffect(() => {
    if (mustSignIn) router.replace(`/signin?next=${encodeURIComponent(path + window.location.search)}`);
  }, [mustSignIn, path, router]);

  if (error) return <p className="status error panel" role="alert">The StoreLite server did not answer: {error}</p>;
  if (loading || !me) return <p className="loading" role="status">Loading…</p>;
  if (me.setupRequired) return <SetupPending />;
  if (me.session?.kind === "TERMINAL" && (me.session.locked || !me.staff)) return <LockScreen />;
  if (!me.staff) return <p className="loading" role="status">Taking you to the sign-in page…</p>;
  const screen = screenFor(path);
  if (screen && screen.needs.length > 0 && !can(me, ...screen.needs)) return <NotAllowed me={me} title={screen.title} needs={screen.needs} />;
  return children(me as Me & { staff: NonNullable<Me["staff"]> });
}

export function SetupPending() {
  return (
    <section className="panel narrow" aria-labelledby="setup-pending-title">
      <h1 id="setup-pending-title">Set up the shop first</h1>
      <p>
        StoreLite has no owner account yet. Open the one-time setup link that <code>npm start</code> printed in its
        terminal (it ends in <code>/setup?token=…</code>) on this computer, and create the owner there.
      </p>
    </section>
  );
}

function NotAllowed({ me, title, needs }: { me: Me; title: string; needs: readonly string[] }) {
  const role = me.staff ? (ROLE_LABEL[me.staff.role] ?? me.staff.role) : "";
  const elsewhere = SCREENS.filter((s) => s.needs.length === 0 || can(me, ...s.needs));
  return (
    <section className="panel narrow not-allowed" aria-labelledby="not-allowed-title">
      <h1 id="not-allowed-title">Not allowed</h1>
      <p>
        {me.staff?.displayName}, as a <strong>{role}</strong> you cannot use <strong>{title}</strong>. It needs the{" "}
        {needs.map((n, i) => (
          <span key={n}>{i > 0 ? " or " : ""}<code>{n}</code></span>
        ))}{" "}
        permission. Ask the owner if you need it.
      </p>
      {elsewhere.length ? (
        <p>
          You can use:{" "}
          {elsewhere.map((s, i) => (
            <span key={s.href}>{i > 0 ? ", " : ""}<Link href={s.href}>{s.title}</Link></span>
          ))}
        </p>
      ) : null}
    </section>
  );
}
