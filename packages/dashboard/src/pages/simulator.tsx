// Simulator controls. A tenant picks its timing profile and finishes all its unfinished tasks at once (a task's own
// page completes or advances it); the operator edits the global fault rules and blocked words every tenant's
// simulated tasks obey.

import { TIMING_PROFILE_MEANINGS, TIMING_PROFILES, type SimulatorSettingsView } from '@kiln/contract';
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
    <>
      <TimingSettings />
      <div class="card">
        <p>To skip the wait, complete your unfinished tasks now: each ends as the simulator decided (succeed or failed)
          and its callbacks are sent.</p>
        <button type="button" onClick={completeAll}>Complete all unfinished tasks</button>
        <p role="status">{message}</p>
        <p class="help">A task's page has buttons to complete it or move its clock forward.</p>
      </div>
    </>
  );
}

function TimingSettings() {
  const [settings, setSettings] = useState<SimulatorSettingsView | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    get<SimulatorSettingsView>('/simulator/settings').then(setSettings, (e: Error) => setMessage(e.message));
  }, []);
  const choose = async (value: string) => {
    try {
      const saved = await put<SimulatorSettingsView>('/simulator/settings', { timing: value === '' ? null : value });
      setSettings(saved);
      setMessage(`Saved: new tasks are ${saved.effective_timing}.`);
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  if (settings?.engine === 'relay') {
    return <div class="card"><p>Your tasks are relayed to Kling: they take as long as Kling takes.</p></div>;
  }
  return (
    <div class="card">
      <label class="field"><span>Timing of new simulated tasks</span>
        <select name="timing" disabled={!settings} value={settings?.timing ?? ''} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
          <option value="">server default ({settings?.server_timing ?? '…'})</option>
          {TIMING_PROFILES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      {settings && <p class="help">{settings.effective_timing}: {TIMING_PROFILE_MEANINGS[settings.effective_timing]}. Tasks already made keep their timing.</p>}
      <p role="status">{message}</p>
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
