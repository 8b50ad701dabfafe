// kiln as a relay for the relay bench: a tenant whose tasks go to the relay engine, and one upstream (another kiln)
// in the registry. Arguments: the data directory, the upstream's URL and API key, and `workers` to run the relay's
// workers in this process (the requests-per-task case); without it the process serves the API alone, as an API
// process of a scaled-out kiln does: a create is sent upstream by this process while the client waits (the
// upstream's answer is the create's answer), and nothing follows it afterwards (the overhead cases).
// Prints `listening <url> <tenant API key> <admin token>`.

import { benchKiln } from './bench-kiln.ts';

const [dataDir, upstreamUrl, upstreamKey, mode] = process.argv.slice(2);
const kiln = await benchKiln(dataDir, {
  workers: mode === 'workers',
  upstream: { name: 'default', baseUrl: upstreamUrl, pathStyle: 'official', apiKey: upstreamKey },
}, { engine: 'relay' });
console.log(`listening ${kiln.url} ${kiln.tenant.api_key} ${kiln.adminToken}`);
