import { createHash } from 'node:crypto';
import type { Json } from '../../src/json';
import {
  evaluateExpression,
  evaluateTemplate,
  resolveDeep,
} from '../../src/stack/terraform-expression';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:serverless-week-e2e-audit';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:serverless-week-e2e-audit-dlq';
const FUNCTION_ARN =
  'arn:aws:lambda:us-east-1:000000000000:function:serverless-week-e2e-image-processor';
const MACHINE_ARN =
  'arn:aws:states:us-east-1:000000000000:stateMachine:serverless-week-e2e-publish-item';

/** Attributes of a few resources of the real stack, as the loader would compute them. */
const ATTRIBUTES: Record<string, Json> = {
  'aws_sqs_queue.audit-queue_2A389D5B.arn': QUEUE_ARN,
  'aws_sqs_queue.audit-queue_dlq_A0BCCAF9.arn': DLQ_ARN,
  'aws_lambda_function.images_processor_function_1BFB81F8.arn': FUNCTION_ARN,
  'aws_sfn_state_machine.publish-workflow_state-machine_BEA903D3.arn': MACHINE_ARN,
  'aws_s3_bucket_website_configuration.website_hosting_54200386.website_endpoint': '127.0.0.1:3000',
  'aws_api_gateway_rest_api.api_4F59AA66.body': '{"openapi":"3.0.1"}',
  'aws_lambda_function.f.architectures': ['arm64', 'x86_64'],
  'aws_dynamodb_table.t.attribute': [{ name: 'id', type: 'S' }],
  'aws_sqs_queue.q.visibility_timeout_seconds': 30,
  'aws_sqs_queue.q.fifo_queue': false,
  'data.aws_iam_policy_document.trust.json': '{"Version":"2012-10-17"}',
};

const references: string[][] = [];
function resolve(reference: string[]): Json {
  references.push(reference);
  const key = reference.join('.');
  if (!(key in ATTRIBUTES)) throw new Error(`Unknown reference ${key}`);
  return ATTRIBUTES[key] ?? null;
}

