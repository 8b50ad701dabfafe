// Callback delivery attempts: when, where, what came back, how long it took, the webhook-id and signature, the
// payload, and a replay button that sends the same event (same webhook-id and body) again now.

import type { CallbackAttempt } from '@kiln/contract';
import { useState } from 'preact/hooks';
import { post } from '../api.ts';
import { span, time } from '../format.ts';

export function Attempts({ attempts, canReplay, onReplayed }: { attempts: CallbackAttempt[]; canReplay: boolean; onReplayed: () => void }) {
  const [message, setMessage] = useState('');
  if (attempts.length === 0) return <p class="empty">No delivery attempts yet.</p>;
  const replay = async (attempt: CallbackAttempt) => {
    try {
      await post(`/kiln/callback-attempts/${attempt.id}/replay`);
      setMessage(`Replay of ${attempt.event_id} queued.`);
      onReplayed();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <>
      <p role="status" class="notice-line">{message}</p>
      <ul class="attempts">
        {attempts.map((a) => (
          <li key={a.id} data-attempt-id={a.id} data-trigger={a.trigger}>
            <details>
              <summary>
                <span class={`http ${a.http_status !== null && a.http_status < 300 ? 'ok' : 'bad'}`}>{a.http_status ?? 'error'}</span>
                <span class="nowrap">{time(a.attempted_at)}</span>
                <span class="tag">{a.trigger}</span>
                <span class="num">{span(a.latency_ms)}</span>
                <span class="mono clip">{a.url}</span>
              </summary>
              <dl class="facts">
                <dt>webhook-id</dt><dd class="mono">{a.event_id}</dd>
                <dt>Signature</dt><dd class="mono clip">{a.signature ?? 'unsigned (no webhook secret)'}</dd>
                {a.error && <><dt>Error</dt><dd>{a.error}</dd></>}
                {a.task_id !== 'test' && <><dt>Task</dt><dd class="mono"><a href={`/console/tasks/${a.task_id}`}>{a.task_id}</a></dd></>}
              </dl>
              <pre class="json" tabIndex={0} aria-label="Payload">{pretty(a.body)}</pre>
            </details>
            {canReplay && a.trigger !== 'test' && <button type="button" class="quiet" onClick={() => replay(a)}>Replay</button>}
          </li>
        ))}
      </ul>
    </>
  );
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
