import { Naming, kebab } from '../../stacks/naming';

describe('Naming', () => {
  const naming = new Naming('serverless-week', 'dev');

  it('names a resource after the app, the stage and the kebab-cased purpose', () => {
    // Given a purpose in camelCase, when it is named, then app and stage prefix its kebab form.
    expect(naming.name('imageProcessor')).toBe('serverless-week-dev-image-processor');
  });

  it('keeps a purpose that is already kebab-case as it is', () => {
    expect(naming.name('image-processing-failures')).toBe(
      'serverless-week-dev-image-processing-failures',
    );
  });

  it('gives stages of the same app different names for the same purpose', () => {
    // Given two stages, when both name the items table, then the names differ.
    const prod = new Naming('serverless-week', 'prod');
    expect(prod.name('items')).not.toBe(naming.name('items'));
  });

  it('makes a lowercase bucket prefix ending in a dash, for AWS to append a unique suffix', () => {
    expect(naming.bucketPrefix('uploads')).toBe('serverless-week-dev-uploads-');
  });

  it('keeps bucket prefixes of the dev and prod stages within the 37 characters AWS accepts', () => {
    // Given the longest bucket purpose, when prefixed for dev and prod, then S3 accepts it.
    for (const stage of ['dev', 'prod']) {
      expect(
        new Naming('serverless-week', stage).bucketPrefix('processed').length,
      ).toBeLessThanOrEqual(37);
    }
  });

  it('accepts the longest stage main.ts allows (10 characters) for every bucket', () => {
    const naming = new Naming('serverless-week', 'abcdefghij');
    for (const purpose of ['website', 'uploads', 'processed']) {
      expect(naming.bucketPrefix(purpose).length).toBeLessThanOrEqual(37);
    }
  });

  it('refuses a bucket prefix S3 would reject, asking for a shorter stage', () => {
    const naming = new Naming('serverless-week', 'abcdefghijk');
    expect(() => naming.bucketPrefix('processed')).toThrow(/use a shorter stage name/);
  });

  it('puts a function log group where Lambda writes by default', () => {
    expect(naming.functionLogGroup('serverless-week-dev-list-items')).toBe(
      '/aws/lambda/serverless-week-dev-list-items',
    );
  });

  it('puts a vended log group under /aws/vendedlogs/<service>/', () => {
    expect(naming.vendedLogGroup('states', 'publish-item')).toBe(
      '/aws/vendedlogs/states/serverless-week-dev-publish-item',
    );
  });

  it('tags every resource with the app, the stage and the tool that manages it', () => {
    expect(naming.tags()).toEqual({ app: 'serverless-week', stage: 'dev', 'managed-by': 'cdktf' });
  });
});

describe('kebab', () => {
  it('turns camelCase into kebab-case', () => {
    expect(kebab('createImageUpload')).toBe('create-image-upload');
  });

  it('drops the dash a leading capital would leave', () => {
    expect(kebab('ListItems')).toBe('list-items');
  });
});
