// Callbacks: the latest delivery attempts over every task (payload, answer, replay), and a test button that sends a
// sample callback to any URL, as Kling's console has (kiln allows one every few seconds).

import { TEST_CALLBACK_INTERVAL_SECONDS, type CallbackAttempt } from '@kiln/contract';
import { useState } from 'preact/hooks';
import { get, post } from '../api.ts';
import { span } from '../format.ts';
import { usePoll } from '../poll.ts';
import { Attempts } from '../parts/attempts.tsx';

export function CallbacksPage() {
  const attempts = usePoll(() => get<CallbackAttempt[]>('/kiln/callback-attempts'), 3000, []);
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);

  const test = async (event: Event) => {
    event.preventDefault();
    const url = String(new FormData(event.target as HTMLFormElement).get('url') ?? '').trim();
    setBusy(true);
    try {
      const attempt = await post<CallbackAttempt>('/kiln/callbacks/test', { url });
      setResult(attempt.http_status !== null ? `Answered HTTP ${attempt.http_status} in ${span(attempt.latency_ms)}.` : `Not delivered: ${attempt.error}`);
      attempts.reload();
    } catch (e) {
      setResult(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="callbacks-title">
      <h1 id="callbacks-title">Callbacks</h1>
      <form class="card inline-form" onSubmit={test}>
        <label class="field grow"><span>Send a test callback to</span><input name="url" type="url" required placeholder="https://example.com/kling-hook" /></label>
        <button type="submit" disabled={busy}>Send test</button>
        <p class="help">A made-up submitted task, signed like real callbacks; one every {TEST_CALLBACK_INTERVAL_SECONDS} s.</p>
        <p role="status" data-testid="test-result">{result}</p>
      </form>
      <h2>Latest attempts</h2>
      {attempts.error && <p class="error" role="alert">{attempts.error}</p>}
      <Attempts attempts={attempts.data ?? []} canReplay onReplayed={attempts.reload} />
    </section>
  );
}
