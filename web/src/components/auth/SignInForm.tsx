"use client";
// /signin?next=/admin: username + password. The API sets the httpOnly session
// cookie (through the same-origin /graphql forwarder); then we go where the
// person was going. Wrong password, a locked account and too many attempts
// from this address each get their own clear message.
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { useSignInMutation } from "../../gql/graphql.ts";
import { forgetCart } from "../../lib/cart.ts";
import { fieldErrorMap } from "../../lib/hooks.ts";
import { ROLE_LABEL, safeNext, useSession } from "../../lib/session.tsx";
import { SetupPending } from "./RequireAccess.tsx";

export function SignInForm() {
  const { me, loading, restart } = useSession();
  const router = useRouter();
  const next = safeNext(useSearchParams().get("next"));
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [state, signIn] = useSignInMutation();
  const signedIn = me?.staff && me.session?.kind === "WEB" ? me.staff : null;

  // Already signed in (e.g. the back button): straight on.
  useEffect(() => {
    if (signedIn && !state.data) router.replace(next);
  }, [signedIn, next, router, state.data]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    setFields({});
    const result = await signIn({ username: username.trim(), password });
    const answer = result.data?.signIn;
    if (!answer) {
      const status = (result.error?.response as Response | undefined)?.status;
      setMessage(status === 429 ? "Too many sign-in attempts. Wait a few minutes and try again." : `No answer from the server (${result.error?.message ?? "unknown error"}).`);
      return;
    }
    switch (answer.__typename) {
      case "SignInSuccess":
        forgetCart();
        router.replace(next);
        restart();
        return;
      case "InvalidCredentialsError":
        setPassword("");
        setMessage("Wrong username or password.");
        return;
      case "TooManyAttemptsError":
        setPassword("");
        setMessage(`${answer.message}.`);
        return;
      case "ValidationError":
        setFields(fieldErrorMap(answer));
        setMessage(answer.message);
        return;
      default:
        setMessage(answer.message);
    }
  }

  if (loading) return <p className="loading" role="status">Loading…</p>;
  if (me?.setupRequired) return <SetupPending />;
  return (
    <section className="panel narrow signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      {me?.reason && !me.staff && me.session?.kind !== "TERMINAL" ? <p className="status warn">{me.reason}.</p> : null}
      {me?.session?.kind === "TERMINAL" ? (
        <p className="status warn">
          This device is a POS terminal: cashiers unlock it with their PIN on the <Link href="/pos">POS</Link> page. Signing in
          with a password here signs the terminal out.
        </p>
      ) : null}
      {signedIn ? (
        <p className="muted">Signed in as {signedIn.displayName} ({ROLE_LABEL[signedIn.role]}).</p>
      ) : null}
      <form className="stack" onSubmit={submit} aria-label="Sign in">
        <label className="field">
          <span>Username</span>
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            autoFocus
            value={username}
            aria-invalid={fields.username ? true : undefined}
            onChange={(e) => setUsername(e.target.value)}
          />
          {fields.username ? <span className="field-error">{fields.username}</span> : null}
        </label>
        <label className="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            aria-invalid={fields.password ? true : undefined}
            onChange={(e) => setPassword(e.target.value)}
          />
          {fields.password ? <span className="field-error">{fields.password}</span> : null}
        </label>
        {message ? <p className="status error" role="alert">{message}</p> : null}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={state.fetching}>{state.fetching ? "Signing in…" : "Sign in"}</button>
        </div>
      </form>
      <p className="hint">Forgot your password? The owner sets a new one on the Staff page.</p>
    </section>
  );
}
