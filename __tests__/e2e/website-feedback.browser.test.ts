/**
 * What the website tells its user, in a real browser against the local cloud: what went wrong
 * and what to do, where it concerns, without getting in the way.
 */
import { eventually } from '@serverless-week/test-support';
import type { Browser, Page, Route } from 'playwright-core';
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

// A page is retired to about:blank (its scripts stop polling the API), not closed: the Chromium
// that @sparticuz/chromium ships runs --single-process and ends when a page's context closes.
afterEach(async () => {
  await page?.goto('about:blank');
});

/** Raw validator wording that must never reach the user. */
const VALIDATOR_TEXT =
  /too short|too long|ECMA 262|numeric instance|instance type|required properties|must NOT/;

/** Requests the page sends to the API, as "METHOD path". */
function apiRequests(target: Page): string[] {
  const seen: string[] = [];
  target.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === cloud.endpoints.api && request.method() !== 'OPTIONS')
      seen.push(`${request.method()} ${url.pathname}`);
  });
  return seen;
}

/** The field's invalid state and the text of what describes it. */
async function fieldFeedback(target: Page, testId: string) {
  const field = target.getByTestId(testId);
  const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    describedBy
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => target.locator(`[id="${id}"]`).textContent()),
  );
  return {
    invalid: await field.getAttribute('aria-invalid'),
    description: texts.join(' ').replace(/\s+/g, ' ').trim(),
  };
}

describe('item form validation', () => {
  it.each([
    ['an empty name', 'item-name', '', /enter a name/i],
    ['a name of only spaces', 'item-name', '   ', /enter a name/i],
    ['a negative price', 'item-price', '-1', /price.*(negative|0 or more)/i],
    ['a price that is not a number', 'item-price', 'twelve', /price.*number/i],
    ['a price above the maximum', 'item-price', '2000000000', /price.*at most/i],
  ])(
    'refuses %s in the browser, before sending, with a sentence on the field',
    async (_case, testId, value, sentence) => {
      // Given the item form, with a valid name unless the name is what is tested
      page = await openReadyWebsite();
      const sent = apiRequests(page);
      if (testId !== 'item-name') await page.getByTestId('item-name').fill('A valid name');
      await page.getByTestId(testId).fill(value);

      // When the user saves
      await page.getByTestId('item-save').click();

      // Then the field says what is wrong, in a sentence, and nothing was sent
      await page.locator(`[data-testid="${testId}"][aria-invalid="true"]`).waitFor();
      const feedback = await fieldFeedback(page, testId);
      expect(feedback.description).toMatch(sentence);
      expect(feedback.description).not.toMatch(VALIDATOR_TEXT);
      expect(sent).not.toContain('POST /items');
      expect(pageErrors).toEqual([]);
    },
    30000,
  );

  it('clears the message on a field as soon as the user corrects it', async () => {
    // Given a name refused for being empty
    page = await openReadyWebsite();
    await page.getByTestId('item-save').click();
    await page.locator('[data-testid="item-name"][aria-invalid="true"]').waitFor();

    // When the user types one
    await page.getByTestId('item-name').fill('Named now');

    // Then the field is no longer marked, and says nothing
    expect(await page.getByTestId('item-name').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByTestId('item-name-error').textContent()).toBe('');
  }, 30000);

  it('shows the API refusing a field as a sentence on that field, never the validator text', async () => {
    // Given a page whose own check is looser than the API's (the name's length limit removed)
    page = await openReadyWebsite();
    await page
      .getByTestId('item-name')
      .evaluate((input: { removeAttribute(name: string): void }) =>
        input.removeAttribute('maxlength'),
      );
    await page.getByTestId('item-name').fill('n'.repeat(201));

    // When the user saves, and the API answers 400
    const answer = page.waitForResponse(
      (response) => response.url().endsWith('/items') && response.request().method() === 'POST',
    );
    await page.getByTestId('item-save').click();
    expect((await answer).status()).toBe(400);

    // Then the name says so in a sentence, and no validator text shows anywhere
    await page.locator('[data-testid="item-name"][aria-invalid="true"]').waitFor();
    const feedback = await fieldFeedback(page, 'item-name');
    expect(feedback.description).toMatch(/name.*at most 200 characters/i);
    expect(await page.locator('body').innerText()).not.toMatch(VALIDATOR_TEXT);
    expect(pageErrors).toEqual([]);
  }, 30000);

  it('refuses an empty message in the browser, before sending, with a sentence on the field', async () => {
    page = await openReadyWebsite();
    const sent = apiRequests(page);

    await page.getByTestId('message-send').click();

    await page.locator('[data-testid="message-body"][aria-invalid="true"]').waitFor();
    expect((await fieldFeedback(page, 'message-body')).description).toMatch(/enter a message/i);
    expect(sent).not.toContain('POST /messages');
  }, 30000);
});

