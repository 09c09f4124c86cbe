import { readFileSync } from 'node:fs';
import { TerraformOutput } from 'cdktf';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { PublishWorkflow } from '../../stacks/constructs/publish-workflow';
import type { PublishWorkflowProps } from '../../stacks/constructs/publish-workflow';
import { projectFiles } from '../../stacks/project-files';
import {
  addressOf,
  functionNamed,
  functionStatements,
  grant,
  grantsOf,
  parseAsl,
  parseSynth,
  policyStatementsOf,
  ref,
  synthScope,
  theResource,
  trustStatementsOf,
} from '../support/synth';
import {
  createFixtureBundles,
  fixtureItemsTable,
  fixtureTopic,
  removeDirectory,
  testDefaults,
  testNaming,
} from '../support/stack-fixtures';

const ORIGIN = 'http://site.example';
const ASL = readFileSync(projectFiles.publishItemStateMachine, 'utf8');
/** CloudWatch Logs vended delivery: these APIs support no resource-level permissions. */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

function synthWorkflow(bundles: string, definition: string): string {
  return synthScope((scope) => {
    const props: PublishWorkflowProps = {
      defaults: testDefaults(bundles),
      definition,
      itemsTable: fixtureItemsTable(scope),
      topic: fixtureTopic(scope),
      allowedOrigin: ORIGIN,
    };
    const workflow = new PublishWorkflow(scope, 'publish-workflow', props);
    new TerraformOutput(scope, 'state_machine_arn', { value: workflow.arn });
  });
}

