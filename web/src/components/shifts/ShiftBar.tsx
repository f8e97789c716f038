"use client";
// The POS's cash drawer (shown when the shop has shifts on): which shift is
// open on this register, opening one with its float before the first sale,
// cash paid in and out, the X report, and the close with the counted cash.
// Every figure shown is the server's (currentShift); nothing is summed here.
import Link from "next/link";
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useCloseShiftMutation, useCurrentShiftQuery, useOpenShiftMutation, useRecordCashMovementMutation, type ShiftFieldsFragment } from "../../gql/graphql.ts";
import { newIdempotencyKey } from "../../lib/cart.ts";
import { fieldErrorMap, formatDateTime } from "../../lib/hooks.ts";
import { ShiftFiguresTable } from "./ShiftFigures.tsx";

const REGISTER_KEY = "storelite.register";

/** The register this POS sells on: a terminal's own name, else the one chosen on this browser. */
export function useRegister(terminalName: string | null | undefined): [string, (r: string) => void] {
  const [chosen, setChosen] = useState(() => localStorage.getItem(REGISTER_KEY) ?? "Counter 1");
  const set = (r: string) => {
    localStorage.setItem(REGISTER_KEY, r);
    setChosen(r);
  };
  return [terminalName?.trim() || chosen, set];
}

type Panel = "none" | "cash" | "x" | "close";