const apiRoutes = () => `${cloud.endpoints.api}/**`;

describe('the item list', () => {
  it('says the API is unreachable, offers a retry, and lists the items once it is back', async () => {
    // Given an item, and an API the page cannot reach
    const response = await cloud.post('/items', { name: `Back again ${Date.now()}` });
    const { id } = (await response.json()) as { id: string };
    const refuse = (route: Route) => route.abort('connectionrefused');
    page = await openWebsite((target) => target.route(apiRoutes(), refuse));

    // Then the list says the API is unreachable, where, and not that there are no items
    const problem = page.getByTestId('items-error');
    await problem.getByText(/unreachable/i).waitFor({ timeout: 15000 });
    expect(await problem.textContent()).toContain(cloud.endpoints.api);
    expect(await page.getByTestId('items-empty').isVisible()).toBe(false);

    // When the API is back and the user retries, the items show
    await page.unroute(apiRoutes(), refuse);
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.locator(`[data-testid="item-row"][data-item-id="${id}"]`).waitFor();
    expect(await problem.isVisible()).toBe(false);
  }, 30000);

  it('shows that the items are loading until the first page arrives', async () => {
    // Given an API whose first answer is held back
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    page = await openWebsite((target) =>
      target.route(`${cloud.endpoints.api}/items?*`, async (route) => {
        await held;
        await route.continue();
      }),
    );

    // Then the list says it is loading, and is busy
    await page.getByText('Loading items…').waitFor();
    expect(await page.getByTestId('items-list').getAttribute('aria-busy')).toBe('true');

    // When the answer arrives, the loading state goes
    release();
    await page.locator('body[data-app-state="ready"]').waitFor();
    expect(await page.getByText('Loading items…').isVisible()).toBe(false);
    expect(await page.getByTestId('items-list').getAttribute('aria-busy')).toBe('false');
  }, 30000);
});

it('keeps the focused field clear of the sticky status bar', async () => {
  // Given a status message in the bar and a field scrolled to just under the top of the window
  page = await openReadyWebsite();
  await page.getByTestId('message-body').fill('Status, please');
  await page.getByTestId('message-send').click();
  await page.getByTestId('status').getByText('Message sent').waitFor();
  const field = page.getByTestId('item-description');
  const top = (await field.boundingBox())?.y ?? 0;
  await page.evaluate(`window.scrollBy(0, ${top - 4})`);

  // When the field gets the focus
  await field.focus();

  // Then the bar does not cover it
  const bar = await page.getByTestId('status').boundingBox();
  const box = await field.boundingBox();
  if (!bar || !box) throw new Error('the status bar or the field is not shown');
  expect(box.y).toBeGreaterThanOrEqual(bar.y + bar.height);
}, 30000);

