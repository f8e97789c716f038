"use client";
// /setup?token=…: the first-run page behind the one-time link `npm start`
// prints while the shop has no staff. Creates the owner (setupOwner) and signs
// them in; the link works once, and only with its token.
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useSetupOwnerMutation } from "../../gql/graphql.ts";
import { fieldErrorMap } from "../../lib/hooks.ts";
import { useSession } from "../../lib/session.tsx";

export function SetupForm() {
  const { me, loading, restart } = useSession();
  const router = useRouter();
  const token = useSearchParams().get("token") ?? "";
  const [values, setValues] = useState({ displayName: "", username: "", password: "" });
  const [message, setMessage] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [state, setupOwner] = useSetupOwnerMutation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    setFields({});
    const result = await setupOwner({ token, ...values, username: values.username.trim() });
    const answer = result.data?.setupOwner;
    if (!answer) return setMessage(`No answer from the server (${result.error?.message ?? "unknown error"}).`);
    if (answer.__typename === "SignInSuccess") {
      router.replace("/staff?welcome=1");
      restart();
      return;
    }
    if (answer.__typename === "ValidationError") setFields(fieldErrorMap(answer));
    setMessage(answer.message);
  }

  if (loading) return <p className="loading" role="status">Loading…</p>;
  if (me && !me.setupRequired) {
    return (
      <section className="panel narrow" aria-labelledby="setup-title">
        <h1 id="setup-title">The shop is set up</h1>
        <p>It already has an owner, so this setup link no longer works. <Link href="/signin">Sign in</Link>.</p>
      </section>
    );
  }
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  return (
    <section className="panel narrow" aria-labelledby="setup-title">
      <h1 id="setup-title">Create the owner account</h1>
      <p className="muted">
        This one-time link sets up the shop&apos;s owner, who can then add managers and cashiers.
      </p>
      {!token ? <p className="status error" role="alert">This page needs the setup link printed by <code>npm start</code> (it carries a token).</p> : null}
      <form className="stack" onSubmit={submit} aria-label="Create the owner">
        <label className="field">
          <span>Your name</span>
          <input required maxLength={80} autoComplete="name" autoFocus value={values.displayName} onChange={set("displayName")} aria-invalid={fields.displayName ? true : undefined} />
          {fields.displayName ? <span className="field-error">{fields.displayName}</span> : null}
        </label>
        <label className="field">
          <span>Username</span>
          <input required maxLength={40} autoComplete="username" autoCapitalize="none" spellCheck={false} value={values.username} onChange={set("username")} aria-invalid={fields.username ? true : undefined} />
          {fields.username ? <span className="field-error">{fields.username}</span> : <span className="hint">Lower-case letters, digits, . _ or -</span>}
        </label>
        <label className="field">
          <span>Password</span>
          <input required type="password" minLength={8} autoComplete="new-password" value={values.password} onChange={set("password")} aria-invalid={fields.password ? true : undefined} />
          {fields.password ? <span className="field-error">{fields.password}</span> : <span className="hint">At least 8 characters.</span>}
        </label>
        {message ? <p className="status error" role="alert">{message}</p> : null}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={state.fetching || !token}>Create owner and sign in</button>
        </div>
      </form>
    </section>
  );
}
