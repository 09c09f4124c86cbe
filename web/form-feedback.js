// A form's feedback: each field's problem as a sentence in the `${prefix}-${name}-error` element
// that describes it (aria-invalid, aria-describedby, and the field's own validity for assistive
// technology), and a `${prefix}-form-errors` box for what concerns no single field.
import { ApiError } from './api.js';
import { placeApiErrors } from './api-field-errors.js';
import { checkField, sentence } from './field-checks.js';
import { byId, h, replaceChildren } from './dom.js';

/** @typedef {import('./field-checks.js').Field} Field */
/** @typedef {import('./field-checks.js').Problem} Problem */

const CORRECT_THE_FIELDS = 'Please correct the highlighted fields.';
const NOT_ACCEPTED =
  'The API did not accept some of the values; check them against the hints and try again.';

/** Makes sure the field names its error element among what describes it. */
function describedBy(input, errorId) {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  if (!ids.includes(errorId)) input.setAttribute('aria-describedby', [...ids, errorId].join(' '));
}

/**
 * @param {string} prefix
 * @param {Omit<Field, 'input'>[]} specs the form's fields, named as the API's properties
 */
export function formFeedback(prefix, specs) {
  const box = byId(`${prefix}-form-errors`);
  /** @type {Field[]} */
  const fields = specs.map((spec) => ({ ...spec, input: byId(`${prefix}-${spec.name}`) }));
  const errorOf = (field) => byId(`${prefix}-${field.name}-error`);

  const clearField = (field) => {
    field.input.removeAttribute('aria-invalid');
    field.input.setCustomValidity('');
    errorOf(field).textContent = '';
  };
  const clear = () => {
    fields.forEach(clearField);
    box.hidden = true;
    box.replaceChildren();
  };

  for (const field of fields) {
    describedBy(field.input, errorOf(field).id);
    // A corrected field stops saying it is wrong as soon as it is right, not at the next send.
    field.input.addEventListener('input', () => {
      if (field.input.getAttribute('aria-invalid') === 'true' && !checkField(field))
        clearField(field);
    });
  }

  /**
   * @param {string} title
   * @param {Map<string, Problem>} [problems] by field name
   * @param {string[]} [general] sentences that concern no single field
   */
  const show = (title, problems = new Map(), general = []) => {
    clear();
    for (const field of fields) {
      const problem = problems.get(field.name);
      if (!problem) continue;
      const text = sentence(field, problem);
      field.input.setAttribute('aria-invalid', 'true');
      field.input.setCustomValidity(text);
      errorOf(field).textContent = text;
    }
    replaceChildren(
      box,
      h('p', { class: 'form-errors-title', text: title }),
      general.length > 0 ? h('ul', {}, ...general.map((text) => h('li', { text }))) : null,
    );
    box.hidden = false;
    fields.find((field) => problems.has(field.name))?.input.focus();
  };

  /** Checks every field before sending; shows and returns false when one is wrong. */
  const checkBeforeSending = () => {
    /** @type {Map<string, Problem>} */
    const problems = new Map();
    for (const field of fields) {
      const problem = checkField(field);
      if (problem) problems.set(field.name, problem);
    }
    if (problems.size === 0) {
      clear();
      return true;
    }
    show(CORRECT_THE_FIELDS, problems);
    return false;
  };

  /**
   * Shows a failed request: a 400's errors on their fields, in sentences; anything else as its
   * message. Returns the sentence that sums it up.
   * @param {unknown} err
   * @param {Record<string, unknown>} [body] the request body that was sent
   */
  const showFailure = (err, body) => {
    if (!(err instanceof ApiError) || err.status !== 400 || err.errors.length === 0) {
      const message = err instanceof Error && err.message ? err.message : 'Something went wrong.';
      show(message);
      return message;
    }
    const names = fields.map((field) => field.name);
    const placed = placeApiErrors(err.errors, body, names);
    /** @type {Map<string, Problem>} */
    const problems = new Map();
    for (const field of fields) {
      // The page's own sentence when it sees the problem too; the API's reading otherwise.
      const problem = placed.byField.has(field.name)
        ? (checkField(field) ?? placed.byField.get(field.name))
        : undefined;
      if (problem) problems.set(field.name, problem);
    }
    const general = placed.unplaced > 0 || problems.size === 0 ? [NOT_ACCEPTED] : [];
    show(CORRECT_THE_FIELDS, problems, general);
    return problems.size > 0 ? CORRECT_THE_FIELDS : NOT_ACCEPTED;
  };

  return { clear, show, checkBeforeSending, showFailure };
}
