/** The building blocks of a request's test script (JavaScript run by the Postman sandbox). */
import { js } from './js-literal';
import type { PostmanItem } from './postman-types';

export function testEvent(exec: string[]): PostmanItem['event'][number] {
  return { listen: 'test', script: { type: 'text/javascript', exec } };
}

/** One `pm.test` block. */
export function pmTest(title: string, body: readonly string[]): string[] {
  return [`pm.test(${js(title)}, function () {`, ...body.map((line) => `  ${line}`), '});'];
}

export const ALLOW_ORIGIN_TEST = pmTest('Access-Control-Allow-Origin is the origin', [
  "pm.expect(pm.response.headers.get('Access-Control-Allow-Origin')).to.equal(pm.variables.get('origin'));",
]);
