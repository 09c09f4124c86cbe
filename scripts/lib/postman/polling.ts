/**
 * Polling: the request of a step with `pollUntil` runs itself again (postman.setNextRequest) until its
 * condition holds on the answer, and only that last answer is asserted.
 */
import { js } from './js-literal';
import { pmTest } from './pm-test';

export const POLL_INTERVAL_MS = 1000;
export const POLL_MAX_ATTEMPTS = 30;
/** The collection variable counting a polled request's attempts. */
export const POLL_VARIABLE = 'pollAttempt';

export interface Poll {
  /** The step's name, in the console line of each attempt. */
  name: string;
  /** A JS condition on `body`. */
  condition: string;
  /** Only an answer with this status may end the polling early. */
  status: number;
}

/** The script after the body is parsed: run the request again, or else run the assertions. */
export function pollingScript(poll: Poll, assertions: readonly string[][]): string[] {
  const lastAnswer = [
    ...assertions,
    pmTest(`polling ended because ${poll.condition}`, [
      `pm.expect(${poll.condition}).to.equal(true);`,
    ]),
  ];
  return [
    ...pollOrFinish(poll),
    ...lastAnswer.flatMap((assertion) => ['', ...assertion.map((line) => `  ${line}`)]),
    '}',
  ];
}

/** Decides whether to poll again and, if so, schedules it; opens the block of the last answer. */
function pollOrFinish({ name, condition, status }: Poll): string[] {
  return [
    '',
    `// Poll: repeat this request every ${POLL_INTERVAL_MS / 1000} s, at most ${POLL_MAX_ATTEMPTS} times, until ${condition}`,
    `const attempt = Number(pm.collectionVariables.get(${js(POLL_VARIABLE)}) || 1);`,
    'let pollDone = true;',
    `if (pm.response.code === ${status} && attempt < ${POLL_MAX_ATTEMPTS}) {`,
    '  try {',
    `    pollDone = Boolean(${condition});`,
    '  } catch (error) {',
    '    pollDone = false;',
    '  }',
    '}',
    'if (!pollDone) {',
    `  console.log(${js(`${name}: attempt `)} + attempt + ${js(`, waiting for ${condition}`)});`,
    `  pm.collectionVariables.set(${js(POLL_VARIABLE)}, attempt + 1);`,
    '  postman.setNextRequest(pm.info.requestName);',
    `  setTimeout(function () {}, ${POLL_INTERVAL_MS});`,
    '} else {',
    `  pm.collectionVariables.unset(${js(POLL_VARIABLE)});`,
  ];
}
