/**
 * terraform-debug-log: what an apply did, read from cdktf's output and the provider's debug log
 * (excerpts in the shapes Terraform 1.11 and provider 5.100.0 write them).
 */
import {
  completedCount,
  failedAwsCalls,
  formatErrors,
  slowestTypes,
  terraformOutcome,
} from '../../scripts/lib/terraform-debug-log';

const ESC = String.fromCharCode(27);

const DEBUG_LOG = [
  '2026-12-05T04:29:09.384Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Response Received: rpc.method=CreateRole rpc.service=IAM tf_resource_type=aws_iam_role http.status_code=400 tf_aws.sdk=aws-sdk-go-v2: http.response.body=',
  '| {"__type":"UnknownOperationException","message":"not emulated"}',
  '2026-12-05T04:29:09.390Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Response Received: rpc.method=CreateRole rpc.service=IAM tf_resource_type=aws_iam_role http.status_code=400',
  '| {"__type":"UnknownOperationException","message":"again"}',
  '2026-12-05T04:29:09.395Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Response Received: rpc.method=CreateQueue rpc.service=SQS tf_resource_type=aws_sqs_queue http.status_code=200',
  '2026-12-05T04:29:09.399Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Response Received: rpc.method=GetCallerIdentity rpc.service=STS http.status_code=403',
  '| <ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>',
].join('\n');

const CDKTF_OUTPUT = [
  `local  ${ESC}[0m${ESC}[1maws_sqs_queue.audit-queue_dlq_A0BCCAF9: Creation complete after 1s [id=http://127.0.0.1:4566/000000000000/dlq]${ESC}[0m`,
  'local  aws_sqs_queue.inbox-queue_DD5A0C15: Creation complete after 2s [id=http://127.0.0.1:4566/000000000000/inbox]',
  'local  aws_s3_bucket.website_bucket_DBC6BC89: Creation complete after 0s [id=website]',
  'local  aws_s3_bucket_lifecycle_configuration.uploads_lifecycle_67F32B33: Creation complete after 1m5s [id=uploads]',
  `${ESC}[31m│${ESC}[0m ${ESC}[0m${ESC}[1m${ESC}[31mError: ${ESC}[0m${ESC}[0m${ESC}[1mcreating IAM Role (a): operation error IAM: CreateRole, api error UnknownError: UnknownError${ESC}[0m`,
  '│ ',
  '│   with aws_iam_role.a_role_1 (a/role),',
  'local  │ Error: creating IAM Role (a): operation error IAM: CreateRole, api error UnknownError: UnknownError',
  'local  │ ',
  'local  │   with aws_iam_role.a_role_1 (a/role),',
].join('\n');

it('counts the resources completed, per type, through the colours and the stack name cdktf adds', () => {
  const outcome = terraformOutcome(CDKTF_OUTPUT);

  expect(outcome.completed).toEqual({
    aws_sqs_queue: 2,
    aws_s3_bucket: 1,
    aws_s3_bucket_lifecycle_configuration: 1,
  });
  expect(completedCount(outcome)).toBe(4);
});

it('names each error once with its resource type, though cdktf shows it twice', () => {
  const outcome = terraformOutcome(CDKTF_OUTPUT);

  expect(outcome.errors).toHaveLength(1);
  expect(formatErrors(outcome)).toMatch(/^aws_iam_role ×1: creating IAM Role \(a\)/);
});

it('lists each failing AWS call once per resource type, action and status, with its count and first answer', () => {
  expect(failedAwsCalls(DEBUG_LOG)).toEqual([
    {
      resourceType: 'aws_iam_role',
      service: 'IAM',
      action: 'CreateRole',
      status: 400,
      count: 2,
      firstAnswer: '{"__type":"UnknownOperationException","message":"not emulated"}',
    },
    {
      resourceType: '(provider)',
      service: 'STS',
      action: 'GetCallerIdentity',
      status: 403,
      count: 1,
      firstAnswer:
        '<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>',
    },
  ]);
});

it('ranks resource types by the longest any of theirs took, minutes included', () => {
  const slowest = slowestTypes(CDKTF_OUTPUT, 2);

  expect(slowest).toEqual([
    { type: 'aws_s3_bucket_lifecycle_configuration', seconds: 65 },
    { type: 'aws_sqs_queue', seconds: 2 },
  ]);
});
