import { matchesFilterPolicy } from '../../../src/services/sns/sns-filter-policy';

/**
 * SNS filter policies, specified by the examples of the SNS developer guide ("Amazon SNS
 * message filtering": example filter policies, string and numeric value matching, key matching,
 * AND/OR logic), for both scopes.
 */

type Attributes = Record<string, { DataType: string; StringValue?: string }>;

const string = (value: string) => ({ DataType: 'String', StringValue: value });
const number = (value: string) => ({ DataType: 'Number', StringValue: value });
const stringArray = (values: unknown[]) => ({
  DataType: 'String.Array',
  StringValue: JSON.stringify(values),
});

const byAttributes = (policy: Record<string, unknown>, attributes: Attributes): boolean =>
  matchesFilterPolicy(policy, 'MessageAttributes', { body: 'ignored', attributes });

const byBody = (policy: Record<string, unknown>, body: unknown): boolean =>
  matchesFilterPolicy(policy, 'MessageBody', { body: JSON.stringify(body), attributes: {} });

describe('the example filter policies of the guide', () => {
  // The example message: a customer transaction.
  const transaction: Attributes = {
    customer_interests: stringArray(['soccer', 'rugby', 'hockey']),
    store: string('example_corp'),
    event: string('order_placed'),
    price_usd: number('210.75'),
  };

  it('accepts the transaction with the policy whose every key matches', () => {
    const policy = {
      store: ['example_corp'],
      event: [{ 'anything-but': 'order_cancelled' }],
      customer_interests: ['rugby', 'football', 'baseball'],
      price_usd: [{ numeric: ['>=', 100] }],
    };
    expect(byAttributes(policy, transaction)).toBe(true);
  });

  it('rejects the transaction with the policy naming an attribute it lacks', () => {
    const policy = {
      store: ['example_corp'],
      event: ['order_cancelled'],
      encrypted: [false],
      customer_interests: ['basketball', 'baseball'],
    };
    expect(byAttributes(policy, transaction)).toBe(false);
  });
});

describe('string matching', () => {
  const policy = { customer_interests: ['rugby', 'tennis'] };

  it('matches a String attribute equal to one of the values', () => {
    expect(byAttributes(policy, { customer_interests: string('rugby') })).toBe(true);
    expect(byAttributes(policy, { customer_interests: string('tennis') })).toBe(true);
  });

  it('matches a String.Array attribute when one element is one of the values', () => {
    expect(byAttributes(policy, { customer_interests: stringArray(['rugby', 'tennis']) })).toBe(
      true,
    );
  });

  it('does not match other values', () => {
    expect(byAttributes(policy, { customer_interests: string('baseball') })).toBe(false);
    expect(byAttributes(policy, { customer_interests: stringArray(['baseball']) })).toBe(false);
  });

  it('matches a body property equal to one of the values', () => {
    expect(byBody(policy, { customer_interests: 'rugby' })).toBe(true);
    expect(byBody(policy, { customer_interests: 'baseball' })).toBe(false);
  });

  it('is case-sensitive', () => {
    expect(byAttributes(policy, { customer_interests: string('Rugby') })).toBe(false);
  });

  it('matches a prefix', () => {
    const prefix = { customer_interests: [{ prefix: 'bas' }] };
    expect(byAttributes(prefix, { customer_interests: string('baseball') })).toBe(true);
    expect(byAttributes(prefix, { customer_interests: string('basketball') })).toBe(true);
    expect(byAttributes(prefix, { customer_interests: string('rugby') })).toBe(false);
  });

  it('matches a suffix', () => {
    const suffix = { customer_interests: [{ suffix: 'ball' }] };
    expect(byAttributes(suffix, { customer_interests: string('baseball') })).toBe(true);
    expect(byAttributes(suffix, { customer_interests: string('rugby') })).toBe(false);
  });

  it('matches ignoring case with equals-ignore-case', () => {
    const ignoringCase = { customer_interests: [{ 'equals-ignore-case': 'tennis' }] };
    expect(byAttributes(ignoringCase, { customer_interests: string('TENNIS') })).toBe(true);
    expect(byAttributes(ignoringCase, { customer_interests: string('Tennis') })).toBe(true);
    expect(byAttributes(ignoringCase, { customer_interests: string('rugby') })).toBe(false);
  });

  it('matches anything but the values listed', () => {
    const anythingBut = { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] };
    expect(byAttributes(anythingBut, { customer_interests: string('baseball') })).toBe(true);
    expect(byAttributes(anythingBut, { customer_interests: string('football') })).toBe(true);
    expect(byAttributes(anythingBut, { customer_interests: string('rugby') })).toBe(false);
  });

  it('matches a String.Array with anything-but only when none of its elements is listed', () => {
    const anythingBut = { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] };
    expect(byAttributes(anythingBut, { customer_interests: stringArray(['baseball']) })).toBe(true);
    expect(
      byAttributes(anythingBut, { customer_interests: stringArray(['rugby', 'baseball']) }),
    ).toBe(false);
  });

  it('matches anything but a prefix', () => {
    const policy = { event: [{ 'anything-but': { prefix: 'order-' } }] };
    expect(byAttributes(policy, { event: string('data-entry') })).toBe(true);
    expect(byAttributes(policy, { event: string('order_number') })).toBe(true);
    expect(byAttributes(policy, { event: string('order-cancelled') })).toBe(false);
  });

  it('matches an IP address within a CIDR block', () => {
    const policy = { source_ip: [{ cidr: '10.0.0.0/24' }] };
    expect(byAttributes(policy, { source_ip: string('10.0.0.0') })).toBe(true);
    expect(byAttributes(policy, { source_ip: string('10.0.0.255') })).toBe(true);
    expect(byAttributes(policy, { source_ip: string('10.1.1.0') })).toBe(false);
  });
});

