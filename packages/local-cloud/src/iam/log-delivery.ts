/**
 * What Step Functions needs of a state machine's role to deliver its execution logs to CloudWatch
 * Logs (AWS's "IAM policies for logging to CloudWatch Logs"). These vended log delivery actions
 * support no resource-level permissions: the grant is on `*`. The stack grants them; the local
 * cloud checks a role has them, as Step Functions does when the state machine is created.
 */
export const STATE_MACHINE_LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
