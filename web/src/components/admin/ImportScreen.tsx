"use client";
// /admin/import: bring the catalogue in from a spreadsheet. Drop a CSV file,
// check how its columns are read (and map them by hand), run the dry run and
// read what each row would do, apply it with a progress bar, undo it.
// The file goes to the API's POST /imports as it is (streamed, up to the
// import cap); everything after that is GraphQL.
import { useRef, useState, type DragEvent } from "react";
import { useClient } from "urql";
import {
  ApplyImportDocument,
  ImportJobDocument,
  ImportProgressDocument,
  UndoImportDocument,
  type ImportJobQuery,
  type UndoImportMutation,
} from "../../gql/graphql.ts";

type Job = NonNullable<ImportJobQuery["importJob"]>;
type Row = Job["rows"]["rows"][number];
type Undo = UndoImportMutation["undoImport"];

/** The fields a column can fill (the API's column table), "" = ignore, "auto" = by its header. */
const FIELDS = ["id", "sku", "name", "category", "unit", "unit_price", "stock_qty", "active"];
const PAGE = 200;

/** The header cells of the first line (quotes honoured; , ; or tab as the API detects them). */
export function readHeader(firstLine: string): string[] {
  const counts = [",", ";", "\t"].map((d) => [d, firstLine.split(d).length] as const);
  const delimiter = counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const cells: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < firstLine.length; i++) {
    const ch = firstLine[i]!;
    if (quoted) {
      if (ch === '"' && firstLine[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) cells.push(cur.trim()), (cur = "");
    else cur += ch;
  }
  cells.push(cur.trim());
  return cells.map((c) => c.replace(/^\uFEFF/, ""));
}

export function ImportScreen() {
  const client = useClient();
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [mode, setMode] = useState("upsert");
  const [emptyCells, setEmptyCells] = useState("keep");
  const [matchByName, setMatchByName] = useState(false);
  const [decimalComma, setDecimalComma] = useState(false);
  const [job, setJob] = useState<Job | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [busy, setBusy] = useState<"" | "dry-run" | "apply" | "undo">("");
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState("");
  const [skipErrors, setSkipErrors] = useState(false);
  const [undo, setUndo] = useState<Undo | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function choose(f: File | undefined) {
    if (!f) return;
    setFile(f);
    setJob(null);
    setRows([]);
    setUndo(null);
    setError("");
    setProgress(null);
    const head = await f.slice(0, 65536).text();
    setHeaders(readHeader(head.split(/\r\n|\n|\r/, 1)[0] ?? ""));
    setMapping({});
  }

  async function loadJob(id: number, afterRow?: number) {
    const r = await client.query(ImportJobDocument, { id, first: PAGE, afterRow }, { requestPolicy: "network-only" }).toPromise();
    const j = r.data?.importJob;
    if (!j) throw new Error(r.error?.message ?? `Import ${id} was not found`);
    setJob(j);
    setRows((old) => (afterRow ? [...old, ...j.rows.rows] : j.rows.rows));
    setHasMore(j.rows.hasMore);
  }

  async function dryRun() {
    if (!file) return;
    setBusy("dry-run");
    setError("");
    setUndo(null);
    try {
      const q = new URLSearchParams({ mode, empty_cells: emptyCells, match_by_name: String(matchByName), decimal_comma: String(decimalComma), file_name: file.name });
      const explicit = Object.fromEntries(Object.entries(mapping).filter(([, f]) => f !== "auto"));
      if (Object.keys(explicit).length) q.set("mapping", JSON.stringify(explicit));
      const res = await fetch(`/imports?${q}`, { method: "POST", headers: { "content-type": "text/csv" }, body: file });
      const body = (await res.json()) as { id?: number; error?: { message: string } };
      if (!res.ok || !body.id) {
        setJob(null);
        setRows([]);
        setError(body.error?.message ?? `The upload failed (${res.status})`);
        return;
      }
      await loadJob(body.id);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy("");
    }
  }

  async function apply() {
    if (!job) return;
    setBusy("apply");
    setError("");
    const total = job.counts.create + job.counts.update;
    setProgress({ done: 0, total });
    // The apply is one request (one transaction); its progress is read beside it.
    let polling = true;
    const poll = (async () => {
      while (polling) {
        await new Promise((r) => setTimeout(r, 250));
        const p = await client.query(ImportProgressDocument, { id: job.id }, { requestPolicy: "network-only" }).toPromise();
        if (polling && p.data?.importJob) setProgress({ done: p.data.importJob.rowsDone, total });
      }
    })();
    try {
      const r = await client.mutation(ApplyImportDocument, { id: job.id, skipErrors }).toPromise();
      const result = r.data?.applyImport;
      if (result?.__typename === "ApplyImportSuccess") {
        setProgress({ done: total, total });
        await loadJob(job.id);
      } else setError(result && "message" in result ? result.message : (r.error?.message ?? "The import could not be applied"));
    } finally {
      polling = false;
      await poll;
      setBusy("");
    }
  }

  async function runUndo(partial: boolean) {
    if (!job) return;
    setBusy("undo");
    setError("");
    try {
      const r = await client.mutation(UndoImportDocument, { id: job.id, partial }).toPromise();
      const result = r.data?.undoImport ?? null;
      setUndo(result);
      if (result?.__typename === "UndoImportSuccess") await loadJob(job.id);
      else if (result && result.__typename !== "UndoConflictError" && "message" in result) setError(result.message);
    } finally {
      setBusy("");
    }
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void choose(e.dataTransfer.files[0]);
  };
  const toApply = job ? job.counts.create + job.counts.update : 0;

  return (
    <div className="import">
      <section className="panel" aria-labelledby="import-title">
        <div className="panel-head">
          <h1 id="import-title">Import items</h1>
          <a className="button-link" href="/items/export.csv" download>Export CSV</a>
        </div>
        <div
          className={`dropzone${dragging ? " over" : ""}`}
          onDragOver={(e) => (e.preventDefault(), setDragging(true))}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          onClick={() => input.current?.click()}
        >
          <p>{file ? <strong>{file.name}</strong> : "Drop a CSV file here, or click to choose one"}</p>
          <p className="muted">Columns like SKU / barcode, name, category, unit, price, stock; a header row. Excel: Save As → CSV UTF-8.</p>
          <input ref={input} type="file" accept=".csv,text/csv,text/plain" aria-label="CSV file" hidden onChange={(e) => void choose(e.target.files?.[0])} />
        </div>

        {file ? (
          <div className="stack">
            <h2>Columns</h2>
            <table className="mapping">
              <thead>
                <tr>
                  <th scope="col">Column in the file</th>
                  <th scope="col">Read as</th>
                  {job ? <th scope="col">Matched</th> : null}
                </tr>
              </thead>
              <tbody>
                {headers.map((h) => (
                  <tr key={h}>
                    <td>{h}</td>
                    <td>
                      <select aria-label={`Field for ${h}`} value={mapping[h] ?? "auto"} onChange={(e) => setMapping({ ...mapping, [h]: e.target.value })}>
                        <option value="auto">by its name</option>
                        {FIELDS.map((f) => (
                          <option key={f} value={f}>{f}</option>
                        ))}
                        <option value="">ignore</option>
                      </select>
                    </td>
                    {job ? <td className="muted">{job.columns.find((c) => c.header === h)?.field ?? "ignored"}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="toolbar">
              <label>
                Mode{" "}
                <select aria-label="Mode" value={mode} onChange={(e) => setMode(e.target.value)}>
                  <option value="upsert">create and update</option>
                  <option value="create_only">create only</option>
                  <option value="update_only">update only</option>
                </select>
              </label>
              <label>
                Empty cells{" "}
                <select aria-label="Empty cells" value={emptyCells} onChange={(e) => setEmptyCells(e.target.value)}>
                  <option value="keep">keep the current value</option>
                  <option value="clear">clear the value</option>
                </select>
              </label>
              <label className="check">
                <input type="checkbox" checked={matchByName} onChange={(e) => setMatchByName(e.target.checked)} /> Match by exact name
              </label>
              <label className="check">
                <input type="checkbox" checked={decimalComma} onChange={(e) => setDecimalComma(e.target.checked)} /> Decimal comma (12,50)
              </label>
              <button type="button" className="primary" disabled={busy !== ""} onClick={() => void dryRun()}>
                {busy === "dry-run" ? "Checking…" : "Dry run"}
              </button>
            </div>
          </div>
        ) : null}
        {error ? <p className="status error" role="alert">{error}</p> : null}
      </section>

      {job ? (
        <section className="panel" aria-labelledby="dry-run-title">
          <div className="panel-head">
            <h2 id="dry-run-title">
              {job.status === "dry_run" ? "Dry run" : job.status === "applied" ? "Applied" : job.status === "undone" ? "Undone" : "Partly undone"} — import {job.id}
            </h2>
          </div>
          <p className="counts" aria-label="Counts">
            {job.rowsTotal} rows: {job.counts.create} to create, {job.counts.update} to update, {job.counts.unchanged} unchanged, {job.counts.skip} skipped,{" "}
            {job.counts.error} with errors, {job.counts.warning} with warnings.
          </p>
          <div className="toolbar">
            {job.status === "dry_run" ? (
              <>
                {job.counts.error ? (
                  <label className="check">
                    <input type="checkbox" checked={skipErrors} onChange={(e) => setSkipErrors(e.target.checked)} /> Leave the {job.counts.error} error rows out
                  </label>
                ) : null}
                <button type="button" className="primary" disabled={busy !== "" || !toApply || (job.counts.error > 0 && !skipErrors)} onClick={() => void apply()}>
                  {busy === "apply" ? "Applying…" : `Apply ${toApply} changes`}
                </button>
              </>
            ) : null}
            {job.status === "applied" || job.status === "partly_undone" ? (
              <button type="button" className="danger" disabled={busy !== ""} onClick={() => void runUndo(false)}>
                {busy === "undo" ? "Undoing…" : "Undo import"}
              </button>
            ) : null}
          </div>
          {progress ? (
            <div className="progress">
              <progress aria-label="Import progress" max={progress.total || 1} value={progress.done} />
              <span>{progress.done} / {progress.total} rows</span>
            </div>
          ) : null}
          {undo?.__typename === "UndoConflictError" ? (
            <div className="status error" role="alert">
              <p>
                {undo.conflictCount} item(s) changed after the import, so nothing was undone. {undo.undoable} other row(s) can still be undone.
              </p>
              <ul>
                {undo.conflicts.map((c) => (
                  <li key={c.itemId}>{c.itemName} (row {c.rowNo}): {c.changed.join(", ")} changed</li>
                ))}
              </ul>
              {undo.undoable ? <button type="button" onClick={() => void runUndo(true)}>Undo the {undo.undoable} others</button> : null}
            </div>
          ) : null}
          {undo?.__typename === "UndoImportSuccess" ? (
            <p className="status" role="status">Undone: {undo.result.undone} rows reverted{undo.result.keptCount ? `, ${undo.result.keptCount} kept` : ""}.</p>
          ) : null}
          <div className="table-wrap">
            <table className="dry-run">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Action</th>
                  <th scope="col">Item</th>
                  <th scope="col">Changes</th>
                  <th scope="col">Errors and warnings</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.rowNo} data-row={r.rowNo} className={`action-${r.action.toLowerCase()}`}>
                    <td className="num">{r.rowNo}</td>
                    <td className="action">{r.action.toLowerCase()}</td>
                    <td>{r.label}{r.itemId ? <span className="muted"> #{r.itemId}</span> : null}</td>
                    <td className="changes">
                      {r.changes.map((c) => (
                        <div key={c.field}>
                          <b>{c.field}</b>: {r.action === "CREATE" ? <ins>{c.to ?? ""}</ins> : <><del>{c.from ?? "(empty)"}</del> → <ins>{c.to ?? "(empty)"}</ins></>}
                        </div>
                      ))}
                    </td>
                    <td className="issues">
                      {r.errors.map((e, k) => (
                        <div key={`e${k}`} className="error">{e.column ? `${e.column}${e.value !== null ? ` "${e.value}"` : ""}: ` : ""}{e.message}</div>
                      ))}
                      {r.warnings.map((w, k) => (
                        <div key={`w${k}`} className="warning">{w.message}</div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {hasMore ? (
            <button type="button" onClick={() => void loadJob(job.id, rows.at(-1)?.rowNo)}>
              Show more rows
            </button>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
