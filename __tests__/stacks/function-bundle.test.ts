import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadFunctionBundle } from '../../stacks/lib/function-bundle';
import { base64Sha256, removeDirectory, temporaryDirectory } from '../support/stack-fixtures';

describe('loadFunctionBundle', () => {
  let directory: string;

  beforeAll(() => {
    directory = temporaryDirectory('bundle-spec');
    writeFileSync(path.join(directory, 'list-items.zip'), 'zip bytes');
  });
  afterAll(() => removeDirectory(directory));

  it('finds the zip of an entry in the bundle directory', () => {
    expect(loadFunctionBundle(directory, 'list-items').zipPath).toBe(
      path.join(directory, 'list-items.zip'),
    );
  });

  it('hashes the zip as base64 SHA-256, as filebase64sha256() would', () => {
    // Given a zip, when loaded, then its hash is what Lambda compares to detect code changes.
    expect(loadFunctionBundle(directory, 'list-items').sha256).toBe(
      base64Sha256(path.join(directory, 'list-items.zip')),
    );
  });

  it('throws a message naming the missing zip and the command that builds it', () => {
    // Given no zip for an entry, when loaded, then the message says to run the build first.
    expect(() => loadFunctionBundle(directory, 'get-item')).toThrow(
      `Missing ${path.join(directory, 'get-item.zip')}: run \`npm run build\` before synthesizing`,
    );
  });
});
