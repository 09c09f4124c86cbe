import {
  evaluateCondition,
  parseConditionBlock,
  resolvePolicyVariables,
  conditionKeyLookup,
} from '../../src/iam/condition-operators';
import type { ConditionOutcome } from '../../src/iam/condition-operators';
import { wildcardMatch } from '../../src/iam/wildcard-match';
import type { Json } from '../../src/json';

/**
 * IAM's Condition element, specified by the examples of the IAM User Guide ("IAM JSON policy
 * elements: Condition operators", "Set operators for multivalued context keys", "Policy
 * variables"): one block at a time, against a request's condition keys.
 */

type Keys = Record<string, string | string[]>;
type ConditionBlock = { [operator: string]: { [key: string]: Json } };

const WHERE = 'test policy: statement 1';

function condition(block: ConditionBlock, keys: Keys, variables = true): ConditionOutcome {
  return evaluateCondition(block, keys, { where: WHERE, variables });
}

const holds = (block: ConditionBlock, keys: Keys): boolean => condition(block, keys).matches;

describe('string operators', () => {
  const jobCategory: ConditionBlock = {
    StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' },
  };

  it('StringEquals holds for the exact value', () => {
    expect(holds(jobCategory, { 'aws:PrincipalTag/job-category': 'iamuser-admin' })).toBe(true);
  });

  it('StringEquals is case-sensitive', () => {
    expect(holds(jobCategory, { 'aws:PrincipalTag/job-category': 'IAMUser-Admin' })).toBe(false);
  });

  it('StringNotEquals holds for a value that equals none of the values', () => {
    const block = { StringNotEquals: { 'aws:PrincipalTag/job-category': ['iamuser-admin', 'x'] } };
    expect(holds(block, { 'aws:PrincipalTag/job-category': 'developer' })).toBe(true);
    expect(holds(block, { 'aws:PrincipalTag/job-category': 'iamuser-admin' })).toBe(false);
  });

  it('StringEqualsIgnoreCase ignores case', () => {
    const block = { StringEqualsIgnoreCase: { 'aws:username': 'johndoe' } };
    expect(holds(block, { 'aws:username': 'JohnDoe' })).toBe(true);
    expect(holds(block, { 'aws:username': 'janedoe' })).toBe(false);
  });

  it('StringNotEqualsIgnoreCase ignores case too', () => {
    const block = { StringNotEqualsIgnoreCase: { 'aws:username': 'johndoe' } };
    expect(holds(block, { 'aws:username': 'janedoe' })).toBe(true);
    expect(holds(block, { 'aws:username': 'JOHNDOE' })).toBe(false);
  });

  it('StringLike matches the home/${aws:username}/* example of the guide', () => {
    // Given the guide's ListBucket condition on s3:prefix, for user johndoe
    const block = { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/*'] } };
    const johndoe = { 'aws:username': 'johndoe' };

    // Then his own folder, the home folder and the root match; another user's folder does not
    expect(holds(block, { ...johndoe, 's3:prefix': 'home/johndoe/photos/' })).toBe(true);
    expect(holds(block, { ...johndoe, 's3:prefix': 'home/' })).toBe(true);
    expect(holds(block, { ...johndoe, 's3:prefix': '' })).toBe(true);
    expect(holds(block, { ...johndoe, 's3:prefix': 'home/janedoe/' })).toBe(false);
  });

  it('StringLike uses ? for exactly one character', () => {
    const block = { StringLike: { 'ec2:InstanceType': 't?.micro' } };
    expect(holds(block, { 'ec2:InstanceType': 't2.micro' })).toBe(true);
    expect(holds(block, { 'ec2:InstanceType': 't.micro' })).toBe(false);
  });

  it('StringNotLike holds for a value that matches none of the patterns', () => {
    const block = { StringNotLike: { 's3:prefix': ['home/*', 'private/*'] } };
    expect(holds(block, { 's3:prefix': 'public/index.html' })).toBe(true);
    expect(holds(block, { 's3:prefix': 'home/johndoe/' })).toBe(false);
  });
});

describe('numeric operators', () => {
  it('NumericLessThanEquals holds for s3:max-keys up to 10, as in the guide', () => {
    const block = { NumericLessThanEquals: { 's3:max-keys': '10' } };
    expect(holds(block, { 's3:max-keys': '10' })).toBe(true);
    expect(holds(block, { 's3:max-keys': '11' })).toBe(false);
  });

  it('NumericEquals compares numbers, not spellings', () => {
    const block = { NumericEquals: { 's3:max-keys': 10 } };
    expect(holds(block, { 's3:max-keys': '10.0' })).toBe(true);
    expect(holds(block, { 's3:max-keys': '9' })).toBe(false);
  });

  it('NumericNotEquals holds for a number equal to none of the values', () => {
    const block = { NumericNotEquals: { 's3:max-keys': ['10', '20'] } };
    expect(holds(block, { 's3:max-keys': '15' })).toBe(true);
    expect(holds(block, { 's3:max-keys': '20' })).toBe(false);
  });

  it('NumericLessThan is strict', () => {
    const block = { NumericLessThan: { 's3:max-keys': '10' } };
    expect(holds(block, { 's3:max-keys': '9.5' })).toBe(true);
    expect(holds(block, { 's3:max-keys': '10' })).toBe(false);
  });

  it('NumericGreaterThan is strict', () => {
    const block = { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '3600' } };
    expect(holds(block, { 'aws:MultiFactorAuthAge': '3601' })).toBe(true);
    expect(holds(block, { 'aws:MultiFactorAuthAge': '3600' })).toBe(false);
  });

  it('NumericGreaterThanEquals includes the bound', () => {
    const block = { NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': '3600' } };
    expect(holds(block, { 'aws:MultiFactorAuthAge': '3600' })).toBe(true);
    expect(holds(block, { 'aws:MultiFactorAuthAge': '-1' })).toBe(false);
  });

  it('is false, even negated, when a value is not a number', () => {
    expect(holds({ NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': 'ten' })).toBe(
      false,
    );
    expect(holds({ NumericNotEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': 'ten' })).toBe(
      false,
    );
    expect(holds({ NumericEquals: { 's3:max-keys': 'ten' } }, { 's3:max-keys': '10' })).toBe(false);
  });
});

describe('date operators', () => {
  // The guide's example: access only between April 1 and June 30, 2020 (UTC).
  const window: ConditionBlock = {
    DateGreaterThan: { 'aws:CurrentTime': '2020-04-01T00:00:00Z' },
    DateLessThan: { 'aws:CurrentTime': '2020-06-30T23:59:59Z' },
  };

  it('DateGreaterThan and DateLessThan hold inside the window', () => {
    expect(holds(window, { 'aws:CurrentTime': '2020-05-15T12:00:00Z' })).toBe(true);
  });

  it('DateGreaterThan does not hold before the window', () => {
    expect(holds(window, { 'aws:CurrentTime': '2020-03-31T23:59:59Z' })).toBe(false);
  });

  it('DateLessThan does not hold after the window', () => {
    expect(holds(window, { 'aws:CurrentTime': '2020-07-01T00:00:00Z' })).toBe(false);
  });

  it('DateEquals compares instants, whatever the zone or the notation', () => {
    const block = { DateEquals: { 'aws:TokenIssueTime': '2020-01-01T01:00:00+01:00' } };
    expect(holds(block, { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' })).toBe(true);
    expect(holds(block, { 'aws:TokenIssueTime': '1577836800' })).toBe(true);
    expect(holds(block, { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' })).toBe(false);
  });

  it('DateNotEquals holds for another instant', () => {
    const block = { DateNotEquals: { 'aws:TokenIssueTime': '2020-01-01' } };
    expect(holds(block, { 'aws:TokenIssueTime': '2020-01-02T00:00:00Z' })).toBe(true);
    expect(holds(block, { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' })).toBe(false);
  });

  it('DateLessThanEquals includes the bound', () => {
    const block = { DateLessThanEquals: { 'aws:EpochTime': '1577836800' } };
    expect(holds(block, { 'aws:EpochTime': '1577836800' })).toBe(true);
    expect(holds(block, { 'aws:EpochTime': '1577836801' })).toBe(false);
  });

  it('DateGreaterThanEquals includes the bound', () => {
    const block = { DateGreaterThanEquals: { 'aws:CurrentTime': '2020-04-01T00:00:00.000Z' } };
    expect(holds(block, { 'aws:CurrentTime': '2020-04-01T00:00:00Z' })).toBe(true);
    expect(holds(block, { 'aws:CurrentTime': '2020-03-31T23:59:59.999Z' })).toBe(false);
  });

  it('is false, even negated, when a value is not a date', () => {
    expect(holds(window, { 'aws:CurrentTime': 'May 15, 2020' })).toBe(false);
    expect(
      holds({ DateNotEquals: { 'aws:CurrentTime': '2020-02-30' } }, { 'aws:CurrentTime': '0' }),
    ).toBe(false);
  });
});

describe('Bool', () => {
  const insecure: ConditionBlock = { Bool: { 'aws:SecureTransport': 'false' } };

  it("holds for a request over plain HTTP in the guide's TLS-only example", () => {
    expect(holds(insecure, { 'aws:SecureTransport': 'false' })).toBe(true);
  });

  it('does not hold for a request over TLS', () => {
    expect(holds(insecure, { 'aws:SecureTransport': 'true' })).toBe(false);
  });

  it('accepts a JSON boolean as the value', () => {
    expect(
      holds({ Bool: { 'aws:SecureTransport': false } }, { 'aws:SecureTransport': 'false' }),
    ).toBe(true);
  });
});

describe('BinaryEquals', () => {
  const block: ConditionBlock = { BinaryEquals: { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } };

  it('holds for the same bytes, base64-encoded', () => {
    expect(holds(block, { key: Buffer.from('BinaryValueInBase64').toString('base64') })).toBe(true);
  });

  it('does not hold for other bytes', () => {
    expect(holds(block, { key: Buffer.from('OtherValue').toString('base64') })).toBe(false);
  });
});

describe('IP address operators', () => {
  // The guide's example: requests from 203.0.113.0/24 or 2001:DB8:1234:5678::/64 only.
  const fromCorporate: ConditionBlock = {
    IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] },
  };

  it('IpAddress holds for an IPv4 address inside the range', () => {
    expect(holds(fromCorporate, { 'aws:SourceIp': '203.0.113.77' })).toBe(true);
  });

  it('IpAddress does not hold for an IPv4 address outside the range', () => {
    expect(holds(fromCorporate, { 'aws:SourceIp': '203.0.114.1' })).toBe(false);
  });

  it('IpAddress holds for an IPv6 address inside the range', () => {
    expect(holds(fromCorporate, { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' })).toBe(true);
    expect(holds(fromCorporate, { 'aws:SourceIp': '2001:db8:1234:5679::1' })).toBe(false);
  });

  it('IpAddress reads an IPv4-mapped IPv6 address (as Node reports IPv4 clients) as IPv4', () => {
    expect(holds(fromCorporate, { 'aws:SourceIp': '::ffff:203.0.113.9' })).toBe(true);
  });

  it('IpAddress takes an address without a prefix as that single address', () => {
    const block = { IpAddress: { 'aws:SourceIp': '127.0.0.1' } };
    expect(holds(block, { 'aws:SourceIp': '127.0.0.1' })).toBe(true);
    expect(holds(block, { 'aws:SourceIp': '127.0.0.2' })).toBe(false);
  });

  it('NotIpAddress holds for an address outside every range', () => {
    const block = { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } };
    expect(holds(block, { 'aws:SourceIp': '198.51.100.1' })).toBe(true);
    expect(holds(block, { 'aws:SourceIp': '192.0.2.10' })).toBe(false);
  });

  it('is false when the address does not parse', () => {
    expect(holds(fromCorporate, { 'aws:SourceIp': '203.0.113' })).toBe(false);
  });
});

describe('ARN operators', () => {
  const topic = 'arn:aws:sns:us-east-1:123456789012:TOPIC-ID';

  it("ArnEquals holds for the SNS topic of the guide's queue policy", () => {
    const block = { ArnEquals: { 'aws:SourceArn': topic } };
    expect(holds(block, { 'aws:SourceArn': topic })).toBe(true);
    expect(holds(block, { 'aws:SourceArn': `${topic}-2` })).toBe(false);
  });

  it('ArnLike matches each of the six parts with wildcards', () => {
    const block = { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:*' } };
    expect(holds(block, { 'aws:SourceArn': topic })).toBe(true);
    expect(holds(block, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:210987654321:TOPIC-ID' })).toBe(
      false,
    );
  });

  it('ArnLike lets the last part hold colons', () => {
    const block = {
      ArnLike: { 'aws:SourceArn': 'arn:aws:lambda:us-east-1:123456789012:function:*' },
    };
    expect(
      holds(block, { 'aws:SourceArn': 'arn:aws:lambda:us-east-1:123456789012:function:f:live' }),
    ).toBe(true);
  });

  it('ArnLike does not match a value that is not an ARN', () => {
    const block = { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } };
    expect(holds(block, { 'aws:SourceArn': 'amzn-s3-demo-bucket' })).toBe(false);
  });

  it('ArnNotEquals holds for another ARN', () => {
    const block = { ArnNotEquals: { 'aws:SourceArn': topic } };
    expect(holds(block, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:OTHER' })).toBe(
      true,
    );
    expect(holds(block, { 'aws:SourceArn': topic })).toBe(false);
  });

  it('ArnNotLike holds for an ARN that matches none of the patterns', () => {
    const block = { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin-*' } };
    expect(holds(block, { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/app' })).toBe(true);
    expect(holds(block, { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/admin-1' })).toBe(
      false,
    );
  });
});

describe('Null', () => {
  it('"true" holds when the key is absent (no temporary credentials: no aws:TokenIssueTime)', () => {
    const block = { Null: { 'aws:TokenIssueTime': 'true' } };
    expect(holds(block, {})).toBe(true);
    expect(holds(block, { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' })).toBe(false);
  });

  it('"false" holds when the key is present', () => {
    const block = { Null: { 'aws:TokenIssueTime': false } };
    expect(holds(block, { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' })).toBe(true);
    expect(holds(block, {})).toBe(false);
  });
});

describe('a key missing from the request', () => {
  it('makes a positive operator false', () => {
    expect(holds({ StringEquals: { 'aws:PrincipalTag/team': 'blue' } }, {})).toBe(false);
  });

  it('makes a negated operator true', () => {
    expect(holds({ StringNotLike: { 'aws:PrincipalTag/team': 'blue*' } }, {})).toBe(true);
    expect(holds({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } }, {})).toBe(true);
  });

  it('makes an …IfExists operator true', () => {
    // Given the guide's example: if the request names an instance type, it must be t1, t2 or m3
    const block = { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } };

    expect(holds(block, {})).toBe(true);
    expect(holds(block, { 'ec2:InstanceType': 't2.micro' })).toBe(true);
    expect(holds(block, { 'ec2:InstanceType': 'm4.large' })).toBe(false);
  });
});

describe('…IfExists on other operators', () => {
  it('applies the operator when the key is present', () => {
    const block = { NumericLessThanEqualsIfExists: { 's3:max-keys': '10' } };
    expect(holds(block, { 's3:max-keys': '100' })).toBe(false);
    expect(holds(block, {})).toBe(true);
  });

  it('is not supported on Null', () => {
    const outcome = condition({ NullIfExists: { 'aws:TokenIssueTime': 'true' } }, {});
    expect(outcome.unsupported).toBe('NullIfExists');
  });
});

describe('multivalued keys', () => {
  // The guide's dynamodb:Attributes examples.
  const onlyThese: ConditionBlock = {
    'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['ID', 'Message', 'Tags'] },
  };
  const anyOfThese: ConditionBlock = {
    'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['ID', 'PostDateTime'] },
  };

  it('ForAllValues holds when every requested value is one of the values', () => {
    expect(holds(onlyThese, { 'dynamodb:Attributes': ['ID', 'Message'] })).toBe(true);
  });

  it('ForAllValues does not hold when one requested value is not one of the values', () => {
    expect(holds(onlyThese, { 'dynamodb:Attributes': ['ID', 'Secret'] })).toBe(false);
  });

  it('ForAllValues holds when the key is absent or empty', () => {
    expect(holds(onlyThese, {})).toBe(true);
    expect(holds(onlyThese, { 'dynamodb:Attributes': [] })).toBe(true);
  });

  it('ForAnyValue holds when at least one requested value is one of the values', () => {
    expect(holds(anyOfThese, { 'dynamodb:Attributes': ['Secret', 'PostDateTime'] })).toBe(true);
  });

  it('ForAnyValue does not hold when no requested value is one of the values, or none is sent', () => {
    expect(holds(anyOfThese, { 'dynamodb:Attributes': ['Secret'] })).toBe(false);
    expect(holds(anyOfThese, {})).toBe(false);
  });

  it('ForAllValues with a negated operator holds when no requested value is excluded', () => {
    const block = { 'ForAllValues:StringNotLike': { 'aws:TagKeys': ['aws:*', 'secret*'] } };
    expect(holds(block, { 'aws:TagKeys': ['team', 'owner'] })).toBe(true);
    expect(holds(block, { 'aws:TagKeys': ['team', 'secret-level'] })).toBe(false);
  });

  it('without a qualifier, a positive operator holds when any requested value matches', () => {
    const block = { StringEquals: { 'aws:TagKeys': 'team' } };
    expect(holds(block, { 'aws:TagKeys': ['owner', 'team'] })).toBe(true);
  });

  it('without a qualifier, a negated operator holds only when no requested value matches', () => {
    const block = { StringNotEquals: { 'aws:TagKeys': 'team' } };
    expect(holds(block, { 'aws:TagKeys': ['owner', 'team'] })).toBe(false);
    expect(holds(block, { 'aws:TagKeys': ['owner'] })).toBe(true);
  });
});

describe('combining', () => {
  it('ANDs the operators of a block', () => {
    const block = {
      IpAddress: { 'aws:SourceIp': '54.240.143.0/24' },
      NotIpAddress: { 'aws:SourceIp': '54.240.143.188/32' },
    };
    expect(holds(block, { 'aws:SourceIp': '54.240.143.1' })).toBe(true);
    expect(holds(block, { 'aws:SourceIp': '54.240.143.188' })).toBe(false);
  });

  it('ANDs the keys of an operator', () => {
    const block = {
      StringEquals: { 'aws:PrincipalTag/team': 'blue', 'aws:RequestedRegion': 'us-east-1' },
    };
    expect(
      holds(block, { 'aws:PrincipalTag/team': 'blue', 'aws:RequestedRegion': 'us-east-1' }),
    ).toBe(true);
    expect(
      holds(block, { 'aws:PrincipalTag/team': 'blue', 'aws:RequestedRegion': 'eu-west-1' }),
    ).toBe(false);
  });

  it('ORs the values of a key', () => {
    const block = { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } };
    expect(holds(block, { 'aws:RequestedRegion': 'eu-west-1' })).toBe(true);
  });

  it('holds for an empty or absent block', () => {
    expect(holds({}, {})).toBe(true);
    expect(evaluateCondition(undefined, {}, { where: WHERE, variables: true }).matches).toBe(true);
  });
});

describe('condition key names', () => {
  it('are case-insensitive', () => {
    // Given a policy spelling the key AWS:SourceIP and a request spelling it aws:SourceIp
    const block = { IpAddress: { 'AWS:SourceIP': '203.0.113.0/24' } };

    expect(holds(block, { 'aws:SourceIp': '203.0.113.1' })).toBe(true);
  });

  it('are case-insensitive in policy variables too', () => {
    const block = { StringEquals: { 's3:prefix': 'home/${AWS:UserName}/' } };
    expect(holds(block, { 'aws:username': 'johndoe', 's3:prefix': 'home/johndoe/' })).toBe(true);
  });
});

describe('values are case-sensitive except in …IgnoreCase', () => {
  it('does not match StringLike across case', () => {
    expect(holds({ StringLike: { 's3:prefix': 'Home/*' } }, { 's3:prefix': 'home/x' })).toBe(false);
  });
});

describe('policy variables in values', () => {
  it("substitutes the request's key", () => {
    const block = { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } };
    expect(holds(block, { 'aws:username': 'johndoe', 'aws:ResourceTag/owner': 'johndoe' })).toBe(
      true,
    );
    expect(holds(block, { 'aws:username': 'janedoe', 'aws:ResourceTag/owner': 'johndoe' })).toBe(
      false,
    );
  });

  it('makes a value with a missing key match nothing', () => {
    const block = { StringLike: { 's3:prefix': 'home/${aws:username}/*' } };
    expect(holds(block, { 's3:prefix': 'home/${aws:username}/x' })).toBe(false);
  });

  it('uses the default value of a variable whose key is missing', () => {
    const block = {
      StringEquals: { 'aws:ResourceTag/team': "${aws:PrincipalTag/team, 'company-wide'}" },
    };
    expect(holds(block, { 'aws:ResourceTag/team': 'company-wide' })).toBe(true);
    expect(holds(block, { 'aws:ResourceTag/team': 'blue', 'aws:PrincipalTag/team': 'blue' })).toBe(
      true,
    );
  });

  it('is plain text when the document predates Version 2012-10-17', () => {
    const block = { StringEquals: { 's3:prefix': 'home/${aws:username}/' } };
    const keys = { 'aws:username': 'johndoe' };
    expect(condition(block, { ...keys, 's3:prefix': 'home/johndoe/' }, false).matches).toBe(false);
    expect(condition(block, { ...keys, 's3:prefix': 'home/${aws:username}/' }, false).matches).toBe(
      true,
    );
  });

  it('reads ${*} and ${?} as the characters themselves, not as wildcards', () => {
    const block = { StringLike: { 's3:prefix': 'a${*}b${?}' } };
    expect(holds(block, { 's3:prefix': 'a*b?' })).toBe(true);
    expect(holds(block, { 's3:prefix': 'axxbc' })).toBe(false);
  });

  it('reads ${$} as a dollar sign', () => {
    const pieces = resolvePolicyVariables('price-${$}{x}', conditionKeyLookup({}));
    expect(pieces?.map((piece) => piece.text).join('')).toBe('price-${x}');
  });

  it('does not make a substituted value a wildcard', () => {
    const block = { StringLike: { 's3:prefix': 'home/${aws:username}' } };
    expect(holds(block, { 'aws:username': '*', 's3:prefix': 'home/johndoe' })).toBe(false);
  });
});

describe('operators the engine does not know', () => {
  it('are reported, not passed', () => {
    const outcome = condition(
      { StringMatchesRegex: { 'aws:username': '^j.*' } },
      {
        'aws:username': 'johndoe',
      },
    );
    expect(outcome).toEqual({ matches: true, unsupported: 'StringMatchesRegex' });
  });

  it('include an unknown set qualifier', () => {
    const outcome = condition({ 'ForAnyValues:StringEquals': { 'aws:TagKeys': 'team' } }, {});
    expect(outcome.unsupported).toBe('ForAnyValues:StringEquals');
  });

  it('include a misspelled case of a known operator', () => {
    const outcome = condition({ stringequals: { 'aws:username': 'johndoe' } }, {});
    expect(outcome.unsupported).toBe('stringequals');
  });

  it('do not hide that another clause of the block is false', () => {
    const outcome = condition(
      {
        StringMatchesRegex: { 'aws:username': '^j.*' },
        StringEquals: { 'aws:username': 'janedoe' },
      },
      { 'aws:username': 'johndoe' },
    );
    expect(outcome).toEqual({ matches: false, unsupported: 'StringMatchesRegex' });
  });
});

describe('malformed blocks', () => {
  it('throw an error naming where the block is', () => {
    expect(() => parseConditionBlock('StringEquals', WHERE)).toThrow(
      'test policy: statement 1: Condition must be an object',
    );
  });

  it('throw when a value is an object', () => {
    expect(() => parseConditionBlock({ StringEquals: { key: { nested: 'x' } } }, WHERE)).toThrow(
      /test policy: statement 1/,
    );
  });
});

describe('wildcardMatch', () => {
  it('matches any run of characters, also none, with *', () => {
    expect(wildcardMatch('home/*', 'home/')).toBe(true);
    expect(wildcardMatch('home/*', 'home/a/b/c')).toBe(true);
    expect(wildcardMatch('*/test/*', 'a/b/test/c')).toBe(true);
  });

  it('matches exactly one character with ?', () => {
    expect(wildcardMatch('exampleobject_?.png', 'exampleobject_1.png')).toBe(true);
    expect(wildcardMatch('exampleobject_?.png', 'exampleobject_.png')).toBe(false);
    expect(wildcardMatch('exampleobject_?.png', 'exampleobject_12.png')).toBe(false);
  });

  it('takes every other character literally, regular-expression syntax included', () => {
    expect(wildcardMatch('a.b', 'axb')).toBe(false);
    expect(wildcardMatch('(a|b)+[c]', '(a|b)+[c]')).toBe(true);
    expect(wildcardMatch('^x$', 'x')).toBe(false);
  });

  it('matches the whole value, not a part of it', () => {
    expect(wildcardMatch('bucket', 'my-bucket')).toBe(false);
  });

  it('ignores case when asked', () => {
    expect(wildcardMatch('S3:get*', 's3:GetObject', { ignoreCase: true })).toBe(true);
    expect(wildcardMatch('S3:get*', 's3:GetObject')).toBe(false);
  });

  it('decides patterns with many stars against long values (no backtracking blow-up)', () => {
    const value = `${'a'.repeat(5000)}b`;
    expect(wildcardMatch(`${'*a'.repeat(50)}*c`, value)).toBe(false);
  });
});
