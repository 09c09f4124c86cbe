/**
 * The website in a real browser (Debian's chromium through playwright-core), against the local
 * cloud: create an item, upload its image, see the thumbnail, publish it and see the workflow
 * succeed. CI installs chromium; without it this spec fails rather than skips.
 */
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { makeJpeg } from '../support/images';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed: apt-get install -y chromium');
  }
}

let cloud: TestCloud;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  cloud = await startTestCloud();
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${cloud.endpoints.web}/`);
  await page.locator('body[data-app-state="ready"]').waitFor({ timeout: 15000 });
}, 60000);

afterAll(async () => {
  await browser?.close();
  await cloud?.dispose();
});

it('creates an item, uploads its image, shows the thumbnail and publishes it', async () => {
  const name = `Browser item ${Date.now()}`;

  // When the user creates an item
  await page.getByTestId('item-name').fill(name);
  await page.getByTestId('item-save').click();
  const row = page.getByTestId('item-row').filter({ hasText: name });
  await row.waitFor({ timeout: 15000 });

  // and uploads a JPEG for it
  await row.locator('input[type="file"]').setInputFiles({
    name: 'photo.jpg',
    mimeType: 'image/jpeg',
    buffer: await makeJpeg(640, 480),
  });
  await row.getByTestId('upload-button').click();

  // Then the thumbnail appears, loaded from the processed bucket
  const thumbnail = row.getByTestId('thumbnail');
  await thumbnail.waitFor({ timeout: 20000 });
  const itemId = await row.getAttribute('data-item-id');
  await page.waitForFunction(
    `(() => { const img = document.querySelector('[data-item-id="${itemId}"] [data-testid="thumbnail"]');
      return Boolean(img && img.complete && img.naturalWidth > 0); })()`,
    undefined,
    { timeout: 10000 },
  );

  // When the user publishes it, the workflow succeeds
  await row.getByTestId('publish-button').click();
  await row
    .locator('[data-testid="workflow-status"][data-status="SUCCEEDED"]')
    .waitFor({ timeout: 30000 });

  expect(pageErrors).toEqual([]);
}, 90000);