describe('evaluateTemplate', () => {
  beforeEach(() => {
    references.length = 0;
  });

  it('returns the referenced value itself, of any type, for a string that is one interpolation', () => {
    // Given templates that are exactly one interpolation, when evaluated, then types are kept.
    expect(evaluateTemplate('${aws_lambda_function.f.architectures}', resolve)).toEqual([
      'arm64',
      'x86_64',
    ]);
    expect(evaluateTemplate('${aws_sqs_queue.q.visibility_timeout_seconds}', resolve)).toBe(30);
    expect(evaluateTemplate('${aws_sqs_queue.q.fifo_queue}', resolve)).toBe(false);
  });

  it('passes a resource reference as type, name and attribute, and a data source with data first', () => {
    evaluateTemplate('${aws_sqs_queue.audit-queue_2A389D5B.arn}', resolve);
    evaluateTemplate('${data.aws_iam_policy_document.trust.json}', resolve);
    expect(references).toEqual([
      ['aws_sqs_queue', 'audit-queue_2A389D5B', 'arn'],
      ['data', 'aws_iam_policy_document', 'trust', 'json'],
    ]);
  });

  it('traverses the referenced value with [index] and .attribute', () => {
    expect(evaluateTemplate('${aws_dynamodb_table.t.attribute[0].name}', resolve)).toBe('id');
    expect(evaluateTemplate('${aws_lambda_function.f.architectures.1}', resolve)).toBe('x86_64');
  });

  it('joins literal text and interpolations into a string', () => {
    // Given the website origin as the stack spells it, when evaluated, then it is one URL.
    const origin = evaluateTemplate(
      'http://${aws_s3_bucket_website_configuration.website_hosting_54200386.website_endpoint}',
      resolve,
    );
    expect(origin).toBe('http://127.0.0.1:3000');
  });

  it('writes numbers and bools inside a template as Terraform prints them', () => {
    expect(
      evaluateTemplate(
        'timeout=${aws_sqs_queue.q.visibility_timeout_seconds} fifo=${aws_sqs_queue.q.fifo_queue}',
        resolve,
      ),
    ).toBe('timeout=30 fifo=false');
  });

  it('encodes the redrive policy object with jsonencode, references resolved and keys sorted', () => {
    // Given the queue's redrive_policy as cdktf writes it, when evaluated, then it is its JSON.
    const policy = evaluateTemplate(
      '${jsonencode({"maxReceiveCount" = 5, "deadLetterTargetArn" = aws_sqs_queue.audit-queue_dlq_A0BCCAF9.arn})}',
      resolve,
    );
    expect(policy).toBe(`{"deadLetterTargetArn":"${DLQ_ARN}","maxReceiveCount":5}`);
  });

  it('encodes tuples of references inside objects (the redrive allow policy)', () => {
    const policy = evaluateTemplate(
      '${jsonencode({"redrivePermission" = "byQueue", "sourceQueueArns" = [aws_sqs_queue.audit-queue_2A389D5B.arn]})}',
      resolve,
    );
    expect(JSON.parse(policy as string)).toEqual({
      redrivePermission: 'byQueue',
      sourceQueueArns: [QUEUE_ARN],
    });
  });

  it('takes the account id out of a function ARN with element(split(…))', () => {
    // Given the S3 permission's source_account, when evaluated, then it is the ARN's account.
    expect(
      evaluateTemplate(
        '${element(split(":", aws_lambda_function.images_processor_function_1BFB81F8.arn), 4)}',
        resolve,
      ),
    ).toBe('000000000000');
  });

  it('wraps element indexes past the end of the list around to its start', () => {
    expect(evaluateExpression('element(["a", "b", "c"], 4)', resolve)).toBe('b');
  });

  it('replaces a plain substring and keeps the literal text after the interpolation', () => {
    // Given the executions ARN the get-workflow policy derives, when evaluated, then it is one.
    expect(
      evaluateTemplate(
        '${replace(aws_sfn_state_machine.publish-workflow_state-machine_BEA903D3.arn, ":stateMachine:", ":execution:")}:*',
        resolve,
      ),
    ).toBe('arn:aws:states:us-east-1:000000000000:execution:serverless-week-e2e-publish-item:*');
  });

  it('treats a /slashed/ replace pattern as a regular expression with $1 groups', () => {
    expect(evaluateExpression('replace("a-1 b-22", "/([a-z])-([0-9]+)/", "$2$1")', resolve)).toBe(
      '1a 22b',
    );
  });

  it('hashes the resolved REST API body with sha1, as the deployment trigger does', () => {
    expect(evaluateTemplate('${sha1(aws_api_gateway_rest_api.api_4F59AA66.body)}', resolve)).toBe(
      createHash('sha1').update('{"openapi":"3.0.1"}').digest('hex'),
    );
  });

  it('evaluates nested objects and tuples, with = or : between key and value', () => {
    expect(
      evaluateExpression('{ a = [1, true, null], "b" : { c = "d" }, e = [[], {}], }', resolve),
    ).toEqual({ a: [1, true, null], b: { c: 'd' }, e: [[], {}] });
  });

  it('decodes the escapes of quoted strings inside expressions', () => {
    expect(evaluateExpression('"line\\nquote\\" back\\\\ tab\\t \\u00e9"', resolve)).toBe(
      'line\nquote" back\\ tab\t é',
    );
  });

  it('interpolates inside quoted strings of an expression', () => {
    expect(evaluateExpression('"${aws_sqs_queue.audit-queue_2A389D5B.arn}/*"', resolve)).toBe(
      `${QUEUE_ARN}/*`,
    );
  });

  it('keeps $${ as a literal ${, and dollars that open no interpolation as they are', () => {
    // Given API Gateway and ASL text next to an escape, when evaluated, then nothing is lost.
    expect(
      evaluateTemplate('$${stageVariables.x} $context.requestId $$.Execution.Name %%{x}', resolve),
    ).toBe('${stageVariables.x} $context.requestId $$.Execution.Name %{x}');
  });

  it('formats with %s, %d and %q', () => {
    expect(evaluateExpression('format("%s has %d %q", "queue", 5, "x")', resolve)).toBe(
      'queue has 5 "x"',
    );
  });

  it('escapes <, > and & in jsonencode as Terraform does', () => {
    expect(evaluateExpression('jsonencode("<a & b>")', resolve)).toBe(
      '"\\u003ca \\u0026 b\\u003e"',
    );
  });

  it.each<[string, Json]>([
    ['jsondecode("{\\"a\\":[1,2]}")', { a: [1, 2] }],
    ['sha256("x")', createHash('sha256').update('x').digest('hex')],
    ['md5("x")', createHash('md5').update('x').digest('hex')],
    ['base64encode("hello")', 'aGVsbG8='],
    ['base64decode("aGVsbG8=")', 'hello'],
    ['join("-", ["a", "b"], ["c"])', 'a-b-c'],
    ['lower("AbC")', 'abc'],
    ['upper("AbC")', 'ABC'],
    ['tostring(5)', '5'],
    ['tonumber("5")', 5],
    ['length("héllo")', 5],
    ['length([1, 2])', 2],
    ['length({ a = 1 })', 1],
    ['concat(["a"], ["b", "c"])', ['a', 'b', 'c']],
    ['lookup({ a = 1 }, "b", 2)', 2],
    ['merge({ a = 1, b = 1 }, { b = 2 })', { a: 1, b: 2 }],
    ['coalesce(null, "", "x")', 'x'],
    ['trimprefix("/aws/lambda/f", "/aws/lambda/")', 'f'],
    ['trimsuffix("queue.fifo", ".fifo")', 'queue'],
    ['1 + 2 * 3 == 7 ? "yes" : "no"', 'yes'],
  ])('evaluates %s', (expression, expected) => {
    expect(evaluateExpression(expression, resolve)).toEqual(expected);
  });

  it('throws naming a function it does not know', () => {
    expect(() => evaluateTemplate('${templatefile("x.tpl", {})}', resolve)).toThrow(
      'Unsupported Terraform function "templatefile"',
    );
  });

  it('throws the resolver’s error for a reference it cannot resolve', () => {
    expect(() => evaluateTemplate('${aws_sqs_queue.nope.arn}', resolve)).toThrow(
      'Unknown reference aws_sqs_queue.nope.arn',
    );
  });

  it('throws on template directives rather than copying them as text', () => {
    expect(() => evaluateTemplate('%{ if true }yes%{ endif }', resolve)).toThrow(
      /template directives/,
    );
  });

  it('throws on an interpolation that is never closed', () => {
    expect(() => evaluateTemplate('arn=${aws_sqs_queue.q.arn', resolve)).toThrow(
      /expected "\}" to close the interpolation/,
    );
  });

  it('throws when a template would have to include a list as text', () => {
    expect(() => evaluateTemplate('arch=${aws_lambda_function.f.architectures}', resolve)).toThrow(
      /cannot include a tuple in a string template/,
    );
  });
});

describe('resolveDeep', () => {
  it('evaluates every string inside objects and arrays and leaves other values alone', () => {
    // Given a block body as cdktf writes it, when resolved, then each string is evaluated.
    const body: Json = {
      variables: { QUEUE: '${aws_sqs_queue.audit-queue_2A389D5B.arn}', LEVEL: 'DEBUG' },
      resources: ['${aws_sqs_queue.audit-queue_2A389D5B.arn}/*'],
      timeout: 10,
      enabled: true,
      nothing: null,
    };
    expect(resolveDeep(body, resolve)).toEqual({
      variables: { QUEUE: QUEUE_ARN, LEVEL: 'DEBUG' },
      resources: [`${QUEUE_ARN}/*`],
      timeout: 10,
      enabled: true,
      nothing: null,
    });
  });
});
