// The operator's tenants: create one (credentials shown once), and for each its limits, simulator timing, engine
// (simulator or relay), packs (add one), keys and a link to its tasks.

import { ENGINE_NAMES, PACK_TYPES, TIMING_PROFILES, type PackView, type TenantDetail, type TenantView } from '@kiln/contract';
import { useState } from 'preact/hooks';
import { get, patch, post } from '../api.ts';
import { time, units } from '../format.ts';
import { usePoll } from '../poll.ts';
import { BASE } from '../router.ts';
import { KeysTable } from '../parts/keys-table.tsx';

interface Credentials { tenant_id: string; name: string; api_key: string; access_key: string; secret_key: string }

export function TenantsPage() {
  const tenants = usePoll(() => get<TenantView[]>('/admin/tenants'), 5000, []);
  const [open, setOpen] = useState<string | null>(null);
  const [created, setCreated] = useState<Credentials | null>(null);
  const [message, setMessage] = useState('');

  const create = async (event: Event) => {
    event.preventDefault();
    const name = String(new FormData(event.target as HTMLFormElement).get('name') ?? '').trim();
    try {
      setCreated(await post<Credentials>('/admin/tenants', { name }));
      setMessage('');
      (event.target as HTMLFormElement).reset();
      tenants.reload();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section aria-labelledby="tenants-title">
      <h1 id="tenants-title">Tenants</h1>
      <form class="card inline-form" onSubmit={create}>
        <label class="field grow"><span>New tenant name</span><input name="name" required pattern="[A-Za-z0-9_.\-]{1,64}" /></label>
        <button type="submit">Create tenant</button>
        <p class="error" role="alert">{message}</p>
      </form>
      {created && (
        <div class="card issued" role="alert" data-testid="created-tenant">
          <p><strong>Tenant “{created.name}” created.</strong> Its credentials are shown only this once:</p>
          {([['API key', 'api_key', created.api_key], ['Access key', 'access_key', created.access_key], ['Secret key', 'secret_key', created.secret_key]] as const).map(([label, name, value]) => (
            <p class="secret" key={name}><span>{label}</span> <code data-secret={name}>{value}</code>
              <button type="button" class="quiet" onClick={() => navigator.clipboard?.writeText(value)}>Copy</button></p>
          ))}
          <button type="button" onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      <div class="table-wrap">
        <table>
          <thead><tr><th>Name</th><th>Created</th><th class="num">Video</th><th class="num">Image</th><th class="num">Try-on</th><th>Timing</th><th>Engine</th><th /></tr></thead>
          <tbody>
            {(tenants.data ?? []).map((t) => (
              <tr key={t.id} data-tenant={t.name}>
                <td>{t.name}</td><td class="nowrap">{time(t.created_at)}</td>
                <td class="num">{t.concurrency.video}</td><td class="num">{t.concurrency.image}</td><td class="num">{t.concurrency['try-on']}</td>
                <td>{t.timing ?? 'server default'}</td><td>{t.engine}</td>
                <td class="nowrap">
                  <a href={`${BASE}/tasks?tenant=${t.id}`}>Tasks</a>{' '}
                  <button type="button" class="quiet" aria-expanded={open === t.name} onClick={() => setOpen(open === t.name ? null : t.name)}>Packs &amp; keys</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open && <TenantPanel name={open} />}
    </section>
  );
}

function TenantPanel({ name }: { name: string }) {
  const detail = usePoll(() => get<TenantDetail>(`/admin/tenants/${encodeURIComponent(name)}`), 5000, [name]);
  const [message, setMessage] = useState('');
  const addPack = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    try {
      await post<PackView>(`/admin/tenants/${encodeURIComponent(name)}/packs`, { type: String(form.get('type')), units: Number(form.get('units')) });
      setMessage('Pack added.');
      detail.reload();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  const saveLimits = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const slots = (key: string) => Number(form.get(key));
    const timing = String(form.get('timing')) || null;
    const engine = String(form.get('engine'));
    const concurrency = { video: slots('video'), image: slots('image'), 'try-on': slots('try-on') };
    // Only what the operator changed: the tenant may have set its own timing since this panel was read.
    const was = detail.data;
    const changes = {
      ...(JSON.stringify(concurrency) !== JSON.stringify(was?.concurrency) ? { concurrency } : {}),
      ...(timing !== (was?.timing ?? null) ? { timing } : {}),
      ...(engine !== was?.engine ? { engine } : {}),
    };
    try {
      await patch(`/admin/tenants/${encodeURIComponent(name)}`, changes);
      setMessage('Settings saved: they apply to new tasks.');
      detail.reload();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  const d = detail.data;
  return (
    <div class="card" aria-label={`Tenant ${name}`}>
      {d && (
        <form class="inline-form" onSubmit={saveLimits} key={`${d.name}-${JSON.stringify(d.concurrency)}-${d.timing}-${d.engine}`}>
          {PACK_TYPES.map((pack) => (
            <label class="field" key={pack}><span>{pack} slots (in use {d.slots_in_use[pack]})</span>
              <input name={pack} type="number" min="1" step="1" required defaultValue={String(d.concurrency[pack])} /></label>
          ))}
          <label class="field"><span>Simulator timing</span>
            <select name="timing" defaultValue={d.timing ?? ''}>
              <option value="">server default</option>
              {TIMING_PROFILES.map((t) => <option key={t}>{t}</option>)}
            </select>
          </label>
          <label class="field"><span>Engine</span>
            <select name="engine" defaultValue={d.engine}>
              {ENGINE_NAMES.map((e) => <option key={e}>{e}</option>)}
            </select>
          </label>
          <button type="submit">Save settings</button>
        </form>
      )}
      <h2>{name}: packs</h2>
      <div class="table-wrap">
        <table>
          <thead><tr><th>Pack</th><th>Type</th><th class="num">Remaining</th><th class="num">Total</th><th>Expires</th><th>Status</th></tr></thead>
          <tbody>
            {(detail.data?.packs ?? []).map((p) => (
              <tr key={p.id}><td>{p.name}</td><td>{p.type}</td><td class="num">{units(p.remaining_units)}</td><td class="num">{units(p.total_units)}</td><td class="nowrap">{time(p.invalid_time)}</td><td>{p.status}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="inline-form" onSubmit={addPack}>
        <label class="field"><span>Type</span><select name="type">{PACK_TYPES.map((p) => <option key={p}>{p}</option>)}</select></label>
        <label class="field"><span>Units</span><input name="units" type="number" min="0.01" step="0.01" required /></label>
        <button type="submit">Add pack</button>
        <p role="status">{message}</p>
      </form>
      <h2>{name}: keys</h2>
      <KeysTable base={`/admin/tenants/${encodeURIComponent(name)}/keys`} />
    </div>
  );
}