describe('PublishWorkflow', () => {
  let bundles: string;
  let synthesized: string;

  beforeAll(() => {
    bundles = createFixtureBundles();
    // Given the publish-item ASL file, the items table and the topic.
    synthesized = synthWorkflow(bundles, ASL);
  });
  afterAll(() => removeDirectory(bundles));

  const machine = () => theResource(synthesized, 'aws_sfn_state_machine');
  const states = () => parseAsl(machine().block.definition).States;
  const table = () => theResource(synthesized, 'aws_dynamodb_table');
  const topic = () => theResource(synthesized, 'aws_sns_topic');
  const validator = () => functionNamed(synthesized, testNaming.name('validateItem'));
  const machineRole = () => addressOf(machine().block.role_arn);

  it('is a standard state machine named publish-item', () => {
    expect(synthesized).toHaveResourceWithProperties(SfnStateMachine, {
      name: 'serverless-week-test-publish-item',
      type: 'STANDARD',
    });
  });

  it('calls the validator function it creates in the ValidateItem step', () => {
    expect(states().ValidateItem?.Resource).toBe(ref(validator(), 'arn'));
  });

  it('updates the items table it is given in both DynamoDB steps', () => {
    expect(states().MarkPublished?.Parameters?.TableName).toBe(ref(table(), 'name'));
    expect(states().RecordFailure?.Parameters?.TableName).toBe(ref(table(), 'name'));
  });

  it('announces on the topic it is given', () => {
    expect(states().AnnouncePublished?.Parameters?.TopicArn).toBe(ref(topic(), 'arn'));
  });

  it('keeps the rest of the ASL file as written, with no placeholder left', () => {
    const original = parseAsl(ASL);
    const synthesizedDefinition = parseAsl(machine().block.definition);
    expect(Object.keys(synthesizedDefinition.States)).toEqual(Object.keys(original.States));
    expect(synthesizedDefinition.StartAt).toBe(original.StartAt);
    expect(machine().block.definition).not.toMatch(/\$\{[A-Za-z][A-Za-z0-9]*\}/);
  });

  it('logs errors to a vended log group with retention, without execution data', () => {
    const logGroup = theResource(
      synthesized,
      'aws_cloudwatch_log_group',
      (group) => group.name === '/aws/vendedlogs/states/serverless-week-test-publish-item',
    );
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: logGroup.block.name,
      retention_in_days: 7,
    });
    expect(machine().block.logging_configuration).toEqual({
      log_destination: `${ref(logGroup, 'arn')}:*`,
      level: 'ERROR',
      include_execution_data: false,
    });
  });

  it('runs as a role only Step Functions can assume', () => {
    expect(trustStatementsOf(synthesized, machineRole())).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['states.amazonaws.com'] }],
      },
    ]);
  });

  it('may invoke only its validator (unqualified, as the ASL calls it), update only its table, publish only on its topic, and deliver logs', () => {
    expect(grantsOf(policyStatementsOf(synthesized, machineRole()))).toEqual({
      ...grant(['lambda:InvokeFunction'], [ref(validator(), 'arn')]),
      ...grant(['dynamodb:UpdateItem'], [ref(table(), 'arn')]),
      ...grant(['sns:Publish'], [ref(topic(), 'arn')]),
      ...grant(LOG_DELIVERY_ACTIONS, ['*']),
    });
  });

  it('uses resource * only for log delivery, whose APIs take no resource ARN', () => {
    const wildcard = policyStatementsOf(synthesized, machineRole()).filter((statement) =>
      statement.resources?.includes('*'),
    );
    expect(wildcard).toEqual([
      {
        sid: 'DeliverExecutionLogs',
        effect: 'Allow',
        actions: LOG_DELIVERY_ACTIONS,
        resources: ['*'],
      },
    ]);
  });

  it('is created only once its role may do all that', () => {
    const rolePolicy = theResource(
      synthesized,
      'aws_iam_role_policy',
      (policy) => addressOf(policy.role) === machineRole(),
    );
    expect(machine().block.depends_on).toEqual([rolePolicy.address]);
  });

  it('has its state machine ARN as its ARN', () => {
    expect(parseSynth(synthesized).output?.state_machine_arn?.value).toBe(ref(machine(), 'arn'));
  });

  it.each([
    ['validateItem', () => ({ ITEMS_TABLE: ref(table(), 'name') })],
    [
      'startWorkflow',
      () => ({
        ITEMS_TABLE: ref(table(), 'name'),
        STATE_MACHINE_ARN: ref(machine(), 'arn'),
        ALLOWED_ORIGIN: ORIGIN,
      }),
    ],
    ['getWorkflow', () => ({ STATE_MACHINE_ARN: ref(machine(), 'arn'), ALLOWED_ORIGIN: ORIGIN })],
  ])('binds %s to the table and state machine it works with', (name, expected) => {
    expect(functionNamed(synthesized, testNaming.name(name)).block.environment.variables).toEqual(
      expect.objectContaining(expected()),
    );
  });

  it.each([
    ['validateItem', () => grant(['dynamodb:GetItem'], [ref(table(), 'arn')])],
    [
      'startWorkflow',
      () => ({
        ...grant(['dynamodb:GetItem'], [ref(table(), 'arn')]),
        ...grant(['states:StartExecution'], [ref(machine(), 'arn')]),
      }),
    ],
    [
      'getWorkflow',
      () =>
        grant(
          ['states:DescribeExecution'],
          [`\${replace(${machine().address}.arn, ":stateMachine:", ":execution:")}:*`],
        ),
    ],
  ])('lets %s write its logs and do exactly what it needs, nothing more', (name, expected) => {
    const logGroup = theResource(
      synthesized,
      'aws_cloudwatch_log_group',
      (group) => group.name === `/aws/lambda/${testNaming.name(name)}`,
    );
    expect(grantsOf(functionStatements(synthesized, testNaming.name(name)))).toEqual({
      ...grant(['logs:CreateLogStream', 'logs:PutLogEvents'], [`${ref(logGroup, 'arn')}:*`]),
      ...expected(),
    });
  });

  it('refuses an ASL file with a placeholder the workflow has no value for', () => {
    // Given a definition naming an unknown ARN, when synthesized, then the drift is reported.
    const drifted = ASL.replace('${eventsTopicArn}', '${auditTopicArn}');
    expect(() => synthWorkflow(bundles, drifted)).toThrow(
      'publish-item state machine: no value for placeholder(s) auditTopicArn',
    );
  });

  it('refuses an ASL file that no longer uses a value the workflow provides', () => {
    const drifted = ASL.replace('"${eventsTopicArn}"', '"arn:aws:sns:us-east-1:123456789012:x"');
    expect(() => synthWorkflow(bundles, drifted)).toThrow(
      'publish-item state machine: value(s) for absent placeholder(s) eventsTopicArn',
    );
  });
});
