import { Testing, TerraformStack } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { suppressGuardrail } from '../../stacks/lib/guardrail-suppressions';
import { synthScope } from '../support/synth';

interface BucketBlock {
  '//'?: { suppress_guardrails?: Record<string, string> };
}

describe('suppressGuardrail', () => {
  it('writes the rule and its reason beside the resource, where Terraform ignores it', () => {
    // Testing.synth drops `//` comments: read the stack's raw Terraform JSON.
    const stack = new TerraformStack(Testing.app(), 'stack');
    const resource = new S3Bucket(stack, 'bucket', { bucketPrefix: 'example-' });
    suppressGuardrail(resource, 'S3-003', 'Served over HTTP by the S3 website endpoint');

    const json = stack.toTerraform() as {
      resource: { aws_s3_bucket: Record<string, BucketBlock> };
    };
    const [bucket] = Object.values(json.resource.aws_s3_bucket);
    expect(bucket?.['//']).toMatchObject({
      suppress_guardrails: { 'S3-003': 'Served over HTTP by the S3 website endpoint' },
    });
  });

  it('refuses a suppression without a reason a reviewer can judge', () => {
    expect(() =>
      synthScope((scope) => {
        suppressGuardrail(new S3Bucket(scope, 'bucket', {}), 'S3-003', 'because');
      }),
    ).toThrow('needs a reason');
  });

  it('refuses something that is not a rule id', () => {
    expect(() =>
      synthScope((scope) => {
        suppressGuardrail(
          new S3Bucket(scope, 'bucket', {}),
          'all',
          'Silence every rule for this bucket',
        );
      }),
    ).toThrow('is not a guardrail rule id');
  });
});
