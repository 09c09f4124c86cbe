import { fillPlaceholders, placeholdersIn } from '../../stacks/lib/placeholders';

describe('placeholdersIn', () => {
  it('lists each placeholder of a template once, in order of first use', () => {
    // Given a template using one placeholder twice, when listed, then each name appears once.
    expect(placeholdersIn('${tableName} ${topicArn} ${tableName}')).toEqual([
      'tableName',
      'topicArn',
    ]);
  });

  it('ignores dollar signs that open no placeholder, such as API Gateway variables', () => {
    expect(placeholdersIn('{"message":$context.error.messageString, "p": "$.itemId"}')).toEqual([]);
  });
});

describe('fillPlaceholders', () => {
  it('replaces every occurrence of every placeholder with its value', () => {
    // Given a template and a value per placeholder, when filled, then no placeholder remains.
    const filled = fillPlaceholders(
      '{"Resource":"${functionArn}","Again":"${functionArn}","Table":"${tableName}"}',
      { functionArn: '${aws_lambda_function.f.arn}', tableName: 'items' },
      'spec document',
    );
    expect(filled).toBe(
      '{"Resource":"${aws_lambda_function.f.arn}","Again":"${aws_lambda_function.f.arn}","Table":"items"}',
    );
  });

  it('leaves a template without placeholders unchanged', () => {
    expect(fillPlaceholders('{"a":"$.b"}', {}, 'spec document')).toBe('{"a":"$.b"}');
  });

  it('throws, naming the document and the placeholder, when a placeholder has no value', () => {
    // Given a placeholder without a value, when filled, then the file and the stack have drifted.
    expect(() =>
      fillPlaceholders('${tableName} ${topicArn}', { tableName: 'items' }, 'ASL definition'),
    ).toThrow('ASL definition: no value for placeholder(s) topicArn');
  });

  it('throws, naming the value, when a value has no placeholder to fill', () => {
    expect(() =>
      fillPlaceholders('${tableName}', { tableName: 'items', topicArn: 'arn' }, 'ASL definition'),
    ).toThrow('ASL definition: value(s) for absent placeholder(s) topicArn');
  });

  it('throws on a ${ that is not a placeholder, since Terraform would evaluate it', () => {
    // Given an interpolation a placeholder name cannot spell, when filled, then it is refused.
    expect(() => fillPlaceholders('"${var.region}"', {}, 'OpenAPI document')).toThrow(
      /OpenAPI document: "\$\{var\.region\}.*" is not a placeholder, and Terraform would evaluate it/,
    );
  });

  it('throws on a ${ that is never closed', () => {
    expect(() => fillPlaceholders('"${tableName}" and "${oops', { tableName: 't' }, 'doc')).toThrow(
      /is not a placeholder/,
    );
  });

  it('throws on a %{ template directive, which Terraform would evaluate too', () => {
    expect(() => fillPlaceholders('%{ if true }yes%{ endif }', {}, 'doc')).toThrow(
      /"%\{ if true \}.*" is not a placeholder/,
    );
  });
});
