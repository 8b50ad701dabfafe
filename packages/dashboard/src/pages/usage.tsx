// Usage: units per day by family and model over a chosen period, the resource packs (remaining units, expiry), and
// concurrency in use against the limit per pack type, kept live.

import { USAGE_DAYS, type ConcurrencyUse, type ConsoleUsage } from '@kiln/contract';
import { useState } from 'preact/hooks';
import { get, query } from '../api.ts';
import { time, units } from '../format.ts';
import { usePoll } from '../poll.ts';
import { UsageChart } from '../parts/usage-chart.tsx';

const PERIODS = [7, 14, 30, 90].filter((d) => d <= USAGE_DAYS.max);

interface PackInfo {
  resource_pack_name: string;
  resource_pack_id: string;
  resource_pack_type: string;
  total_quantity: number;
  remaining_quantity: number;
  invalid_time: number;
  status: string;
}

export function UsagePage() {
  const [days, setDays] = useState<number>(USAGE_DAYS.default);
  const usage = usePoll(() => get<ConsoleUsage>(`/kiln/usage${query({ days })}`), 5000, [days]);
  const concurrency = usePoll(() => get<ConcurrencyUse[]>('/kiln/concurrency'), 2000, []);
  const packs = usePoll(async () => {
    const now = Date.now();
    // Kling's own endpoint: the packs live at some point of the period (here: from a year ago to now).
    const answer = await get<{ resource_pack_subscribe_infos: PackInfo[] }>(`/account/costs${query({ start_time: now - 365 * 86_400_000, end_time: now })}`);
    return answer.resource_pack_subscribe_infos;
  }, 10_000, []);

  return (
    <section aria-labelledby="usage-title">
      <h1 id="usage-title">Usage</h1>
      <label class="inline">Period
        <select value={days} onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}>
          {PERIODS.map((d) => <option value={d}>last {d} days</option>)}
        </select>
      </label>
      {usage.error && <p class="error" role="alert">{usage.error}</p>}
      {usage.data ? <UsageChart usage={usage.data} /> : <div class="chart-box" aria-busy="true" />}

      <h2>Concurrency</h2>
      <ul class="meters">
        {(concurrency.data ?? []).map((c) => (
          <li key={c.pack} data-pack={c.pack}>
            <span>{c.pack}</span>
            <meter min={0} max={c.limit} value={c.used} aria-label={`${c.pack} slots in use`} />
            <span class="num">{c.used} / {c.limit}</span>
          </li>
        ))}
      </ul>

      <h2>Resource packs</h2>
      <div class="table-wrap">
        <table>
          <thead><tr><th>Pack</th><th>Kind</th><th class="num">Remaining</th><th class="num">Total</th><th>Expires</th><th>Status</th></tr></thead>
          <tbody>
            {(packs.data ?? []).map((p) => (
              <tr key={p.resource_pack_id}>
                <td>{p.resource_pack_name}</td><td>{p.resource_pack_type}</td>
                <td class="num">{units(p.remaining_quantity)}</td><td class="num">{units(p.total_quantity)}</td>
                <td class="nowrap">{time(p.invalid_time)}</td><td>{p.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
