// One task: what it is, its status timeline, its outputs (play, view, download), the request as sent, the answer a
// Kling client gets, its callback deliveries (replay) and, on the simulator, buttons that finish or advance it.
// Refreshed every 2 s until it ends.

import type { CallbackAttempt, ConsoleTaskDetail } from '@kiln/contract';
import { useState } from 'preact/hooks';
import { get, post } from '../api.ts';
import { time, units } from '../format.ts';
import { usePoll } from '../poll.ts';
import { BASE } from '../router.ts';
import { Attempts } from '../parts/attempts.tsx';
import { Outputs } from '../parts/outputs.tsx';
import { Status } from '../parts/status.tsx';

const POLL_MS = 2000;

export function TaskPage({ id, operator }: { id: string; operator: boolean }) {
  const base = operator ? '/admin/tasks' : '/kiln/tasks';
  const path = `${base}/${encodeURIComponent(id)}`;
  const [done, setDone] = useState(false);
  const task = usePoll(async () => {
    const detail = await get<ConsoleTaskDetail>(path);
    setDone(detail.summary.status === 'succeed' || detail.summary.status === 'failed');
    return detail;
  }, done ? 0 : POLL_MS, [path, done]);
  // Callbacks keep arriving after the task ends (retries, replays): polled on their own.
  const attempts = usePoll(() => get<CallbackAttempt[]>(`${path}/callback-attempts`), POLL_MS, [path]);

  // Until the new task's answer arrives, the previous page's task is not shown as this one.
  const d = task.data?.summary.task_id === id ? task.data : undefined;
  if (!d) return <section><h1>Task {id}</h1>{task.error ? <p class="error" role="alert">{task.error}</p> : <p aria-busy="true">Loading…</p>}</section>;
  const s = d.summary;
  return (
    <section aria-labelledby="task-title" class="task">
      <p><a href={`${BASE}/tasks`}>← Tasks</a></p>
      <h1 id="task-title">{s.family_title} <Status status={s.status} /></h1>
      <dl class="facts">
        <dt>Task id</dt><dd class="mono" data-testid="task-id">{s.task_id}</dd>
        <dt>External id</dt><dd class="mono">{s.external_task_id ?? '—'}</dd>
        <dt>Model</dt><dd>{s.model ?? '—'}</dd>
        <dt>Units</dt><dd>{units(s.units)}{s.status === 'failed' ? ' (not charged: failed)' : ''}</dd>
        <dt>Query</dt><dd class="mono">GET {s.path}/{s.task_id}</dd>
        {s.status_msg && <><dt>Message</dt><dd>{s.status_msg}</dd></>}
        <dt>Engine</dt><dd>{d.engine}</dd>
        {d.relay && <><dt>Upstream</dt><dd class="mono">{d.relay.upstream} · task {d.relay.upstream_task_id ?? '(not accepted yet)'} · external id {d.relay.external_task_id}</dd></>}
        {operator && <><dt>Tenant</dt><dd class="mono"><a href={`${BASE}/tasks?tenant=${s.tenant_id}`}>{s.tenant_id}</a></dd></>}
      </dl>

      <h2>Timeline</h2>
      <ol class="timeline">
        {d.timeline.map((step) => <li key={step.status}><Status status={step.status} /> <time dateTime={new Date(step.at).toISOString()}>{time(step.at)}</time></li>)}
      </ol>

      {!operator && s.status !== 'succeed' && s.status !== 'failed' && <SimulatorButtons id={s.task_id} onChange={task.reload} />}

      <h2>Outputs</h2>
      {s.status === 'succeed' ? <Outputs result={d.answer.task_result ?? {}} /> : <p class="empty">{s.status === 'failed' ? 'The task failed: no outputs.' : 'Outputs appear here when the task succeeds.'}</p>}

      <h2>Callbacks</h2>
      {d.callback_url ? <p>Sent to <span class="mono">{d.callback_url}</span></p> : <p class="empty">The request set no callback_url.</p>}
      <Attempts attempts={attempts.data ?? []} canReplay={!operator} onReplayed={attempts.reload} />

      <div class="two">
        <div><h2>Request</h2><pre class="json" tabIndex={0} aria-label="Request as sent">{JSON.stringify(d.request, null, 2)}</pre></div>
        <div><h2>Kling answer</h2><pre class="json" tabIndex={0} aria-label="Answer as a Kling client sees it">{JSON.stringify(d.answer, null, 2)}</pre></div>
      </div>
    </section>
  );
}

function SimulatorButtons({ id, onChange }: { id: string; onChange: () => void }) {
  const [error, setError] = useState('');
  const act = (path: string, body: unknown) => post(path, body).then(() => { setError(''); onChange(); }, (e: Error) => setError(e.message));
  return (
    <div class="actions" role="group" aria-label="Simulator">
      <button type="button" onClick={() => act(`/simulator/tasks/${id}/complete`, {})}>Complete now</button>
      <button type="button" class="quiet" onClick={() => act(`/simulator/tasks/${id}/advance`, { seconds: 30 })}>Advance 30 s</button>
      <span class="error" role="alert">{error}</span>
    </div>
  );
}