describe('numeric matching', () => {
  it('matches an equal number, whatever its notation', () => {
    const policy = { price_usd: [{ numeric: ['=', 301.5] }] };
    expect(byAttributes(policy, { price_usd: number('301.5') })).toBe(true);
    expect(byAttributes(policy, { price_usd: number('3.015e2') })).toBe(true);
    expect(byBody(policy, { price_usd: 3.015e2 })).toBe(true);
  });

  it('matches anything but the numbers listed', () => {
    const policy = { price: [{ 'anything-but': [100, 500] }] };
    expect(byAttributes(policy, { price: number('101') })).toBe(true);
    expect(byAttributes(policy, { price: number('100.1') })).toBe(true);
    expect(byAttributes(policy, { price: number('100') })).toBe(false);
  });

  it('matches a body array with anything-but when one of its numbers is not listed', () => {
    const policy = { price: [{ 'anything-but': [100, 500] }] };
    expect(byBody(policy, { price: [100, 50] })).toBe(true);
    expect(byBody(policy, { price: 100 })).toBe(false);
  });

  it('matches a range', () => {
    const positiveUpTo150 = { price_usd: [{ numeric: ['>', 0, '<=', 150] }] };
    expect(byAttributes(positiveUpTo150, { price_usd: number('150') })).toBe(true);
    expect(byAttributes(positiveUpTo150, { price_usd: number('0.01') })).toBe(true);
    expect(byAttributes(positiveUpTo150, { price_usd: number('0') })).toBe(false);
    expect(byAttributes(positiveUpTo150, { price_usd: number('150.5') })).toBe(false);
  });

  it('matches negative numbers with a less-than bound', () => {
    const negative = { price_usd: [{ numeric: ['<', 0] }] };
    expect(byAttributes(negative, { price_usd: number('-1') })).toBe(true);
    expect(byAttributes(negative, { price_usd: number('1') })).toBe(false);
  });

  it('does not compare a String attribute numerically', () => {
    const policy = { price_usd: [{ numeric: ['>', 0] }] };
    expect(byAttributes(policy, { price_usd: string('10') })).toBe(false);
  });
});

