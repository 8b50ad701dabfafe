// Simulator controls. A tenant finishes all its unfinished tasks at once (a task's own page completes or advances
// it); the operator edits the global fault rules and blocked words every tenant's simulated tasks obey.

import { useEffect, useState } from 'preact/hooks';
import { get, post, put } from '../api.ts';

export function SimulatorPage({ operator }: { operator: boolean }) {
  return (
    <section aria-labelledby="simulator-title">
      <h1 id="simulator-title">Simulator</h1>
      {operator ? <RulesEditor /> : <TenantControls />}
    </section>
  );
}

function TenantControls() {
  const [message, setMessage] = useState('');
  const completeAll = async () => {
    try {
      const done = await post<unknown[]>('/simulator/tasks/complete');
      setMessage(`${done.length} unfinished task${done.length === 1 ? '' : 's'} completed.`);
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class="card">
      <p>Simulated tasks follow the timing profile the operator set for you. To skip the wait, complete them now: each
        ends as the simulator decided (succeed or failed) and its callbacks are sent.</p>
      <button type="button" onClick={completeAll}>Complete all unfinished tasks</button>
      <p role="status">{message}</p>
      <p class="help">A task's page has buttons to complete it or move its clock forward.</p>
    </div>
  );
}

function RulesEditor() {
  const [text, setText] = useState('');
  const [message, setMessage] = useState('');
  useEffect(() => {
    get<unknown>('/admin/simulator/rules').then((rules) => setText(JSON.stringify(rules, null, 2)), (e: Error) => setMessage(e.message));
  }, []);
  const save = async (event: Event) => {
    event.preventDefault();
    let rules: unknown;
    try {
      rules = JSON.parse(text);
    } catch {
      setMessage('The rules are not valid JSON.');
      return;
    }
    try {
      setText(JSON.stringify(await putRules(rules), null, 2));
      setMessage('Saved: every process applies them to new tasks.');
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form class="card" onSubmit={save}>
      <label class="field"><span>Fault rules and blocked words (JSON: {'{"rules": [{"family", "probability", "fault"}], "blocked_words": []}'})</span>
        <textarea rows={14} spellcheck={false} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      </label>
      <button type="submit">Save rules</button>
      <p role="status">{message}</p>
    </form>
  );
}

const putRules = (rules: unknown) => put<unknown>('/admin/simulator/rules', rules);
