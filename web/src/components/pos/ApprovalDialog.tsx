"use client";
// A manager's approval at the counter: the cashier's discount is above their
// limit, so the server refused the sale; a manager or the owner types their
// username and PIN here and the same sale is sent again with that approval.
// The server checks the PIN and the role; a refusal is shown here and nothing is sold.
import { useEffect, useRef, useState, type FormEvent } from "react";

export interface ApprovalRequest {
  discountPercent: string;
  limitPercent: string;
  /** Why the last approval did not count (wrong PIN, not a manager, locked out). */
  error: string | null;
  /** Counts the answers, so the same refusal twice still clears the PIN again. */
  attempt: number;
}

export function ApprovalDialog(props: {
  request: ApprovalRequest;
  busy: boolean;
  onApprove: (approval: { username: string; pin: string }) => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const [username, setUsername] = useState("");
  const [pin, setPin] = useState("");
  const { discountPercent, limitPercent, error, attempt } = props.request;

  // No close() on cleanup (see EditItemDialog): unmounting removes the dialog.
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  // A refused approval: the PIN is cleared and typed again.
  useEffect(() => {
    if (!error) return;
    setPin("");
    pinRef.current?.focus();
  }, [error, attempt]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!props.busy && username.trim() && pin) props.onApprove({ username: username.trim(), pin });
  };

  return (
    <dialog
      ref={ref}
      className="dialog approval-dialog"
      aria-labelledby="approval-title"
      aria-describedby="approval-why"
      // Escape: the dialog's own cancel; the sale goes back to the cashier.
      onCancel={(e) => {
        e.preventDefault();
        if (!props.busy) props.onCancel();
      }}
    >
      <div className="dialog-head">
        <h2 id="approval-title">Manager approval</h2>
      </div>
      <form className="dialog-body stack" onSubmit={submit} aria-label="Approve the discount">
        <p id="approval-why">
          A discount of <strong data-testid="approval-discount">{discountPercent}%</strong> is above the cashier limit of {limitPercent}%. A manager or the
          owner approves it with their PIN; the approval is recorded on the bill.
        </p>
        <label className="field">
          <span>Manager username</span>
          <input autoFocus autoComplete="off" autoCapitalize="none" spellCheck={false} value={username} onChange={(e) => setUsername(e.target.value)} disabled={props.busy} />
        </label>
        <label className="field">
          <span>Manager PIN</span>
          <input
            ref={pinRef}
            type="password"
            className="pin-input"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            disabled={props.busy}
            aria-describedby={error ? "approval-error" : undefined}
          />
        </label>
        {error ? <p id="approval-error" className="status error" role="alert">{error}</p> : null}
        <div className="cart-actions">
          <button type="submit" className="primary big" disabled={props.busy || !username.trim() || !pin} aria-busy={props.busy}>
            {props.busy ? "Checking…" : "Approve and complete sale"}
          </button>
          <button type="button" onClick={props.onCancel} disabled={props.busy}>Cancel</button>
        </div>
      </form>
    </dialog>
  );
}
