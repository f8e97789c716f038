"use client";
// /account: anyone signed in changes their own password or PIN, proving it
// with the current password. The server ends their other web sessions when
// the password changes; this browser stays signed in.
import { useState, type FormEvent } from "react";
import { Field } from "../Field.tsx";
import { useChangeMyPasswordMutation, type ChangeMyPasswordInput, type StaffFieldsFragment } from "../../gql/graphql.ts";
import { fieldErrorMap } from "../../lib/hooks.ts";
import { ROLE_LABEL } from "../../lib/session.tsx";

type Message = { kind: "ok" | "error"; text: string } | null;

/** Sends one change and turns the answer into field errors or a message. */
function useChange(onDone: (staff: StaffFieldsFragment) => string) {
  const [state, change] = useChangeMyPasswordMutation();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<Message>(null);
  async function send(input: ChangeMyPasswordInput): Promise<boolean> {
    setFields({});
    setMessage(null);
    const answer = (await change({ input })).data?.changeMyPassword;
    if (!answer) {
      setMessage({ kind: "error", text: "No answer from the server; try again." });
      return false;
    }
    if (answer.__typename === "ChangeMyPasswordSuccess") {
      setMessage({ kind: "ok", text: onDone(answer.staff) });
      return true;
    }
    if (answer.__typename === "ValidationError") {
      const byField = fieldErrorMap(answer);
      setFields(byField);
      if (byField[""]) setMessage({ kind: "error", text: byField[""] });
    } else setMessage({ kind: "error", text: "message" in answer ? answer.message : "Refused" });
    return false;
  }
  return { send, fields, message, busy: state.fetching };
}

function Status({ message }: { message: Message }) {
  if (!message) return null;
  return <p className={`status ${message.kind}`} role={message.kind === "ok" ? "status" : "alert"}>{message.text}</p>;
}

export function AccountScreen({ me }: { me: StaffFieldsFragment }) {
  const [hasPin, setHasPin] = useState(me.hasPin);
  return (
    <div className="account-screen">
      <section className="panel narrow" aria-labelledby="account-title">
        <h1 id="account-title">Your account</h1>
        <p>
          <strong>{me.displayName}</strong> · {me.username} · {ROLE_LABEL[me.role] ?? me.role}
        </p>
      </section>
      <PasswordForm />
      <PinForm hasPin={hasPin} onChanged={setHasPin} />
    </div>
  );
}

function PasswordForm() {
  const empty = { current: "", next: "", repeat: "" };
  const [v, setV] = useState(empty);
  const [mismatch, setMismatch] = useState(false);
  const { send, fields, message, busy } = useChange(() => "Password changed. Your other browsers are signed out; this one stays signed in.");
  async function submit(e: FormEvent) {
    e.preventDefault();
    setMismatch(v.next !== v.repeat);
    if (v.next !== v.repeat) return;
    if (await send({ currentPassword: v.current, newPassword: v.next })) setV(empty);
  }
  return (
    <section className="panel narrow" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <form onSubmit={submit} noValidate>
        <Field label="Current password" error={fields.currentPassword}>
          <input type="password" autoComplete="current-password" value={v.current} onChange={(e) => setV({ ...v, current: e.target.value })} />
        </Field>
        <Field label="New password" error={fields.newPassword} hint="At least 8 characters.">
          <input type="password" autoComplete="new-password" value={v.next} onChange={(e) => setV({ ...v, next: e.target.value })} />
        </Field>
        <Field label="New password again" error={mismatch ? "does not match the new password" : undefined}>
          <input type="password" autoComplete="new-password" value={v.repeat} onChange={(e) => setV({ ...v, repeat: e.target.value })} />
        </Field>
        <button type="submit" className="primary" disabled={busy}>Change password</button>
        <Status message={message} />
      </form>
    </section>
  );
}

function PinForm({ hasPin, onChanged }: { hasPin: boolean; onChanged: (hasPin: boolean) => void }) {
  const [v, setV] = useState({ current: "", pin: "" });
  const { send, fields, message, busy } = useChange((staff) => {
    onChanged(staff.hasPin);
    return staff.hasPin ? "PIN set: use it to unlock a POS terminal." : "PIN removed.";
  });
  async function submit(e: FormEvent, remove = false) {
    e.preventDefault();
    if (await send({ currentPassword: v.current, newPin: remove ? null : v.pin })) setV({ current: "", pin: "" });
  }
  return (
    <section className="panel narrow" aria-labelledby="pin-title">
      <h2 id="pin-title">PIN for POS terminals</h2>
      <p className="muted">{hasPin ? "You have a PIN." : "You have no PIN yet."}</p>
      <form onSubmit={(e) => submit(e)} noValidate>
        <Field label="Current password" error={fields.currentPassword}>
          <input type="password" autoComplete="current-password" value={v.current} onChange={(e) => setV({ ...v, current: e.target.value })} />
        </Field>
        <Field label="New PIN" error={fields.newPin} hint="4 to 6 digits.">
          <input type="password" inputMode="numeric" autoComplete="off" value={v.pin} onChange={(e) => setV({ ...v, pin: e.target.value })} />
        </Field>
        <button type="submit" className="primary" disabled={busy}>Set PIN</button>{" "}
        {hasPin ? <button type="button" disabled={busy} onClick={(e) => submit(e, true)}>Remove my PIN</button> : null}
        <Status message={message} />
      </form>
    </section>
  );
}
