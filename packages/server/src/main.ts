// `npm start`: the server on the embedded default (SQLite + local files + simulator), configured from the env.

import { configFromEnv } from './config.ts';
import { startKiln } from './kiln.ts';
import { DataDirInUse } from './store/data-dir-lock.ts';

const config = configFromEnv();
const kiln = await startKiln(config).catch((error: unknown) => {
  // A refused start is the operator's to act on: the message, not a stack trace.
  if (!(error instanceof DataDirInUse)) throw error;
  console.error(`kiln cannot start: ${error.message}`);
  process.exit(1);
});

const lines = [`kiln is listening on ${kiln.url}  (data: ${config.dataDir})`];
if (kiln.createdDefaultTenant) {
  const c = kiln.createdDefaultTenant;
  // Shown once: the API key is stored only as a hash. KILN_API_KEY etc. set these instead.
  lines.push(
    'Default tenant created. Keep these credentials; the API key is not shown again:',
    `  KLING_API_KEY=${c.api_key}`,
    `  KLING_ACCESS_KEY=${c.access_key}`,
    `  KLING_SECRET_KEY=${c.secret_key}`,
    `  webhook secret (callback signatures): ${c.webhook_secret}`,
    `  admin token (/admin endpoints): ${kiln.adminToken}`,
  );
}
else if (!config.defaultTenant.apiKey) {
  lines.push('The default tenant was created on an earlier start, which printed its API key; KILN_API_KEY sets one.');
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
