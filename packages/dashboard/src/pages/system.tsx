// The operator's system page: version, processes, storage used, queue depths, task counts per engine and the
// relay's upstreams.

import { get } from '../api.ts';
import { bytes, span, time } from '../format.ts';
import { usePoll } from '../poll.ts';
import { UpstreamsTable, type UpstreamRow } from '../parts/upstreams.tsx';

interface Counted { objects: number | null; bytes: number | null; measured_at: number }

interface SystemInfo {
  version: string;
  node: string;
  pid: number;
  started_at: number;
  uptime_seconds: number;
  memory_rss_bytes: number;
  queues: { kind: string; depth: number; oldestCreatedAt: number | null }[];
  tasks: { engine: string; status: string; tasks: number }[];
  upstreams: UpstreamRow[];
  tenants: number;
  storage: Counted & { backend: 'local' | 's3'; local?: Counted };
  processes: { number: number; host: string; pid: number; heartbeat_at: number; this: boolean }[];
}

export function SystemPage() {
  const { data, error } = usePoll(() => get<SystemInfo>('/admin/system'), 3000, []);
  return (
    <section aria-labelledby="system-title">
      <h1 id="system-title">System</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {data && (
        <>
          <dl class="facts">
            <dt>Version</dt><dd>{data.version}</dd>
            <dt>Node</dt><dd>{data.node}</dd>
            <dt>Process</dt><dd>pid {data.pid}, up {span(data.uptime_seconds * 1000)} (since {time(data.started_at)})</dd>
            <dt>Memory</dt><dd>{bytes(data.memory_rss_bytes)} resident</dd>
            <dt>Tenants</dt><dd>{data.tenants}</dd>
            <dt>Storage</dt><dd>{storageUsed(data.storage)}</dd>
          </dl>
          <h2>Processes</h2>
          <table aria-label="Processes">
            <thead><tr><th class="num">Worker</th><th>Host</th><th class="num">PID</th><th>Last heartbeat</th></tr></thead>
            <tbody>{data.processes.map((p) => (
              <tr key={p.number}>
                <td class="num">{p.number}</td><td>{p.host}{p.this ? ' (this one)' : ''}</td><td class="num">{p.pid}</td><td>{time(p.heartbeat_at)}</td>
              </tr>
            ))}</tbody>
          </table>
          <h2>Queues</h2>
          <table>
            <thead><tr><th>Kind</th><th class="num">Depth</th><th>Oldest</th></tr></thead>
            <tbody>
              {data.queues.length === 0 && <tr><td colSpan={3} class="empty">Empty.</td></tr>}
              {data.queues.map((q) => <tr key={q.kind}><td>{q.kind}</td><td class="num">{q.depth}</td><td>{q.oldestCreatedAt ? time(q.oldestCreatedAt) : '—'}</td></tr>)}
            </tbody>
          </table>
          <h2>Tasks</h2>
          <table>
            <thead><tr><th>Engine</th><th>Status</th><th class="num">Tasks</th></tr></thead>
            <tbody>{data.tasks.map((t) => <tr key={t.engine + t.status}><td>{t.engine}</td><td>{t.status}</td><td class="num">{t.tasks}</td></tr>)}</tbody>
          </table>
          <h2>Upstreams</h2>
          <UpstreamsTable upstreams={data.upstreams} />
        </>
      )}
    </section>
  );
}

function storageUsed(storage: SystemInfo['storage']): string {
  const counted = (c: Counted, where: string, unknown: string) => (c.bytes === null
    ? `${where}: size unknown (${unknown})`
    : `${bytes(c.bytes)} in ${c.objects} object${c.objects === 1 ? '' : 's'} (${where}, counted ${time(c.measured_at)})`);
  if (storage.backend === 'local') return counted(storage, 'local files', 'the media folder cannot be read');
  const bucket = counted(storage, 'S3 bucket', 'the bucket will not list its objects');
  return storage.local ? `${bucket}; ${counted(storage.local, 'working copies in the data directory', 'the media folder cannot be read')}` : bucket;
}
