/**
 * The harness of the specs of src/iam/actions: the AWS SDK v3 clients send their real requests to
 * a recording endpoint, and what the endpoint received is what authorizationsFor classifies.
 */
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import type { IncomingAwsRequest, RequiredAuthorization } from '../../../src/iam/access-types';
import { authorizationsFor, needsBody } from '../../../src/iam/request-authorizations';
import { startRecordingEndpoint } from '../../support/recording-endpoint';
import type { RecordedRequest, RecordingEndpoint } from '../../support/recording-endpoint';

/** The region and account the specs' requests arrive in. */
export const context = { region: 'us-east-1', accountId: '123456789012' };

export const only = (
  action: string,
  resource: string,
  conditionKeys: RequiredAuthorization['conditionKeys'] = {},
): RequiredAuthorization[] => [{ action, resource, conditionKeys }];

/** The signing name the AWS endpoint routes by (see aws-edge.ts): S3 when unsigned. */
function signingName(request: RecordedRequest): string {
  const url = new URL(request.url, 'http://localhost');
  const scope =
    /Credential=([^,\s]+)/.exec(request.headers.authorization ?? '')?.[1] ??
    url.searchParams.get('X-Amz-Credential') ??
    '';
  return scope.split('/')[3] ?? 's3';
}

/** The recorded request as the edge hands it to IAM: the body only where IAM reads it. */
export function incoming(request: RecordedRequest): IncomingAwsRequest {
  const url = new URL(request.url, 'http://localhost');
  const service = signingName(request);
  const method = request.method;
  return {
    service,
    method,
    rawPath: request.url.split('?')[0] ?? '/',
    query: url.searchParams,
    headers: request.headers,
    ...(needsBody(service, method, url.searchParams) ? { body: request.body } : {}),
  };
}

/** What every client of the specs is made with: the endpoint, the administrator's keys. */
export interface ClientConfig {
  readonly endpoint: string;
  region: string;
  credentials: typeof DEFAULT_ADMIN_CREDENTIALS;
  maxAttempts: number;
}

export interface SdkRequests {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  readonly config: ClientConfig;
  /** A client of the endpoint, destroyed after the spec file; make it once the endpoint runs. */
  client<T extends { destroy(): void }>(make: (config: ClientConfig) => T): T;
  /** The request the endpoint received while `send` ran (the SDK may reject the answer). */
  received: (send: () => Promise<unknown>) => Promise<RecordedRequest>;
  /** The authorizations of the request `send` made. */
  authorizationsOf: (send: () => Promise<unknown>) => Promise<RequiredAuthorization[]>;
}

/**
 * Starts the recording endpoint before the calling spec file's tests and stops it, with the
 * clients made of it, after them. Call it at the top of the file, before the hooks that make the
 * clients.
 */
export function recordSdkRequests(): SdkRequests {
  let recording: RecordingEndpoint | undefined;
  const clients: { destroy(): void }[] = [];
  const running = (): RecordingEndpoint => {
    if (!recording) throw new Error('the recording endpoint runs only while the spec file runs');
    return recording;
  };

  beforeAll(async () => {
    // Its `{}` answer is just enough for the SDKs to return or throw at once; what they make of it
    // does not matter here.
    recording = await startRecordingEndpoint();
  });

  afterAll(async () => {
    for (const made of clients) made.destroy();
    await recording?.close();
  });

  const config: ClientConfig = {
    get endpoint(): string {
      return running().url;
    },
    region: 'us-east-1',
    credentials: DEFAULT_ADMIN_CREDENTIALS,
    maxAttempts: 1,
  };
  const received = (send: () => Promise<unknown>): Promise<RecordedRequest> =>
    running().during(send, { ignoreRejection: true });

  return {
    get endpoint() {
      return running().url;
    },
    get port() {
      return running().port;
    },
    config,
    client(make) {
      const made = make(config);
      clients.push(made);
      return made;
    },
    received,
    async authorizationsOf(send) {
      return authorizationsFor(incoming(await received(send)), context);
    },
  };
}
