"use client";
// The session (who is signed in, one urql client per identity) and a gate for the client-only screens.
import { useSyncExternalStore, type ReactNode } from "react";
import { SessionProvider } from "../lib/session.tsx";

export function Providers({ children }: { children: ReactNode }) {
  return <SessionProvider>{children}</SessionProvider>;
}

const subscribe = () => () => {};

/**
 * The screens read localStorage (cart, store name) and query /graphql as soon
 * as they render, so they render in the browser only; the server sends the frame.
 */
export function ClientOnly({ children }: { children: ReactNode }) {
  const mounted = useSyncExternalStore(subscribe, () => true, () => false);
  return mounted ? children : <p className="loading" role="status">Loading…</p>;
}
