/**
 * A policy document as IAM receives it (a JSON string), checked as IAM checks it before storing
 * it: JSON first, then the shape of an identity policy or of a role's trust policy, refused with
 * MalformedPolicyDocument in IAM's words. The statements themselves are read by the IAM engine's
 * own parser (validatePolicy), so what IAM accepts here is what the local cloud can evaluate.
 */
import type { Json } from '../../json';
import { isObject } from '../../json';
import { validatePolicy } from '../../iam/policy-evaluation';
import type { PolicyDocument } from '../../stack/topology';
import { limitExceeded, malformedPolicyDocument } from './iam-errors';

/** An identity policy (inline or managed) or a role's trust policy. */
export type PolicyKind = 'identity' | 'trust';

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const SYNTAX = 'Syntax errors in policy.';

const has = (statement: Record<string, Json>, field: string): boolean =>
  statement[field] !== undefined || statement[`Not${field}`] !== undefined;

const actionsOf = (statement: Record<string, Json>): Json[] => {
  const actions = statement.Action ?? [];
  return Array.isArray(actions) ? actions : [actions];
};

/** What IAM says of the first statement that breaks the kind's shape; nothing when all fit. */
function shapeError(statements: Json[], kind: PolicyKind): string | undefined {
  for (const statement of statements) {
    if (!isObject(statement)) return SYNTAX;
    if (!has(statement, 'Action')) return 'Policy statement must contain actions.';
    if (kind === 'identity') {
      if (has(statement, 'Principal')) return 'Policy document should not specify a principal.';
      if (!has(statement, 'Resource')) return 'Policy statement must contain resources.';
    } else {
      if (has(statement, 'Resource')) return 'Has prohibited field Resource';
      if (!has(statement, 'Principal')) return 'Missing required field Principal';
      const notSts = actionsOf(statement).some(
        (action) => typeof action !== 'string' || !/^sts:/i.test(action),
      );
      if (notSts) return 'AssumeRole policy may only specify STS AssumeRole actions.';
    }
  }
  return undefined;
}

/** The document, parsed; MalformedPolicyDocument when IAM would refuse it. */
export function readPolicyDocument(text: string, kind: PolicyKind): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformedPolicyDocument('This policy contains invalid Json');
  }
  if (!isObject(parsed)) throw malformedPolicyDocument(SYNTAX);
  if (
    parsed.Version !== undefined &&
    (typeof parsed.Version !== 'string' || !VERSIONS.has(parsed.Version))
  )
    throw malformedPolicyDocument('The policy failed legacy parsing');
  const { Statement: statement } = parsed;
  if (statement === undefined || statement === null) throw malformedPolicyDocument(SYNTAX);
  const statements = Array.isArray(statement) ? statement : [statement];
  const shape = shapeError(statements, kind);
  if (shape) throw malformedPolicyDocument(shape);
  try {
    validatePolicy({
      label: 'the policy',
      kind: kind === 'identity' ? 'identity' : 'resource',
      document: parsed,
    });
  } catch {
    throw malformedPolicyDocument(SYNTAX);
  }
  return parsed;
}

/** IAM counts a policy's size without its whitespace. */
export const policySize = (text: string): number => text.replace(/\s/g, '').length;

/** IAM's quotas on policy sizes, and the words it refuses a larger one with. */
export function checkPolicySize(text: string, kind: 'managed' | 'trust'): void {
  const size = policySize(text);
  if (kind === 'managed' && size > 6144)
    throw limitExceeded('Cannot exceed quota for PolicySize: 6144');
  if (kind === 'trust' && size > 2048)
    throw limitExceeded('Cannot exceed quota for ACLSizePerRole: 2048');
}
