"use client";
// One urql client per browser tab, and a gate for the client-only screens.
import { useState, useSyncExternalStore, type ReactNode } from "react";
import { Provider } from "urql";
import { createUrqlClient } from "../lib/urql.ts";

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => createUrqlClient());
  return <Provider value={client}>{children}</Provider>;
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
