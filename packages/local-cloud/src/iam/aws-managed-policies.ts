/**
 * The AWS managed policies a stack is likely to attach, with their documents as AWS publishes
 * them (IAM console, "AWS managed policy" versions current in 2025). A role that attaches one
 * that is not listed here gets nothing from it locally, and boot says so: guessing its contents
 * would make local runs allow what the cloud might refuse.
 */
import type { PolicyDocument } from '../stack/topology';

const LOGS_FOR_LAMBDA = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

const allowAll = (actions: string[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
});

/** By policy path and name, as in `arn:aws:iam::aws:policy/<path><name>`. */
const DOCUMENTS: Record<string, PolicyDocument> = {
  AdministratorAccess: allowAll(['*']),
  'service-role/AWSLambdaBasicExecutionRole': allowAll(LOGS_FOR_LAMBDA),
  'service-role/AWSLambdaSQSQueueExecutionRole': allowAll([
    'sqs:ReceiveMessage',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    ...LOGS_FOR_LAMBDA,
  ]),
  'service-role/AWSLambdaDynamoDBExecutionRole': allowAll([
    'dynamodb:DescribeStream',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:ListStreams',
    ...LOGS_FOR_LAMBDA,
  ]),
  'service-role/AWSLambdaVPCAccessExecutionRole': allowAll([
    ...LOGS_FOR_LAMBDA,
    'ec2:CreateNetworkInterface',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeSubnets',
    'ec2:DeleteNetworkInterface',
    'ec2:AssignPrivateIpAddresses',
    'ec2:UnassignPrivateIpAddresses',
  ]),
  'service-role/AWSLambdaRole': allowAll(['lambda:InvokeFunction']),
  'service-role/AmazonAPIGatewayPushToCloudWatchLogs': allowAll([
    'logs:CreateLogGroup',
    'logs:CreateLogStream',
    'logs:DescribeLogGroups',
    'logs:DescribeLogStreams',
    'logs:PutLogEvents',
    'logs:GetLogEvents',
    'logs:FilterLogEvents',
  ]),
  AWSXRayDaemonWriteAccess: allowAll([
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    'xray:GetSamplingStatisticSummaries',
  ]),
  CloudWatchLogsFullAccess: allowAll(['logs:*', 'cloudwatch:GenerateQuery']),
  AmazonS3FullAccess: allowAll(['s3:*', 's3-object-lambda:*']),
  AmazonS3ReadOnlyAccess: allowAll([
    's3:Get*',
    's3:List*',
    's3-object-lambda:Get*',
    's3-object-lambda:List*',
  ]),
  AmazonSQSFullAccess: allowAll(['sqs:*']),
  AmazonSNSFullAccess: allowAll(['sns:*']),
};

const PREFIX = /^arn:aws[a-z-]*:iam::aws:policy\//;

/** The document of an AWS managed policy by ARN; undefined for customer policies and unknown ones. */
export function awsManagedPolicy(arn: string): PolicyDocument | undefined {
  if (!PREFIX.test(arn)) return undefined;
  return DOCUMENTS[arn.replace(PREFIX, '')];
}

export function isAwsManagedPolicyArn(arn: string): boolean {
  return PREFIX.test(arn);
}
