// A file on disk as a request's media input: `image: await fileFrom('cat.png')`. It is a Blob backed by the file
// (fs.openAsBlob, Node 19.8+): its size is known without reading it, so a file over its field's limit is refused
// before a byte is read, and the bytes are read only to send them.

import fs from 'node:fs';
import path from 'node:path';

/** The file at `file` as a Blob; rejects naming the path when there is no such file. */
export async function fileFrom(file: string): Promise<Blob> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`file not found: ${file}`);
    throw error;
  }
  if (!stat.isFile()) throw new Error(`not a file: ${file}`);
  return fs.openAsBlob(path.resolve(file));
}
