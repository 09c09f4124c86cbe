import { ItemsApi } from '../../stacks/constructs/items-api';
import {
  functionNamed,
  functionStatements,
  grant,
  grantsOf,
  ref,
  resourcesOf,
  synthScope,
  theResource,
} from '../support/synth';
import type { Element, LambdaFunctionBlock } from '../support/synth';
import {
  createFixtureBundles,
  fixtureBucket,
  fixtureItemsTable,
  fixtureTopic,
  removeDirectory,
  testDefaults,
  testNaming,
} from '../support/stack-fixtures';

const ORIGIN = 'http://site.example';

describe('ItemsApi', () => {
  let bundles: string;
  let synthesized: string;
  let routes: string[];

  beforeAll(() => {
    bundles = createFixtureBundles();
    synthesized = synthScope((scope) => {
      const items = new ItemsApi(scope, 'items', {
        defaults: testDefaults(bundles),
        itemsTable: fixtureItemsTable(scope),
        uploads: fixtureBucket(scope, 'uploads'),
        processed: fixtureBucket(scope, 'processed'),
        topic: fixtureTopic(scope),
        allowedOrigin: ORIGIN,
      });
      routes = Object.keys(items.routes);
    });
  });
  afterAll(() => removeDirectory(bundles));

  const fn = (name: string): Element<LambdaFunctionBlock> =>
    functionNamed(synthesized, testNaming.name(name));
  const table = () => theResource(synthesized, 'aws_dynamodb_table');
  const topic = () => theResource(synthesized, 'aws_sns_topic');
  const bucketArn = (purpose: string) =>
    ref(
      theResource(
        synthesized,
        'aws_s3_bucket',
        (b) => b.bucket_prefix === testNaming.bucketPrefix(purpose),
      ),
      'arn',
    );
  const bucketName = (purpose: string) =>
    ref(
      theResource(
        synthesized,
        'aws_s3_bucket',
        (b) => b.bucket_prefix === testNaming.bucketPrefix(purpose),
      ),
      'bucket',
    );
  const ownLogs = (name: string) => {
    const group = theResource(
      synthesized,
      'aws_cloudwatch_log_group',
      (g) => g.name === `/aws/lambda/${testNaming.name(name)}`,
    );
    return grant(['logs:CreateLogStream', 'logs:PutLogEvents'], [`${ref(group, 'arn')}:*`]);
  };

  it('serves the six item routes, one function each', () => {
    expect(routes.sort()).toEqual(
      [
        'createImageUpload',
        'createItem',
        'deleteItem',
        'getItem',
        'listItems',
        'updateItem',
      ].sort(),
    );
    expect(resourcesOf(synthesized, 'aws_lambda_function')).toHaveLength(6);
  });

  it('gives every item function 512 MB and 10 seconds', () => {
    for (const name of routes) {
      expect(fn(name).block).toEqual(expect.objectContaining({ memory_size: 512, timeout: 10 }));
    }
  });

  it('tells every item function the items table and the allowed origin', () => {
    for (const name of routes) {
      expect(fn(name).block.environment.variables).toEqual(
        expect.objectContaining({ ITEMS_TABLE: ref(table(), 'name'), ALLOWED_ORIGIN: ORIGIN }),
      );
    }
  });

  it('tells createImageUpload the uploads bucket, and the readers of thumbnails the processed one', () => {
    expect(fn('createImageUpload').block.environment.variables.UPLOADS_BUCKET).toBe(
      bucketName('uploads'),
    );
    for (const name of ['listItems', 'getItem', 'updateItem', 'deleteItem']) {
      expect(fn(name).block.environment.variables.PROCESSED_BUCKET).toBe(bucketName('processed'));
    }
  });

  it.each([
    [
      'listItems',
      () => ({
        ...grant(['dynamodb:Query'], [`${ref(table(), 'arn')}/index/itemsByCreatedAt`]),
        ...grant(['s3:GetObject'], [`${bucketArn('processed')}/thumbnails/*`]),
      }),
    ],
    [
      'createItem',
      () => ({
        ...grant(['dynamodb:PutItem'], [ref(table(), 'arn')]),
        ...grant(['sns:Publish'], [ref(topic(), 'arn')]),
      }),
    ],
    [
      'getItem',
      () => ({
        ...grant(['dynamodb:GetItem'], [ref(table(), 'arn')]),
        ...grant(['s3:GetObject'], [`${bucketArn('processed')}/thumbnails/*`]),
      }),
    ],
    [
      'updateItem',
      () => ({
        ...grant(['dynamodb:UpdateItem'], [ref(table(), 'arn')]),
        ...grant(['s3:GetObject'], [`${bucketArn('processed')}/thumbnails/*`]),
        ...grant(['sns:Publish'], [ref(topic(), 'arn')]),
      }),
    ],
    [
      'deleteItem',
      () => ({
        ...grant(['dynamodb:DeleteItem'], [ref(table(), 'arn')]),
        ...grant(['s3:DeleteObject'], [`${bucketArn('processed')}/thumbnails/*`]),
        ...grant(['sns:Publish'], [ref(topic(), 'arn')]),
      }),
    ],
    [
      'createImageUpload',
      () => ({
        ...grant(['dynamodb:UpdateItem'], [ref(table(), 'arn')]),
        ...grant(['s3:PutObject'], [`${bucketArn('uploads')}/uploads/items/*`]),
      }),
    ],
  ])('lets %s write its logs and do exactly what it needs, nothing more', (name, expected) => {
    expect(grantsOf(functionStatements(synthesized, testNaming.name(name)))).toEqual({
      ...ownLogs(name),
      ...expected(),
    });
  });
});
