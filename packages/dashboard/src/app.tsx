// The console's frame: who is signed in, the navigation for a tenant or the operator, and the page the path names.

import type { ConsoleSessionInfo } from '@kiln/contract';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, whenSignedOut } from './api.ts';
import { BASE, navigate, onLinkClick, useRoute } from './router.ts';
import { SignIn } from './pages/sign-in.tsx';
import { TasksPage } from './pages/tasks.tsx';
import { TaskPage } from './pages/task.tsx';
import { CallbacksPage } from './pages/callbacks.tsx';
import { UsagePage } from './pages/usage.tsx';
import { KeysPage } from './pages/keys.tsx';
import { SimulatorPage } from './pages/simulator.tsx';
import { TenantsPage } from './pages/tenants.tsx';
import { SystemPage } from './pages/system.tsx';

type Session = ConsoleSessionInfo | null | undefined;

const TENANT_NAV = [['/tasks', 'Tasks'], ['/callbacks', 'Callbacks'], ['/usage', 'Usage'], ['/keys', 'Keys'], ['/simulator', 'Simulator']];
const OPERATOR_NAV = [['/tasks', 'Tasks'], ['/tenants', 'Tenants'], ['/simulator', 'Simulator'], ['/system', 'System']];

export function App() {
  // undefined while asking kiln, null when signed out.
  const [session, setSession] = useState<Session>(undefined);
  const [notice, setNotice] = useState('');
  const route = useRoute();

  useEffect(() => {
    get<ConsoleSessionInfo>('/console/session').then(setSession, () => setSession(null));
    whenSignedOut(() => {
      setSession(null);
      setNotice('Your session has ended (signed out, expired, or its key was revoked). Sign in again.');
    });
  }, []);

  if (session === undefined) return <main class="page" aria-busy="true" />;
  if (session === null) {
    return <SignIn notice={notice} onSignedIn={(s) => { setNotice(''); setSession(s); navigate('/tasks', true); }} />;
  }
  const operator = session.role === 'operator';
  const nav = operator ? OPERATOR_NAV : TENANT_NAV;
  const signOut = async () => {
    await del('/console/session').catch((e) => { if (!(e instanceof ApiError)) throw e; });
    setSession(null);
  };

  return (
    <div class="shell" onClick={(e) => onLinkClick(e as unknown as MouseEvent)}>
      <a class="skip" href="#content">Skip to content</a>
      <header class="top">
        <a class="brand" href={`${BASE}/tasks`}>kiln</a>
        <nav aria-label="Console">
          {nav.map(([path, label]) => (
            <a href={BASE + path} aria-current={route.path.startsWith(path) ? 'page' : undefined}>{label}</a>
          ))}
        </nav>
        <span class="who" data-testid="who">{operator ? 'operator' : session.tenant?.name}</span>
        <button type="button" class="quiet" onClick={signOut}>Sign out</button>
      </header>
      <main id="content" class="page" tabIndex={-1}>{pageFor(route.path, route.params, operator)}</main>
    </div>
  );
}

function pageFor(path: string, params: URLSearchParams, operator: boolean) {
  const task = /^\/tasks\/([^/]+)$/.exec(path);
  if (task) return <TaskPage id={decodeURIComponent(task[1])} operator={operator} />;
  if (path.startsWith('/callbacks') && !operator) return <CallbacksPage />;
  if (path.startsWith('/usage') && !operator) return <UsagePage />;
  if (path.startsWith('/keys') && !operator) return <KeysPage />;
  if (path.startsWith('/simulator')) return <SimulatorPage operator={operator} />;
  if (path.startsWith('/tenants') && operator) return <TenantsPage />;
  if (path.startsWith('/system') && operator) return <SystemPage />;
  return <TasksPage operator={operator} tenantId={params.get('tenant') ?? undefined} />;
}
