// The Storage port's behaviour suite: every adapter runs these same cases, so callers can rely on the contract in
// storage.ts whatever holds the bytes.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageNotFoundError, StorageRangeError, type Storage } from './storage.ts';

export interface StorageUnderTest {
  storage: Storage;
  /** Multipart uploads the backend has completed so far, for adapters that have them. */
  multipartUploads?: () => number;
  close?: () => Promise<void>;
}

let nextTask = 100_000;
/** A fresh task id per case, so cases never see each other's keys. */
const newTask = () => String(nextTask++);

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export function runStorageCases(name: string, make: () => Promise<StorageUnderTest>): void {
  describe(`Storage port: ${name}`, () => {
    let under: StorageUnderTest;
    let storage: Storage;
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-storage-cases-'));
    beforeAll(async () => {
      under = await make();
      storage = under.storage;
    });
    afterAll(async () => {
      await under?.close?.();
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    it('gives back exactly the bytes put from a stream, with size and content type', async () => {
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      const key = `${newTask()}/video.mp4`;
      expect(await storage.put(key, Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), 'video/mp4')).toEqual({ size: bytes.length });
      const opened = await storage.open(key);
      expect({ size: opened.size, type: opened.contentType, start: opened.start, end: opened.end })
        .toEqual({ size: bytes.length, type: 'video/mp4', start: 0, end: bytes.length - 1 });
      expect((await readAll(opened.body)).equals(bytes)).toBe(true);
    });

    it('stores a file from this machine and infers the content type from its name', async () => {
      const bytes = randomBytes(200_000);
      const file = path.join(scratch, 'render.png');
      fs.writeFileSync(file, bytes);
      const key = `${newTask()}/image-0.png`;
      expect(await storage.put(key, { file })).toEqual({ size: bytes.length });
      expect(await storage.stat(key)).toEqual({ size: bytes.length, contentType: 'image/png' });
      expect((await readAll((await storage.open(key)).body)).equals(bytes)).toBe(true);
      expect(fs.existsSync(file)).toBe(true);
    });

    it('rejects the put of a local file that does not exist, and stores nothing', async () => {
      const key = `${newTask()}/video.mp4`;
      await expect(storage.put(key, { file: path.join(scratch, 'missing.mp4') })).rejects.toThrow();
      expect(await storage.exists(key)).toBe(false);
    });

    it('replaces an object put again under the same key', async () => {
      const key = `${newTask()}/audio.mp3`;
      await storage.put(key, Readable.from([Buffer.from('first version, longer than the second')]));
      await storage.put(key, Readable.from([Buffer.from('second')]));
      const opened = await storage.open(key);
      expect(opened.size).toBe(6);
      expect((await readAll(opened.body)).toString()).toBe('second');
    });

    describe('byte ranges', () => {
      const bytes = randomBytes(1024 * 1024 + 5);
      const key = `${newTask()}/video.mp4`;
      beforeAll(async () => { await storage.put(key, Readable.from([bytes])); });

      async function range(start: number, end?: number) {
        const opened = await storage.open(key, { start, end });
        return { size: opened.size, start: opened.start, end: opened.end, data: await readAll(opened.body) };
      }

      it('reads the first bytes', async () => {
        const got = await range(0, 99);
        expect(got).toMatchObject({ size: bytes.length, start: 0, end: 99 });
        expect(got.data.equals(bytes.subarray(0, 100))).toBe(true);
      });

      it('reads a middle range', async () => {
        const got = await range(500_000, 700_000);
        expect(got).toMatchObject({ start: 500_000, end: 700_000 });
        expect(got.data.equals(bytes.subarray(500_000, 700_001))).toBe(true);
      });

      it('reads from an offset to the last byte', async () => {
        const got = await range(bytes.length - 10);
        expect(got).toMatchObject({ start: bytes.length - 10, end: bytes.length - 1 });
        expect(got.data.equals(bytes.subarray(bytes.length - 10))).toBe(true);
      });

      it('clamps a range that ends past the end to the last byte', async () => {
        const got = await range(bytes.length - 3, bytes.length + 1000);
        expect(got).toMatchObject({ size: bytes.length, start: bytes.length - 3, end: bytes.length - 1 });
        expect(got.data.equals(bytes.subarray(bytes.length - 3))).toBe(true);
      });

      it('refuses a range that starts past the end with a typed error carrying the size', async () => {
        const refused = await storage.open(key, { start: bytes.length }).catch((err: unknown) => err);
        expect(refused).toBeInstanceOf(StorageRangeError);
        expect((refused as StorageRangeError).size).toBe(bytes.length);
      });
    });

    it('says whether a key exists, and forgets it once removed', async () => {
      const key = `${newTask()}/voice.wav`;
      expect(await storage.exists(key)).toBe(false);
      expect(await storage.stat(key)).toBeUndefined();
      await storage.put(key, Readable.from([Buffer.from('RIFF....WAVE')]));
      expect(await storage.exists(key)).toBe(true);
      await storage.remove(key);
      expect(await storage.exists(key)).toBe(false);
      await expect(storage.remove(key)).resolves.toBeUndefined();
    });

    it("removes a task's keys and leaves other tasks' keys alone", async () => {
      const task = newTask();
      const other = newTask();
      const names = ['video.mp4', 'video-watermark.mp4', 'cover.jpg'];
      await Promise.all(names.map((n) => storage.put(`${task}/${n}`, Readable.from([Buffer.from(n)]))));
      await storage.put(`${other}/video.mp4`, Readable.from([Buffer.from('kept')]));
      await storage.removeTask(task, names);
      for (const n of names) expect(await storage.exists(`${task}/${n}`)).toBe(false);
      expect((await readAll((await storage.open(`${other}/video.mp4`)).body)).toString()).toBe('kept');
    });

    it('rejects the open of a missing key with a typed not-found error', async () => {
      const key = `${newTask()}/video.mp4`;
      const refused = await storage.open(key).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(StorageNotFoundError);
      expect((refused as StorageNotFoundError).key).toBe(key);
    });

    it('keeps every object intact when many different keys are put at once', async () => {
      const task = newTask();
      const objects = Array.from({ length: 12 }, (_, i) => ({ key: `${task}/image-${i}.png`, bytes: randomBytes(50_000 + i * 7919) }));
      await Promise.all(objects.map((o) => storage.put(o.key, Readable.from([o.bytes]))));
      const back = await Promise.all(objects.map(async (o) => readAll((await storage.open(o.key)).body)));
      back.forEach((data, i) => expect(data.equals(objects[i]!.bytes), objects[i]!.key).toBe(true));
    });

    it('round-trips a large file byte-exact, in parts where the backend has them', async () => {
      const bytes = randomBytes(20 * 1024 * 1024 + 3);
      const file = path.join(scratch, 'large.mp4');
      fs.writeFileSync(file, bytes);
      const key = `${newTask()}/video.mp4`;
      const before = under.multipartUploads?.();
      await storage.put(key, { file });
      if (under.multipartUploads) expect(under.multipartUploads()).toBe(before! + 1);
      const opened = await storage.open(key);
      expect(opened.size).toBe(bytes.length);
      expect((await readAll(opened.body)).equals(bytes)).toBe(true);
      // A small object goes up in one request.
      const small = under.multipartUploads?.();
      await storage.put(`${newTask()}/image.png`, Readable.from([randomBytes(1000)]));
      if (under.multipartUploads) expect(under.multipartUploads()).toBe(small);
    });

    it("signs kiln's own URL for a key: valid until its expiry, bound to the key", () => {
      const key = `${newTask()}/video.mp4`;
      const now = Date.UTC(2026, 0, 1);
      const url = new URL(storage.url(key, now + 60_000), 'http://kiln.test');
      expect(url.pathname).toBe(`/media/${key}`);
      const e = url.searchParams.get('e') ?? undefined;
      const s = url.searchParams.get('s') ?? undefined;
      expect(storage.checkUrl(key, e, s, now)).toBe('ok');
      expect(storage.checkUrl(key, e, s, now + 120_000)).toBe('expired');
      expect(storage.checkUrl(`${newTask()}/video.mp4`, e, s, now)).toBe('invalid');
      expect(storage.checkUrl(key, e, 'A'.repeat(32), now)).toBe('invalid');
    });

    it('counts the objects and bytes it holds, puts and removes included', async () => {
      const before = await storage.usage();
      expect(before).toBeDefined();
      const task = newTask();
      await storage.put(`${task}/video.mp4`, Readable.from([randomBytes(5_000)]));
      await storage.put(`${task}/image-0.png`, Readable.from([randomBytes(1_234)]));
      expect(await storage.usage()).toEqual({ objects: before!.objects + 2, bytes: before!.bytes + 6_234 });
      await storage.remove(`${task}/video.mp4`);
      expect(await storage.usage()).toEqual({ objects: before!.objects + 1, bytes: before!.bytes + 1_234 });
    });

    it('is ready', async () => {
      await expect(storage.ready()).resolves.toBeUndefined();
    });
  });
}
