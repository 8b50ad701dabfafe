// kiln as a gateway runs it: one process serving the API and running 4 renders at a time (workers on, timing
// 'instant' so a task ends when its media is rendered). The render bench measures the API's latency while it renders.

import { benchKiln } from './bench-kiln.ts';

const dataDir = process.argv[2];
const kiln = await benchKiln(dataDir, { workers: true, renderConcurrency: 4, timing: 'instant' }, { limits: { video: 1_000, image: 1_000 } });
console.log(`listening ${kiln.url} ${kiln.tenant.api_key}`);
