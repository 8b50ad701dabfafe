// Whether the server made a file again: the identity (inode) and modification time of the files under a data
// directory whose names match. A cache that works leaves them untouched, whatever the machine's speed.

import fs from 'node:fs';
import path from 'node:path';

export function fileStamps(dir: string, name: RegExp): Record<string, string> {
  const stamps: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!name.test(path.basename(entry))) continue;
    const stat = fs.statSync(path.join(dir, entry));
    if (stat.isFile()) stamps[entry] = `${stat.ino}:${stat.mtimeMs}`;
  }
  return stamps;
}
