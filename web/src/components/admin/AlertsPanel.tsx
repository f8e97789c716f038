"use client";
// /admin: the low-stock alert badge and list, deliveries that failed (or are
// being retried), and where alerts are sent (channels, needs MANAGE_SETTINGS).
import { useState, type FormEvent } from "react";
import { Field } from "../Field.tsx";
import { useAdminAlertsQuery, useCreateAlertChannelMutation, useDeleteAlertChannelMutation, type AlertChannelInput } from "../../gql/graphql.ts";
import { displayQuantity } from "../../lib/decimal.ts";
import { fieldErrorMap } from "../../lib/hooks.ts";

export function AlertBadge({ onClick }: { onClick: () => void }) {
  const [{ data }] = useAdminAlertsQuery({ requestPolicy: "cache-and-network" });
  const n = data?.stockAlerts.length ?? 0;
  const failed = data?.alertDeliveries.filter((d) => d.status === "FAILED").length ?? 0;
  return (
    <button type="button" className={`alert-badge${n ? " has-alerts" : ""}`} onClick={onClick} aria-label={`${n} low-stock alert${n === 1 ? "" : "s"}${failed ? `, ${failed} failed deliveries` : ""}`}>
      Alerts <span className="badge badge-low" data-testid="alert-count">{n}</span>
      {failed ? <span className="badge badge-out">{failed} failed</span> : null}
    </button>
  );
}

export function AlertsPanel() {
  const [{ data, error }, refresh] = useAdminAlertsQuery({ requestPolicy: "cache-and-network" });
  return (
    <section className="panel alerts-panel" aria-labelledby="alerts-title">
      <div className="panel-head">
        <h2 id="alerts-title">Low-stock alerts</h2>
        <button type="button" onClick={() => refresh({ requestPolicy: "network-only" })}>Refresh</button>
      </div>
      {error ? <p className="status error" role="alert">{error.message}</p> : null}
      {data && data.stockAlerts.length === 0 ? <p className="empty">No item is at or below its reorder point.</p> : null}
      <ul className="alert-list">
        {data?.stockAlerts.map((a) => (
          <li key={a.id} data-alert-item={a.itemId}>
            <strong>{a.itemName}</strong> is at {displayQuantity(a.stockQty)} {a.unit} (reorder at {displayQuantity(a.reorderPoint)})
            <span className="muted"> · since {new Date(a.raisedAt).toLocaleString()}</span>
          </li>
        ))}
      </ul>
      {data?.alertDeliveries.length ? (
        <>
          <h3>Delivery problems</h3>
          <ul className="alert-list failed-deliveries">
            {data.alertDeliveries.map((d) => (
              <li key={d.id}>
                <span className={`badge ${d.status === "FAILED" ? "badge-out" : "badge-low"}`}>{d.status === "FAILED" ? "Failed" : "Retrying"}</span> {d.channelKind.toLowerCase()} to {d.channelTarget}: {d.lastError} ({d.attempts} attempt{d.attempts === 1 ? "" : "s"})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Channels channels={data?.alertChannels ?? []} onChange={() => refresh({ requestPolicy: "network-only" })} />
    </section>
  );
}

type Channel = NonNullable<ReturnType<typeof useAdminAlertsQuery>[0]["data"]>["alertChannels"][number];

function Channels({ channels, onChange }: { channels: Channel[]; onChange: () => void }) {
  const blank = { kind: "EMAIL", target: "", format: "JSON", secret: "", mode: "EACH", digestTime: "18:00" };
  const [form, setForm] = useState(blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState("");
  const [, create] = useCreateAlertChannelMutation();
  const [, remove] = useDeleteAlertChannelMutation();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input: AlertChannelInput = {
      kind: form.kind as AlertChannelInput["kind"],
      target: form.target,
      format: form.format as AlertChannelInput["format"],
      mode: form.mode as AlertChannelInput["mode"],
      ...(form.kind === "WEBHOOK" && form.secret ? { secret: form.secret } : {}),
      ...(form.mode === "DIGEST" ? { digestTime: form.digestTime } : {}),
    };
    const r = await create({ input });
    const answer = r.data?.createAlertChannel;
    if (answer?.__typename === "CreateAlertChannelSuccess") {
      setForm(blank);
      setErrors({});
      setStatus("Channel added.");
      onChange();
    } else if (answer?.__typename === "ValidationError") setErrors(fieldErrorMap(answer));
    else setStatus(answer && "message" in answer ? answer.message : (r.error?.message ?? "Could not add the channel."));
  }

  return (
    <div className="stack">
      <h3>Send alerts to</h3>
      <ul className="alert-list">
        {channels.map((c) => (
          <li key={c.id}>
            {c.kind === "EMAIL" ? "Email" : `Webhook (${c.format === "SLACK" ? "Slack" : "JSON"}${c.hasSecret ? ", signed" : ""})`} → {c.target} ·{" "}
            {c.mode === "DIGEST" ? `daily digest at ${c.digestTime}` : "each alert"}
            {c.enabled ? "" : " (off)"}{" "}
            <button type="button" className="danger" onClick={async () => (await remove({ id: c.id }), onChange())}>Remove</button>
          </li>
        ))}
      </ul>
      <form className="stack" onSubmit={submit} noValidate aria-label="Add alert channel">
        <div className="row3">
          <Field label="Kind">
            <select value={form.kind} onChange={set("kind")}>
              <option value="EMAIL">Email</option>
              <option value="WEBHOOK">Webhook</option>
            </select>
          </Field>
          <Field label={form.kind === "EMAIL" ? "Email address" : "Webhook URL"} error={errors.target}>
            <input value={form.target} onChange={set("target")} autoComplete="off" />
          </Field>
          <Field label="When">
            <select value={form.mode} onChange={set("mode")}>
              <option value="EACH">Each alert</option>
              <option value="DIGEST">Daily digest</option>
            </select>
          </Field>
        </div>
        {form.kind === "WEBHOOK" || form.mode === "DIGEST" ? (
          <div className="row3">
            {form.kind === "WEBHOOK" ? (
              <>
                <Field label="Payload">
                  <select value={form.format} onChange={set("format")}>
                    <option value="JSON">JSON</option>
                    <option value="SLACK">Slack-compatible</option>
                  </select>
                </Field>
                <Field label="Signing secret (HMAC-SHA256)" error={errors.secret}>
                  <input value={form.secret} onChange={set("secret")} autoComplete="off" />
                </Field>
              </>
            ) : null}
            {form.mode === "DIGEST" ? (
              <Field label="Digest time (shop time)" error={errors.digestTime}>
                <input type="time" value={form.digestTime} onChange={set("digestTime")} />
              </Field>
            ) : null}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit">Add channel</button>
          <p className="status" role="status" aria-live="polite">{status}</p>
        </div>
      </form>
    </div>
  );
}
