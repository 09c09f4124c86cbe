/**
 * The memo of IAM decisions: a repeated call is answered without reading the policies again, and
 * never with a decision the policies would no longer make, because a decision is reused only when
 * every condition key its evaluation read has the same values (the time included).
 */
import type { LabelledPolicy, PolicySet, Principal } from '../../src/iam/access-types';
import type * as PolicyEvaluation from '../../src/iam/policy-evaluation';
import { DecisionMemo } from '../../src/iam/decision-memo';
import { evaluate } from '../../src/iam/policy-evaluation';

// The real evaluation, counted: the memo must not call it for a call it can answer.
jest.mock('../../src/iam/policy-evaluation', () => {
  const actual = jest.requireActual<typeof PolicyEvaluation>('../../src/iam/policy-evaluation');
  return { ...actual, evaluate: jest.fn(actual.evaluate) };
});
const evaluations = jest.mocked(evaluate);

const ACCOUNT = '111122223333';
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/items`;
const role: Principal = {
  kind: 'role',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/list-items`,
  sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/list-items/list-items`,
  accountId: ACCOUNT,
};

const policies = (statement: Record<string, unknown>): PolicySet => {
  const policy: LabelledPolicy = {
    label: 'inline policy of role list-items',
    kind: 'identity',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] },
  };
  return { identityPolicies: [policy] };
};

const query = (conditionKeys: Record<string, string> = {}) => ({
  principal: role,
  action: 'dynamodb:Query',
  resource: TABLE,
  conditionKeys,
});

beforeEach(() => {
  evaluations.mockClear();
});

it('answers a repeated call as the policies do, reading them once', () => {
  // Given a memo and a policy that allows the query
  const memo = new DecisionMemo();
  const caller = {};
  const allowing = policies({ Action: 'dynamodb:Query', Resource: TABLE });
  const policiesSay = jest
    .requireActual<typeof PolicyEvaluation>('../../src/iam/policy-evaluation')
    .evaluate(query(), allowing);

  // When the same caller makes the same call three times
  const decisions = [1, 2, 3].map(() => memo.decide(caller, query(), allowing));

  // Then each answer is the policies' answer, and the policies were read once
  expect(decisions).toEqual([policiesSay, policiesSay, policiesSay]);
  expect(evaluations).toHaveBeenCalledTimes(1);
});

it('decides again when a condition key the policy reads has another value', () => {
  // Given a policy that allows the query from one address only, decided once from it
  const memo = new DecisionMemo();
  const caller = {};
  const fromLoopback = policies({
    Action: 'dynamodb:Query',
    Resource: TABLE,
    Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.1/32' } },
  });
  expect(memo.decide(caller, query({ 'aws:SourceIp': '127.0.0.1' }), fromLoopback).effect).toBe(
    'Allow',
  );

  // When the same call comes from another address
  const elsewhere = memo.decide(caller, query({ 'aws:SourceIp': '10.0.0.7' }), fromLoopback);

  // Then it is refused, as the policy says
  expect(elsewhere.effect).toBe('ImplicitDeny');
});

it('reuses a decision whatever the keys its policy does not read', () => {
  // Given a policy without conditions, decided once
  const memo = new DecisionMemo();
  const caller = {};
  const allowing = policies({ Action: 'dynamodb:Query', Resource: TABLE });
  memo.decide(caller, query({ 'aws:CurrentTime': '2026-12-04T10:00:00Z' }), allowing);
  evaluations.mockClear();

  // When the call comes again at another time
  const later = memo.decide(caller, query({ 'aws:CurrentTime': '2026-12-04T11:00:00Z' }), allowing);

  // Then the decision is reused
  expect(later.effect).toBe('Allow');
  expect(evaluations).not.toHaveBeenCalled();
});

it('never reuses a decision whose policy reads the time', () => {
  // Given a policy that allows the query until noon, decided in the morning
  const memo = new DecisionMemo();
  const caller = {};
  const untilNoon = policies({
    Action: 'dynamodb:Query',
    Resource: TABLE,
    Condition: { DateLessThan: { 'aws:CurrentTime': '2026-12-04T12:00:00Z' } },
  });
  const morning = query({ 'aws:CurrentTime': '2026-12-04T10:00:00Z' });
  expect(memo.decide(caller, morning, untilNoon).effect).toBe('Allow');

  // When the same call comes in the afternoon
  const afternoon = query({ 'aws:CurrentTime': '2026-12-04T13:00:00Z' });

  // Then it is refused
  expect(memo.decide(caller, afternoon, untilNoon).effect).toBe('ImplicitDeny');
});

it('keeps the decisions of different callers apart', () => {
  // Given one caller allowed by its policy
  const memo = new DecisionMemo();
  const allowing = policies({ Action: 'dynamodb:Query', Resource: TABLE });
  expect(memo.decide({}, query(), allowing).effect).toBe('Allow');

  // When another caller, whose policies allow nothing, makes the same call
  const other = memo.decide({}, query(), { identityPolicies: [] });

  // Then it is refused
  expect(other.effect).toBe('ImplicitDeny');
});
