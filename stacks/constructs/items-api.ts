import { Construct } from 'constructs';
import {
  THUMBNAILS_PREFIX,
  UPLOADS_PREFIX,
  itemsTableLayout,
} from '../../handlers/lib/storage-layout';
import { allow } from '../lib/policy';
import type { DataTable } from './data-table';
import type { EventsTopic } from './events-topic';
import { NodeFunction } from './node-function';
import type { FunctionDefaults } from './node-function';
import type { PrivateBucket } from './private-bucket';

export interface ItemsApiProps {
  defaults: FunctionDefaults;
  itemsTable: DataTable;
  uploads: PrivateBucket;
  processed: PrivateBucket;
  topic: EventsTopic;
  allowedOrigin: string;
}

/**
 * The functions behind /items: CRUD on the items table, and the pre-signed upload of an item's
 * image. Reading a thumbnail link needs s3:GetObject because a pre-signed URL carries the
 * permissions of whoever signed it.
 */
export class ItemsApi extends Construct {
  readonly routes: Record<
    'listItems' | 'createItem' | 'getItem' | 'updateItem' | 'deleteItem' | 'createImageUpload',
    NodeFunction
  >;

  constructor(scope: Construct, id: string, props: ItemsApiProps) {
    super(scope, id);
    const { defaults, itemsTable, uploads, processed, topic, allowedOrigin } = props;
    const table = itemsTable.name;
    const readThumbnails = allow(['s3:GetObject'], [processed.objectsArn(THUMBNAILS_PREFIX)]);
    const publishEvents = allow(['sns:Publish'], [topic.arn]);
    const api = { memorySize: 512, timeoutSeconds: 10 };

    this.routes = {
      listItems: new NodeFunction(this, 'list-items', {
        ...api,
        defaults,
        name: 'listItems',
        description: 'GET /items: a page of items, newest first',
        environment: {
          ITEMS_TABLE: table,
          PROCESSED_BUCKET: processed.name,
          ALLOWED_ORIGIN: allowedOrigin,
        },
        permissions: [
          allow(['dynamodb:Query'], [itemsTable.indexArn(itemsTableLayout.index.name)]),
          readThumbnails,
        ],
      }),
      createItem: new NodeFunction(this, 'create-item', {
        ...api,
        defaults,
        name: 'createItem',
        description: 'POST /items: creates an item',
        environment: {
          ITEMS_TABLE: table,
          EVENTS_TOPIC_ARN: topic.arn,
          ALLOWED_ORIGIN: allowedOrigin,
        },
        permissions: [allow(['dynamodb:PutItem'], [itemsTable.arn]), publishEvents],
      }),
      getItem: new NodeFunction(this, 'get-item', {
        ...api,
        defaults,
        name: 'getItem',
        description: 'GET /items/{id}: one item, with a link to its thumbnail',
        environment: {
          ITEMS_TABLE: table,
          PROCESSED_BUCKET: processed.name,
          ALLOWED_ORIGIN: allowedOrigin,
        },
        permissions: [allow(['dynamodb:GetItem'], [itemsTable.arn]), readThumbnails],
      }),
      updateItem: new NodeFunction(this, 'update-item', {
        ...api,
        defaults,
        name: 'updateItem',
        description: 'PUT /items/{id}: replaces the editable fields of an item',
        environment: {
          ITEMS_TABLE: table,
          PROCESSED_BUCKET: processed.name,
          EVENTS_TOPIC_ARN: topic.arn,
          ALLOWED_ORIGIN: allowedOrigin,
        },
        permissions: [
          allow(['dynamodb:UpdateItem'], [itemsTable.arn]),
          readThumbnails,
          publishEvents,
        ],
      }),
      deleteItem: new NodeFunction(this, 'delete-item', {
        ...api,
        defaults,
        name: 'deleteItem',
        description: 'DELETE /items/{id}: deletes an item and its thumbnail',
        environment: {
          ITEMS_TABLE: table,
          PROCESSED_BUCKET: processed.name,
          EVENTS_TOPIC_ARN: topic.arn,
          ALLOWED_ORIGIN: allowedOrigin,
        },
        permissions: [
          allow(['dynamodb:DeleteItem'], [itemsTable.arn]),
          allow(['s3:DeleteObject'], [processed.objectsArn(THUMBNAILS_PREFIX)]),
          publishEvents,
        ],
      }),
      createImageUpload: new NodeFunction(this, 'create-image-upload', {
        ...api,
        defaults,
        name: 'createImageUpload',
        description: 'POST /items/{id}/image: a pre-signed PUT for the item image',
        environment: {
          ITEMS_TABLE: table,
          UPLOADS_BUCKET: uploads.name,
          ALLOWED_ORIGIN: allowedOrigin,
        },
        permissions: [
          allow(['dynamodb:UpdateItem'], [itemsTable.arn]),
          allow(['s3:PutObject'], [uploads.objectsArn(`${UPLOADS_PREFIX}items/`)]),
        ],
      }),
    };
  }
}
