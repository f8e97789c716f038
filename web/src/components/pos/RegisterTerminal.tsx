"use client";
// For a manager or owner on /pos: make this device a POS terminal, once. Their
// own session ends; from then on the device shows the lock screen and
// cashiers switch on it with their PIN.
import { useState, type FormEvent } from "react";
import { useRegisterTerminalMutation } from "../../gql/graphql.ts";
import { forgetCart } from "../../lib/cart.ts";
import { useSession } from "../../lib/session.tsx";

export function RegisterTerminal() {
  const { restart } = useSession();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("Counter 1");
  const [message, setMessage] = useState<string | null>(null);
  const [state, register] = useRegisterTerminalMutation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    const result = await register({ name });
    const answer = result.data?.registerTerminal;
    if (!answer) return setMessage(result.error?.message ?? "No answer from the server");
    if (answer.__typename === "TerminalSuccess") {
      forgetCart();
      restart();
      return;
    }
    setMessage(answer.message);
  }

  if (!open) {
    return (
      <div className="register-terminal no-print">
        <button type="button" className="small" onClick={() => setOpen(true)}>Use this device as a POS terminal…</button>
      </div>
    );
  }
  return (
    <form className="panel register-terminal no-print" onSubmit={submit} aria-label="Register this device as a POS terminal">
      <p>
        This device becomes a shared POS terminal: you are signed out here, and cashiers unlock it with their PIN.
        It locks itself when left idle.
      </p>
      <div className="form-actions">
        <label className="field">
          <span>Terminal name</span>
          <input required maxLength={60} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <button type="submit" className="primary" disabled={state.fetching}>Register terminal</button>
        <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      </div>
      {message ? <p className="status error" role="alert">{message}</p> : null}
    </form>
  );
}
