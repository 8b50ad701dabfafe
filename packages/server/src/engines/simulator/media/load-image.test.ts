// Input images as clients send them: Base64 or a URL, and the errors they get back when an image is unusable.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchImage, loadImageInput, MAX_IMAGE_BYTES } from './load-image.ts';
import { testImage } from './test-support.ts';

describe('loadImageInput', () => {
  it('decodes raw Base64 and reports size and format', async () => {
    const image = await loadImageInput(await testImage(300, 200, '#123456'));
    expect(image).toMatchObject({ width: 300, height: 200, format: 'png' });
    expect((await sharp(image.buffer).metadata()).width).toBe(300);
  });

  it('tolerates line breaks in Base64', async () => {
    const wrapped = (await testImage(40, 30, '#abcdef')).replace(/.{76}/g, '$&\n');
    expect(await loadImageInput(wrapped)).toMatchObject({ width: 40, height: 30 });
  });

  it('reports the size as displayed for EXIF-rotated photos', async () => {
    const jpeg = await sharp({ create: { width: 400, height: 100, channels: 3, background: '#888' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect(await loadImageInput(jpeg.toString('base64'))).toMatchObject({ width: 100, height: 400, format: 'jpeg' });
  });

  it('fetches http(s) URLs through the given fetcher', async () => {
    const png = Buffer.from(await testImage(64, 48, '#00ff00'), 'base64');
    const asked: string[] = [];
    const image = await loadImageInput('https://example.com/cat.png', async (url) => {
      asked.push(url);
      return png;
    });
    expect(asked).toEqual(['https://example.com/cat.png']);
    expect(image).toMatchObject({ width: 64, height: 48 });
  });

  it('names the field in every error', async () => {
    const notImage = Buffer.from('hello, world').toString('base64');
    await expect(loadImageInput(notImage, undefined, 'image_list[0]')).rejects.toThrow('image_list[0]: could not decode image');
    await expect(loadImageInput('data:image/png;base64,AAAA', undefined, 'image')).rejects.toThrow(
      'image: not an http(s) URL or valid Base64',
    );
    await expect(loadImageInput('', undefined, 'image_tail')).rejects.toThrow('image_tail: not an http(s) URL or valid Base64');
    const failing = async () => {
      throw new Error('HTTP 404');
    };
    await expect(loadImageInput('http://example.com/x.png', failing, 'image')).rejects.toThrow(
      'image: could not download image (HTTP 404)',
    );
    const huge = Buffer.alloc(MAX_IMAGE_BYTES + 1).toString('base64');
    await expect(loadImageInput(huge)).rejects.toThrow('image: image is larger than 10 MB');
  });
});

describe('fetchImage', () => {
  let server: Server;
  let base: string;
  let png: Buffer;
  beforeAll(async () => {
    png = Buffer.from(await testImage(20, 10, '#ff0000'), 'base64');
    server = createServer((req, res) => {
      if (req.url === '/ok.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else if (req.url === '/huge') res.writeHead(200, { 'content-length': String(MAX_IMAGE_BYTES + 1) }).end();
      else if (req.url === '/endless') {
        // No content-length: the limit must hold while reading.
        res.writeHead(200);
        const chunk = Buffer.alloc(1024 * 1024);
        const write = () => {
          while (res.write(chunk)) if (res.writableLength > 64 * 1024 * 1024) return;
          res.once('drain', write);
        };
        write();
        res.on('error', () => {});
        req.socket.on('close', () => res.destroy());
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('downloads an image', async () => {
    expect((await fetchImage(`${base}/ok.png`)).equals(png)).toBe(true);
    expect(await loadImageInput(`${base}/ok.png`)).toMatchObject({ width: 20, height: 10 });
  });

  it('turns HTTP errors and oversized bodies into messages', async () => {
    await expect(loadImageInput(`${base}/missing.png`)).rejects.toThrow('image: could not download image (HTTP 404)');
    await expect(fetchImage(`${base}/huge`)).rejects.toThrow('larger than 10 MB');
    await expect(fetchImage(`${base}/endless`)).rejects.toThrow('larger than 10 MB');
    await expect(loadImageInput('http://127.0.0.1:1/none.png')).rejects.toThrow(/^image: could not download image \(fetch failed/);
  });
});
