/**
 * The VTL subset of the local API Gateway: what gateway response and mock integration templates
 * of the API document use, rendered as API Gateway renders it.
 */
import fc from 'fast-check';
import apiDocument from '../../fixtures/openapi.json';
import {
  compileVtlTemplate,
  escapeJavaScript,
} from '../../../src/services/api-gateway/vtl-template';

const context = {
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  stage: 'e2e',
  error: {
    message: 'Invalid request body',
    messageString: '"Invalid request body"',
    responseType: 'BAD_REQUEST_BODY',
    validationErrorString: '[object has missing required properties (["name"])]',
  },
};

function render(template: string, variables: Record<string, unknown> = { context }): string {
  return compileVtlTemplate(template).render(variables);
}

const badRequestBodyTemplate =
  apiDocument['x-amazon-apigateway-gateway-responses'].BAD_REQUEST_BODY.responseTemplates[
    'application/json'
  ];

describe('VTL templates', () => {
  it('renders nested $context references in place', () => {
    expect(render('{"id":"$context.requestId","type":"$context.error.responseType"}')).toBe(
      '{"id":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","type":"BAD_REQUEST_BODY"}',
    );
  });

  it('renders the formal ${...} notation', () => {
    expect(render('stage-${context.stage}-x')).toBe('stage-e2e-x');
  });

  it('renders a reference without a value as written, and a quiet one as nothing', () => {
    expect(render('[$context.nothing][$!context.nothing][$!{context.nothing}]')).toBe(
      '[$context.nothing][][]',
    );
  });

  it('keeps a dollar sign that starts no reference and a dot that ends a sentence', () => {
    expect(render('costs $5, id $context.requestId.')).toBe(
      'costs $5, id c6af9ac6-7b61-11e6-9a41-93e8deadbeef.',
    );
  });

  it('escapes quotes, backslashes, slashes, control and non-ASCII characters like Commons escapeJavaScript', () => {
    expect(escapeJavaScript(`a"b'c\\d/e\nf\tg\u0001h\u00e9i\u20acj`)).toBe(
      `a\\"b\\'c\\\\d\\/e\\nf\\tg\\u0001h\\u00E9i\\u20ACj`,
    );
  });

  it('calls $util.escapeJavaScript on a reference', () => {
    const variables = { context: { error: { message: 'say "hi"' } } };
    expect(render('$util.escapeJavaScript($context.error.message)', variables)).toBe(
      'say \\"hi\\"',
    );
  });

  it('reads replaceAll arguments as Java regexes, with backslashes kept in string literals', () => {
    const variables = { context: { error: { message: "it's" } } };
    expect(
      render(`$util.escapeJavaScript($context.error.message).replaceAll("\\\\'","'")`, variables),
    ).toBe("it's");
  });

  it('supports groups in replaceAll replacements and literal replace', () => {
    const variables = { context: { path: '/items/42' } };
    expect(render('$context.path.replaceAll("/items/(\\d+)","item $1")', variables)).toBe(
      'item 42',
    );
    expect(render('$context.path.replace("/", "|")', variables)).toBe('|items|42');
  });

  it('renders the BAD_REQUEST_BODY template of the API document as valid JSON whatever the validation message', () => {
    const template = compileVtlTemplate(badRequestBodyTemplate);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (validationErrorString) => {
        const body = template.render({ context: { error: { validationErrorString } } });
        expect(JSON.parse(body)).toEqual({
          message: 'Invalid request body',
          errors: [{ path: '', message: validationErrorString }],
        });
      }),
    );
  });

  it('leaves directives it does not support as written', () => {
    expect(render('#set($x = 1)$context.stage')).toBe('#set($x = 1)e2e');
  });
});
