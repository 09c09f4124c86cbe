import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../src/persistence/journal';

interface Entry {
  n: number;
}

const parse = (value: unknown): Entry => {
  if (typeof value !== 'object' || value === null || typeof (value as Entry).n !== 'number') {
    throw new Error('not an entry');
  }
  return value as Entry;
};

let directory: string;
let file: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'journal-'));
  file = join(directory, 'nested', 'queue.journal');
});

afterEach(() => rmSync(directory, { recursive: true, force: true }));

it('gives back the records appended before it was reopened, in order', () => {
  // Given a journal with three records
  const { journal } = Journal.open(file, { parse });
  journal.append({ n: 1 });
  journal.appendAll([{ n: 2 }, { n: 3 }]);
  journal.close();

  // When it is opened again
  const reopened = Journal.open(file, { parse });

  // Then it holds them in order
  expect(reopened.records).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  expect(reopened.repaired).toBe(false);
  expect(reopened.journal.length).toBe(3);
  reopened.journal.close();
});

it('keeps what was appended when the process is killed without closing it', () => {
  // Given a child process that appends records and is killed (SIGKILL) right after
  const script = `
    const { Journal } = require(${JSON.stringify(join(__dirname, '../../src/persistence/journal'))});
    const { journal } = Journal.open(${JSON.stringify(file)}, { parse: (v) => v });
    for (let n = 1; n <= 100; n++) journal.append({ n });
    process.kill(process.pid, 'SIGKILL');
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    encoding: 'utf8',
  });
  expect(child.signal).toBe('SIGKILL');

  // When the journal is opened again
  const { records, journal } = Journal.open(file, { parse });
  journal.close();

  // Then every record acknowledged before the kill is there
  expect(records.map((record) => record.n)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
});

it('cuts off a torn last line, which was never acknowledged, and appends after it', () => {
  // Given a journal whose last write was cut short
  const { journal } = Journal.open(file, { parse });
  journal.append({ n: 1 });
  journal.close();
  appendFileSync(file, '{"n":');

  // When it is opened and appended to
  const opened = Journal.open(file, { parse });
  opened.journal.append({ n: 2 });
  opened.journal.close();

  // Then the torn record is gone and the file is whole again
  expect(opened.repaired).toBe(true);
  expect(opened.records).toEqual([{ n: 1 }]);
  expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
});

it('refuses to open a journal with a line that is not JSON in its middle', () => {
  // Given a journal changed by hand
  const { journal } = Journal.open(file, { parse });
  journal.close();
  writeFileSync(file, '{"n":1}\nnot json\n{"n":2}\n');

  // When it is opened, then it says where the damage is
  expect(() => Journal.open(file, { parse })).toThrow(/line 2 is not JSON/);
});

it('refuses a record its parser refuses', () => {
  writeFileSync(join(directory, 'bad.journal'), '{"m":1}\n');
  expect(() => Journal.open(join(directory, 'bad.journal'), { parse })).toThrow('not an entry');
});

it('replaces its records by a snapshot when compacted, and appends after the snapshot', () => {
  // Given a journal of many records
  const { journal } = Journal.open(file, { parse });
  for (let n = 1; n <= 50; n++) journal.append({ n });

  // When it is compacted to the one record that matters, then appended to
  journal.compact([{ n: 50 }]);
  journal.append({ n: 51 });
  journal.close();

  // Then it holds the snapshot and what came after
  const reopened = Journal.open(file, { parse });
  reopened.journal.close();
  expect(reopened.records).toEqual([{ n: 50 }, { n: 51 }]);
  expect(journal.length).toBe(2);
});

it('refuses an append once closed', () => {
  const { journal } = Journal.open(file, { parse });
  journal.close();
  expect(() => journal.append({ n: 1 })).toThrow(/closed/);
});
