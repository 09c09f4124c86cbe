/**
 * What the website tells its user, in a real browser against the local cloud: what went wrong
 * and what to do, where it concerns, without getting in the way.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { makeJpeg } from '../support/images';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

let cloud: TestCloud;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  cloud = await startTestCloud();
  browser = await launchBrowser();
}, 60000);

afterAll(async () => {
  await browser?.close();
  await cloud?.dispose();
});

/** A fresh page of the website; `prepare` runs before it loads (to route its requests). */
async function openWebsite(prepare?: (page: Page) => Promise<unknown>): Promise<Page> {
  const opened = await browser.newPage({ viewport: { width: 800, height: 600 } });
  pageErrors = [];
  opened.on('pageerror', (error) => pageErrors.push(error.message));
  // Failing fast: a missing element is a failed expectation, not a wait until the test times out.
  opened.setDefaultTimeout(10000);
  await prepare?.(opened);
  await opened.goto(`${cloud.endpoints.web}/`);
  return opened;
}

async function openReadyWebsite(): Promise<Page> {
  const opened = await openWebsite();
  await opened.locator('body[data-app-state="ready"]').waitFor({ timeout: 15000 });
  return opened;
}

afterEach(async () => {
  await page?.close();
});

it('uploads an image through the pre-signed URL with no failed request or console error', async () => {
  // Given an item, and everything the console says and every request that fails
  page = await openReadyWebsite();
  const consoleLines: string[] = [];
  const failed: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      consoleLines.push(`${message.type()}: ${message.text()}`);
  });
  page.on('requestfailed', (request) =>
    failed.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`),
  );
  const name = `Clean upload ${Date.now()}`;
  await page.getByTestId('item-name').fill(name);
  await page.getByTestId('item-save').click();
  const row = page.getByTestId('item-row').filter({ hasText: name });
  await row.waitFor();

  // When the user uploads a JPEG and its thumbnail shows
  await row.locator('input[type="file"]').setInputFiles({
    name: 'photo.jpg',
    mimeType: 'image/jpeg',
    buffer: await makeJpeg(640, 480),
  });
  await row.getByTestId('upload-button').click();
  await row.getByTestId('image-status').getByText('Image ready').waitFor({ timeout: 30000 });
  await page.waitForLoadState('networkidle');

  // Then nothing failed, and the console stayed quiet
  expect(failed).toEqual([]);
  expect(consoleLines).toEqual([]);
  expect(pageErrors).toEqual([]);
}, 60000);
