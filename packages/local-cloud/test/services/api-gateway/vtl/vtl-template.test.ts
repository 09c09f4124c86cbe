/**
 * The Velocity templates of the local API Gateway (mapping templates, gateway responses, mock
 * integrations): references, directives, operators, Java methods, `$input` and `$util`, rendered
 * as API Gateway renders them.
 */
import fc from 'fast-check';
import apiDocument from '../../../fixtures/openapi.json';
import { compileVtlTemplate } from '../../../../src/services/api-gateway/vtl/vtl-template';
import { inputObject } from '../../../../src/services/api-gateway/vtl/vtl-input';
import type { InputSource } from '../../../../src/services/api-gateway/vtl/vtl-input';
import { VtlSyntaxError } from '../../../../src/services/api-gateway/vtl/vtl-parser';
import { escapeJavaScript, utilObject } from '../../../../src/services/api-gateway/vtl/vtl-util';

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

  it('refuses at load time a directive it cannot run, naming it', () => {
    expect(() => compileVtlTemplate('#macro(x)#end')).toThrow(VtlSyntaxError);
    expect(() => compileVtlTemplate('#parse("other.vm")')).toThrow(/#parse is not supported/);
  });
});

/** A request's `$input`, `$util` and `$context` as a mapping template sees them. */
function request(input: Partial<InputSource> = {}): Record<string, unknown> {
  return {
    context,
    util: utilObject,
    input: inputObject({ body: '', path: {}, querystring: {}, header: {}, ...input }),
  };
}

describe('VTL directives', () => {
  it('sets a variable and renders it', () => {
    expect(render('#set($name = "pets")$name', request())).toBe('pets');
  });

  it('interpolates references in double-quoted strings but not in single-quoted ones', () => {
    expect(render(`#set($a = "x")#set($b = "\${a}-y")#set($c = '$a')$b $c`, request())).toBe(
      'x-y $a',
    );
  });

  it('leaves a variable as it was when #set gives it null', () => {
    expect(render('#set($a = 1)#set($a = $nothing)$a', request())).toBe('1');
  });

  it('takes the first #if or #elseif branch whose condition holds, else #else', () => {
    const template = '#if($n > 2)big#elseif($n == 2)two#{else}small#end';
    expect([3, 2, 1].map((n) => render(template, { n }))).toEqual(['big', 'two', 'small']);
  });

  it('holds null and false false, and any other value true, in #if', () => {
    const template = '#if($v)T#{else}F#end';
    expect([null, false, '', 0, 'x'].map((v) => render(template, { v }))).toEqual([
      'F',
      'F',
      'T',
      'T',
      'T',
    ]);
  });

  it('walks a list with #foreach and says whether more follow with $foreach.hasNext', () => {
    expect(
      render('#foreach($x in $list)$x#if($foreach.hasNext),#end#end', { list: ['a', 'b', 'c'] }),
    ).toBe('a,b,c');
  });

  it('counts #foreach iterations from 0 in $foreach.index and from 1 in $foreach.count', () => {
    expect(render('#foreach($x in [7..9])$foreach.index/$foreach.count #end', {})).toBe(
      '0/1 1/2 2/3 ',
    );
  });

  it('stops a #foreach at #break', () => {
    expect(render('#foreach($x in [1..5])$x#if($x == 3)#break#end#end', {})).toBe('123');
  });

  it('drops a line that holds only a directive, indentation and newline included', () => {
    const template = '[\n  #foreach($x in [1, 2])\n  $x\n  #end\n]';
    expect(render(template.replace(/\\n/g, '\n'), {})).toBe('[\n  1\n  2\n]');
  });

  it('skips ## and #* *# comments and keeps #[[ ]]# as written', () => {
    expect(render('a## note\nb#* block *#c#[[$not #if]]#', {})).toBe('abc$not #if');
  });

  it('keeps a # that starts no directive', () => {
    expect(render('color: #fff; tag #1', {})).toBe('color: #fff; tag #1');
  });
});

