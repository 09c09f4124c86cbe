/**
 * Fixtures for synth specs. Function zips are stand-ins written to a temporary directory, so the
 * specs neither need `npm run build` nor race the Terraform spec, which rebuilds build/functions.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Construct } from 'constructs';
import { entryName, environments } from '../../handlers/environments';
import type { EnvironmentOf, FunctionName } from '../../handlers/environments';
import { NodeFunction } from '../../stacks/constructs/node-function';
import type { FunctionDefaults, NodeFunctionProps } from '../../stacks/constructs/node-function';
import { auditTableLayout, itemsTableLayout } from '../../handlers/lib/storage-layout';
import { DataTable } from '../../stacks/constructs/data-table';
import { EventsTopic } from '../../stacks/constructs/events-topic';
import { PrivateBucket } from '../../stacks/constructs/private-bucket';
import { Naming } from '../../stacks/naming';

export const TEST_APP = 'serverless-week';
export const TEST_STAGE = 'test';
export const testNaming = new Naming(TEST_APP, TEST_STAGE);

export const functionNames = Object.keys(environments) as FunctionName[];

export function temporaryDirectory(label: string): string {
  return mkdtempSync(path.join(tmpdir(), `${label}-`));
}

export function removeDirectory(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
}

/** A directory with a distinct stand-in `<entry>.zip` for every function of the app. */
export function createFixtureBundles(): string {
  const directory = temporaryDirectory('function-bundles');
  for (const name of functionNames) {
    writeFileSync(path.join(directory, `${entryName(name)}.zip`), `stand-in bundle of ${name}\n`);
  }
  return directory;
}

/** What Terraform's `filebase64sha256()` gives for a file. */
export function base64Sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('base64');
}

export function testDefaults(bundleDirectory: string): FunctionDefaults {
  return { naming: testNaming, logRetentionDays: 7, bundleDirectory, logLevel: 'INFO' };
}

/** A value for every variable of a function's contract: `TABLE` → `test-TABLE`. */
export function placeholderEnvironment<F extends FunctionName>(name: F): EnvironmentOf<F> {
  const contract: { keys: readonly string[] } = environments[name];
  return Object.fromEntries(contract.keys.map((key) => [key, `test-${key}`])) as EnvironmentOf<F>;
}

/** A function with placeholder settings, for specs about what surrounds functions. */
export function testFunction<F extends FunctionName>(
  scope: Construct,
  defaults: FunctionDefaults,
  name: F,
  overrides: Partial<NodeFunctionProps<F>> = {},
): NodeFunction<F> {
  return new NodeFunction(scope, entryName(name), {
    defaults,
    name,
    description: `Spec stand-in for ${name}`,
    memorySize: 128,
    timeoutSeconds: 3,
    environment: placeholderEnvironment(name),
    permissions: [],
    ...overrides,
  });
}

/** The storage a construct under test is wired to, built as the stack builds it. */
export function fixtureItemsTable(scope: Construct, id = 'items-table'): DataTable {
  return new DataTable(scope, id, {
    naming: testNaming,
    purpose: 'items',
    ...itemsTableLayout,
    deletionProtection: false,
  });
}

export function fixtureAuditTable(scope: Construct, id = 'audit-table'): DataTable {
  return new DataTable(scope, id, {
    naming: testNaming,
    purpose: 'audit',
    ...auditTableLayout,
    deletionProtection: false,
  });
}

export function fixtureBucket(scope: Construct, purpose: string): PrivateBucket {
  return new PrivateBucket(scope, purpose, { naming: testNaming, purpose, forceDestroy: true });
}

export function fixtureTopic(scope: Construct): EventsTopic {
  return new EventsTopic(scope, 'events', { naming: testNaming });
}
