/** The shapes the boot steps share (a leaf: it imports only types). */
import type { LocalLog } from '../log';
import type { ResourceRegistry } from '../model/resource-registry';
import type { LocalEndpoints, StackTopology } from '../stack/topology';

/** Undoes a boot step: stops its service, closes its port, flushes its records. */
export type Stop = () => Promise<void> | void;

/** What a boot step that starts something gives: its service, and how to stop it. */
export interface Started<Service> {
  readonly service: Service;
  readonly stop: Stop;
}

/** What the steps after the stack's loading read: where the cloud is, what it runs, its log. */
export interface BootContext {
  /** The resources, read live (a view of `resources`). */
  readonly topology: StackTopology;
  /** The one model of resources: read it, follow it (subscribe), and change it (control plane). */
  readonly resources: ResourceRegistry;
  readonly endpoints: LocalEndpoints;
  /** Where data lives between runs. */
  readonly dataDir: string;
  /** The cloud's log: function lines under short names, their log writes recorded for IAM. */
  readonly log: LocalLog;
}
