"use client";
// /staff (MANAGE_STAFF): add a cashier or manager (password, optional PIN),
// change a role, reset a PIN or password, deactivate. The server keeps at
// least one active owner and says so (LastOwnerError) — shown as it says it.
import { useState, type FormEvent } from "react";
import {
  useCreateStaffMutation,
  useStaffMembersQuery,
  useUpdateStaffMutation,
  type Role,
  type StaffFieldsFragment,
  type UpdateStaffInput,
} from "../../gql/graphql.ts";
import { fieldErrorMap } from "../../lib/hooks.ts";
import { ROLE_LABEL } from "../../lib/session.tsx";

const ROLES: Role[] = ["CASHIER", "MANAGER", "OWNER"];
const EMPTY = { displayName: "", username: "", role: "CASHIER" as Role, password: "", pin: "" };

export function StaffScreen({ myId }: { myId: number }) {
  const [{ data, error }] = useStaffMembersQuery();
  const staff = data?.staffMembers ?? [];
  return (
    <div className="staff-screen">
      <section className="panel add-panel" aria-labelledby="add-staff-title">
        <h2 id="add-staff-title">Add a person</h2>
        <AddStaffForm />
      </section>
      <section className="panel" aria-labelledby="staff-title">
        <div className="panel-head">
          <h1 id="staff-title">Staff</h1>
          <span className="muted">{staff.filter((s) => s.isActive).length} active</span>
        </div>
        {error ? <p className="status error" role="alert">{error.message.replace(/^\[\w+\]\s*/, "")}</p> : null}
        <div className="table-wrap">
          <table className="items staff">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">PIN</th>
                <th scope="col">Status</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {staff.map((s) => (
                <StaffRow key={s.id} person={s} isMe={s.id === myId} />
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function AddStaffForm() {
  const [values, setValues] = useState(EMPTY);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [state, createStaff] = useCreateStaffMutation();
  const set = (k: keyof typeof EMPTY) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFields({});
    setMessage(null);
    const result = await createStaff({
      input: { displayName: values.displayName, username: values.username.trim(), role: values.role, password: values.password, pin: values.pin || null },
    });
    const answer = result.data?.createStaff;
    if (!answer) return setMessage({ kind: "error", text: result.error?.message ?? "No answer from the server" });
    if (answer.__typename === "CreateStaffSuccess") {
      setValues(EMPTY);
      setMessage({ kind: "ok", text: `Added ${answer.staff.displayName} (${ROLE_LABEL[answer.staff.role]}).` });
      return;
    }
    if (answer.__typename === "ValidationError") setFields(fieldErrorMap(answer));
    setMessage({ kind: "error", text: answer.message });
  }

  const field = (k: keyof typeof EMPTY, label: string, props: Record<string, unknown>, hint?: string) => (
    <label className="field">
      <span>{label}</span>
      <input value={values[k]} onChange={set(k)} aria-invalid={fields[k] ? true : undefined} {...props} />
      {fields[k] ? <span className="field-error">{fields[k]}</span> : hint ? <span className="hint">{hint}</span> : null}
    </label>
  );
  return (
    <form className="stack" onSubmit={submit} aria-label="Add a person">
      {field("displayName", "Name", { required: true, maxLength: 80, autoComplete: "off" })}
      {field("username", "Username", { required: true, maxLength: 40, autoComplete: "off", autoCapitalize: "none", spellCheck: false }, "Lower-case letters, digits, . _ or -")}
      <label className="field">
        <span>Role</span>
        <select value={values.role} onChange={set("role")}>
          {ROLES.map((r) => (
            <option key={r} value={r}>{ROLE_LABEL[r]}</option>
          ))}
        </select>
      </label>
      {field("password", "Password", { required: true, type: "password", minLength: 8, autoComplete: "new-password" }, "At least 8 characters; they can sign in anywhere with it.")}
      {field("pin", "PIN (optional)", { type: "password", inputMode: "numeric", pattern: "\\d{4,6}", maxLength: 6, autoComplete: "off" }, "4–6 digits, to unlock a POS terminal.")}
      {message ? <p className={`status ${message.kind}`} role={message.kind === "error" ? "alert" : "status"}>{message.text}</p> : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={state.fetching}>Add person</button>
      </div>
    </form>
  );
}

function StaffRow({ person, isMe }: { person: StaffFieldsFragment; isMe: boolean }) {
  const [state, updateStaff] = useUpdateStaffMutation();
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [editing, setEditing] = useState<"pin" | "password" | null>(null);
  const [secret, setSecret] = useState("");

  async function update(input: UpdateStaffInput, done: string) {
    setMessage(null);
    const result = await updateStaff({ id: person.id, input });
    const answer = result.data?.updateStaff;
    if (!answer) return setMessage({ kind: "error", text: result.error?.message ?? "No answer from the server" });
    if (answer.__typename === "UpdateStaffSuccess") {
      setMessage({ kind: "ok", text: done });
      setEditing(null);
      setSecret("");
    } else setMessage({ kind: "error", text: answer.message });
  }

  const who = person.displayName;
  return (
    <tr className={person.isActive ? undefined : "inactive"}>
      <th scope="row">{who}{isMe ? <span className="muted"> (you)</span> : null}</th>
      <td>{person.username}</td>
      <td>
        <select
          aria-label={`Role of ${who}`}
          value={person.role}
          disabled={state.fetching}
          onChange={(e) => update({ role: e.target.value as Role }, `${who} is now ${ROLE_LABEL[e.target.value]}.`)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>{ROLE_LABEL[r]}</option>
          ))}
        </select>
      </td>
      <td>{person.hasPin ? "Set" : <span className="muted">None</span>}</td>
      <td>
        {person.isActive ? (person.lockedUntil ? <span className="badge warn">Locked out</span> : "Active") : <span className="badge">Deactivated</span>}
      </td>
      <td className="actions">
        <div className="row-actions">
          {editing ? (
            <form
              className="inline-form"
              aria-label={`New ${editing} for ${who}`}
              onSubmit={(e) => {
                e.preventDefault();
                void update(editing === "pin" ? { pin: secret } : { password: secret }, editing === "pin" ? `New PIN set for ${who}.` : `New password set for ${who}; their sessions ended.`);
              }}
            >
              <input
                aria-label={editing === "pin" ? `New PIN for ${who}` : `New password for ${who}`}
                type="password"
                autoFocus
                autoComplete={editing === "pin" ? "off" : "new-password"}
                inputMode={editing === "pin" ? "numeric" : undefined}
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                onKeyDown={(e) => e.key === "Escape" && setEditing(null)}
              />
              <button type="submit" className="small primary" disabled={state.fetching}>Save</button>
              <button type="button" className="small" onClick={() => setEditing(null)}>Cancel</button>
            </form>
          ) : (
            <>
              <button type="button" className="small" onClick={() => setEditing("pin")} aria-label={`Reset PIN of ${who}`}>Reset PIN</button>
              <button type="button" className="small" onClick={() => setEditing("password")} aria-label={`New password for ${who}`}>New password</button>
              {person.isActive ? (
                <button type="button" className="small danger" disabled={state.fetching} onClick={() => update({ isActive: false }, `${who} is deactivated; their sessions ended.`)} aria-label={`Deactivate ${who}`}>
                  Deactivate
                </button>
              ) : (
                <button type="button" className="small" disabled={state.fetching} onClick={() => update({ isActive: true }, `${who} is active again.`)} aria-label={`Reactivate ${who}`}>
                  Reactivate
                </button>
              )}
            </>
          )}
        </div>
        {message ? <p className={`status ${message.kind}`} role={message.kind === "error" ? "alert" : "status"}>{message.text}</p> : null}
      </td>
    </tr>
  );
}
