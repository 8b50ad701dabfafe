// The master key that seals upstream secrets: taken from KILN_MASTER_KEY (hex or Base64, 32 bytes), or made once in
// the data directory, readable by its owner alone, and the same for every later opener of that directory.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecretBox, parseMasterKey } from './secret-box.ts';

describe('secret box', () => {
  it('takes a 32-byte key as hex or Base64 and refuses anything else, naming KILN_MASTER_KEY', () => {
    const key = randomBytes(32);
    expect(parseMasterKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseMasterKey(key.toString('base64')).equals(key)).toBe(true);
    expect(() => parseMasterKey(randomBytes(16).toString('hex'))).toThrow(/KILN_MASTER_KEY must be 32 bytes/);
    expect(() => parseMasterKey('not a key at all')).toThrow(/KILN_MASTER_KEY must be 32 bytes/);
  });

  it('makes a key file of mode 0600 on first use, and later openers of the directory read the same key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-box-'));
    try {
      // Opening the box makes no key: a server that never stores an upstream secret leaves none behind.
      openSecretBox(dir, undefined);
      expect(fs.readdirSync(dir)).toEqual([]);
      const sealed = openSecretBox(dir, undefined).seal('sk-1', 'upstream:a:secret_key');
      expect(fs.statSync(path.join(dir, 'master.key')).mode & 0o777).toBe(0o600);
      expect(openSecretBox(dir, undefined).open(sealed, 'upstream:a:secret_key')).toBe('sk-1');
      // Bound to its place: the same ciphertext does not open as another upstream's secret.
      expect(() => openSecretBox(dir, undefined).open(sealed, 'upstream:b:secret_key')).toThrow(/does not open/);
      expect(() => openSecretBox(dir, randomBytes(32).toString('hex')).open(sealed, 'upstream:a:secret_key')).toThrow(/does not open/);
      expect(fs.readdirSync(dir)).toEqual(['master.key']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
