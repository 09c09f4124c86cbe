/**
 * The shapes of the local CloudWatch Logs (a leaf: it imports nothing), shared by the store that
 * keeps the log events, the API that reads them and the Lambda runtime that writes them.
 */
/** One log event as CloudWatch Logs keeps it. */
export interface LogEvent {
  /** The stream it was written to (`2026/12/05/[$LATEST]<hex>` for a Lambda runtime instance). */
  readonly stream: string;
  /** When it happened (ms since the epoch). */
  readonly timestamp: number;
  /** When the store received it (ms since the epoch). */
  readonly ingestionTime: number;
  readonly message: string;
  /** Its place in its group: increases with every event, never reused (event ids, page tokens). */
  readonly sequence: number;
}

/** A log stream: its name and what its events span. */
export interface LogStreamSummary {
  readonly name: string;
  readonly creationTime: number;
  readonly firstEventTimestamp?: number;
  readonly lastEventTimestamp?: number;
  readonly lastIngestionTime?: number;
  readonly storedBytes: number;
}

/** What CreateLogGroup, PutRetentionPolicy and the tag operations set on a log group. */
export interface LogGroupSettings {
  /** When the group was created (ms since the epoch). */
  readonly created: number;
  readonly retentionInDays?: number;
  readonly tags?: Readonly<Record<string, string>>;
  readonly kmsKeyId?: string;
  readonly logGroupClass?: string;
}

/** A log group: its name, its settings (when it came to be, retention, tags…), how much it keeps. */
export interface LogGroupSummary {
  readonly name: string;
  readonly settings: LogGroupSettings;
  readonly storedBytes: number;
}

/** Where a runtime instance's lines go: the group and stream Lambda would write them to. */
export interface LogSink {
  append(group: string, stream: string, message: string): void;
}
