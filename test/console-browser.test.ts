// The console in a real browser (headless Chromium) against a running kiln: a tenant signs in, watches a task made
// through the API appear and succeed without a reload, plays its video, replays a callback, sees units move on the
// usage chart and is signed out when its key is revoked; the operator adds a tenant and a pack and sees that tenant's
// tasks alone. Every page is screenshotted to test-artifacts/console/ and checked to show something.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot } from './helpers/browser.ts';
import { startCallbackReceiver, type CallbackReceiver } from './helpers/callback-receiver.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

const T2V = '/v1/videos/text2video';
// Generous: two busy cores render the videos; nothing here depends on how fast.
const SLOW = { timeout: 45_000 };

let server: TestServer;
let receiver: CallbackReceiver;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startCallbackReceiver();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  // Layout shifts not caused by input, summed from the moment a test resets them.
  await page.addInitScript(() => {
    const w = window as unknown as { shifts: number };
    w.shifts = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!entry.hadRecentInput) w.shifts += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await server?.close();
});

const createVideo = (token: string, extra: Record<string, unknown> = {}) =>
  server.api('POST', T2V, { token, body: { prompt: 'a kiln at dusk', duration: '5', ...extra } });

/** Signs in through the form: `fields` by input name (api_key, admin_token, ...). */
async function signIn(fields: Record<string, string>, mode: 'API key' | 'Operator (admin token)') {
  await page.goto(`${server.url}/console/`);
  await page.getByRole('radio', { name: mode }).check();
  for (const [name, value] of Object.entries(fields)) await page.locator(`input[name="${name}"]`).fill(value);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

describe('the console in Chromium', () => {
  let taskId: string;

  it('signs a tenant in with its API key and keeps no credential where scripts can read it', async () => {
    await page.goto(`${server.url}/console/`);
    await screenshot(page, 'sign-in');
    await signIn({ api_key: server.creds.api_key }, 'API key');
    expect(await page.getByTestId('who').textContent()).toBe(server.creds.name);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'kiln_console')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Strict');
    const visible = await page.evaluate(() => document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + location.href);
    expect(visible).not.toContain(server.creds.api_key);
    expect(visible).not.toContain(session.value);
  });

  it('shows a task created through the API appear and succeed without a reload, with no layout shift', async () => {
    await page.evaluate(() => { (window as unknown as { marker: string }).marker = 'same page'; (window as unknown as { shifts: number }).shifts = 0; });
    const created = await createVideo(server.creds.api_key, { callback_url: receiver.url, external_task_id: 'console-e2e-1' });
    taskId = created.json.data.task_id;
    const row = page.locator(`tr[data-task-id="${taskId}"]`);
    await row.waitFor(SLOW);
    await page.locator(`tr[data-task-id="${taskId}"][data-status="succeed"]`).waitFor(SLOW);
    expect(await row.textContent()).toContain('console-e2e-1');
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
    expect(await page.evaluate(() => (window as unknown as { shifts: number }).shifts)).toBeLessThan(0.05);
    await screenshot(page, 'tasks');
  });

  it('finds the task by its external id and plays its video, whose duration is the task\'s', async () => {
    await page.getByLabel('Search').fill('console-e2e');
    await expect.poll(() => page.locator('tbody tr').count(), SLOW).toBe(1);
    await page.getByRole('link', { name: taskId }).click();
    const video = page.locator('video').first();
    await video.waitFor(SLOW);
    const answer = await waitForTask(server, T2V, taskId);
    const expected = Number(answer.json.data.task_result.videos[0].duration);
    const played = await video.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      if (v.readyState < 1) await new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }));
      await v.play();
      await new Promise((r) => v.addEventListener('timeupdate', r, { once: true }));
      return { duration: v.duration, currentTime: v.currentTime, error: v.error?.message ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.duration).toBeCloseTo(expected, 1);
    expect(played.currentTime).toBeGreaterThan(0);
    await screenshot(page, 'task');
  });

  it("shows an image task's pictures and plays an audio task's sound, as long as the task says", async () => {
    const images = await server.api('POST', '/v1/images/generations', { body: { prompt: 'two lanterns', n: 2 } });
    const sound = await server.api('POST', '/v1/audio/text-to-audio', { body: { prompt: 'rain on a tin roof', duration: 4 } });
    const imageTask = (await waitForTask(server, '/v1/images/generations', images.json.data.task_id)).json.data;
    const audioTask = (await waitForTask(server, '/v1/audio/text-to-audio', sound.json.data.task_id)).json.data;

    await page.goto(`${server.url}/console/tasks/${imageTask.task_id}`);
    const pictures = page.getByRole('img', { name: /^Output image/ });
    await pictures.first().waitFor(SLOW);
    expect(await pictures.count()).toBe(2);
    const shown = await pictures.evaluateAll(async (list) => Promise.all((list as HTMLImageElement[]).map(async (img) => {
      img.loading = 'eager';
      await img.decode();
      return { src: img.currentSrc, width: img.naturalWidth, height: img.naturalHeight };
    })));
    expect(shown.map((i) => i.src)).toEqual(imageTask.task_result.images.map((i: { url: string }) => i.url));
    for (const image of shown) expect(image.width * image.height).toBeGreaterThan(0);
    await screenshot(page, 'task-images');

    await page.goto(`${server.url}/console/tasks/${audioTask.task_id}`);
    const player = page.locator('audio').first();
    await player.waitFor(SLOW);
    const heard = await player.evaluate(async (a: HTMLAudioElement) => {
      if (a.readyState < 1) await new Promise((r) => { a.addEventListener('loadedmetadata', r, { once: true }); a.load(); });
      return { duration: a.duration, error: a.error?.message ?? null };
    });
    expect(heard.error).toBeNull();
    // An MP3's length is known to a frame (~26 ms) at best; the task says it to a tenth of a second.
    expect(Math.abs(heard.duration - Number(audioTask.task_result.audios[0].duration_mp3))).toBeLessThan(0.15);
    await screenshot(page, 'task-audio');
    // Back where the next case starts: the first task's page.
    await page.goto(`${server.url}/console/tasks/${taskId}`);
    await page.locator('video').first().waitFor(SLOW);
  });

  it('replays a callback with the same webhook-id and shows the new attempt', async () => {
    await receiver.waitFor((all) => all.some((c) => JSON.parse(c.body).task_status === 'succeed'), 30_000);
    const succeedEvent = receiver.received.find((c) => JSON.parse(c.body).task_status === 'succeed')!;
    const firstAttempt = page.locator('.attempts li', { hasText: 'event' }).first();
    await firstAttempt.waitFor(SLOW);
    const before = receiver.received.length;
    await page.locator('.attempts li[data-trigger="event"]').first().getByRole('button', { name: 'Replay' }).click();
    await page.locator('.attempts li[data-trigger="replay"]').first().waitFor(SLOW);
    const replayed = receiver.received.slice(before);
    expect(replayed).toHaveLength(1);
    // The newest event attempt listed first is the succeed event: the replay carries its id and its bytes.
    expect(replayed[0].headers['webhook-id']).toBe(succeedEvent.headers['webhook-id']);
    expect(replayed[0].body).toBe(succeedEvent.body);
    await page.locator('.attempts li[data-trigger="replay"] summary').first().click();
    expect(await page.locator('.attempts li[data-trigger="replay"]').first().textContent()).toContain(String(succeedEvent.headers['webhook-id']));
  });

  it('lists the latest attempts on the callbacks page and sends a test callback', async () => {
    await page.getByRole('link', { name: 'Callbacks' }).click();
    await page.getByLabel('Send a test callback to').fill(receiver.url);
    const before = receiver.received.length;
    await page.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => page.getByTestId('test-result').textContent(), SLOW).toContain('HTTP 200');
    expect(receiver.received.length).toBe(before + 1);
    await page.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => page.getByTestId('test-result').textContent(), SLOW).toContain('one every');
    await screenshot(page, 'callbacks');
  });

  it('moves the units on the usage chart when another task succeeds', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    const chart = page.locator('figure.chart');
    await chart.waitFor(SLOW);
    const before = Number(await chart.getAttribute('data-total'));
    expect(before).toBeGreaterThan(0);
    const created = await createVideo(server.creds.api_key);
    await waitForTask(server, T2V, created.json.data.task_id);
    await expect.poll(async () => Number(await chart.getAttribute('data-total')), SLOW).toBeGreaterThan(before);
    await expect.poll(() => page.locator('.meters li').count()).toBe(3);
    await screenshot(page, 'usage');
  });

  it('reaches every page from the keyboard', async () => {
    await page.goto(`${server.url}/console/tasks`);
    await page.locator('.top nav a').first().waitFor();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Simulator') break;
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Simulator' }).waitFor();
    // The tenant sets its own timing here; the server keeps it for the tenant's next tasks.
    const timing = page.getByLabel('Timing of new simulated tasks');
    await timing.selectOption('realistic');
    await page.getByText('Saved: new tasks are realistic.').waitFor(SLOW);
    expect((await server.api('GET', '/simulator/settings')).json.data.timing).toBe('realistic');
    await screenshot(page, 'simulator');
    await timing.selectOption('');
    await page.getByText('Saved: new tasks are fast.').waitFor(SLOW);
    expect((await server.api('GET', '/simulator/settings')).json.data.timing).toBeNull();
  });

  it('fits a phone\'s width, on every page a tenant has', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const pages: [string, string, () => Promise<unknown>][] = [
        ['tasks', '/tasks', () => page.locator('tbody tr').first().waitFor(SLOW)],
        ['task', `/tasks/${taskId}`, () => page.locator('video').first().waitFor(SLOW)],
        ['usage', '/usage', () => page.getByRole('heading', { level: 1 }).waitFor(SLOW)],
        ['keys', '/keys', () => page.locator('tbody tr').first().waitFor(SLOW)],
        ['callbacks', '/callbacks', () => page.getByRole('heading', { level: 1 }).waitFor(SLOW)],
        ['simulator', '/simulator', () => page.getByRole('heading', { level: 1 }).waitFor(SLOW)],
      ];
      for (const [name, path, ready] of pages) {
        await page.goto(`${server.url}/console${path}`);
        await ready();
        // The page itself never scrolls sideways: only a wide table's own box does.
        expect({ name, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ name, width: 390 });
        await screenshot(page, `${name}-phone`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('ends the session when the key it was signed in with is revoked', async () => {
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByLabel('New key name').fill('browser');
    await page.getByRole('button', { name: 'Create key' }).click();
    const newKey = (await page.locator('code[data-secret="API key"]').textContent())!;
    expect(newKey).toMatch(/^kiln_/);
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Rotate webhook secret' }).click();
    expect(await page.locator('code[data-secret="webhook_secret"]').textContent()).toMatch(/^whsec_/);
    await screenshot(page, 'keys');
    await signOut();
    await signIn({ api_key: newKey }, 'API key');
    await page.getByRole('link', { name: 'Keys' }).click();
    page.once('dialog', (dialog) => dialog.accept());
    await page.locator('tr[data-key="browser"]').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Your session has ended').waitFor(SLOW);
    // The cookie the browser still holds opens nothing any more.
    const res = await page.request.get(`${server.url}/kiln/tasks`);
    expect(res.status()).toBe(401);
    expect((await createVideo(newKey)).status).toBe(401);
  });

  it('lets the operator add a tenant, a pack and limits, and shows that tenant\'s tasks alone', async () => {
    await signIn({ admin_token: server.kiln.adminToken }, 'Operator (admin token)');
    await page.getByRole('link', { name: 'Tenants' }).click();
    await page.getByLabel('New tenant name').fill('acme');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    const acmeKey = (await page.locator('[data-testid="created-tenant"] code[data-secret="api_key"]').textContent())!;
    const acmeRow = page.locator('tr[data-tenant="acme"]');
    await acmeRow.getByRole('button', { name: 'Packs & keys' }).click();
    await page.getByLabel('Units').fill('250');
    await page.getByRole('button', { name: 'Add pack' }).click();
    await page.getByRole('cell', { name: '250', exact: true }).first().waitFor(SLOW);
    await page.getByLabel(/^video slots/).fill('3');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const acme = async () => (await server.api('GET', '/admin/tenants/acme', { token: server.kiln.adminToken })).json.data;
    await expect.poll(async () => (await acme()).concurrency.video, SLOW).toBe(3);
    // The engine: relay sends acme's new tasks to the upstreams; back to the simulator for the rest of this test.
    for (const engine of ['relay', 'simulator']) {
      await page.getByLabel('Engine').selectOption(engine);
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect.poll(async () => (await acme()).engine, SLOW).toBe(engine);
      await acmeRow.getByRole('cell', { name: engine, exact: true }).waitFor(SLOW);
    }
    expect((await acme()).packs.some((p: { total_units: number }) => p.total_units === 250)).toBe(true);
    await screenshot(page, 'tenants');

    const acmeTask = (await createVideo(acmeKey)).json.data.task_id;
    await acmeRow.getByRole('link', { name: 'Tasks' }).click();
    await page.locator(`tr[data-task-id="${acmeTask}"]`).waitFor(SLOW);
    // Only acme's task: the default tenant's tasks (three by now) are not in this list.
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator(`tr[data-task-id="${taskId}"]`).count()).toBe(0);
    await screenshot(page, 'operator-tasks');

    const upstream = { name: 'kling-main', base_url: 'https://api-singapore.klingai.com', api_key: 'sk-main', priority: 5, concurrency: { video: 4 } };
    expect((await server.api('POST', '/admin/upstreams', { token: server.kiln.adminToken, body: upstream })).json.code).toBe(0);
    await page.getByRole('link', { name: 'System' }).click();
    await page.getByRole('heading', { name: 'Queues' }).waitFor();
    const upstreamRow = page.getByRole('row').filter({ hasText: 'kling-main' });
    await upstreamRow.waitFor(SLOW);
    expect(await upstreamRow.innerText()).toMatch(/kling-main\s+https:\/\/api-singapore\.klingai\.com\s+official\s+5\s+video 0\/4\s+no tasks\s+healthy/);
    // An upstream this test can reach (the server itself, signed in as the default tenant): its packs, asked live.
    const self = { name: 'loopback', base_url: server.url, api_key: server.creds.api_key };
    expect((await server.api('POST', '/admin/upstreams', { token: server.kiln.adminToken, body: self })).json.code).toBe(0);
    const loopbackRow = page.getByRole('row').filter({ hasText: 'loopback' });
    await loopbackRow.getByRole('button', { name: 'Packs' }).click(SLOW);
    const packs = page.getByRole('table', { name: "loopback's resource packs" });
    await packs.waitFor(SLOW);
    const expected = (await server.api('GET', `/account/costs?start_time=${Date.now() - 30 * 86_400_000}&end_time=${Date.now()}`)).json.data.resource_pack_subscribe_infos;
    expect(await packs.locator('tbody tr').count()).toBe(expected.length);
    expect(await packs.innerText()).toContain(`${expected[0].remaining_quantity} of ${expected[0].total_quantity}`);
    expect(await page.getByRole('table', { name: 'Processes' }).innerText()).toContain('(this one)');
    expect(await page.locator('dl.facts').innerText()).toMatch(/Storage\s+[\d.]+ (KiB|MiB) in \d+ objects \(local files, counted /);
    await screenshot(page, 'system');

    // And acme, signed in, sees its own task and none of the default tenant's.
    await signOut();
    await signIn({ api_key: acmeKey }, 'API key');
    await page.locator(`tr[data-task-id="${acmeTask}"]`).waitFor(SLOW);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.goto(`${server.url}/console/tasks/${taskId}`);
    await page.getByText(/not found/i).first().waitFor(SLOW);
  });
});