describe('key matching', () => {
  const interests = stringArray(['baseball', 'basketball']);

  it('matches a present key with "exists": true', () => {
    const policy = { store: [{ exists: true }] };
    expect(byAttributes(policy, { store: string('fans'), customer_interests: interests })).toBe(
      true,
    );
    expect(byAttributes(policy, { customer_interests: interests })).toBe(false);
    expect(byBody(policy, { store: 'fans', customer_interests: ['baseball'] })).toBe(true);
    expect(byBody(policy, { customer_interests: ['baseball'] })).toBe(false);
  });

  it('matches an absent key with "exists": false', () => {
    const policy = { store: [{ exists: false }] };
    expect(byAttributes(policy, { customer_interests: interests })).toBe(true);
    expect(byAttributes(policy, { store: string('fans'), customer_interests: interests })).toBe(
      false,
    );
    expect(byBody(policy, { customer_interests: ['baseball'] })).toBe(true);
  });

  it('does not match "exists": false when the message has no attributes at all', () => {
    expect(byAttributes({ store: [{ exists: false }] }, {})).toBe(false);
  });
});

describe('AND/OR logic', () => {
  it('requires every key to match', () => {
    const policy = { customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] };
    expect(
      byAttributes(policy, { customer_interests: string('rugby'), price_usd: number('101') }),
    ).toBe(true);
    expect(
      byAttributes(policy, { customer_interests: string('rugby'), price_usd: number('99') }),
    ).toBe(false);
  });

  it('matches either branch of an $or', () => {
    const policy = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    };
    const cloudwatch = string('aws.cloudwatch');
    expect(byAttributes(policy, { source: cloudwatch, metricName: string('CPUUtilization') })).toBe(
      true,
    );
    expect(byAttributes(policy, { source: cloudwatch, namespace: string('AWS/EC2') })).toBe(true);
    expect(byAttributes(policy, { source: cloudwatch, namespace: string('AWS/RDS') })).toBe(false);
  });

  it('treats an $or whose branches use reserved keywords as an ordinary key', () => {
    const policy = { $or: [{ numeric: 123 }, { prefix: 'abc' }] };
    expect(byAttributes(policy, { other: string('abc') })).toBe(false);
  });
});

describe('message body scope', () => {
  it('follows nested policies into nested properties', () => {
    const policy = { store: { location: ['downtown'], size: [{ numeric: ['>=', 10] }] } };
    expect(byBody(policy, { store: { location: 'downtown', size: 12 } })).toBe(true);
    expect(byBody(policy, { store: { location: 'uptown', size: 12 } })).toBe(false);
  });

  it('matches an $or nested in a property', () => {
    const policy = { order: { $or: [{ kind: ['rush'] }, { total: [{ numeric: ['>', 500] }] }] } };
    expect(byBody(policy, { order: { kind: 'rush', total: 1 } })).toBe(true);
    expect(byBody(policy, { order: { kind: 'normal', total: 900 } })).toBe(true);
    expect(byBody(policy, { order: { kind: 'normal', total: 9 } })).toBe(false);
  });

  it('matches booleans and null literally', () => {
    expect(byBody({ encrypted: [false] }, { encrypted: false })).toBe(true);
    expect(byBody({ encrypted: [false] }, { encrypted: true })).toBe(false);
    expect(byBody({ parent: [null] }, { parent: null })).toBe(true);
  });

  it('does not match a body that is not a JSON object', () => {
    expect(
      matchesFilterPolicy({ a: ['b'] }, 'MessageBody', { body: 'plain text', attributes: {} }),
    ).toBe(false);
  });

  it('ignores the message attributes', () => {
    expect(
      matchesFilterPolicy({ type: ['created'] }, 'MessageBody', {
        body: '{"other":1}',
        attributes: { type: string('created') },
      }),
    ).toBe(false);
  });
});

it('accepts every message with an empty policy', () => {
  expect(byAttributes({}, {})).toBe(true);
});
