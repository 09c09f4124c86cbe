// What is wrong with a field, found before sending (from the limits the inputs carry in their
// attributes, which mirror api/openapi.json) or named by the API, and the sentence that says it.

/**
 * A field's problem: `kind` is one of required, tooLong, characters, pattern, notNumber,
 * belowMinimum, aboveMaximum, tooMany, itemTooLong, invalid; `limit` the bound it broke.
 * @typedef {{kind: string, limit?: number}} Problem
 */

/**
 * How a form's field is read and checked. `label` names it in sentences ("name"); `itemLabel`
 * names one entry of a list field ("tag"); `hint` says what a pattern allows.
 * @typedef {{name: string, label: string, input: HTMLInputElement | HTMLTextAreaElement,
 *   kind?: 'text' | 'number' | 'list', itemLabel?: string}} Field
 */

// The API refuses C0 control characters other than tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** "red, large , ,sale" -> ["red", "large", "sale"] (trimmed, empties and duplicates dropped) */
export function parseList(text) {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return [...new Set(entries)];
}

/** "12.50" or "12,50" -> 12.5; undefined when it is not a number. */
export function parseNumber(text) {
  const normalised = /^-?\d+,\d+$/.test(text) ? text.replace(',', '.') : text;
  if (normalised === '') return undefined;
  const value = Number(normalised);
  return Number.isFinite(value) ? value : undefined;
}

const numberAttribute = (input, name) => {
  const value = input.getAttribute(name);
  return value === null || value === '' ? undefined : Number(value);
};

function textProblem(input, text) {
  const trimmed = text.trim();
  if (trimmed === '') return input.required ? { kind: 'required' } : undefined;
  if (input.maxLength > 0 && [...trimmed].length > input.maxLength)
    return { kind: 'tooLong', limit: input.maxLength };
  if (CONTROL_CHARACTERS.test(trimmed)) return { kind: 'characters' };
  const pattern = input.getAttribute('pattern');
  if (pattern && !new RegExp(`^(?:${pattern})$`).test(trimmed)) return { kind: 'pattern' };
  return undefined;
}

function numberProblem(input) {
  const text = input.value.trim();
  if (text === '') return input.required ? { kind: 'required' } : undefined;
  const value = parseNumber(text);
  if (value === undefined) return { kind: 'notNumber' };
  const min = numberAttribute(input, 'data-min');
  const max = numberAttribute(input, 'data-max');
  if (min !== undefined && value < min) return { kind: 'belowMinimum', limit: min };
  if (max !== undefined && value > max) return { kind: 'aboveMaximum', limit: max };
  return undefined;
}

function listProblem(input) {
  const entries = parseList(input.value);
  const maxItems = numberAttribute(input, 'data-max-items');
  if (maxItems !== undefined && entries.length > maxItems)
    return { kind: 'tooMany', limit: maxItems };
  const itemMaxLength = numberAttribute(input, 'data-item-maxlength');
  if (itemMaxLength !== undefined && entries.some((entry) => [...entry].length > itemMaxLength))
    return { kind: 'itemTooLong', limit: itemMaxLength };
  if (entries.some((entry) => CONTROL_CHARACTERS.test(entry))) return { kind: 'characters' };
  return undefined;
}

/**
 * What is wrong with the field's current value, or undefined.
 * @param {Field} field
 * @returns {Problem | undefined}
 */
export function checkField(field) {
  if (field.kind === 'number') return numberProblem(field.input);
  if (field.kind === 'list') return listProblem(field.input);
  return textProblem(field.input, field.input.value);
}

/**
 * The sentence that tells the user what to do about a field's problem.
 * @param {Field} field
 * @param {Problem} problem
 */
export function sentence(field, problem) {
  const { label } = field;
  const limit = problem.limit ?? 0;
  switch (problem.kind) {
    case 'required':
      return `Enter a ${label}.`;
    case 'tooLong':
      return `The ${label} can be at most ${limit} characters long.`;
    case 'characters':
      return `The ${label} contains characters that are not allowed (control characters).`;
    case 'pattern':
      return field.input.dataset.hint ?? `The ${label} is not in the expected form.`;
    case 'notNumber':
      return `Enter the ${label} as a number, for example 12.50.`;
    case 'belowMinimum':
      return limit === 0
        ? `The ${label} cannot be negative.`
        : `The ${label} must be at least ${numberFormat.format(limit)}.`;
    case 'aboveMaximum':
      return `The ${label} can be at most ${numberFormat.format(limit)}.`;
    case 'tooMany':
      return `Use at most ${limit} ${label}.`;
    case 'itemTooLong':
      return `Each ${field.itemLabel ?? 'entry'} can be at most ${limit} characters long.`;
    default:
      return `The ${label} was not accepted: please check it.`;
  }
}
