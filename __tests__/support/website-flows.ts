/**
 * The website's core flow as a user goes through it in the browser: create an item, upload a JPEG
 * for it, see its thumbnail loaded from the processed bucket, publish it and see the workflow
 * succeed. The website spec runs it against `npm start`, the local-cloud deploy spec against the
 * deployed website.
 */
import type { Page } from 'playwright-core';
import { makeJpeg } from './images';

export async function createUploadAndPublish(page: Page, name: string): Promise<void> {
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
}
