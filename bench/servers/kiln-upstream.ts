// The upstream of the relay bench: a simulator kiln standing in for a Kling account. Arguments: the data directory,
// and `workers` to run its tasks (timing 'instant': a task ends when its media is made, after any delay its rules
// add); without it creates stay queued. Prints `listening <url> <tenant API key> <admin token>`.

import { benchKiln } from './bench-kiln.ts';

const [dataDir, mode] = process.argv.slice(2);
const kiln = await benchKiln(dataDir, { workers: mode === 'workers', renderConcurrency: 2, timing: 'instant' });
console.log(`listening ${kiln.url} ${kiln.tenant.api_key} ${kiln.adminToken}`);