describe('the inbox', () => {
  it('shows a JSON message pretty-printed, with its type and time', async () => {
    // Given a notification, of the type the inbox subscribes to (the topic carries it as a JSON
    // event)
    page = await openReadyWebsite();
    const text = `Order A-${Date.now()} placed`;
    await page.getByTestId('notification-message').fill(text);
    await page.getByTestId('notification-type').fill('notification');
    await page.getByTestId('notification-send').click();
    await page.getByTestId('status').getByText('Notification published').waitFor();

    // When the user receives messages (the topic delivers to the inbox queue)
    const entry = page.getByTestId('inbox-message').filter({ hasText: text });
    await eventually(
      async () => {
        await page.getByTestId('inbox-receive').click();
        await page.locator('#inbox-receive:not([disabled])').waitFor();
        return (await entry.count()) > 0 ? true : undefined;
      },
      { what: 'the notification to reach the inbox' },
    );

    // Then its body, the event, is the JSON pretty-printed, with its type and the time it was sent
    const shown = (await entry.getByTestId('inbox-message-body').textContent()) ?? '';
    expect(shown).toBe(JSON.stringify(JSON.parse(shown), null, 2));
    expect(shown).toContain(`"message": "${text}"`);
    expect(await entry.getByTestId('inbox-message-type').textContent()).toContain('notification');
    expect(await entry.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
  }, 60000);

  it('shows a text message as it was written', async () => {
    page = await openReadyWebsite();
    const body = `Plain words ${Date.now()}, not JSON`;
    await page.getByTestId('message-body').fill(body);
    await page.getByTestId('message-send').click();
    await page.getByTestId('status').getByText('Message sent').waitFor();

    await page.getByTestId('inbox-receive').click();

    const entry = page.getByTestId('inbox-message').filter({ hasText: body });
    await entry.waitFor();
    expect(await entry.getByTestId('inbox-message-body').textContent()).toBe(body);
    expect(await entry.getByTestId('inbox-message-type').textContent()).toMatch(/\w/);
  }, 30000);
});

describe('publishing', () => {
  async function itemWithReadyImage(name: string): Promise<string> {
    const { id } = (await (await cloud.post('/items', { name })).json()) as { id: string };
    await cloud.uploadImage(id, await makeJpeg(320, 240));
    await eventually(
      async () => {
        const item = await cloud.getJson<{ image?: { status: string } }>(`/items/${id}`);
        return item.image?.status === 'ready' ? true : undefined;
      },
      { what: 'the image to be ready' },
    );
    return id;
  }

  it('does not offer Publish on an item that is already published', async () => {
    // Given an item published through the API
    const id = await itemWithReadyImage(`Published already ${Date.now()}`);
    const started = await cloud.post('/workflows', { itemId: id });
    const { executionId } = (await started.json()) as { executionId: string };
    await eventually(
      async () => {
        const run = await cloud.getJson<{ status: string }>(`/workflows/${executionId}`);
        return run.status === 'SUCCEEDED' ? true : undefined;
      },
      { what: 'the workflow to succeed' },
    );

    // When the user sees it in the list
    page = await openReadyWebsite();
    const row = page.locator(`[data-testid="item-row"][data-item-id="${id}"]`);
    await row.waitFor();

    // Then it is shown as published, with no Publish button
    expect(await row.getByTestId('item-status').textContent()).toBe('published');
    expect(await row.getByTestId('publish-button').isVisible()).toBe(false);
  }, 60000);

  it('shows a failed publish once', async () => {
    // Given an item without an image, which cannot be published
    const { id } = (await (
      await cloud.post('/items', { name: `No image ${Date.now()}` })
    ).json()) as { id: string };
    page = await openReadyWebsite();
    const row = page.locator(`[data-testid="item-row"][data-item-id="${id}"]`);

    // When the user publishes it and the workflow fails
    await row.getByTestId('publish-button').click();
    await row.locator('[data-testid="workflow-status"][data-status="FAILED"]').waitFor({
      timeout: 30000,
    });
    await page.getByTestId('status').getByText('FAILED').waitFor();

    // Then the page tells the reason once
    const { publishFailure } = await cloud.getJson<{ publishFailure: { cause: string } }>(
      `/items/${id}`,
    );
    expect(await page.getByText(publishFailure.cause).count()).toBe(1);
  }, 60000);
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