export function ShiftBar({
  register,
  setRegister,
  fixedRegister,
  refreshKey,
  currency,
  onShift,
}: {
  register: string;
  setRegister: (r: string) => void;
  /** A terminal's register is its name: not editable here. */
  fixedRegister: boolean;
  /** Changes after each sale, so the X report shows it. */
  refreshKey: number;
  currency?: string | null;
  onShift: (shift: ShiftFieldsFragment | null) => void;
}) {
  const [{ data, fetching }, refetch] = useCurrentShiftQuery({ variables: { register }, requestPolicy: "cache-and-network" });
  const [, openShift] = useOpenShiftMutation();
  const [, recordMove] = useRecordCashMovementMutation();
  const [, closeShift] = useCloseShiftMutation();
  const [panel, setPanel] = useState<Panel>("none");
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [float, setFloat] = useState("");
  const [move, setMove] = useState({ kind: "PAID_OUT" as "PAID_IN" | "PAID_OUT", amount: "", reason: "" });
  const [count, setCount] = useState({ counted: "", note: "" });
  const [closed, setClosed] = useState<{ number: number; variance: string } | null>(null);
  // One key per attempt: a retry after a lost answer repeats it, a new attempt gets a new one.
  const [keys, setKeys] = useState(() => ({ open: newIdempotencyKey(), move: newIdempotencyKey(), close: newIdempotencyKey() }));

  const answer = data?.currentShift;
  const report = answer?.__typename === "CurrentShiftSuccess" ? answer.current.report : null;
  const shift = report?.shift ?? null;
  useEffect(() => onShift(shift), [shift?.id, shift?.status]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (refreshKey) refetch({ requestPolicy: "network-only" });
  }, [refreshKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const reload = () => refetch({ requestPolicy: "network-only" });

  function refused(r: { __typename: string; message?: string } & Partial<{ fieldErrors: { path: string[]; message: string }[] }>) {
    if (r.__typename === "ValidationError") setErrors(fieldErrorMap(r as never));
    setMessage({ kind: "error", text: r.message ?? "Refused" });
  }

  async function submitOpen(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    const res = await openShift({ input: { register, openingFloat: float.trim(), idempotencyKey: keys.open } });
    const r = res.data?.openShift;
    if (!r) return setMessage({ kind: "error", text: `No answer from the server (${res.error?.message ?? "unknown"}); press Open shift again.` });
    if (r.__typename === "OpenShiftSuccess") {
      setErrors({});
      setFloat("");
      setClosed(null);
      setKeys((k) => ({ ...k, open: newIdempotencyKey() }));
      reload();
    } else {
      setKeys((k) => ({ ...k, open: newIdempotencyKey() }));
      refused(r);
    }
  }

  async function submitMove(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    const res = await recordMove({ input: { kind: move.kind, amount: move.amount.trim(), reason: move.reason, register, idempotencyKey: keys.move } });
    const r = res.data?.recordCashMovement;
    if (!r) return setMessage({ kind: "error", text: `No answer from the server (${res.error?.message ?? "unknown"}); press Record again.` });
    setKeys((k) => ({ ...k, move: newIdempotencyKey() }));
    if (r.__typename === "RecordCashMovementSuccess") {
      setErrors({});
      setMove({ kind: move.kind, amount: "", reason: "" });
      setPanel("none");
      setMessage({ kind: "ok", text: `${r.movement.kind === "PAID_IN" ? "Paid in" : "Paid out"} ${r.movement.amount} (${r.movement.reason}).` });
      reload();
    } else refused(r);
  }

  async function submitClose(e: FormEvent) {
    e.preventDefault();
    if (!shift) return;
    setMessage(null);
    const res = await closeShift({ input: { shiftId: shift.id, countedCash: count.counted.trim(), note: count.note.trim() || null, idempotencyKey: keys.close } });
    const r = res.data?.closeShift;
    if (!r) return setMessage({ kind: "error", text: `No answer from the server (${res.error?.message ?? "unknown"}); press Close shift again — it will not close twice.` });
    if (r.__typename === "CloseShiftSuccess") {
      setErrors({});
      setCount({ counted: "", note: "" });
      setPanel("none");
      setKeys((k) => ({ ...k, close: newIdempotencyKey() }));
      setClosed({ number: r.zReport.number, variance: r.shift.variance ?? "0.00" });
      reload();
    } else {
      setKeys((k) => ({ ...k, close: newIdempotencyKey() }));
      refused(r);
    }
  }

  const field = (name: string, label: string, input: ReactNode) => (
    <label className="field">
      <span>{label}</span>
      {input}
      {errors[name] ? <small className="field-error" role="alert">{errors[name]}</small> : null}
    </label>
  );

  return (
    <section className="panel shift-bar" aria-labelledby="shift-title" data-testid="shift-bar">
      <div className="panel-head">
        <h2 id="shift-title">
          {shift ? (
            <>Shift {shift.id} · <span data-testid="shift-register">{shift.register}</span> · open since {formatDateTime(shift.openedAt)}</>
          ) : (
            <>No shift open on {register}</>
          )}
        </h2>
        {report ? (
          <span className="shift-expected">Cash expected <strong data-testid="shift-expected">{report.figures.cash.expected}</strong></span>
        ) : null}
      </div>
      {closed ? (
        <p className="status ok" role="status" data-testid="shift-closed">
          Shift closed, variance <strong>{closed.variance}</strong>. <Link href={`/z-reports/${closed.number}`}>Z report {closed.number}</Link>
        </p>
      ) : null}
      {message ? <p className={`status ${message.kind}`} role={message.kind === "error" ? "alert" : "status"}>{message.text}</p> : null}

      {!shift && !fetching ? (
        <form className="row2 shift-open" onSubmit={submitOpen} aria-label="Open a shift">
          <p className="muted">Open a shift before the first sale: count the opening float in the drawer.</p>
          {fixedRegister ? null : field("register", "Register", <input value={register} onChange={(e) => setRegister(e.target.value)} autoComplete="off" />)}
          {field("openingFloat", "Opening float", <input inputMode="decimal" value={float} onChange={(e) => setFloat(e.target.value)} placeholder="0.00" aria-invalid={errors.openingFloat ? true : undefined} />)}
          <button type="submit" className="primary">Open shift</button>
        </form>
      ) : null}

      {shift ? (
        <div className="cart-actions shift-actions">
          <button type="button" onClick={() => setPanel(panel === "cash" ? "none" : "cash")} aria-expanded={panel === "cash"}>Paid in / out</button>
          <button type="button" onClick={() => { setPanel(panel === "x" ? "none" : "x"); reload(); }} aria-expanded={panel === "x"}>X report</button>
          <button type="button" onClick={() => setPanel(panel === "close" ? "none" : "close")} aria-expanded={panel === "close"}>Close shift</button>
        </div>
      ) : null}

      {shift && panel === "cash" ? (
        <form className="row2" onSubmit={submitMove} aria-label="Paid in or out">
          {field("kind", "Kind", (
            <select value={move.kind} onChange={(e) => setMove({ ...move, kind: e.target.value === "PAID_IN" ? "PAID_IN" : "PAID_OUT" })}>
              <option value="PAID_OUT">Paid out (cash taken from the drawer)</option>
              <option value="PAID_IN">Paid in (cash put into the drawer)</option>
            </select>
          ))}
          {field("amount", "Amount", <input inputMode="decimal" value={move.amount} onChange={(e) => setMove({ ...move, amount: e.target.value })} aria-invalid={errors.amount ? true : undefined} />)}
          {field("reason", "Reason", <input value={move.reason} onChange={(e) => setMove({ ...move, reason: e.target.value })} aria-invalid={errors.reason ? true : undefined} />)}
          <button type="submit" className="primary">Record</button>
        </form>
      ) : null}

      {report && panel === "x" ? (
        <div className="x-report" aria-label="X report">
          <h3>X report (the shift stays open)</h3>
          <ShiftFiguresTable f={report.figures} currency={currency} />
          {report.movements.length ? (
            <ul className="muted">
              {report.movements.map((m) => <li key={m.id}>{m.kind === "PAID_IN" ? "Paid in" : "Paid out"} {m.amount} · {m.reason}{m.actorName ? ` · ${m.actorName}` : ""}</li>)}
            </ul>
          ) : null}
        </div>
      ) : null}

      {report && panel === "close" ? (
        <form className="row2" onSubmit={submitClose} aria-label="Close the shift">
          <p className="muted">Count the cash in the drawer. Expected: {report.figures.cash.expected}.</p>
          {field("countedCash", "Counted cash", <input inputMode="decimal" value={count.counted} onChange={(e) => setCount({ ...count, counted: e.target.value })} aria-invalid={errors.countedCash ? true : undefined} />)}
          {field("note", "Note (optional)", <input value={count.note} onChange={(e) => setCount({ ...count, note: e.target.value })} />)}
          <button type="submit" className="primary">Close shift and print Z report</button>
        </form>
      ) : null}
    </section>
  );
}
