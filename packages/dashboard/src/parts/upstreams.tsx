// The relay's upstream accounts on the operator's System page: routing order, slots in use against the limit kept
// now, the breaker, and, on demand, the account's own resource packs (asked live of its /account/costs).

import type { UpstreamHealthView } from '@kiln/contract';
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.ts';
import { time } from '../format.ts';

export interface UpstreamRow {
  name: string; base_url: string; path_style: string; priority: number;
  concurrency: Record<string, number>; concurrency_now: Record<string, number>;
  slots: Record<string, { held: number; waiting: number }>;
  last_hour: { succeeded: number; failed: number };
  health: UpstreamHealthView;
}

interface Pack {
  resource_pack_name: string; resource_pack_type: string; total_quantity: number; remaining_quantity: number;
  invalid_time: number; status: string;
}

/** Per pack type with a limit or tasks: "video 2/5 · 3 waiting", the limit noted when an upstream 1303 lowered it. */
function slotsText(u: UpstreamRow): string {
  const packs = Object.keys({ ...u.concurrency, ...u.concurrency_now }).concat(Object.keys(u.slots).filter((k) => u.slots[k].held + u.slots[k].waiting > 0));
  return [...new Set(packs)].map((k) => {
    const { held = 0, waiting = 0 } = u.slots[k] ?? {};
    const [set, now] = [u.concurrency[k], u.concurrency_now[k]];
    const lowered = set !== now ? ` (of ${set ?? 'no limit'}, after a 1303)` : '';
    return `${k} ${held}/${now ?? '∞'}${lowered}${waiting ? ` · ${waiting} waiting` : ''}`;
  }).join(', ') || 'no limit';
}

/** Tasks the upstream ended in the last hour, and the share that failed: its error rate. */
function lastHourText({ succeeded, failed }: UpstreamRow['last_hour']): string {
  const ended = succeeded + failed;
  return ended === 0 ? 'no tasks' : `${ended} ended, ${failed} failed (${Math.round((100 * failed) / ended)}%)`;
}

/** The account's packs, asked when shown (each look is a request to the upstream). */
function Packs({ name }: { name: string }) {
  const [state, setState] = useState<{ packs?: Pack[]; error?: string }>({});
  useEffect(() => {
    get<{ resource_pack_subscribe_infos?: Pack[] }>(`/admin/upstreams/${encodeURIComponent(name)}/costs`)
      .then((answer) => setState({ packs: answer.resource_pack_subscribe_infos ?? [] }), (e: unknown) => setState({ error: e instanceof Error ? e.message : String(e) }));
  }, [name]);
  if (state.error) return <p class="error" role="alert">{state.error}</p>;
  if (!state.packs) return <p class="help">Asking {name} for its packs…</p>;
  if (state.packs.length === 0) return <p class="empty">{name} reports no packs in the last 30 days.</p>;
  return (
    <table aria-label={`${name}'s resource packs`}>
      <thead><tr><th>Pack</th><th>Type</th><th class="num">Left</th><th>Status</th><th>Until</th></tr></thead>
      <tbody>{state.packs.map((p) => (
        <tr key={p.resource_pack_name + p.invalid_time}>
          <td>{p.resource_pack_name}</td><td>{p.resource_pack_type}</td>
          <td class="num">{p.remaining_quantity} of {p.total_quantity}</td><td>{p.status}</td><td>{time(p.invalid_time)}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}

export function UpstreamsTable({ upstreams }: { upstreams: UpstreamRow[] }) {
  const [shown, setShown] = useState<string | null>(null);
  if (upstreams.length === 0) return <p class="empty">None: every task runs on the simulator.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead><tr><th>Name</th><th>Base URL</th><th>Path style</th><th class="num">Priority</th><th>Slots in use</th><th>Last hour</th><th>Health</th><th /></tr></thead>
        <tbody>{upstreams.flatMap((u) => [
          <tr key={u.name}>
            <td>{u.name}</td><td class="mono">{u.base_url}</td><td>{u.path_style}</td><td class="num">{u.priority}</td>
            <td>{slotsText(u)}</td>
            <td>{lastHourText(u.last_hour)}</td>
            <td><span class={`health-${u.health.state}`}>{u.health.state}</span>
              {u.health.state === 'open' && u.health.open_until ? ` until ${time(u.health.open_until)}` : ''}
              {u.health.reason && u.health.state !== 'healthy' ? <div class="help">{u.health.reason}</div> : null}</td>
            <td><button type="button" class="quiet" aria-expanded={shown === u.name} onClick={() => setShown(shown === u.name ? null : u.name)}>
              {shown === u.name ? 'Hide packs' : 'Packs'}</button></td>
          </tr>,
          ...(shown === u.name ? [<tr key={`${u.name}-packs`}><td colSpan={8}><Packs name={u.name} /></td></tr>] : []),
        ])}</tbody>
      </table>
    </div>
  );
}
