/** The test script of a CORS preflight: the answer allows the origin, the method and the headers. */
import type { PreflightStep } from '../../../postman/scenario';
import { js, jsLiteral } from './js-literal';
import { ALLOW_ORIGIN_TEST, pmTest } from './pm-test';

export function preflightTestScript(
  step: PreflightStep,
  summary: readonly string[],
  methods: readonly string[],
  requestHeaders: readonly string[],
): string[] {
  const tests = [
    statusTest(step.expect.status),
    ALLOW_ORIGIN_TEST,
    ...allowsMethodTests(step, methods),
    allowsTest(`Access-Control-Allow-Headers includes ${requestHeaders.join(' and ')}`, 'Headers', [
      `pm.expect(allowed).to.include.members(${jsLiteral(
        requestHeaders.map((name) => name.toLowerCase()),
      ).join('')});`,
    ]),
  ];
  return [...summary.map((line) => `// ${line}`), ...tests.flatMap((test) => ['', ...test])];
}

/** The step's method is allowed, and so is every method of the path, when it has more than one. */
function allowsMethodTests(step: PreflightStep, methods: readonly string[]): string[][] {
  const own = allowsTest(`Access-Control-Allow-Methods includes ${step.method}`, 'Methods', [
    `pm.expect(allowed).to.include(${js(step.method)});`,
  ]);
  if (methods.length <= 1) return [own];
  const every = allowsTest(
    `Access-Control-Allow-Methods includes every method of ${step.preflight}`,
    'Methods',
    [`pm.expect(allowed).to.include.members(${jsLiteral([...methods]).join('')});`],
  );
  return [own, every];
}

/** A preflight may also be answered 200: the test accepts both. */
function statusTest(status: number): string[] {
  const statuses = status === 200 ? [200] : [status, 200];
  return pmTest(
    status === 200 ? 'status is 200' : `status is ${status} (200 is also a valid preflight answer)`,
    [`pm.expect(pm.response.code).to.be.oneOf(${jsLiteral(statuses).join('')});`],
  );
}

/**
 * A test on the list an Access-Control-Allow-Methods or -Headers answer holds, as `allowed` (methods
 * upper case, headers lower case, as the expectations write them).
 */
function allowsTest(
  title: string,
  what: 'Methods' | 'Headers',
  expect: readonly string[],
): string[] {
  const header = `Access-Control-Allow-${what}`;
  const transform = what === 'Methods' ? '.toUpperCase()' : '.toLowerCase()';
  return pmTest(title, [
    `const allowed = (pm.response.headers.get(${js(header)}) || '').split(',').map((value) => value.trim()${transform});`,
    ...expect,
  ]);
}
