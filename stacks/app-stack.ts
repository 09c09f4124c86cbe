import { readFileSync } from 'node:fs';
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { auditTableLayout, itemsTableLayout } from '../handlers/lib/storage-layout';
import { DataTable } from './constructs/data-table';
import { EventsApi } from './constructs/events-api';
import { EventsTopic } from './constructs/events-topic';
import { ImagePipeline } from './constructs/image-pipeline';
import { HttpApi } from './constructs/http-api';
import { ItemsApi } from './constructs/items-api';
import type { FunctionDefaults } from './constructs/node-function';
import { PrivateBucket } from './constructs/private-bucket';
import { PublishWorkflow } from './constructs/publish-workflow';
import { RestApi } from './constructs/rest-api';
import { SubscribedQueue } from './constructs/subscribed-queue';
import { Website } from './constructs/website';
import { corsOf, readOperationsOf } from './lib/http-api-routes';
import { localCloudProviderSettings, localInvokeUrl } from './lib/local-cloud';
import type { LocalCloudTarget } from './lib/local-cloud';
import { Naming } from './naming';
import { projectFiles } from './project-files';
import { stageSettings } from './stage-settings';

export interface RemoteStateOptions {
  bucket: string;
  region: string;
  /** Defaults to `serverless-week/<stage>.tfstate`. */
  key?: string;
  /** A DynamoDB lock table; without one, Terraform's S3-native lock file is used. */
  lockTable?: string;
}

export interface AppStackOptions {
  stage: string;
  region: string;
  /**
   * Plan without an AWS account: dummy credentials and the provider's skip_* settings, so
   * `terraform plan` makes no AWS call.
   */
  offline: boolean;
  /** Remote state in S3; the local backend when absent. */
  remoteState?: RemoteStateOptions;
  /**
   * Deploy to the local cloud instead of AWS (`npm run deploy -- local --local-cloud`): its
   * endpoints, the URLs that answer there, state of its own. Takes neither `offline` nor
   * `remoteState`.
   */
  localCloud?: LocalCloudTarget;
  /** Built function zips; defaults to build/functions. */
  bundleDirectory?: string;
  /** The parsed OpenAPI document; defaults to api/openapi.json. */
  apiDocument?: Record<string, unknown>;
}

export const APP_NAME = 'serverless-week';

