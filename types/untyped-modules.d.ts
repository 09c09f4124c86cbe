/** The parts of untyped packages' APIs this project uses (the local cloud's emulators, the ASL validator). */

declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}

declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { AddressInfo } from 'node:net';
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: string[] }[];
  }

  /** What s3rver emits on 'event': an S3 notification, but with the object key NOT URL-encoded. */
  interface S3rverEvent {
    Records: {
      eventName: string;
      eventTime?: string;
      requestParameters?: { sourceIPAddress?: string };
      s3: {
        bucket: { name: string };
        object: { key: string; size?: number; eTag?: string };
      };
    }[];
  }

  class S3rver extends EventEmitter {
    constructor(options: S3rverOptions);
    httpServer?: Server;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    /** The Koa request listener, to answer requests that arrive on another server. */
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    /** Creates the buckets of `configureBuckets` with their CORS and website XML configs. */
    configureBuckets(): Promise<void>;
    on(event: 'event', listener: (event: S3rverEvent) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
  export = S3rver;
}

declare module 'asl-validator' {
  interface AslValidationResult {
    isValid: boolean;
    errors: unknown[];
    errorsText(separator?: string): string;
  }

  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): AslValidationResult;
  export = aslValidator;
}

declare module 's3rver/lib/models/account' {
  /** s3rver's one account; a key pair registered on it is accepted for SigV4 requests. */
  export const DUMMY_ACCOUNT: {
    accessKeys: Map<string, string>;
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  };
}
