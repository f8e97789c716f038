"use client";
import Link from "next/link";
import { can } from "../../lib/session.tsx";
import { SCREENS } from "./nav.ts";
import { RequireAccess } from "./RequireAccess.tsx";

export function Home() {
  return (
    <RequireAccess>
      {(me) => (
        <div className="home">
          <h1>StoreLite</h1>
          <p className="muted">Inventory and billing for small shops.</p>
          <ul className="home-cards">
            {SCREENS.filter((s) => s.needs.length === 0 || can(me, ...s.needs)).map((s) => (
              <li key={s.href}>
                <Link href={s.href} className="card-link">
                  <strong>{s.title}</strong>
                  <span>{s.blurb}</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
    </RequireAccess>
  );
}
