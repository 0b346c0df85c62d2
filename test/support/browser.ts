import path from 'node:path';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`), or the one CHROMIUM_PATH names. */
export const CHROMIUM =
  process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

/** Where browser tests leave their screenshots: test artefacts, ignored by git. */
export const SCREENSHOTS_DIR = path.resolve(
  import.meta.dirname,
  '../../test-artifacts/screenshots',
);

export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM) {
    throw new Error('No chromium found: apt-get install -y chromium, or set CHROMIUM_PATH');
  }
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** A laptop-sized page that fails the test on any script error or console error. */
export async function newPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}
