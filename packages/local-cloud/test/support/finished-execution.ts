/** Starts an execution through a real SFNClient and reads it back once it has ended. */
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { DescribeExecutionCommandOutput, SFNClient } from '@aws-sdk/client-sfn';

export async function finishedExecution(
  sfn: SFNClient,
  stateMachineArn: string,
  input: string,
): Promise<DescribeExecutionCommandOutput> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
