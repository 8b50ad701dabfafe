// Writes a benchmark's report: `<name>-latest.md` (linked from the README) and a timestamped JSON of the figures.

import fs from 'node:fs';
import path from 'node:path';

export function recordResults(name: string, report: string, figures: object): void {
  const dir = path.join(import.meta.dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `${name}-${stamp}.json`), JSON.stringify({ date: new Date().toISOString(), ...figures }, null, 2));
  fs.writeFileSync(path.join(dir, `${name}-latest.md`), report);
}
