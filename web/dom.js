// Small DOM helpers. Text is always set with textContent / text nodes, never parsed as HTML.

/**
 * Creates an element. `props` keys: `class`, `text`, `dataset` (object), `attrs` (object),
 * anything else is assigned as a property (e.g. `type`, `disabled`, `hidden`).
 * Children may be nodes, strings (inserted as text) or null/undefined/false (skipped).
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...(Node|string|null|undefined|false)} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'attrs') {
      for (const [name, attr] of Object.entries(value)) {
        if (attr !== undefined && attr !== null && attr !== false)
          el.setAttribute(name, String(attr));
      }
    } else el[key] = value;
  }
  append(el, children);
  return el;
}

/** Appends children (nodes or text) to a parent. */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/** Looks up an element by id and fails loudly if the page markup is missing it. */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`Missing element #${id}`);
  return el;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});
const priceFormat = new Intl.NumberFormat(undefined, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** Formats an ISO date-time for display; returns the input unchanged if it does not parse. */
export function formatDateTime(value) {
  if (typeof value !== 'string' || value === '') return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat.format(date);
}

/** A <time> element for an ISO date-time. */
export function timeEl(value, props = {}) {
  return h('time', { ...props, dateTime: String(value ?? ''), text: formatDateTime(value) });
}

export function formatPrice(value) {
  return typeof value === 'number' && Number.isFinite(value) ? priceFormat.format(value) : '';
}

/** The object or list a text holds as JSON, or undefined when it holds none. */
export function jsonDocument(text) {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A value as indented JSON; a string as it is. */
export function formatJson(detail) {
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail, null, 2) ?? '';
  } catch {
    return String(detail);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Only lets through URLs that are safe as an <img src>. */
export function safeImageUrl(value) {
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^data:image\/(png|jpeg|gif|webp);/i.test(value)) return value;
  try {
    const url = new URL(value, location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'blob:'
      ? url.href
      : undefined;
  } catch {
    return undefined;
  }
}
