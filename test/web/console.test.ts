import os from 'node:os';
import path from 'node:path';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../shared/local/adapters/object-store.js';
import type { ManifestEntry } from '../../shared/local/generator/generate.js';
import { startLocalRuntime, type LocalRuntime } from '../../shared/local/runtime.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createLogger } from '../../shared/platform/logging.js';
import { launchBrowser, newPage, screenshot } from '../support/browser.js';
import { failsInJob, generateJobInput, SOURCE_BUCKET } from '../support/job-input.js';
import { HISTORIC_SAMPLES_DIR, itWithSamples } from '../support/sample-data.js';

const SAMPLE_BUCKET = 'betfair-samples';
const SAMPLE_OBJECT = 'PRO/2022/Apr/19/31389771/1.197931750.bz2';

async function api<T>(url: string): Promise<T> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

describe('the web console in a real browser, against the local runtime', () => {
  let runtime: LocalRuntime;
  let browser: Browser;
  let dataDir: string;
  let inputs: ManifestEntry[];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-web-'));
    const config = loadConfig({ PORT: '0', CHIMERA_DATA_DIR: dataDir, JOB_POLL_SECONDS: '1' });
    runtime = await startLocalRuntime(config, { logger: createLogger({ minSeverity: 'ERROR' }) });
    // The simulator's card races from 12:00 to about 22:00 UTC, so late in the day every market
    // has closed: from mid-afternoon on, the simulator runs from 15:00 today, in real time.
    const now = new Date();
    if (now.getUTCHours() >= 15) {
      runtime.simulator?.setClock(
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 15),
        1,
      );
    }
    const store = new LocalObjectStore({ dataDir });
    inputs = await generateJobInput(store, SOURCE_BUCKET, { seed: 1, meetings: 1 }, 2);
    // A real market file dropped into a bucket by hand, as a user would.
    const sample = path.join(runtime.bucketsDir, SAMPLE_BUCKET, SAMPLE_OBJECT);
    await mkdir(path.dirname(sample), { recursive: true });
    await copyFile(path.join(HISTORIC_SAMPLES_DIR, SAMPLE_OBJECT), sample).catch(() => undefined);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  it('submits a job from the page and follows it to the end, listing the files that failed and why', async () => {
    const { page, problems } = await newPage(browser);
    await page.goto(`${runtime.url}/`);
    await page.getByLabel('Bucket', { exact: true }).selectOption(SOURCE_BUCKET);
    for (const folder of ['PRO', '2022', 'Apr']) {
      await page.getByRole('button', { name: `Open folder ${folder}` }).click();
    }
    await page.getByLabel('Select this whole folder').check();
    await page.getByRole('button', { name: 'Validate selection' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'files' }).first().textContent())
      .toContain(`${inputs.length} files`);

    await page.getByLabel('Output shards').fill('3');
    await page.getByLabel('Target bucket').fill('console-output');
    await page.getByRole('button', { name: 'Check availability' }).click();
    await page.getByText('console-output does not exist yet').waitFor();
    await page.getByLabel('Create it with the job if it does not exist').check();
    await screenshot(page, 'pipeline-new-job');
    await page.getByRole('button', { name: 'Submit job' }).click();

    await page.waitForURL(/#\/jobs\//);
    const jobId = decodeURIComponent(new URL(page.url()).hash.replace('#/jobs/', ''));
    await expect
      .poll(() => page.locator('#job-title .badge').textContent(), { timeout: 90_000 })
      .toBe('completed');
    const failedRows = page.locator('table.failed-files tbody tr');
    const failing = inputs.filter(failsInJob);
    await expect.poll(() => failedRows.count(), { timeout: 10_000 }).toBe(failing.length);
    const shown = await failedRows.allTextContents();
    const listed = await api<{
      files: { source: string; error: { code: string; message: string } }[];
    }>(`${runtime.url}/api/pipeline/${jobId}/files?state=failed`);
    for (const file of failing) {
      const row = shown.find((text) => text.includes(file.objectName));
      const reason = listed.files.find((f) => f.source.endsWith(file.objectName))?.error;
      expect(row, file.objectName).toBeDefined();
      expect(row).toContain(reason?.code);
      expect(row).toContain(reason?.message);
    }
    await page.getByText('_MANIFEST.json').first().waitFor();
    const manifestRows = page.locator('table.manifest tbody tr');
    await expect.poll(() => manifestRows.count()).toBe(inputs.length - failing.length);
    expect(await manifestRows.first().textContent()).toContain('output-00000-of-00003');
    expect(await page.getByTestId('files-summary').textContent()).toContain(
      `${inputs.length - failing.length} succeeded, ${failing.length} failed`,
    );
    await screenshot(page, 'pipeline-job');

    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByLabel('State').selectOption('completed');
    await page.getByRole('link', { name: jobId }).waitFor();
    await screenshot(page, 'pipeline-history');
    // The API filters: a completed job is not among the failed ones.
    await page.getByLabel('State').selectOption('failed');
    await expect.poll(() => page.getByRole('link', { name: jobId }).count()).toBe(0);
    expect(problems).toEqual([]);
  }, 150_000);

  it('offers every process type, product and format the API accepts', async () => {
    const options = await api<{ processTypes: string[]; products: string[]; formats: string[] }>(
      `${runtime.url}/api/pipeline/options`,
    );
    const { page, problems } = await newPage(browser);
    await page.goto(`${runtime.url}/#/pipeline`);
    const types = page.getByLabel('Process type');
    await expect
      .poll(() => types.locator('option').allTextContents())
      .toEqual(options.processTypes);
    await types.selectOption('decompress_concatenate_parse');
    for (const product of options.products) {
      await page.getByRole('checkbox', { name: product, exact: true }).waitFor();
    }
    expect(await page.getByLabel('Table format').locator('option').allTextContents()).toEqual(
      options.formats,
    );
    expect(problems).toEqual([]);
  });

  it('fills the recorder table from the simulator, and a refresh keeps a settings form being edited', async () => {
    const { page, problems } = await newPage(browser);
    await page.goto(`${runtime.url}/#/recorder`);
    // The minute's scheduled poll may hold the lease: the page then says so, and we ask again.
    for (let attempt = 1; ; attempt++) {
      await page.getByRole('button', { name: 'Poll now' }).click();
      const answer = page
        .getByRole('status')
        .filter({ hasText: /Poll #\d+ complete|Another poll is in progress/ });
      await answer.waitFor({ timeout: 30_000 });
      if ((await answer.textContent())?.includes('complete')) break;
      expect(attempt, 'polls kept being skipped').toBeLessThan(10);
      await page.waitForTimeout(1000);
    }
    const state = await api<{ markets: { marketId: string; venue: string; status: string }[] }>(
      `${runtime.url}/api/state`,
    );
    const open = state.markets.filter((m) => m.status !== 'CLOSED');
    expect(open.length).toBeGreaterThan(0);
    const rows = page.locator('table.markets tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(open.length);
    expect(await rows.first().textContent()).toMatch(/\d/);
    await screenshot(page, 'recorder-markets');

    await page.getByRole('tab', { name: 'Settings' }).click();
    const countries = page.getByLabel('Countries');
    await countries.fill('GB, IE, FR');
    // Longer than the dashboard's 5-second refresh.
    await page.waitForTimeout(6500);
    expect(await countries.inputValue()).toBe('GB, IE, FR');
    // The simulator's credentials are the recorder's secrets here: never on the page.
    const html = await page.content();
    expect(html).not.toContain(runtime.simulator?.appKey);
    expect(html).not.toContain(runtime.simulator?.sessionToken);
    expect(await page.getByLabel('App key').inputValue()).toBe('');
    await screenshot(page, 'recorder-settings');
    await page.getByRole('tab', { name: 'Settings' }).press('ArrowRight');
    expect(await page.locator(':focus').getAttribute('id')).toBe('tab-log');
    expect(await page.getByLabel('Recorder log').textContent()).toContain('complete');
    expect(problems).toEqual([]);
  }, 60_000);

  it('charts a market the recorder is still recording, from the lines written so far', async () => {
    const polled = await fetch(`${runtime.url}/api/recorder/poll`, { method: 'POST' });
    expect(polled.status).toBe(200);
    const state = await api<{
      markets: {
        marketId: string;
        venue: string;
        marketName: string;
        marketStartTime: string;
        status: string;
        streamFile: string | null;
      }[];
    }>(`${runtime.url}/api/state`);
    // The table lists closed markets only on request.
    const market = state.markets.find((m) => m.streamFile === null && m.status !== 'CLOSED');
    expect(market).toBeDefined();
    const { marketId, venue, marketName, marketStartTime } = market!;
    const stream = await fetch(`${runtime.url}/api/recorder/markets/${marketId}/stream`);
    const first = JSON.parse((await stream.text()).split('\n')[0]!) as { pt: number };
    const from = new Date(first.pt).toISOString();
    const timeline = await api<{ runners: { name: string }[] }>(
      `${runtime.url}/api/recorder/markets/${marketId}/timeline?from=${from}&to=${new Date().toISOString()}&every=1s`,
    );

    const { page, problems } = await newPage(browser);
    await page.goto(`${runtime.url}/#/recorder`);
    const start = marketStartTime.slice(11, 16);
    await page
      .getByRole('link', { name: `Price history of ${venue} ${start} ${marketName}`, exact: true })
      .click();
    await page.getByRole('heading', { name: new RegExp(`Market ${marketId}`) }).waitFor();
    const chart = page.getByRole('img', { name: 'Last traded price (log scale)' });
    // The default range already holds a sample of a market polled a moment ago.
    await chart.locator('canvas').waitFor({ timeout: 30_000 });
    await page.getByLabel('From').fill(from);
    await page.getByLabel('Every').fill('1s');
    await page.getByLabel('Every').press('Enter');
    await chart.locator('canvas').waitFor({ timeout: 30_000 });
    const legend = await chart.locator('.u-legend .u-label').allTextContents();
    expect(legend).toEqual(['Time (UTC)', ...timeline.runners.map((r) => r.name)]);
    await screenshot(page, 'recorded-market');
    expect(problems).toEqual([]);
  }, 60_000);

  itWithSamples(
    'draws each runner of a real market over time, and its book under the slider',
    async () => {
      const timeline = await api<{ runners: { name: string }[]; samples: unknown[] }>(
        `${runtime.url}/api/markets/1.197931750/timeline?bucket=${SAMPLE_BUCKET}&object=${encodeURIComponent(SAMPLE_OBJECT)}`,
      );
      const { page, problems } = await newPage(browser);
      await page.goto(`${runtime.url}/#/markets`);
      await page.getByRole('textbox', { name: 'Bucket' }).fill(SAMPLE_BUCKET);
      await page.getByRole('textbox', { name: 'Object' }).fill(SAMPLE_OBJECT);
      await page.getByRole('button', { name: 'Open 1.197931750' }).click();
      const chart = page.getByRole('img', { name: 'Last traded price (log scale)' });
      await chart.locator('canvas').waitFor({ timeout: 30_000 });
      const legend = await chart.locator('.u-legend .u-label').allTextContents();
      expect(legend).toEqual(['Time (UTC)', ...timeline.runners.map((r) => r.name)]);
      await page
        .getByRole('img', { name: 'Traded volume per interval' })
        .locator('canvas')
        .waitFor();

      const slider = page.getByLabel(/^Book at /);
      await page.locator('table.ladder caption').waitFor({ timeout: 15_000 });
      const before = await page.locator('table.ladder caption').textContent();
      await slider.focus();
      await page.keyboard.press('Home');
      await expect
        .poll(() => page.locator('table.ladder caption').textContent(), { timeout: 15_000 })
        .not.toBe(before);
      expect(await page.locator('table.ladder tbody tr').count()).toBe(timeline.runners.length);
      await screenshot(page, 'market-viewer');
      expect(problems).toEqual([]);
    },
    60_000,
  );
});
