import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceRegistry } from '../../src/model/resource-registry';
import type { ResourceChange } from '../../src/model/resource-registry';
import type { QueueSpec, RoleSpec, StackTopology } from '../../src/stack/topology';
import type { TopologyFacts } from '../../src/model/resource-registry';
import { EMPTY_FACTS } from '../support/empty-registry';
import { queueSpec } from '../support/queue-fixtures';

const facts: TopologyFacts = EMPTY_FACTS;

function role(name: string): RoleSpec {
  return {
    address: `aws_iam_role.${name}`,
    name,
    arn: `arn:aws:iam::000000000000:role/${name}`,
    assumeRolePolicy: { Version: '2012-10-17', Statement: [] },
    inlinePolicies: {},
    managedPolicyArns: [],
  };
}

const queue = (name: string): QueueSpec => queueSpec(name, facts.endpoints.aws);

function emptyTopology(): StackTopology {
  const registry = ResourceRegistry.inMemory(facts);
  return { ...registry.topology };
}

describe('the resource registry', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'registry-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back what was put, by its key, and lists it', () => {
    const registry = ResourceRegistry.inMemory(facts);

    registry.put('roles', role('reader'));

    expect(registry.get('roles', 'arn:aws:iam::000000000000:role/reader')?.name).toBe('reader');
    expect(registry.list('roles').map((spec) => spec.name)).toEqual(['reader']);
  });

  it('shows changes through its topology view without a new read of the view', () => {
    const registry = ResourceRegistry.inMemory(facts);
    const { topology } = registry;

    registry.put('queues', queue('inbox'));

    expect(topology.queues.map((spec) => spec.name)).toEqual(['inbox']);
    expect(topology.region).toBe('us-east-1');
  });

  it('tells subscribers what a put replaced and what a remove took away', () => {
    const registry = ResourceRegistry.inMemory(facts);
    const changes: ResourceChange<'roles'>[] = [];
    registry.subscribe('roles', (change) => changes.push(change));

    registry.put('roles', role('reader'));
    registry.put('roles', { ...role('reader'), managedPolicyArns: ['arn:p'] });
    registry.remove('roles', 'arn:aws:iam::000000000000:role/reader');

    expect(changes.map((change) => change.type)).toEqual(['put', 'put', 'removed']);
    expect(changes[1]).toMatchObject({ type: 'put', previous: { managedPolicyArns: [] } });
  });

  it('stops telling a subscriber once it unsubscribes', () => {
    const registry = ResourceRegistry.inMemory(facts);
    const seen: string[] = [];
    const unsubscribe = registry.subscribe('queues', (change) => seen.push(change.spec.name));

    registry.put('queues', queue('first'));
    unsubscribe();
    registry.put('queues', queue('second'));

    expect(seen).toEqual(['first']);
  });

  it('keeps what it was given across a reopen of its file, removals included', () => {
    const file = join(dir, 'resources.journal');
    const first = ResourceRegistry.open(file, facts);
    first.put('roles', role('kept'));
    first.put('roles', role('dropped'));
    first.remove('roles', 'arn:aws:iam::000000000000:role/dropped');
    first.close();

    const reopened = ResourceRegistry.open(file, facts);

    expect(reopened.list('roles').map((spec) => spec.name)).toEqual(['kept']);
    reopened.close();
  });

  it('holds exactly a stack after replaceAll, telling subscribers what went', () => {
    const registry = ResourceRegistry.inMemory(facts);
    registry.put('queues', queue('old'));
    const removed: string[] = [];
    registry.subscribe('queues', (change) => {
      if (change.type === 'removed') removed.push(change.spec.name);
    });

    registry.replaceAll({ ...emptyTopology(), queues: [queue('new')] });

    expect(registry.list('queues').map((spec) => spec.name)).toEqual(['new']);
    expect(removed).toEqual(['old']);
  });

  it('reports an error of a subscriber to the caller after telling the others', () => {
    const registry = ResourceRegistry.inMemory(facts);
    const told: string[] = [];
    registry.subscribe('queues', () => {
      throw new Error('listener failed');
    });
    registry.subscribe('queues', (change) => told.push(change.spec.name));

    expect(() => registry.put('queues', queue('inbox'))).toThrow('listener failed');
    expect(told).toEqual(['inbox']);
    expect(registry.list('queues')).toHaveLength(1);
  });
});
