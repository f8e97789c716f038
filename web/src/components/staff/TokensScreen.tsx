"use client";
// /tokens (MANAGE_TOKENS): API tokens for scripts and integrations. A new
// token's scopes are a subset of your own permissions (the server checks too);
// its secret is shown once, here, and never again.
import { useState, type FormEvent } from "react";
import { TOKEN_SCOPES } from "@storelite/api/domain/access";
import { useApiTokensQuery, useCreateApiTokenMutation, useRevokeApiTokenMutation, type Permission } from "../../gql/graphql.ts";
import { formatDateTime } from "../../lib/hooks.ts";

export function TokensScreen({ permissions }: { permissions: readonly Permission[] }) {
  const [{ data, error }] = useApiTokensQuery();
  const [revoking, revoke] = useRevokeApiTokenMutation();
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const tokens = data?.apiTokens ?? [];
  return (
    <div className="staff-screen">
      <section className="panel add-panel" aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <NewTokenForm permissions={permissions} />
      </section>
      <section className="panel" aria-labelledby="tokens-title">
        <div className="panel-head">
          <h1 id="tokens-title">API tokens</h1>
          <span className="muted">Send as <code>Authorization: Bearer …</code></span>
        </div>
        {error ? <p className="status error" role="alert">{error.message.replace(/^\[\w+\]\s*/, "")}</p> : null}
        {revokeError ? <p className="status error" role="alert">{revokeError}</p> : null}
        {tokens.length === 0 ? <p className="muted">No tokens yet.</p> : null}
        <div className="table-wrap">
          <table className="items tokens">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => {
                const expired = t.expiresAt !== null && new Date(t.expiresAt) <= new Date();
                return (
                  <tr key={t.id} className={t.revokedAt || expired ? "inactive" : undefined}>
                    <th scope="row">{t.name}</th>
                    <td><code>{t.prefix}…</code></td>
                    <td className="scopes">{t.scopes.join(", ")}</td>
                    <td>{formatDateTime(t.createdAt)}</td>
                    <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : <span className="muted">Never</span>}</td>
                    <td>{t.revokedAt ? "Revoked" : expired ? "Expired" : t.expiresAt ? `Until ${formatDateTime(t.expiresAt)}` : "Active"}</td>
                    <td>
                      {t.revokedAt ? null : (
                        <button
                          type="button"
                          className="small danger"
                          disabled={revoking.fetching}
                          aria-label={`Revoke ${t.name}`}
                          onClick={async () => {
                            setRevokeError(null);
                            const r = await revoke({ id: t.id });
                            const a = r.data?.revokeApiToken;
                            if (!a) setRevokeError(r.error?.message ?? "No answer from the server");
                            else if (a.__typename !== "RevokeApiTokenSuccess") setRevokeError(a.message);
                          }}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function NewTokenForm({ permissions }: { permissions: readonly Permission[] }) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Permission[]>([]);
  const [expires, setExpires] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [state, create] = useCreateApiTokenMutation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    setSecret(null);
    setCopied(false);
    if (scopes.length === 0) return setMessage("Choose at least one scope.");
    const result = await create({
      input: { name, scopes, expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null },
    });
    const answer = result.data?.createApiToken;
    if (!answer) return setMessage(result.error?.message ?? "No answer from the server");
    if (answer.__typename === "CreateApiTokenSuccess") {
      setSecret({ name: answer.token.name, value: answer.secret });
      setName("");
      setScopes([]);
      setExpires("");
    } else setMessage(answer.message);
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="New token">
      <label className="field">
        <span>Name</span>
        <input required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. nightly stock sync" autoComplete="off" />
      </label>
      <fieldset className="scopes-field">
        <legend>Scopes (only permissions you have)</legend>
        {permissions.filter((p) => (TOKEN_SCOPES as readonly string[]).includes(p)).map((p) => (
          <label key={p} className="check">
            <input type="checkbox" checked={scopes.includes(p)} onChange={(e) => setScopes((s) => (e.target.checked ? [...s, p] : s.filter((x) => x !== p)))} />{" "}
            {p}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Expires (optional)</span>
        <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </label>
      {message ? <p className="status error" role="alert">{message}</p> : null}
      {secret ? (
        <div className="secret-once" role="status">
          <p><strong>{secret.name}</strong>: copy it now — it is shown only this once.</p>
          <div className="inline-form">
            <input readOnly aria-label="New token" value={secret.value} onFocus={(e) => e.target.select()} />
            <button
              type="button"
              className="small"
              onClick={async (e) => {
                const input = e.currentTarget.previousElementSibling as HTMLInputElement;
                // The clipboard API needs a secure context (localhost or https); elsewhere the text is selected to copy by hand.
                try {
                  await navigator.clipboard.writeText(secret.value);
                  setCopied(true);
                } catch {
                  input.focus();
                  input.select();
                }
              }}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={state.fetching}>Create token</button>
      </div>
    </form>
  );
}
