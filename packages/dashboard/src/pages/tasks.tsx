// Tasks: every family's tasks, newest first, filtered and searched, kept current without a reload (polled with an
// ETag: an unchanged list costs kiln a 304 and the page nothing). Rows have a fixed height, so updates never move
// the layout.

import { families, type ConsoleTaskPage, type ConsoleTaskSummary } from '@kiln/contract';
import { useRef, useState } from 'preact/hooks';
import { getIfChanged, query } from '../api.ts';
import { seconds, time, units } from '../format.ts';
import { usePoll } from '../poll.ts';
import { BASE, navigate } from '../router.ts';
import { Status } from '../parts/status.tsx';

const POLL_MS = 2000;
const STATUSES = ['submitted', 'processing', 'succeed', 'failed'];
const FAMILY_OPTIONS = [...families].sort((a, b) => a.title.localeCompare(b.title));

export function TasksPage({ operator, tenantId }: { operator: boolean; tenantId?: string }) {
  const [status, setStatus] = useState('');
  const [family, setFamily] = useState('');
  const [search, setSearch] = useState('');
  const [older, setOlder] = useState<ConsoleTaskSummary[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const etag = useRef<string | null>(null);
  // Whether older pages are shown: then the cursor belongs to them, and polling the first page must not reset it.
  const showingOlder = useRef(false);
  const base = operator ? '/admin/tasks' : '/kiln/tasks';
  const filters = { status, family, q: search, tenant_id: operator ? tenantId : undefined };

  const { data, error } = usePoll(async () => {
    const answer = await getIfChanged<ConsoleTaskPage>(base + query(filters), etag.current);
    etag.current = answer.etag;
    if (answer.data && !showingOlder.current) setNextBefore(answer.data.next_before);
    return answer.data;
  }, POLL_MS, [base, status, family, search, tenantId]);

  const resetPages = () => { etag.current = null; showingOlder.current = false; setOlder([]); setNextBefore(null); };
  const loadOlder = async () => {
    if (!nextBefore) return;
    const page = (await getIfChanged<ConsoleTaskPage>(base + query({ ...filters, before: nextBefore }), null)).data!;
    showingOlder.current = true;
    setOlder((o) => [...o, ...page.tasks]);
    setNextBefore(page.next_before);
  };
  // A task that new ones pushed off the first page may also be in an older page already: shown once.
  const first = data?.tasks ?? [];
  const onFirst = new Set(first.map((t) => t.task_id));
  const tasks = [...first, ...older.filter((t) => !onFirst.has(t.task_id))];

  return (
    <section aria-labelledby="tasks-title">
      <h1 id="tasks-title">{operator ? (tenantId ? `Tasks of tenant ${tenantId}` : 'All tasks') : 'Tasks'}</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Status
          <select value={status} onChange={(e) => { resetPages(); setStatus((e.target as HTMLSelectElement).value); }}>
            <option value="">any</option>
            {STATUSES.map((s) => <option value={s}>{s}</option>)}
          </select>
        </label>
        <label>Family
          <select value={family} onChange={(e) => { resetPages(); setFamily((e.target as HTMLSelectElement).value); }}>
            <option value="">any</option>
            {FAMILY_OPTIONS.map((f) => <option value={f.name}>{f.title}</option>)}
          </select>
        </label>
        <label class="grow">Search
          <input type="search" placeholder="task id or external id" value={search}
            onInput={(e) => { resetPages(); setSearch((e.target as HTMLInputElement).value.trim()); }} />
        </label>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="table-wrap">
        <table class="tasks" aria-live="polite" aria-busy={!data}>
          <thead>
            <tr>
              <th>Status</th><th>Family</th><th>Model</th><th>Created</th><th class="num">Duration</th><th class="num">Units</th>
              <th>External id</th><th>Task id</th>{operator && <th>Tenant</th>}
            </tr>
          </thead>
          <tbody>
            {tasks.map((t) => (
              <tr key={t.task_id} data-task-id={t.task_id} data-status={t.status} onClick={() => navigate(`/tasks/${t.task_id}`)}>
                <td><Status status={t.status} /></td>
                <td>{t.family_title}</td>
                <td>{t.model ?? '—'}</td>
                <td class="nowrap">{time(t.created_at)}</td>
                <td class="num">{seconds(t.duration)}</td>
                <td class="num">{units(t.units)}</td>
                <td class="mono clip">{t.external_task_id ?? '—'}</td>
                <td class="mono"><a href={`${BASE}/tasks/${t.task_id}`} onClick={(e) => e.stopPropagation()}>{t.task_id}</a></td>
                {operator && <td class="mono clip"><a href={`${BASE}/tasks?tenant=${t.tenant_id}`} onClick={(e) => e.stopPropagation()}>{t.tenant_id.slice(0, 8)}</a></td>}
              </tr>
            ))}
          </tbody>
        </table>
        {data && tasks.length === 0 && <p class="empty">No tasks{status || family || search ? ' match these filters' : ' yet: create one with the API, the SDK or the CLI'}.</p>}
      </div>
      {nextBefore && <button type="button" class="quiet" onClick={loadOlder}>Older tasks</button>}
    </section>
  );
}