/** The whole application for one stage. */
export class AppStack extends TerraformStack {
  constructor(scope: Construct, id: string, options: AppStackOptions) {
    super(scope, id);
    if (options.localCloud && (options.offline || options.remoteState)) {
      throw new Error('A deploy to the local cloud is neither an offline plan nor in remote state');
    }
    const local = options.localCloud;
    const naming = new Naming(APP_NAME, options.stage);
    const settings = stageSettings(options.stage);
    this.configureProvider(naming, options);
    this.configureState(options);

    const defaults: FunctionDefaults = {
      naming,
      logRetentionDays: settings.logRetentionDays,
      bundleDirectory: options.bundleDirectory ?? projectFiles.functionBundles,
      logLevel: settings.logLevel,
    };

    // Storage: items and their audit trail, uploaded originals and their thumbnails.
    const itemsTable = new DataTable(this, 'items-table', {
      naming,
      purpose: 'items',
      ...itemsTableLayout,
      deletionProtection: settings.protectData,
    });
    const auditTable = new DataTable(this, 'audit-table', {
      naming,
      purpose: 'audit',
      ...auditTableLayout,
      deletionProtection: settings.protectData,
    });

    // Website first: its URL is the one origin the API and the uploads bucket allow.
    const website = new Website(this, 'website', {
      naming,
      sourceDirectory: projectFiles.website,
      forceDestroy: !settings.protectData,
    });
    const websiteUrl = local?.websiteEndpoint ?? website.url;
    const uploads = new PrivateBucket(this, 'uploads', {
      naming,
      purpose: 'uploads',
      forceDestroy: !settings.protectData,
      cors: [
        {
          allowedOrigins: [websiteUrl],
          allowedMethods: ['PUT'],
          allowedHeaders: ['Content-Type'],
          exposeHeaders: ['ETag'],
          maxAgeSeconds: 600,
        },
      ],
      lifecycle: [
        {
          id: 'expire-stale-uploads',
          status: 'Enabled',
          filter: [{ prefix: 'uploads/' }],
          expiration: [{ days: 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
    const processed = new PrivateBucket(this, 'processed', {
      naming,
      purpose: 'processed',
      forceDestroy: !settings.protectData,
    });

    // Events: one topic, fanned out to the audit trail (everything) and the inbox (filtered).
    const topic = new EventsTopic(this, 'events', { naming });
    const auditQueue = new SubscribedQueue(this, 'audit-queue', {
      naming,
      purpose: 'audit',
      topic,
      rawMessageDelivery: true,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
    });
    const inboxQueue = new SubscribedQueue(this, 'inbox-queue', {
      naming,
      purpose: 'inbox',
      topic,
      rawMessageDelivery: false,
      filterPolicy: { type: ['notification', 'item.published'] },
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
    });

    // Functions, grouped by what they serve.
    const allowedOrigin = websiteUrl;
    const items = new ItemsApi(this, 'items', {
      defaults,
      itemsTable,
      uploads,
      processed,
      topic,
      allowedOrigin,
    });
    const images = new ImagePipeline(this, 'images', {
      defaults,
      uploads,
      processed,
      itemsTable,
      topic,
    });
    const events = new EventsApi(this, 'messaging', {
      defaults,
      topic,
      auditQueue,
      inboxQueue,
      auditTable,
      allowedOrigin,
    });
    const workflow = new PublishWorkflow(this, 'publish-workflow', {
      defaults,
      definition: readFileSync(projectFiles.publishItemStateMachine, 'utf8'),
      itemsTable,
      topic,
      allowedOrigin,
    });

    // The API, imported from the OpenAPI document, then the website learns its URL.
    const document =
      options.apiDocument ??
      (JSON.parse(readFileSync(projectFiles.openApiDocument, 'utf8')) as Record<string, unknown>);
    const api = new RestApi(this, 'api', {
      naming,
      document,
      handlers: { ...items.routes, ...events.routes, ...workflow.routes },
      integrationValues: events.integrationValues,
      allowedOrigin,
      stageName: options.stage,
      throttling: settings.throttling,
      logRetentionDays: settings.logRetentionDays,
      manageAccountLoggingRole: true,
    });
    const apiUrl = local
      ? localInvokeUrl(local.awsEndpoint, api.api.id, api.stage.stageName)
      : api.url;
    website.publishRuntimeConfig({ apiUrl });

    // The items API's read routes again, behind an HTTP API (payload 2.0), to compare the two.
    const readRoutes = readOperationsOf(document, 'items');
    const httpApi = new HttpApi(this, 'http-api', {
      naming,
      purpose: 'items-http-api',
      routes: readRoutes,
      handlers: items.routes,
      allowedOrigin,
      cors: corsOf(document, readRoutes),
      throttling: settings.throttling,
      logRetentionDays: settings.logRetentionDays,
    });

    // The $default stage answers at the root of the API's URL, which ends with a slash.
    const httpApiUrl = local
      ? `${localInvokeUrl(local.awsEndpoint, httpApi.api.id, httpApi.stage.name)}/`
      : httpApi.url;
    const outputs: Record<string, string> = {
      api_url: apiUrl,
      http_api_url: httpApiUrl,
      website_url: websiteUrl,
      website_bucket: website.bucket.bucket,
      uploads_bucket: uploads.name,
      processed_bucket: processed.name,
      items_table: itemsTable.name,
      audit_table: auditTable.name,
      events_topic_arn: topic.arn,
      audit_queue_url: auditQueue.url,
      audit_dlq_url: auditQueue.deadLetterQueue.url,
      inbox_queue_url: inboxQueue.url,
      inbox_dlq_url: inboxQueue.deadLetterQueue.url,
      image_failures_queue_url: images.failures.url,
      state_machine_arn: workflow.arn,
    };
    for (const [name, value] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value });
    }
  }

  private configureProvider(naming: Naming, options: AppStackOptions): void {
    new AwsProvider(this, 'aws', {
      region: options.region,
      defaultTags: [{ tags: naming.tags() }],
      ...(options.offline
        ? {
            accessKey: 'offline-plan',
            secretKey: 'offline-plan',
            skipCredentialsValidation: true,
            skipRequestingAccountId: true,
            skipMetadataApiCheck: 'true',
            skipRegionValidation: true,
          }
        : {}),
      ...(options.localCloud ? localCloudProviderSettings(options.localCloud) : {}),
    });
  }

  private configureState(options: AppStackOptions): void {
    if (options.localCloud) {
      new LocalBackend(this, { path: options.localCloud.stateFile });
      return;
    }
    const remote = options.remoteState;
    if (!remote) return;
    const backend = new S3Backend(this, {
      bucket: remote.bucket,
      region: remote.region,
      key: remote.key ?? `${APP_NAME}/${options.stage}.tfstate`,
      encrypt: true,
      dynamodbTable: remote.lockTable,
    });
    if (!remote.lockTable) backend.addOverride('use_lockfile', true);
  }
}
