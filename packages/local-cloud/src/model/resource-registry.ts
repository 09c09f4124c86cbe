/**
 * The one model of the cloud's resources, with two front doors: the boot, which fills it from a
 * synthesized stack (`replaceAll`), and the control plane (`put`/`remove`), which AWS clients such as
 * Terraform's AWS provider and the AWS CLI drive. Services read it (`list`/`get`, or the live
 * `topology` view) and follow its changes (`subscribe`), so a deployed resource runs exactly as a
 * booted one.
 *
 * A registry opened on a file keeps it durable: each change is journaled before `put`/`remove`
 * return, so what the control plane answered 2xx for survives `kill -9`, and a restart
 * (`npm start -- --empty`) gets the deployed resources back.
 */
import { Journal } from '../persistence/journal';
import { isObject } from '../json';
import type {
  AsyncInvokeConfigSpec,
  BucketSpec,
  EventSourceMappingSpec,
  FunctionSpec,
  HttpApiSpec,
  ManagedPolicySpec,
  PermissionSpec,
  QueueSpec,
  RestApiSpec,
  RoleSpec,
  StackTopology,
  StateMachineSpec,
  SubscriptionSpec,
  TableSpec,
  TopicSpec,
} from '../stack/topology';

/** Every kind of resource the registry keeps, by the topology list that holds it. */
export interface ResourceKinds {
  functions: FunctionSpec;
  tables: TableSpec;
  buckets: BucketSpec;
  queues: QueueSpec;
  topics: TopicSpec;
  subscriptions: SubscriptionSpec;
  eventSourceMappings: EventSourceMappingSpec;
  asyncInvokeConfigs: AsyncInvokeConfigSpec;
  stateMachines: StateMachineSpec;
  restApis: RestApiSpec;
  httpApis: HttpApiSpec;
  permissions: PermissionSpec;
  roles: RoleSpec;
  managedPolicies: ManagedPolicySpec;
}

export type ResourceKind = keyof ResourceKinds;

/** How each kind is found: the identifier AWS gives it. */
const KEYS: { [K in ResourceKind]: (spec: ResourceKinds[K]) => string } = {
  functions: (spec) => spec.arn,
  tables: (spec) => spec.arn,
  buckets: (spec) => spec.name,
  queues: (spec) => spec.arn,
  topics: (spec) => spec.arn,
  subscriptions: (spec) => spec.arn,
  eventSourceMappings: (spec) => spec.uuid,
  asyncInvokeConfigs: (spec) => spec.functionArn,
  stateMachines: (spec) => spec.arn,
  restApis: (spec) => spec.id,
  httpApis: (spec) => spec.id,
  permissions: (spec) => permissionKey(spec.functionArn, spec.statementId ?? spec.address),
  roles: (spec) => spec.arn,
  managedPolicies: (spec) => spec.arn,
};

export const RESOURCE_KINDS = Object.keys(KEYS) as ResourceKind[];

/** A permission is one statement of a function's resource policy: its function and Sid. */
export function permissionKey(functionArn: string, statementId: string): string {
  return `${functionArn}#${statementId}`;
}

/** The key `get` and `remove` take for a spec of that kind. */
export function resourceKey<K extends ResourceKind>(kind: K, spec: ResourceKinds[K]): string {
  return KEYS[kind](spec);
}

/** One change, as subscribers see it: `previous` is what a put replaced. */
export type ResourceChange<K extends ResourceKind> =
  | { type: 'put'; spec: ResourceKinds[K]; previous?: ResourceKinds[K] }
  | { type: 'removed'; spec: ResourceKinds[K] };

export type ResourceListener<K extends ResourceKind> = (change: ResourceChange<K>) => void;

type RegistryRecord =
  | { op: 'put'; kind: ResourceKind; spec: ResourceKinds[ResourceKind] }
  | { op: 'remove'; kind: ResourceKind; key: string };

/** The stack-wide facts that are not resources: where the cloud is, its account, the outputs. */
export type TopologyFacts = Omit<StackTopology, ResourceKind>;

type Listeners = { [K in ResourceKind]: Set<ResourceListener<K>> };
type Stores = { [K in ResourceKind]: Map<string, ResourceKinds[K]> };

export class ResourceRegistry {
  private readonly stores = Object.fromEntries(
    RESOURCE_KINDS.map((kind) => [kind, new Map()]),
  ) as Stores;
  private readonly listeners = Object.fromEntries(
    RESOURCE_KINDS.map((kind) => [kind, new Set()]),
  ) as unknown as Listeners;
  private readonly lists = new Map<ResourceKind, readonly unknown[]>();
  /** Bytes the journal held after its last compaction. */
  private compactedSize = 0;
  /** Whether opening the file cut off a last record a crash tore (it was never acknowledged). */
  repaired = false;

  /**
   * The stack's facts and every resource list, read live: a list read through it is what the
   * registry holds at that moment (services that look things up per request follow the
   * control plane without subscribing).
   */
  readonly topology: StackTopology;

  private constructor(
    facts: TopologyFacts,
    private readonly journal: Journal<RegistryRecord> | undefined,
  ) {
    const topology = { ...facts } as StackTopology;
    for (const kind of RESOURCE_KINDS) {
      Object.defineProperty(topology, kind, { enumerable: true, get: () => this.list(kind) });
    }
    this.topology = topology;
  }

