// A headless Chromium for console tests: Debian's `chromium` (installed by .ci/run with apt-get; nothing downloads a
// browser), driven by playwright-core. Screenshots go to test-artifacts/console/ and are checked to show something.
// playwright-core is pinned to the 1.65 line (engines node >= 20): kiln supports Node 20, and a later line may drop
// it. playwright-core never downloads a browser; the one it drives is the machine's.

import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import sharp from 'sharp';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];

export const ARTIFACTS = path.resolve('test-artifacts/console');

export async function launchChromium(): Promise<Browser> {
  const executablePath = CANDIDATES.find((p) => fs.existsSync(p));
  if (!executablePath) {
    throw new Error(`the console tests need Chromium: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH); looked in ${CANDIDATES.join(', ')}`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Saves a screenshot and fails unless it shows more than a blank page (its pixels vary). */
export async function screenshot(page: { screenshot: (o: { path: string; fullPage: boolean }) => Promise<Buffer> }, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const stats = await sharp(file).stats();
  const varies = stats.channels.slice(0, 3).some((c) => c.stdev > 5);
  if (fs.statSync(file).size < 2_000 || !varies) throw new Error(`screenshot ${name} is blank`);
  return file;
}
