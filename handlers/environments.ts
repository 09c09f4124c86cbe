import { envContract } from './lib/env-contract';

/**
 * Every function of the app and the environment it runs with. The stack creates one Lambda
 * function per entry (bundled from `handlers/<kebab-case name>.ts`) and must bind each variable;
 * the handler reads the same contract at cold start.
 */
export const environments = {
  listItems: envContract('ITEMS_TABLE', 'PROCESSED_BUCKET', 'ALLOWED_ORIGIN'),
  createItem: envContract('ITEMS_TABLE', 'EVENTS_TOPIC_ARN', 'ALLOWED_ORIGIN'),
  getItem: envContract('ITEMS_TABLE', 'PROCESSED_BUCKET', 'ALLOWED_ORIGIN'),
  updateItem: envContract('ITEMS_TABLE', 'PROCESSED_BUCKET', 'EVENTS_TOPIC_ARN', 'ALLOWED_ORIGIN'),
  deleteItem: envContract('ITEMS_TABLE', 'PROCESSED_BUCKET', 'EVENTS_TOPIC_ARN', 'ALLOWED_ORIGIN'),
  createImageUpload: envContract('ITEMS_TABLE', 'UPLOADS_BUCKET', 'ALLOWED_ORIGIN'),
  imageProcessor: envContract(
    'ITEMS_TABLE',
    'UPLOADS_BUCKET',
    'PROCESSED_BUCKET',
    'EVENTS_TOPIC_ARN',
  ),
  publishNotification: envContract('EVENTS_TOPIC_ARN', 'ALLOWED_ORIGIN'),
  receiveMessages: envContract('INBOX_QUEUE_URL', 'ALLOWED_ORIGIN'),
  deleteMessage: envContract('INBOX_QUEUE_URL', 'ALLOWED_ORIGIN'),
  auditConsumer: envContract('AUDIT_TABLE'),
  listAudit: envContract('AUDIT_TABLE', 'ALLOWED_ORIGIN'),
  startWorkflow: envContract('ITEMS_TABLE', 'STATE_MACHINE_ARN', 'ALLOWED_ORIGIN'),
  getWorkflow: envContract('STATE_MACHINE_ARN', 'ALLOWED_ORIGIN'),
  validateItem: envContract('ITEMS_TABLE'),
};

export type FunctionName = keyof typeof environments;
export type EnvironmentOf<F extends FunctionName> = Parameters<(typeof environments)[F]['bind']>[0];

/** `listItems` → `list-items`: the handler file and zip name of a function. */
export function entryName(name: FunctionName): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
