import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { components } from './api-types';
import { NotFoundError } from './errors';
import type { ItemRecord, ItemsRepository } from './items-repository';

export type WorkflowStarted = components['schemas']['WorkflowStarted'];
export type WorkflowStatus = components['schemas']['WorkflowStatus'];

/** What the workflow's validation step answers; the state machine's Choice reads `valid`. */
export interface Publishability {
  itemId: string;
  valid: boolean;
  reason?: string;
}

/** An item can be published once: it must exist, be a draft, and have a ready image. */
export function assessPublishability(itemId: string, item: ItemRecord | undefined): Publishability {
  const reason = !item
    ? `Item ${itemId} does not exist`
    : item.status === 'published'
      ? 'The item is already published'
      : !item.image
        ? 'The item has no image'
        : item.image.status !== 'ready'
          ? `The item's image is ${item.image.status}, not ready`
          : undefined;
  return reason ? { itemId, valid: false, reason } : { itemId, valid: true };
}

export class PublishWorkflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /** Starts a publication of an existing item; the execution name is the public execution id. */
  async start(items: ItemsRepository, itemId: string): Promise<WorkflowStarted> {
    await items.get(itemId);
    const executionId = randomUUID();
    const { executionArn } = await this.client.send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: executionId,
        input: JSON.stringify({ itemId }),
      }),
    );
    if (!executionArn) throw new Error('Step Functions returned no execution ARN');
    return { executionId, executionArn };
  }

  async describe(executionId: string): Promise<WorkflowStatus> {
    try {
      const execution = await this.client.send(
        new DescribeExecutionCommand({ executionArn: this.executionArn(executionId) }),
      );
      const status: WorkflowStatus = {
        executionId,
        status: execution.status ?? 'RUNNING',
        startedAt: (execution.startDate ?? new Date()).toISOString(),
      };
      if (execution.stopDate) status.stoppedAt = execution.stopDate.toISOString();
      if (execution.output) status.output = JSON.parse(execution.output) as unknown;
      if (execution.status === 'FAILED' || execution.error) {
        status.error = { error: execution.error ?? 'Unknown', cause: execution.cause ?? '' };
      }
      return status;
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) {
        throw new NotFoundError(`Workflow execution ${executionId} not found`);
      }
      throw error;
    }
  }

  /** arn:aws:states:<region>:<account>:execution:<state machine name>:<execution name> */
  private executionArn(executionId: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionId}`;
  }
}
