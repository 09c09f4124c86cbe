/**
 * The keys functions and state machines sign with: random, made once per data directory, kept in
 * it for its owner only, the same after a restart and new after --reset.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCallerKeys } from '../src/credentials';

const CALLERS = [
  { kind: 'function', name: 'serverless-week-local-get-item' },
  { kind: 'state-machine', name: 'serverless-week-local-publish-item' },
] as const;

const directories: string[] = [];

function keyFile(): string {
  const directory = mkdtempSync(join(tmpdir(), 'caller-keys-'));
  directories.push(directory);
  return join(directory, 'access-keys.json');
}

afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

it('gives the same function different keys in two data directories', () => {
  const here = openCallerKeys(keyFile(), CALLERS);
  const there = openCallerKeys(keyFile(), CALLERS);

  const mine = here.credentialsFor('function', 'serverless-week-local-get-item');
  const theirs = there.credentialsFor('function', 'serverless-week-local-get-item');

  expect(mine.accessKeyId).not.toBe(theirs.accessKeyId);
  expect(mine.secretAccessKey).not.toBe(theirs.secretAccessKey);
});

it('makes keys shaped like AWS access keys, with a secret that does not follow from the name', () => {
  const name = 'serverless-week-local-get-item';

  const { accessKeyId, secretAccessKey } = openCallerKeys(keyFile(), CALLERS).credentialsFor(
    'function',
    name,
  );

  expect(accessKeyId).toMatch(/^LKIA[A-Z2-7]{16}$/);
  expect(secretAccessKey).toHaveLength(40);
  expect(secretAccessKey).not.toBe(
    createHash('sha256').update(`secret:function:${name}`).digest('base64'),
  );
});

it('keeps the keys in a file only its owner can read or write', () => {
  const file = keyFile();

  openCallerKeys(file, CALLERS);

  expect(statSync(file).mode & 0o777).toBe(0o600);
});

it('hands out the same keys when opened again on the same data directory, as after a restart', () => {
  const file = keyFile();
  const before = openCallerKeys(file, CALLERS).credentialsFor(
    'state-machine',
    'serverless-week-local-publish-item',
  );

  const after = openCallerKeys(file, CALLERS).credentialsFor(
    'state-machine',
    'serverless-week-local-publish-item',
  );

  expect(after).toEqual(before);
});

it('makes and keeps a key for a caller named only later', () => {
  const file = keyFile();
  const made = openCallerKeys(file).credentialsFor('function', 'added-later');

  const again = openCallerKeys(file).credentialsFor('function', 'added-later');

  expect(again).toEqual(made);
});

it('gives a function and a state machine of the same name different keys', () => {
  const keys = openCallerKeys(keyFile());

  const asFunction = keys.credentialsFor('function', 'same-name');
  const asMachine = keys.credentialsFor('state-machine', 'same-name');

  expect(asFunction.accessKeyId).not.toBe(asMachine.accessKeyId);
});
