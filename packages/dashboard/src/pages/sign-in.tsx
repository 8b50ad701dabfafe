// Sign-in: an API key, an access key and secret key, or the operator's admin token. The credential goes to kiln once,
// which answers with an HttpOnly cookie; the page never stores it.

import type { ConsoleSessionInfo } from '@kiln/contract';
import { useState } from 'preact/hooks';
import { post } from '../api.ts';

type Mode = 'api_key' | 'ak_sk' | 'admin';
const MODES: [Mode, string][] = [['api_key', 'API key'], ['ak_sk', 'Access key + secret key'], ['admin', 'Operator (admin token)']];

export function SignIn({ notice, onSignedIn }: { notice: string; onSignedIn: (s: ConsoleSessionInfo) => void }) {
  const [mode, setMode] = useState<Mode>('api_key');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    const body = mode === 'api_key' ? { api_key: value('api_key') }
      : mode === 'ak_sk' ? { access_key: value('access_key'), secret_key: value('secret_key') }
      : { admin_token: value('admin_token') };
    setBusy(true);
    setError('');
    try {
      onSignedIn(await post<ConsoleSessionInfo>('/console/session', body));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>kiln console</h1>
      {notice && <p class="notice" role="status">{notice}</p>}
      <form onSubmit={submit} class="card" aria-describedby="sign-in-help">
        <fieldset class="modes">
          <legend>Sign in with</legend>
          {MODES.map(([m, label]) => (
            <label key={m}><input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} /> {label}</label>
          ))}
        </fieldset>
        {mode === 'api_key' && <Field name="api_key" label="API key" />}
        {mode === 'ak_sk' && <><Field name="access_key" label="Access key" plain /><Field name="secret_key" label="Secret key" /></>}
        {mode === 'admin' && <Field name="admin_token" label="Admin token" />}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        <p class="error" role="alert">{error}</p>
        <p id="sign-in-help" class="help">The key is sent to kiln once; kiln keeps you signed in with a cookie that scripts cannot read.</p>
      </form>
    </main>
  );
}

function Field({ name, label, plain }: { name: string; label: string; plain?: boolean }) {
  return (
    <label class="field">
      <span>{label}</span>
      <input name={name} type={plain ? 'text' : 'password'} autocomplete="off" spellcheck={false} required />
    </label>
  );
}
