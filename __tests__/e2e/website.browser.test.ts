/**
 * The website in a real browser (the Chromium of @sparticuz/chromium through playwright-core, or
 * Debian's chromium when installed), against the local cloud: create an item, upload its image,
 * see the thumbnail, publish it and see the workflow succeed; be told, not overwritten, when
 * someone else changed an item being edited or deleted; receive inbox messages and acknowledge
 * what was shown.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_ADMIN_CREDENTIALS } from '@serverless-week/local-cloud';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';
import { createUploadAndPublish } from '../support/website-flows';

let cloud: TestCloud;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  cloud = await startTestCloud();
  browser = await launchBrowser();
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
  await createUploadAndPublish(page, `Browser item ${Date.now()}`);

  expect(pageErrors).toEqual([]);
}, 90000);

/** An item someone else created, shown in the list after a refresh. */
async function itemInTheList(name: string): Promise<{ id: string; etag: string }> {
  const response = await cloud.post('/items', { name });
  expect(response.status).toBe(201);
  const item = (await response.json()) as { id: string; etag: string };
  await page.getByTestId('items-refresh').click();
  await page.locator(`[data-testid="item-row"][data-item-id="${item.id}"]`).waitFor();
  return item;
}

/** Someone else, through the API, saves a new name for the item. */
async function someoneElseRenames(id: string, name: string): Promise<void> {
  const response = await cloud.api(`/items/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(200);
}

const storedName = async (id: string): Promise<string> =>
  (await cloud.getJson<{ name: string }>(`/items/${id}`)).name;

it('tells the user, and keeps the other change, when someone else saved the item being edited', async () => {
  // Given the user is editing an item
  const item = await itemInTheList(`Edited by two ${Date.now()}`);
  const row = page.locator(`[data-testid="item-row"][data-item-id="${item.id}"]`);
  await row.getByTestId('edit-button').click();
  await page.getByTestId('item-name').fill('Mine');

  // When someone else saves a change first, and then the user saves
  await someoneElseRenames(item.id, 'Theirs');
  await page.getByTestId('item-save').click();

  // Then the user is told, the other change stands, and the row shows it
  await page.getByTestId('item-form-errors').getByText('Someone else changed').waitFor();
  await row.getByTestId('item-row-name').getByText('Theirs').waitFor();
  expect(await storedName(item.id)).toBe('Theirs');

  // And saving again, knowingly, replaces their version
  await page.getByTestId('item-save').click();
  await row.getByTestId('item-row-name').getByText('Mine').waitFor();
  expect(await storedName(item.id)).toBe('Mine');
  expect(pageErrors).toEqual([]);
}, 60000);

it('tells the user, and deletes nothing, when someone else changed the item being deleted', async () => {
  // Given an item the user sees in the list, which someone else then changes
  const item = await itemInTheList(`Deleted by one, changed by another ${Date.now()}`);
  const row = page.locator(`[data-testid="item-row"][data-item-id="${item.id}"]`);
  await someoneElseRenames(item.id, 'Changed meanwhile');

  // When the user deletes it
  await row.getByTestId('delete-button').click();
  await page.getByTestId('confirm-delete').click();

  // Then the user is told, the item stays, and its row shows the change
  await page.getByTestId('status').getByText('was not deleted').waitFor();
  await row.getByTestId('item-row-name').getByText('Changed meanwhile').waitFor();
  expect(await storedName(item.id)).toBe('Changed meanwhile');
  expect(pageErrors).toEqual([]);
}, 60000);

it('shows a received message in the inbox and acknowledges it, leaving the queue empty', async () => {
  // Given a message the user sent to the inbox
  const body = `Hello inbox ${Date.now()}`;
  await page.getByTestId('message-body').fill(body);
  await page.getByTestId('message-send').click();
  await page.getByTestId('status').getByText('Message sent').waitFor();

  // When the user receives messages
  await page.getByTestId('inbox-receive').click();

  // Then it is shown, and acknowledged: nothing is left in the queue, in flight or not
  await page.getByTestId('inbox-message').filter({ hasText: body }).waitFor();
  await page.getByTestId('status').getByText('acknowledged').waitFor();
  const inbox = cloud.topology.queues.find((queue) => queue.name.endsWith('-inbox'));
  const sqs = new SQSClient({
    endpoint: cloud.endpoints.aws,
    region: cloud.topology.region,
    credentials: DEFAULT_ADMIN_CREDENTIALS,
  });
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: inbox?.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  sqs.destroy();
  expect(Attributes).toEqual({
    ApproximateNumberOfMessages: '0',
    ApproximateNumberOfMessagesNotVisible: '0',
  });
  expect(pageErrors).toEqual([]);
}, 60000);
