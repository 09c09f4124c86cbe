import { z } from 'zod';
import type { ItemRecord } from './items-repository';

/**
 * What a stored item must hold for the API to show it. The table also holds what others wrote
 * (`aws dynamodb put-item`, an older version of this code, a console edit): such a record is
 * read through this model, so a missing field or a foreign attribute (`pk`, `sk`…) never reaches
 * a client. Content rules (lengths, patterns) are the API's on the way in, not checked again here.
 */
const imageRecord = z.object({
  status: z.enum(['pending', 'ready', 'failed']),
  key: z.string(),
  uploadId: z.string(),
  contentType: z.string(),
  thumbnailKey: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  error: z.string().optional(),
  processedAt: z.string().optional(),
});

const itemRecord = z.object({
  id: z.string().min(1),
  kind: z.literal('item'),
  name: z.string(),
  description: z.string().optional(),
  price: z.number().optional(),
  tags: z.array(z.string()).optional(),
  status: z.enum(['draft', 'published']),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int().min(0).optional(),
  publishedAt: z.string().optional(),
  image: imageRecord.optional(),
  publishFailure: z.object({ error: z.string(), cause: z.string() }).optional(),
});

export type RecordReading =
  { valid: true; record: ItemRecord } | { valid: false; id: string; problems: string[] };

/** The stored record as the model has it (unknown attributes dropped), or what is wrong with it. */
export function readItemRecord(stored: Record<string, unknown>): RecordReading {
  const parsed = itemRecord.safeParse(stored);
  if (parsed.success) return { valid: true, record: parsed.data };
  return {
    valid: false,
    id: typeof stored.id === 'string' ? stored.id : JSON.stringify(stored.id),
    problems: parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`,
    ),
  };
}
