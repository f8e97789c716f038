"use client";
// A POS terminal's lock screen: pick yourself from the staff who have a PIN,
// type the PIN (keyboard or the on-screen pad), and the terminal works as you
// until it is locked again (the Lock button, or idle time).
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTerminalStaffQuery, useUnlockTerminalMutation, type TerminalStaffQuery } from "../../gql/graphql.ts";
import { ROLE_LABEL, useSession } from "../../lib/session.tsx";

type Person = TerminalStaffQuery["terminalStaff"][number];
const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"] as const;

export function LockScreen() {
  const { me, restart } = useSession();
  const [{ data, error, fetching }] = useTerminalStaffQuery({ requestPolicy: "network-only" });
  const [person, setPerson] = useState<Person | null>(null);
  const [pin, setPin] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [unlocking, unlock] = useUnlockTerminalMutation();
  const pinRef = useRef<HTMLInputElement>(null);
  const people = data?.terminalStaff ?? [];

  useEffect(() => {
    if (person) pinRef.current?.focus();
  }, [person]);

  function choose(p: Person | null) {
    setPerson(p);
    setPin("");
    setMessage(null);
  }

  function press(key: (typeof KEYS)[number]) {
    setMessage(null);
    if (key === "clear") setPin("");
    else if (key === "back") setPin((v) => v.slice(0, -1));
    else setPin((v) => (v.length < 6 ? v + key : v));
    pinRef.current?.focus();
  }

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!person || unlocking.fetching) return;
    if (!/^\d{4,6}$/.test(pin)) {
      setMessage("A PIN is 4 to 6 digits.");
      return;
    }
    const result = await unlock({ username: person.username, pin });
    const answer = result.data?.unlockTerminal;
    setPin("");
    if (!answer) return setMessage(`No answer from the server (${result.error?.message ?? "unknown error"}). Try again.`);
    switch (answer.__typename) {
      case "UnlockTerminalSuccess":
        restart();
        return;
      case "InvalidCredentialsError":
        setMessage(`Wrong PIN for ${person.displayName}. Try again.`);
        break;
      case "TooManyAttemptsError":
        // The server says how long (locked account, or too many tries from here).
        setMessage(`${answer.message}.`);
        break;
      default:
        setMessage(answer.message);
    }
    pinRef.current?.focus();
  }

  return (
    <section className="panel lock-screen" aria-labelledby="lock-title">
      <h1 id="lock-title">{me?.session?.terminalName ?? "POS terminal"} is locked</h1>
      {!person ? (
        <>
          <p className="muted">Who is working? Choose your name, then type your PIN.</p>
          {error ? <p className="status error" role="alert">{error.message.replace(/^\[\w+\]\s*/, "")}</p> : null}
          {!fetching && people.length === 0 && !error ? (
            <p className="status error">Nobody has a PIN yet: the owner sets PINs on the Staff page.</p>
          ) : null}
          <ul className="people" aria-label="Staff">
            {people.map((p) => (
              <li key={p.id}>
                <button type="button" className="person" onClick={() => choose(p)}>
                  <strong>{p.displayName}</strong>
                  <span className="muted">{ROLE_LABEL[p.role] ?? p.role}{p.lockedUntil ? " · locked out" : ""}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <form className="pin-form" onSubmit={submit} aria-label="Unlock with PIN" onKeyDown={(e) => e.key === "Escape" && choose(null)}>
          <p>
            <strong>{person.displayName}</strong> <span className="muted">{ROLE_LABEL[person.role] ?? person.role}</span>{" "}
            <button type="button" className="small ghost-dark" onClick={() => choose(null)}>Not you?</button>
          </p>
          <label className="field">
            <span>PIN for {person.displayName}</span>
            <input
              ref={pinRef}
              className="pin-input"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              maxLength={6}
              value={pin}
              aria-invalid={message ? true : undefined}
              aria-describedby={message ? "pin-message" : undefined}
              onChange={(e) => {
                setMessage(null);
                setPin(e.target.value.replace(/\D/g, "").slice(0, 6));
              }}
            />
          </label>
          <div className="pin-pad" role="group" aria-label="PIN pad">
            {KEYS.map((k) => (
              <button
                key={k}
                type="button"
                tabIndex={-1}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => press(k)}
                aria-label={k === "clear" ? "Clear" : k === "back" ? "Delete last digit" : k}
              >
                {k === "clear" ? "C" : k === "back" ? "⌫" : k}
              </button>
            ))}
          </div>
          {message ? <p id="pin-message" className="status error" role="alert">{message}</p> : null}
          <button type="submit" className="primary big" disabled={unlocking.fetching || pin.length < 4}>
            {unlocking.fetching ? "Unlocking…" : "Unlock"}
          </button>
        </form>
      )}
    </section>
  );
}
