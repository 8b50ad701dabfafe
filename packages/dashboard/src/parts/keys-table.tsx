// A tenant's keys: list, create (the new secret shown once, with a copy button), revoke. Used by the tenant's Keys
// page (its own /kiln/keys) and the operator's tenant page (/admin/tenants/{name}/keys).

import type { KeyView } from '@kiln/contract';
import { useState } from 'preact/hooks';
import { del, get, post } from '../api.ts';
import { time } from '../format.ts';
import { usePoll } from '../poll.ts';

interface IssuedKey {
  name: string;
  kind: string;
  api_key?: string;
  access_key?: string;
  secret_key?: string;
}

export function KeysTable({ base }: { base: string }) {
  const keys = usePoll(() => get<KeyView[]>(base), 0, [base]);
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const [message, setMessage] = useState('');

  const create = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    try {
      setIssued(await post<IssuedKey>(base, { name: String(form.get('name') ?? '').trim(), type: String(form.get('type')) }));
      setMessage('');
      (event.target as HTMLFormElement).reset();
      keys.reload();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  const revoke = async (name: string) => {
    if (!confirm(`Revoke key "${name}"? Requests and console sessions using it stop working at once.`)) return;
    try {
      await del(`${base}/${encodeURIComponent(name)}`);
      keys.reload();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <>
      {issued && <IssuedNotice issued={issued} onClose={() => setIssued(null)} />}
      <div class="table-wrap">
        <table class="keys">
          <thead><tr><th>Name</th><th>Type</th><th>Access key</th><th>Created</th><th>Last used</th><th>State</th><th /></tr></thead>
          <tbody>
            {(keys.data ?? []).map((k) => (
              <tr key={k.name} data-key={k.name}>
                <td>{k.name}</td><td>{k.type === 'api_key' ? 'API key' : 'AK/SK'}</td><td class="mono clip">{k.access_key ?? '—'}</td>
                <td class="nowrap">{time(k.created_at)}</td><td class="nowrap">{k.last_used_at ? time(k.last_used_at) : 'never'}</td>
                <td>{k.revoked_at ? `revoked ${time(k.revoked_at)}` : 'live'}</td>
                <td>{!k.revoked_at && <button type="button" class="danger" onClick={() => revoke(k.name)}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="card inline-form" onSubmit={create}>
        <label class="field grow"><span>New key name</span><input name="name" required pattern="[A-Za-z0-9_.\-]{1,64}" /></label>
        <label class="field"><span>Type</span>
          <select name="type"><option value="api_key">API key</option><option value="access_key">Access key + secret key</option></select>
        </label>
        <button type="submit">Create key</button>
        <p class="error" role="alert">{message}</p>
      </form>
    </>
  );
}

function IssuedNotice({ issued, onClose }: { issued: IssuedKey; onClose: () => void }) {
  const secrets = [['API key', issued.api_key], ['Access key', issued.access_key], ['Secret key', issued.secret_key]].filter(([, v]) => v) as [string, string][];
  return (
    <div class="card issued" role="alert">
      <p><strong>Key “{issued.name}” created.</strong> Copy it now: kiln shows it only this once.</p>
      {secrets.map(([label, value]) => (
        <p key={label} class="secret"><span>{label}</span> <code data-secret={label}>{value}</code>
          <button type="button" class="quiet" onClick={() => navigator.clipboard?.writeText(value)}>Copy</button></p>
      ))}
      <button type="button" onClick={onClose}>Done</button>
    </div>
  );
}
