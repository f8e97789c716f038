// A labelled form field with its inline error, wired for screen readers.
import { useId, type ReactElement, cloneElement } from "react";

interface ControlProps {
  id?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}

export function Field({ label, error, hint, children }: { label: string; error?: string | undefined; hint?: string; children: ReactElement<ControlProps> }) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : "", hint && !error ? hintId : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && !error ? <small id={hintId} className="hint">{hint}</small> : null}
      {error ? <small id={errorId} className="field-error" role="alert">{error}</small> : null}
    </div>
  );
}
