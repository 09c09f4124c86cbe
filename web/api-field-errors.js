// Which field each entry of an API 400's `errors` array concerns, and what is wrong with it.
//
// Two kinds of entry arrive. The functions' own validation names the field in `path`
// ("body.name", "body.tags.2") with a short message ("is required", "must be <= 1000000000").
// API Gateway's request validator answers before the function runs, and its
// `validationErrorString` names no field: one entry with an empty path whose message lists
// draft-4 validator messages ("[string \"\" is too short (length: 0, required minimum: 1), …]").
// Those are placed by the property names they give or by the value they quote, found in the body
// that was sent. Nothing here is shown to the user: only the problem kinds are (see field-checks.js).

/** @typedef {import('./field-checks.js').Problem} Problem */

const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const NUMBER = String.raw`[-+0-9.eE]+`;

/** The draft-4 messages API Gateway's validator writes, each read into a problem and a clue. */
const VALIDATOR_MESSAGES = [
  {
    pattern: /object has missing required properties \((\[[^\]]*\])\)/g,
    read: (match) =>
      parseJson(match[1], []).map((name) => ({ name, problem: { kind: 'required' } })),
  },
  {
    pattern: new RegExp(String.raw`string (${QUOTED}) is too short`, 'g'),
    read: (match) => [{ value: parseJson(match[1]), problem: { kind: 'required' } }],
  },
  {
    pattern: new RegExp(
      String.raw`string (${QUOTED}) is too long \([^)]*maximum allowed: (\d+)\)`,
      'g',
    ),
    read: (match) => [
      { value: parseJson(match[1]), problem: { kind: 'tooLong', limit: Number(match[2]) } },
    ],
  },
  {
    pattern: new RegExp(
      String.raw`ECMA 262 regex ${QUOTED} does not match input string (${QUOTED})`,
      'g',
    ),
    read: (match) => {
      const value = parseJson(match[1]);
      const blank = typeof value === 'string' && value.trim() === '';
      return [{ value, problem: { kind: blank ? 'required' : 'pattern' } }];
    },
  },
  {
    pattern: new RegExp(
      String.raw`lower than the required minimum \(minimum: (${NUMBER}), found: (${NUMBER})\)`,
      'g',
    ),
    read: (match) => [
      { value: Number(match[2]), problem: { kind: 'belowMinimum', limit: Number(match[1]) } },
    ],
  },
  {
    pattern: new RegExp(
      String.raw`greater than the required maximum \(maximum: (${NUMBER}), found: (${NUMBER})\)`,
      'g',
    ),
    read: (match) => [
      { value: Number(match[2]), problem: { kind: 'aboveMaximum', limit: Number(match[1]) } },
    ],
  },
  {
    pattern: /array is too long: must have at most (\d+) elements/g,
    read: (match) => [{ array: true, problem: { kind: 'tooMany', limit: Number(match[1]) } }],
  },
];

function parseJson(text, fallback = undefined) {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** The problem a function's short message names (Ajv's wording, or the handler's own). */
function problemFromMessage(message, isListEntry) {
  let match;
  if (/is required/.test(message)) return { kind: 'required' };
  if (/blank/.test(message)) return { kind: 'characters' };
  if ((match = /more than (\d+) characters/.exec(message)))
    return { kind: isListEntry ? 'itemTooLong' : 'tooLong', limit: Number(match[1]) };
  if ((match = /fewer than 1 characters/.exec(message))) return { kind: 'required' };
  if ((match = /more than (\d+) items/.exec(message)))
    return { kind: 'tooMany', limit: Number(match[1]) };
  if ((match = /must be >=? (-?[\d.]+)/.exec(message)))
    return { kind: 'belowMinimum', limit: Number(match[1]) };
  if ((match = /must be <=? (-?[\d.]+)/.exec(message)))
    return { kind: 'aboveMaximum', limit: Number(match[1]) };
  if (/must be number/.test(message)) return { kind: 'notNumber' };
  return { kind: 'invalid' };
}

/** The field a value was sent in: the top-level property holding it, or a list containing it. */
function fieldHolding(clue, body, fields) {
  if (clue.name !== undefined) return fields.includes(clue.name) ? clue.name : undefined;
  return fields.find((field) => {
    const sent = body?.[field];
    if (clue.array) return Array.isArray(sent);
    if (Array.isArray(sent)) return sent.includes(clue.value);
    return sent === clue.value || (typeof sent === 'string' && sent.trim() === clue.value);
  });
}

function placeValidatorString(message, body, fields, place) {
  let placedAny = false;
  for (const { pattern, read } of VALIDATOR_MESSAGES) {
    for (const match of message.matchAll(pattern)) {
      for (const clue of read(match)) {
        const field = fieldHolding(clue, body, fields);
        if (!field) continue;
        const listEntry = Array.isArray(body?.[field]) && clue.problem.kind === 'tooLong';
        place(field, listEntry ? { ...clue.problem, kind: 'itemTooLong' } : clue.problem);
        placedAny = true;
      }
    }
  }
  return placedAny;
}

/**
 * Places an API 400's errors on the form's fields.
 * @param {{path: string, message: string}[]} errors
 * @param {Record<string, unknown> | undefined} body the request body that was sent
 * @param {string[]} fields the form's field names, as the API's properties
 * @returns {{byField: Map<string, Problem>, unplaced: number}}
 */
export function placeApiErrors(errors, body, fields) {
  /** @type {Map<string, Problem>} */
  const byField = new Map();
  const place = (field, problem) => {
    if (!byField.has(field)) byField.set(field, problem);
  };
  let unplaced = 0;
  for (const error of errors) {
    const segments = error.path.split(/[/.[\]]+/).filter(Boolean);
    const index = segments.findIndex((segment) => fields.includes(segment));
    if (index >= 0) {
      place(segments[index], problemFromMessage(error.message, index < segments.length - 1));
    } else if (!placeValidatorString(error.message, body, fields, place)) {
      unplaced += 1;
    }
  }
  return { byField, unplaced };
}