  /** A registry held in memory only: the boot from a stack, which rebuilds it on every start. */
  static inMemory(facts: TopologyFacts): ResourceRegistry {
    return new ResourceRegistry(facts, undefined);
  }

  /**
   * A registry kept in `file` (created when missing), holding what the file held: the cloud that
   * starts empty and is deployed to.
   */
  static open(file: string, facts: TopologyFacts): ResourceRegistry {
    const { journal, records, repaired } = Journal.open(file, { parse: parseRecord });
    const registry = new ResourceRegistry(facts, journal);
    registry.repaired = repaired;
    for (const record of records) registry.apply(record);
    registry.compact();
    return registry;
  }

  /** The registry's resources of one kind, in the order they were first put. */
  list<K extends ResourceKind>(kind: K): readonly ResourceKinds[K][] {
    let list = this.lists.get(kind);
    if (!list) {
      list = Object.freeze([...this.stores[kind].values()]);
      this.lists.set(kind, list);
    }
    return list as readonly ResourceKinds[K][];
  }

  get<K extends ResourceKind>(kind: K, key: string): ResourceKinds[K] | undefined {
    return this.stores[kind].get(key);
  }

  /** Adds or replaces a resource, durably, then tells the kind's subscribers. */
  put<K extends ResourceKind>(kind: K, spec: ResourceKinds[K]): void {
    const previous = this.get(kind, resourceKey(kind, spec));
    this.record({ op: 'put', kind, spec });
    this.notify(kind, previous ? { type: 'put', spec, previous } : { type: 'put', spec });
  }

  /** Removes a resource, durably, then tells the kind's subscribers; what it removed, if any. */
  remove<K extends ResourceKind>(kind: K, key: string): ResourceKinds[K] | undefined {
    const spec = this.get(kind, key);
    if (!spec) return undefined;
    this.record({ op: 'remove', kind, key });
    this.notify(kind, { type: 'removed', spec });
    return spec;
  }

  /**
   * Follows one kind's changes (not what it holds already: read `list` for that). Listeners run
   * synchronously, in the order they subscribed, after the change is durable; a listener that
   * throws does not stop the others, and the error reaches the caller of put/remove.
   */
  subscribe<K extends ResourceKind>(kind: K, listener: ResourceListener<K>): () => void {
    const listeners = this.listeners[kind] as Set<ResourceListener<K>>;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Holds exactly the topology's resources: the boot from a synthesized stack. */
  replaceAll(topology: StackTopology): void {
    for (const kind of RESOURCE_KINDS) {
      const wanted = new Set(topology[kind].map((spec) => resourceKey(kind, spec as never)));
      for (const key of [...this.stores[kind].keys()]) {
        if (!wanted.has(key)) this.remove(kind, key);
      }
      for (const spec of topology[kind] as readonly ResourceKinds[typeof kind][]) {
        this.put(kind, spec);
      }
    }
  }

  /** Stops journaling (the registry stays readable). */
  close(): void {
    this.journal?.close();
  }

  private record(record: RegistryRecord): void {
    this.journal?.append(record);
    this.apply(record);
    if (this.journal && this.journal.size > 2 * this.compactedSize + COMPACT_SLACK_BYTES) {
      this.compact();
    }
  }

  private apply(record: RegistryRecord): void {
    const store = this.stores[record.kind] as Map<string, unknown>;
    if (record.op === 'put') store.set(resourceKey(record.kind, record.spec as never), record.spec);
    else store.delete(record.key);
    this.lists.delete(record.kind);
  }

  private compact(): void {
    if (!this.journal) return;
    const snapshot: RegistryRecord[] = RESOURCE_KINDS.flatMap((kind) =>
      this.list(kind).map((spec) => ({ op: 'put' as const, kind, spec })),
    );
    this.journal.compact(snapshot);
    this.compactedSize = this.journal.size;
  }

  private notify<K extends ResourceKind>(kind: K, change: ResourceChange<K>): void {
    let failure: unknown;
    for (const listener of this.listeners[kind] as Set<ResourceListener<K>>) {
      try {
        listener(change);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) {
      throw failure instanceof Error
        ? failure
        : new Error('a subscriber failed', { cause: failure });
    }
  }
}

/** The journal grows this much past twice its compacted size before it is compacted again. */
const COMPACT_SLACK_BYTES = 256 * 1024;

function parseRecord(value: unknown): RegistryRecord {
  if (!isObject(value) || typeof value.kind !== 'string' || !isKind(value.kind)) {
    throw new Error('not a resource record');
  }
  if (value.op === 'put' && isObject(value.spec)) {
    return {
      op: 'put',
      kind: value.kind,
      spec: value.spec as unknown as ResourceKinds[ResourceKind],
    };
  }
  if (value.op === 'remove' && typeof value.key === 'string') {
    return { op: 'remove', kind: value.kind, key: value.key };
  }
  throw new Error(`not a resource record: op ${JSON.stringify(value.op)}`);
}

function isKind(kind: string): kind is ResourceKind {
  return (RESOURCE_KINDS as string[]).includes(kind);
}
