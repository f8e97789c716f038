"use client";
// Who is signed in, for every screen: the `me` query, and `restart()` for the
// moment the identity changes (sign-in, sign-out, terminal unlock or lock).
// restart() throws away the whole urql client and everything rendered under
// it, so nothing the previous person saw (cached bills, a half-typed cart in
// React state) survives into the next person's screen.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { Provider } from "urql";
import { useMeQuery, type MeQuery, type Permission } from "../gql/graphql.ts";
import { createUrqlClient } from "./urql.ts";

export type Me = MeQuery["me"];

interface SessionValue {
  me: Me | null;
  /** The first answer has not arrived yet. */
  loading: boolean;
  /** The API could not be asked (down, or the web forwarder says unreachable). */
  error: string | null;
  /** A new client and a fresh `me`: call after anything that changes who this browser is. */
  restart(): void;
  /** Asks the server again who we are (e.g. after a request was refused as unauthenticated). */
  recheck(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [generation, setGeneration] = useState(0);
  const recheckRef = useRef<() => void>(() => {});
  // A refused request (UNAUTHENTICATED: expired, signed out elsewhere, auto-locked) makes us ask `me` again.
  const client = useMemo(() => createUrqlClient("/graphql", { onUnauthenticated: () => recheckRef.current() }), [generation]);
  const restart = useCallback(() => setGeneration((g) => g + 1), []);
  return (
    <Provider value={client} key={generation}>
      <MeLoader restart={restart} recheckRef={recheckRef}>{children}</MeLoader>
    </Provider>
  );
}

const noSubscribe = () => () => {};

function MeLoader({ children, restart, recheckRef }: { children: ReactNode; restart: () => void; recheckRef: { current: () => void } }) {
  // Asked in the browser only (the server renders the frame without knowing who is looking).
  const inBrowser = useSyncExternalStore(noSubscribe, () => true, () => false);
  const [{ data, fetching, error }, refetch] = useMeQuery({ requestPolicy: "network-only", pause: !inBrowser });
  const me = data?.me ?? null;
  const previous = useRef<string | null>(null);
  // Who we are, as one string: when a recheck finds someone else (or nobody), start over.
  const who = me ? `${me.session?.kind ?? "-"}:${me.session?.locked ?? "-"}:${me.staff?.id ?? "-"}` : null;
  useEffect(() => {
    if (who === null) return;
    if (previous.current !== null && previous.current !== who) restart();
    previous.current = who;
  }, [who, restart]);
  recheckRef.current = () => refetch({ requestPolicy: "network-only" });
  const value = useMemo<SessionValue>(
    () => ({
      me,
      loading: !me && (fetching || !inBrowser || !error),
      error: !me && error ? error.message.replace(/^\[\w+\]\s*/, "") : null,
      restart,
      recheck: () => refetch({ requestPolicy: "network-only" }),
    }),
    [me, fetching, error, restart, refetch, inBrowser],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

export function can(me: Me | null | undefined, ...anyOf: Permission[]): boolean {
  return !!me && anyOf.some((p) => me.permissions.includes(p));
}

export const ROLE_LABEL: Record<string, string> = { OWNER: "Owner", MANAGER: "Manager", CASHIER: "Cashier" };

/** A path inside this app to go back to after signing in (never another site). */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  if (raw.startsWith("/signin") || raw.startsWith("/setup")) return "/";
  return raw;
}
