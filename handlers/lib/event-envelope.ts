import { z } from 'zod';

/**
 * Every event on the topic is this JSON envelope, with `type` repeated as a message attribute so
 * subscriptions can filter on it. The id is derived from what happened (not random) wherever a
 * retry could publish the same fact twice, so consumers can deduplicate on it.
 */
export const EVENT_TYPES = [
  'item.created',
  'item.updated',
  'item.deleted',
  'image.processed',
  'image.failed',
  'notification',
  'item.published',
] as const;

export type KnownEventType = (typeof EVENT_TYPES)[number];

export const EventEnvelopeSchema = z.object({
  id: z.string().min(1).max(512),
  type: z.string().min(1).max(64),
  occurredAt: z.string().min(1),
  detail: z.record(z.string(), z.unknown()),
});

export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;
