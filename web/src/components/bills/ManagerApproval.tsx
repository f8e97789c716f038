"use client";
// A manager types their username and PIN on this screen to approve what the
// signed-in person may not do alone (a return, a void).
import { Field } from "../Field.tsx";

export interface Approval {
  username: string;
  pin: string;
}

export function ManagerApproval({ what, value, onChange }: { what: string; value: Approval; onChange: (a: Approval) => void }) {
  return (
    <fieldset className="manager-approval" data-testid="manager-approval">
      <legend>{what} needs a manager's approval</legend>
      <Field label="Manager's username">
        <input autoComplete="off" data-testid="approval-username" value={value.username} onChange={(e) => onChange({ ...value, username: e.target.value })} />
      </Field>
      <Field label="Manager's PIN">
        <input type="password" inputMode="numeric" autoComplete="off" data-testid="approval-pin" value={value.pin} onChange={(e) => onChange({ ...value, pin: e.target.value })} />
      </Field>
    </fieldset>
  );
}