describe('VTL operators and methods', () => {
  it('compares with symbols and words, and combines with && || ! and/or/not', () => {
    const template = '#if($a < $b && !($a == $b) and $b ge 2 or false)yes#end';
    expect(render(template, { a: 1, b: 2 })).toBe('yes');
  });

  it('computes with + - * / %, dividing integers as Java does, and joins strings with +', () => {
    expect(render('#set($x = 7 / 2 + 10 % 4 * 2 - 1)$x #set($s = "a" + 1)$s', {})).toBe('6 a1');
  });

  it('calls String methods as Java does', () => {
    const text = { text: ' Hello, World ' };
    expect(render('$text.trim().toLowerCase().replace("world", "pets").length()', text)).toBe('11');
    expect(render('$text.trim().split(", ").get(1).substring(0, 3)', text)).toBe('Wor');
    expect(
      render('$text.contains("World") $text.isEmpty() $text.trim().startsWith("H")', text),
    ).toBe('true false true');
  });

  it('calls List and Map methods, and walks a map with keySet and entrySet', () => {
    const variables = { m: { a: 1, b: [1, 2] } };
    expect(render('$m.size() $m.get("b").size() $m.containsKey("a") $m.b[1]', variables)).toBe(
      '2 2 true 2',
    );
    expect(render('#foreach($e in $m.entrySet())$e.key=$e.value;#end', variables)).toBe(
      'a=1;b=[1, 2];',
    );
  });

  it('builds maps and lists with literals and put/add', () => {
    expect(render('#set($m = {})#set($l = [])$!m.put("k", 1)$l.add("v")$m $l', {})).toBe(
      'true{k=1} [v]',
    );
  });

  it('prints maps and lists as Java prints them', () => {
    expect(render('$v', { v: { a: 'x', b: [1, null] } })).toBe('{a=x, b=[1, null]}');
  });

  it('refuses at load time a method no value has', () => {
    expect(() => compileVtlTemplate('$text.frobnicate()')).toThrow(/frobnicate/);
  });
});

describe('$input', () => {
  const body = JSON.stringify({
    pets: [
      { id: 1, type: 'dog' },
      { id: 2, type: 'cat' },
    ],
    name: 'shop',
  });

  it('gives the raw payload as $input.body', () => {
    expect(render('$input.body', request({ body }))).toBe(body);
  });

  it('evaluates JSONPath to JSON text with $input.json', () => {
    expect(render(`$input.json('$.pets[1]')`, request({ body }))).toBe('{"id":2,"type":"cat"}');
    expect(render(`$input.json('$.name')`, request({ body }))).toBe('"shop"');
    expect(render(`$input.json('$.pets[*].type')`, request({ body }))).toBe('["dog","cat"]');
  });

  it('evaluates JSONPath to a value the template walks with $input.path', () => {
    const template = `#foreach($pet in $input.path('$.pets'))$pet.type#end $input.path('$.pets').size() $input.path('$..id')`;
    expect(render(template, request({ body }))).toBe('dogcat 2 [1, 2]');
  });

  it('looks a parameter up in the path, then the query string, then the headers', () => {
    const input = {
      path: { id: 'p' },
      querystring: { id: 'q', q: 'q' },
      header: { 'X-Id': 'h', id: 'h' },
    };
    expect(
      render(
        `$input.params('id') $input.params('q') $input.params('x-id') [$input.params('none')]`,
        request(input),
      ),
    ).toBe('p q h []');
  });

  it('gives every parameter by location with $input.params()', () => {
    const input = { path: { id: '1' }, querystring: { q: 'x' }, header: { Accept: '*/*' } };
    expect(
      render(
        '#foreach($type in $input.params().keySet())$type:$input.params().get($type) #end',
        request(input),
      ),
    ).toBe('path:{id=1} querystring:{q=x} header:{Accept=*/*} ');
  });

  it('refuses at load time an $input member API Gateway does not have', () => {
    expect(() => compileVtlTemplate('$input.headers()')).toThrow(/\$input has no such member/);
  });
});

describe('$util', () => {
  it('url-encodes as Java URLEncoder does and decodes back', () => {
    expect(render(`$util.urlEncode("a b&c=d/é*~")`, request())).toBe('a+b%26c%3Dd%2F%C3%A9*%7E');
    expect(render(`$util.urlDecode("a+b%26c")`, request())).toBe('a b&c');
  });

  it('encodes and decodes base64 as UTF-8', () => {
    expect(render(`$util.base64Encode("héllo") $util.base64Decode("aMOpbGxv")`, request())).toBe(
      'aMOpbGxv héllo',
    );
  });

  it('parses JSON into a value the template walks', () => {
    expect(render(`$util.parseJson('{"a":{"b":[5]}}').a.b[0]`, request())).toBe('5');
  });

  it('refuses at load time a $util function API Gateway does not have', () => {
    expect(() => compileVtlTemplate('$util.toJson($x)')).toThrow(/\$util has no such member/);
  });
});
