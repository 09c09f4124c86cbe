/**
 * The app's storage on the emulators, and the environment every function reads at cold start.
 * Call `startTestApp()` in beforeAll BEFORE importing a handler (handlers read their environment
 * at module scope), and `stop()` in afterAll.
 */
import { TEST_ORIGIN } from './api-gateway-event';
import {
  awsEnvironment,
  createAuditTable,
  createItemsTable,
  setEnvironment,
  startEmulators,
} from './emulators';
import type { AppVariable, Emulators } from './emulators';

/** One value for every variable of every function's contract (the type insists on all of them). */
export const APP_ENV: Readonly<Record<AppVariable, string>> = {
  ITEMS_TABLE: 'test-items',
  AUDIT_TABLE: 'test-audit',
  UPLOADS_BUCKET: 'test-uploads',
  PROCESSED_BUCKET: 'test-processed',
  EVENTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:test-events',
  INBOX_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/test-inbox',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:test-publish-item',
  ALLOWED_ORIGIN: TEST_ORIGIN,
};

export interface TestApp extends Emulators {
  /** Restores the environment, then stops the emulators. */
  stop(): Promise<void>;
}

export async function startTestApp(): Promise<TestApp> {
  const emulators = await startEmulators();
  try {
    await Promise.all([
      createItemsTable(emulators.dynamo, APP_ENV.ITEMS_TABLE),
      createAuditTable(emulators.dynamo, APP_ENV.AUDIT_TABLE),
      emulators.s3.createBucket(APP_ENV.UPLOADS_BUCKET),
      emulators.s3.createBucket(APP_ENV.PROCESSED_BUCKET),
    ]);
  } catch (error) {
    await emulators.stop();
    throw error;
  }
  const restore = setEnvironment({ ...awsEnvironment(emulators), ...APP_ENV });
  return {
    ...emulators,
    stop: async () => {
      restore();
      await emulators.stop();
    },
  };
}

export const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
