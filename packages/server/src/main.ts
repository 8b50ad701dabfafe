// `npm start`: the server on the embedded default (SQLite + local files + simulator), configured from the env.

import { configFromEnv } from './config.ts';
import { startKiln } from './kiln.ts';
import { credentialsNotice } from './accounts/first-start-notice.ts';
import { DataDirInUse } from './store/data-dir-lock.ts';
import { describeDatabase, StoreUnavailable } from './store/open-store.ts';
import { portIsFree } from './http/port-is-free.ts';

const config = configFromEnv();
const portTaken = () => {
  console.error(`kiln cannot start: ${config.host}:${config.port} is in use (another kiln, or another server); set PORT to a free port`);
  process.exit(1);
};
// Checked before anything is made: a first start that could not listen would make credentials it never shows.
if (!(await portIsFree(config.host, config.port))) portTaken();
const kiln = await startKiln(config).catch((error: unknown) => {
  // A refused start is the operator's to act on: the message, not a stack trace.
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') portTaken();
  if (!(error instanceof DataDirInUse || error instanceof StoreUnavailable)) throw error;
  console.error(`kiln cannot start: ${error.message}`);
  process.exit(1);
});

const store = config.databaseUrl ? `store: PostgreSQL ${describeDatabase(config.databaseUrl)}, role: ${config.role ?? 'all'}, ` : '';
const lines = [`kiln is listening on ${kiln.url}  (${store}data: ${config.dataDir})`];
if (config.upstream) {
  // KILN_UPSTREAM_URL was given: say where the default tenant's tasks go, so the first relayed task is no surprise.
  lines.push(`The default tenant relays its tasks to ${config.upstream.baseUrl} (upstream '${config.upstream.name}', ${config.upstream.pathStyle} paths); \`kiln upstream list\` shows the registry.`);
}
lines.push(...credentialsNotice({
  baseUrl: config.publicUrl ?? kiln.url,
  created: kiln.createdDefaultTenant,
  adminToken: kiln.adminTokenCreated ? kiln.adminToken : undefined,
  supplied: config.defaultTenant,
}, { isTTY: process.stdout.isTTY === true, dataDir: config.dataDir }));
lines.push(...kiln.credentialNotes);
if (!kiln.createdDefaultTenant && !config.defaultTenant.apiKey) {
  lines.push('The default tenant was made on an earlier start, which gave its API key; `kiln key add default` makes another.');
}
lines.push(
  `Try: curl -s ${kiln.url}/v1/videos/text2video -H "Authorization: Bearer $KLING_API_KEY" \\`,
  `       -H 'Content-Type: application/json' -d '{"prompt":"a red fox in the snow"}'`,
);
console.log(lines.join('\n'));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    kiln.close().then(() => process.exit(0), () => process.exit(1));
  });
}
