/** Watching a directory tree by its directories: saves by rename are seen, and close lets go. */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@serverless-week/test-support';
import { watchDirectoryTree } from '../../scripts/lib/directory-watcher';
import type { DirectoryWatcher } from '../../scripts/lib/directory-watcher';

let root: string;
let watcher: DirectoryWatcher | undefined;
const seen: string[] = [];

const directoryWatches = (): number =>
  process.getActiveResourcesInfo().filter((resource) => resource === 'FSEventWrap').length;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'directory-watcher-'));
  mkdirSync(join(root, 'lib'));
  writeFileSync(join(root, 'lib', 'answer.ts'), 'export const answer = 0;\n');
  seen.length = 0;
});

afterEach(async () => {
  watcher?.close();
  watcher = undefined;
  rmSync(root, { recursive: true, force: true });
  // A closed watch lets go of its handle a moment later: each test starts with none left.
  await until(() => directoryWatches() === 0, 'every directory watch to close');
});

/** Waits (polling) until `condition` holds. */
const until = (condition: () => boolean, what: string): Promise<true> =>
  eventually(() => Promise.resolve(condition() ? true : undefined), { what });

function saveByRename(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

it('sees every save by rename of a file in a subdirectory, not only the first', async () => {
  // Given a tree being watched
  watcher = watchDirectoryTree(root, (path) => seen.push(path));

  for (let save = 1; save <= 3; save += 1) {
    // When a file deep in it is saved by writing a temporary file and renaming it over
    const before = seen.filter((path) => path === join('lib', 'answer.ts')).length;
    saveByRename(join(root, 'lib', 'answer.ts'), `export const answer = ${save};\n`);

    // Then the save is reported, by the file's path relative to the root
    await until(
      () => seen.filter((path) => path === join('lib', 'answer.ts')).length > before,
      `save ${save} to be seen`,
    );
  }
});

it('sees changes in a directory created after watching began', async () => {
  // Given a tree being watched
  watcher = watchDirectoryTree(root, (path) => seen.push(path));

  // When a new directory appears and a file in it is written
  mkdirSync(join(root, 'extra'));
  await until(() => seen.includes('extra'), 'the new directory to be seen');
  writeFileSync(join(root, 'extra', 'more.ts'), 'export {};\n');

  // Then that file's change is reported too
  await until(() => seen.includes(join('extra', 'more.ts')), 'the file in it to be seen');
});

it('releases every directory watch it opened when closed', async () => {
  // Given a watch of a tree of two directories
  const before = directoryWatches();
  const opened = watchDirectoryTree(root, (path) => seen.push(path));
  expect(directoryWatches()).toBe(before + 2);

  // When it is closed
  opened.close();

  // Then no watch of it is left open
  await until(() => directoryWatches() === before, 'its directory watches to close');
});
