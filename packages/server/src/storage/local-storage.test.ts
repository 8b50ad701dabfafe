// The Storage port's behaviour suite on local files, plus what only the local adapter promises.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LocalStorage } from './local-storage.ts';
import { runStorageCases } from './storage-cases.ts';

const tempRoot = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-local-storage-'));

runStorageCases('local files', async () => {
  const root = tempRoot();
  return { storage: new LocalStorage(root, 'secret'), close: async () => fs.rmSync(root, { recursive: true, force: true }) };
});

describe('LocalStorage', () => {
  it('keeps files where kiln always kept them, so existing data directories keep working', async () => {
    const root = tempRoot();
    const storage = new LocalStorage(root, 'secret');
    await storage.put('123/video.mp4', Readable.from([Buffer.from('bytes')]));
    expect(fs.readFileSync(path.join(root, '123', 'video.mp4'), 'utf8')).toBe('bytes');
    expect(storage.resolve('123', 'video.mp4')).toBe(path.join(root, '123', 'video.mp4'));
    // A render written straight into the task's folder is already stored.
    fs.writeFileSync(path.join(storage.taskDir('124'), 'image-0.png'), 'png');
    expect(await storage.put('124/image-0.png', { file: path.join(root, '124', 'image-0.png') })).toEqual({ size: 3 });
    expect(await storage.exists('124/image-0.png')).toBe(true);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('signs URLs as before, so result URLs already handed out stay valid', () => {
    const storage = new LocalStorage(tempRoot(), 'secret');
    // Recorded from the signing code as it was before the Storage port.
    expect(storage.signedPath('123', 'video.mp4', 1_800_000_000_000)).toBe('/media/123/video.mp4?e=1800000000&s=sXnGB83ZEgztqgft2A95hnvXsArBltE9');
    expect(storage.url('123/video.mp4', 1_800_000_000_000)).toBe(storage.signedPath('123', 'video.mp4', 1_800_000_000_000));
  });
});
