// The page's behaviour: items (list, create, edit, delete, image upload, publish workflow),
// notifications, messages and the audit log. All API text is rendered with textContent.
import { ApiError, createApi, loadApiUrl, uploadToSignedUrl } from './api.js';
import {
  byId,
  formatJson,
  formatPrice,
  h,
  jsonDocument,
  replaceChildren,
  safeImageUrl,
  sleep,
  timeEl,
} from './dom.js';
import { parseList, parseNumber } from './field-checks.js';
import { formFeedback } from './form-feedback.js';
import { keepClearOfStatusBar } from './status-bar.js';

const PAGE_SIZE = 20;
const INBOX_MAX = 10;
const AUDIT_LIMIT = 50;
const IMAGE_TYPES = ['image/jpeg', 'image/png'];
const IMAGE_POLL_INTERVAL_MS = 1000;
const IMAGE_POLL_TIMEOUT_MS = 30000;
const WORKFLOW_POLL_INTERVAL_MS = 1000;
const WORKFLOW_POLL_TIMEOUT_MS = 120000;
/** Consecutive failed polls (other than 404) tolerated before giving up. */
const MAX_POLL_FAILURES = 3;

/** @type {ReturnType<typeof createApi>} */
let api;

const state = {
  /** @type {string | undefined} */
  nextToken: undefined,
  /** @type {string | undefined} */
  editingId: undefined,
  /** The etag of the version being edited: the save applies only if the item is still at it. */
  /** @type {string | undefined} */
  editingEtag: undefined,
  /** Rows by item id, in display order. @type {Map<string, RowEntry>} */
  rows: new Map(),
};

/**
 * @typedef {object} RowEntry
 * @property {any} item The latest Item from the API.
 * @property {HTMLElement} li
 * @property {HTMLElement} thumb
 * @property {HTMLElement} info
 * @property {HTMLInputElement} fileInput
 * @property {HTMLElement} fileLabel
 * @property {HTMLButtonElement} uploadButton
 * @property {HTMLElement} imageStatus
 * @property {HTMLElement} workflowStatus
 * @property {HTMLButtonElement} editButton
 * @property {HTMLButtonElement} publishButton
 * @property {HTMLButtonElement} deleteButton
 * @property {boolean} uploading
 * @property {boolean} deleting
 * @property {{text: string, status: string} | undefined} upload Upload progress overriding the item's image state.
 * @property {{status: string, error?: {error?: string, cause?: string}, message?: string} | undefined} workflow
 */

const els = {
  body: document.body,
  main: byId('main'),
  apiUrl: byId('api-url'),
  status: byId('status'),
  statusBar: byId('status-bar'),
  configError: byId('config-error'),
  itemForm: byId('item-form'),
  itemFormHeading: byId('item-form-heading'),
  itemName: byId('item-name'),
  itemDescription: byId('item-description'),
  itemPrice: byId('item-price'),
  itemTags: byId('item-tags'),
  itemSave: byId('item-save'),
  itemCancel: byId('item-cancel'),
  itemsHeading: byId('items-heading'),
  itemsList: byId('items-list'),
  itemsEmpty: byId('items-empty'),
  itemsLoading: byId('items-loading'),
  itemsError: byId('items-error'),
  itemsErrorText: byId('items-error-text'),
  itemsRetry: byId('items-retry'),
  itemsRefresh: byId('items-refresh'),
  loadMore: byId('load-more'),
  notificationForm: byId('notification-form'),
  notificationMessage: byId('notification-message'),
  notificationSubject: byId('notification-subject'),
  notificationType: byId('notification-type'),
  notificationSend: byId('notification-send'),
  messageForm: byId('message-form'),
  messageBody: byId('message-body'),
  messageSend: byId('message-send'),
  inboxReceive: byId('inbox-receive'),
  inboxList: byId('inbox-list'),
  inboxEmpty: byId('inbox-empty'),
  auditRefresh: byId('audit-refresh'),
  auditList: byId('audit-list'),
  auditEmpty: byId('audit-empty'),
  confirmDialog: byId('confirm-dialog'),
  confirmText: byId('confirm-text'),
};

// ---------------------------------------------------------------------------------------------
// Status and errors

/**
 * Shows a message in the page's status area (an aria-live region).
 * @param {string} message
 * @param {'info' | 'success' | 'error'} [kind]
 */
function setStatus(message, kind = 'info') {
  els.status.dataset.kind = kind;
  els.status.textContent = message;
}

function errorMessage(err) {
  if (err instanceof Error && err.message) return err.message;
  return typeof err === 'string' && err ? err : 'Something went wrong.';
}

function reportError(err, context) {
  const message = errorMessage(err);
  setStatus(context ? `${context}: ${message}` : message, 'error');
}

/** Disables a button while `fn` runs. */
async function withBusy(button, fn) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

// ---------------------------------------------------------------------------------------------
// Item form (create and edit)

const itemErrors = formFeedback('item', [
  { name: 'name', label: 'name' },
  { name: 'description', label: 'description' },
  { name: 'price', label: 'price', kind: 'number' },
  { name: 'tags', label: 'tags', kind: 'list', itemLabel: 'tag' },
]);

/** Reads the item form, checked already, into an ItemInput. */
function readItemForm() {
  const input = { name: els.itemName.value.trim() };
  const description = els.itemDescription.value.trim();
  if (description) input.description = description;
  const price = parseNumber(els.itemPrice.value.trim());
  if (price !== undefined) input.price = price;
  const tags = parseList(els.itemTags.value);
  if (tags.length > 0) input.tags = tags;
  return input;
}

function resetItemForm() {
  const previous = state.editingId ? state.rows.get(state.editingId) : undefined;
  previous?.li.classList.remove('is-editing');
  state.editingId = undefined;
  state.editingEtag = undefined;
  els.itemForm.reset();
  itemErrors.clear();
  els.itemForm.dataset.mode = 'create';
  delete els.itemForm.dataset.itemId;
  els.itemFormHeading.textContent = 'New item';
  els.itemSave.textContent = 'Create item';
  els.itemCancel.hidden = true;
}

/** @param {RowEntry} entry */
function startEdit(entry) {
  resetItemForm();
  const { item } = entry;
  state.editingId = item.id;
  state.editingEtag = typeof item.etag === 'string' ? item.etag : undefined;
  entry.li.classList.add('is-editing');
  els.itemName.value = item.name ?? '';
  els.itemDescription.value = item.description ?? '';
  els.itemPrice.value = typeof item.price === 'number' ? String(item.price) : '';
  els.itemTags.value = Array.isArray(item.tags) ? item.tags.join(', ') : '';
  els.itemForm.dataset.mode = 'edit';
  els.itemForm.dataset.itemId = item.id;
  els.itemFormHeading.textContent = `Edit item “${item.name}”`;
  els.itemSave.textContent = 'Save changes';
  els.itemCancel.hidden = false;
  els.itemForm.scrollIntoView({ behavior: 'smooth', block: 'start' });
  els.itemName.focus({ preventScroll: true });
}

async function onItemSubmit(event) {
  event.preventDefault();
  if (!itemErrors.checkBeforeSending()) return refuseToSend();
  const input = readItemForm();
  const editingId = state.editingId;
  await withBusy(els.itemSave, async () => {
    try {
      if (editingId) {
        const item = await api.updateItem(editingId, input, state.editingEtag);
        upsertRow(item);
        resetItemForm();
        setStatus(`Saved “${item.name}”.`, 'success');
      } else {
        const item = await api.createItem(input);
        addRowAtTop(item);
        resetItemForm();
        setStatus(`Created “${item.name}”.`, 'success');
        els.itemName.focus();
      }
    } catch (err) {
      if (editingId && isStale(err)) {
        await onStaleEdit(editingId);
        return;
      }
      const summary = itemErrors.showFailure(err, input);
      setStatus(
        `${editingId ? 'Could not save the item' : 'Could not create the item'}: ${summary}`,
        'error',
      );
    }
  });
}

/** A 412: the item is no longer at the version this page read (someone else changed it). */
function isStale(err) {
  return err instanceof ApiError && err.status === 412;
}

/**
 * Reloads an item someone else changed or deleted, and shows its latest version in its row.
 * @returns {Promise<any | undefined>} the latest item, or undefined if it is gone
 */
async function reloadChangedItem(id) {
  try {
    const item = await api.getItem(id);
    upsertRow(item);
    return item;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      removeRow(id);
      return undefined;
    }
    throw err;
  }
}

/**
 * A save refused because someone else changed the item since the edit began: nothing was
 * overwritten. The row shows their version; the form keeps the user's text, now based on that
 * version, so saving again replaces theirs knowingly.
 */
async function onStaleEdit(id) {
  const previousName = state.rows.get(id)?.item.name ?? 'The item';
  let latest;
  try {
    latest = await reloadChangedItem(id);
  } catch (err) {
    reportError(err, 'Could not reload the item');
    return;
  }
  if (!latest) {
    resetItemForm();
    setStatus(
      `“${previousName}” was deleted by someone else; your changes were not saved.`,
      'error',
    );
    return;
  }
  state.editingEtag = latest.etag;
  const message = `Someone else changed “${latest.name}” while you were editing it, so your changes were not saved. The list shows their version: save again to replace it with yours, or cancel.`;
  itemErrors.show(message);
  setStatus(message, 'error');
}

// ---------------------------------------------------------------------------------------------
// Item rows

/** @param {any} item @returns {RowEntry} */
function createRow(item) {
  const fileInput = /** @type {HTMLInputElement} */ (
    h('input', {
      type: 'file',
      accept: IMAGE_TYPES.join(','),
      id: `image-input-${item.id}`,
      class: 'file-input',
      dataset: { testid: 'image-input' },
    })
  );
  const fileLabel = h('label', { class: 'visually-hidden', htmlFor: fileInput.id });
  const uploadButton = h('button', {
    type: 'button',
    class: 'btn btn-small',
    text: 'Upload image',
    dataset: { testid: 'upload-button' },
  });
  const editButton = h('button', {
    type: 'button',
    class: 'btn btn-small',
    text: 'Edit',
    dataset: { testid: 'edit-button' },
  });
  const publishButton = h('button', {
    type: 'button',
    class: 'btn btn-small btn-primary',
    text: 'Publish',
    dataset: { testid: 'publish-button' },
  });
  const deleteButton = h('button', {
    type: 'button',
    class: 'btn btn-small btn-danger-quiet',
    text: 'Delete',
    dataset: { testid: 'delete-button' },
  });
  const imageStatus = h('p', {
    class: 'row-status image-status',
    dataset: { testid: 'image-status' },
    attrs: { 'aria-live': 'polite' },
  });
  const workflowStatus = h('p', {
    class: 'row-status workflow-status',
    dataset: { testid: 'workflow-status' },
    attrs: { 'aria-live': 'polite' },
  });
  const thumb = h('div', { class: 'item-thumb' });
  const info = h('div', { class: 'item-info' });
  const li = h(
    'li',
    { class: 'item-row', dataset: { testid: 'item-row', itemId: item.id } },
    thumb,
    h(
      'div',
      { class: 'item-main' },
      info,
      h('div', { class: 'item-upload' }, fileLabel, fileInput, uploadButton),
      imageStatus,
      workflowStatus,
    ),
    h('div', { class: 'item-actions' }, editButton, publishButton, deleteButton),
  );

  /** @type {RowEntry} */
  const entry = {
    item,
    li,
    thumb,
    info,
    fileInput,
    fileLabel,
    uploadButton,
    imageStatus,
    workflowStatus,
    editButton,
    publishButton,
    deleteButton,
    uploading: false,
    deleting: false,
    upload: undefined,
    workflow: undefined,
  };
  editButton.addEventListener('click', () => startEdit(entry));
  deleteButton.addEventListener('click', () => void onDelete(entry));
  uploadButton.addEventListener('click', () => void onUpload(entry));
  publishButton.addEventListener('click', () => void onPublish(entry));
  fileInput.addEventListener('change', () => {
    entry.upload = undefined;
    renderRow(entry);
  });
  renderRow(entry);
  return entry;
}

/** Is this entry still the one shown for its item (not deleted or replaced by a refresh)? */
function isLive(entry) {
  return state.rows.get(entry.item.id) === entry;
}

function renderThumb(entry) {
  const { item } = entry;
  const image = item.image;
  const url = image?.status === 'ready' ? safeImageUrl(image.thumbnailUrl) : undefined;
  const current = entry.thumb.querySelector('img');
  if (url) {
    if (current && current.getAttribute('src') === url) {
      current.alt = `Thumbnail of ${item.name}`;
      return;
    }
    const img = h('img', {
      src: url,
      alt: `Thumbnail of ${item.name}`,
      width: 72,
      height: 72,
      decoding: 'async',
      dataset: { testid: 'thumbnail' },
    });
    img.addEventListener('error', () => {
      img.replaceWith(placeholder(item, 'Thumbnail unavailable'));
    });
    replaceChildren(entry.thumb, img);
    return;
  }
  const pending = image?.status === 'pending' || entry.uploading;
  replaceChildren(entry.thumb, placeholder(item, pending ? 'Processing' : ''));
  entry.thumb.classList.toggle('is-pending', pending);
}

function placeholder(item, title) {
  const initial = (item.name ?? '?').trim().charAt(0).toUpperCase() || '?';
  return h('div', {
    class: 'thumb-placeholder',
    text: initial,
    title: title || undefined,
    attrs: { 'aria-hidden': 'true' },
  });
}

function renderInfo(entry) {
  const { item } = entry;
  const status = item.status === 'published' ? 'published' : 'draft';
  const price = formatPrice(item.price);
  const tags = Array.isArray(item.tags) ? item.tags : [];
  const meta = [h('span', {}, 'Updated ', timeEl(item.updatedAt))];
  if (item.publishedAt) meta.push(h('span', {}, 'Published ', timeEl(item.publishedAt)));
  const failure = item.publishFailure;
  replaceChildren(
    entry.info,
    h(
      'div',
      { class: 'item-title' },
      h('h3', { class: 'item-name', text: item.name, dataset: { testid: 'item-row-name' } }),
      h('span', {
        class: `badge badge-${status}`,
        text: status,
        dataset: { testid: 'item-status', status },
      }),
      price
        ? h('span', { class: 'item-price', text: price, dataset: { testid: 'item-row-price' } })
        : null,
    ),
    item.description
      ? h('p', {
          class: 'item-description',
          text: item.description,
          dataset: { testid: 'item-row-description' },
        })
      : null,
    tags.length > 0
      ? h(
          'ul',
          { class: 'tags', dataset: { testid: 'item-row-tags' }, attrs: { 'aria-label': 'Tags' } },
          ...tags.map((tag) => h('li', { class: 'tag', text: tag })),
        )
      : null,
    h('p', { class: 'meta' }, ...meta),
    // Only while this page has not run the workflow itself: its outcome is shown in the row then.
    failure && status !== 'published' && !entry.workflow
      ? h(
          'p',
          { class: 'notice notice-error', dataset: { testid: 'publish-failure' } },
          'Last publish failed: ',
          h('strong', { text: failure.error ?? 'Error' }),
          failure.cause ? ` — ${failure.cause}` : '',
        )
      : null,
  );
}

function imageState(entry) {
  if (entry.upload) return entry.upload;
  const image = entry.item.image;
  if (!image) return { text: 'No image yet.', status: 'none' };
  if (image.status === 'pending') return { text: 'Image processing…', status: 'pending' };
  if (image.status === 'failed') {
    return { text: `Image processing failed: ${image.error ?? 'unknown error'}`, status: 'failed' };
  }
  const size = image.width && image.height ? ` (${image.width}×${image.height})` : '';
  return { text: `Image ready${size}.`, status: 'ready' };
}

function renderWorkflow(entry) {
  const el = entry.workflowStatus;
  const wf = entry.workflow;
  if (!wf) {
    el.hidden = true;
    el.replaceChildren();
    delete el.dataset.status;
    delete el.dataset.renderKey;
    return;
  }
  const renderKey = JSON.stringify(wf);
  if (el.dataset.renderKey === renderKey) return;
  el.dataset.renderKey = renderKey;
  el.hidden = false;
  el.dataset.status = wf.status;
  if (wf.status === 'STARTING') {
    replaceChildren(el, 'Starting the publish workflow…');
  } else if (wf.status === 'RUNNING') {
    replaceChildren(
      el,
      'Workflow ',
      h('strong', { text: 'RUNNING' }),
      wf.message ? ` — ${wf.message}` : '…',
    );
  } else if (wf.status === 'SUCCEEDED') {
    replaceChildren(el, 'Workflow ', h('strong', { text: 'SUCCEEDED' }), ' — item published.');
  } else if (wf.status === 'ERROR') {
    replaceChildren(el, `Could not run the workflow: ${wf.message ?? 'unknown error'}`);
  } else {
    const parts = [];
    if (wf.error?.error) parts.push(h('span', { class: 'wf-error', text: wf.error.error }));
    if (wf.error?.cause) parts.push(` — ${wf.error.cause}`);
    replaceChildren(
      el,
      'Workflow ',
      h('strong', { text: wf.status }),
      parts.length ? ': ' : '.',
      ...parts,
    );
  }
  el.classList.toggle('is-error', !['STARTING', 'RUNNING', 'SUCCEEDED'].includes(wf.status));
  el.classList.toggle('is-success', wf.status === 'SUCCEEDED');
}

/** @param {RowEntry} entry */
function renderRow(entry) {
  const { item } = entry;
  entry.li.dataset.status = item.status === 'published' ? 'published' : 'draft';
  renderThumb(entry);
  renderInfo(entry);
  const image = imageState(entry);
  // Only touch live regions when their text changes, so polling does not re-announce them.
  if (entry.imageStatus.textContent !== image.text) entry.imageStatus.textContent = image.text;
  entry.imageStatus.dataset.status = image.status;
  entry.imageStatus.classList.toggle('is-error', ['failed', 'error'].includes(image.status));
  renderWorkflow(entry);
  const label = `“${item.name}”`;
  entry.fileLabel.textContent = `Image for ${label} (JPEG or PNG)`;
  entry.uploadButton.disabled = entry.uploading;
  entry.uploadButton.setAttribute('aria-label', `Upload image for ${label}`);
  entry.uploadButton.toggleAttribute('aria-busy', entry.uploading);
  entry.editButton.setAttribute('aria-label', `Edit ${label}`);
  const publishing = entry.workflow?.status === 'STARTING' || entry.workflow?.status === 'RUNNING';
  // An item is published once: no button to publish it again.
  entry.publishButton.hidden = item.status === 'published';
  entry.publishButton.disabled = publishing;
  entry.publishButton.setAttribute('aria-label', `Publish ${label}`);
  entry.publishButton.toggleAttribute('aria-busy', publishing);
  entry.deleteButton.disabled = entry.deleting;
  entry.deleteButton.setAttribute('aria-label', `Delete ${label}`);
}

function updateItemsEmpty() {
  // "No items" only when the list is known to be empty, not while loading or after a failure.
  els.itemsEmpty.hidden = state.rows.size > 0 || !els.itemsError.hidden || !els.itemsLoading.hidden;
  els.loadMore.hidden = !state.nextToken;
}

/** Says why the items could not be loaded, with a retry; `undefined` clears it. */
function showItemsProblem(err) {
  els.itemsError.hidden = err === undefined;
  if (err === undefined) return;
  els.itemsErrorText.textContent =
    err instanceof ApiError && err.status === 0
      ? `The API is unreachable at ${api.baseUrl}. Check that it is running (npm start) and allows this page's origin, then retry.`
      : `Could not load the items: ${errorMessage(err)}`;
}

function addRowAtTop(item) {
  const entry = createRow(item);
  state.rows = new Map([[item.id, entry], ...state.rows]);
  els.itemsList.prepend(entry.li);
  updateItemsEmpty();
}

/** Updates the row of an item, or adds it at the top if it is not shown. */
function upsertRow(item) {
  const entry = state.rows.get(item.id);
  if (!entry) {
    addRowAtTop(item);
    return;
  }
  entry.item = item;
  renderRow(entry);
}

function removeRow(id) {
  const entry = state.rows.get(id);
  if (!entry) return;
  if (state.editingId === id) resetItemForm();
  state.rows.delete(id);
  entry.li.remove();
  updateItemsEmpty();
}

/**
 * Loads the first page (reset) or the next page of items.
 * @param {{reset: boolean}} options
 */
async function loadItems({ reset }) {
  const button = reset ? els.itemsRefresh : els.loadMore;
  els.itemsList.setAttribute('aria-busy', 'true');
  els.itemsLoading.hidden = state.rows.size > 0;
  updateItemsEmpty();
  await withBusy(button, async () => {
    try {
      const page = await api.listItems({
        limit: PAGE_SIZE,
        nextToken: reset ? undefined : state.nextToken,
      });
      const items = Array.isArray(page?.items) ? page.items : [];
      if (reset) {
        /** @type {Map<string, RowEntry>} */
        const rows = new Map();
        for (const item of items) {
          const existing = state.rows.get(item.id);
          if (existing) {
            existing.item = item;
            renderRow(existing);
          }
          rows.set(item.id, existing ?? createRow(item));
        }
        if (state.editingId && !rows.has(state.editingId)) {
          // Keep the edit going; just drop the highlight.
          state.rows.get(state.editingId)?.li.classList.remove('is-editing');
        }
        state.rows = rows;
        els.itemsList.replaceChildren(...[...rows.values()].map((entry) => entry.li));
      } else {
        for (const item of items) {
          if (state.rows.has(item.id)) continue;
          const entry = createRow(item);
          state.rows.set(item.id, entry);
          els.itemsList.append(entry.li);
        }
      }
      state.nextToken =
        typeof page?.nextToken === 'string' && page.nextToken !== '' ? page.nextToken : undefined;
      showItemsProblem(undefined);
      if (!reset) setStatus(`Loaded ${items.length} more item${items.length === 1 ? '' : 's'}.`);
    } catch (err) {
      showItemsProblem(err);
      reportError(err, 'Could not load items');
    } finally {
      els.itemsLoading.hidden = true;
      els.itemsList.setAttribute('aria-busy', 'false');
    }
  });
  updateItemsEmpty();
}

// ---------------------------------------------------------------------------------------------
// Delete

/** Asks for confirmation in a modal dialog; resolves true if confirmed. */
function confirmDelete(text) {
  const dialog = /** @type {any} */ (els.confirmDialog);
  if (typeof dialog.showModal !== 'function') return Promise.resolve(window.confirm(text));
  els.confirmText.textContent = text;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), {
      once: true,
    });
    dialog.showModal();
  });
}

/** @param {RowEntry} entry */
async function onDelete(entry) {
  const { id, name } = entry.item;
  const confirmed = await confirmDelete(
    `“${name}” and its image will be deleted. This cannot be undone.`,
  );
  if (!confirmed || !isLive(entry)) return;
  entry.deleting = true;
  renderRow(entry);
  try {
    await api.deleteItem(id, entry.item.etag);
    removeRow(id);
    setStatus(`Deleted “${name}”.`, 'success');
    els.itemsHeading.focus();
  } catch (err) {
    if (isStale(err)) {
      await onStaleDelete(id, name);
      return;
    }
    reportError(err, `Could not delete “${name}”`);
    if (err instanceof ApiError && err.status === 404) removeRow(id);
  } finally {
    entry.deleting = false;
    if (isLive(entry)) renderRow(entry);
  }
}

/** A delete refused because someone else changed the item since it was shown: it stays. */
async function onStaleDelete(id, name) {
  try {
    const latest = await reloadChangedItem(id);
    setStatus(
      latest
        ? `Someone else changed “${name}” since it was shown, so it was not deleted. The list shows their version: delete it again if you still want to.`
        : `“${name}” was already deleted by someone else.`,
      'error',
    );
  } catch (err) {
    reportError(err, `Could not reload “${name}”`);
  }
}

// ---------------------------------------------------------------------------------------------
// Image upload

/** The content type to declare for a file, or undefined if it is not a JPEG or PNG. */
function imageContentType(file) {
  if (IMAGE_TYPES.includes(file.type)) return file.type;
  if (file.type === '') {
    // Some systems give no type; fall back to the extension.
    if (/\.jpe?g$/i.test(file.name)) return 'image/jpeg';
    if (/\.png$/i.test(file.name)) return 'image/png';
  }
  return undefined;
}

function setUpload(entry, text, status) {
  entry.upload = { text, status };
  if (isLive(entry)) renderRow(entry);
}

/** @param {RowEntry} entry */
async function onUpload(entry) {
  const { name } = entry.item;
  const file = entry.fileInput.files?.[0];
  if (!file) {
    setUpload(entry, 'Choose a JPEG or PNG file first.', 'error');
    setStatus(`Choose a JPEG or PNG file for “${name}” first.`, 'error');
    return;
  }
  const contentType = imageContentType(file);
  if (!contentType) {
    const message = `“${file.name}” is not a JPEG or PNG image${file.type ? ` (${file.type})` : ''}.`;
    setUpload(entry, message, 'error');
    setStatus(message, 'error');
    return;
  }
  if (file.size === 0) {
    setUpload(entry, `“${file.name}” is empty.`, 'error');
    setStatus(`“${file.name}” is empty.`, 'error');
    return;
  }
  const before = entry.item;
  entry.uploading = true;
  try {
    setUpload(entry, 'Requesting an upload URL…', 'uploading');
    const upload = await api.createImageUpload(before.id, contentType);
    setUpload(entry, 'Uploading…', 'uploading');
    await uploadToSignedUrl(upload, file);
    setUpload(entry, 'Uploaded; processing the image…', 'pending');
    setStatus(`Uploaded the image for “${name}”; processing…`);
    const result = await pollImage(entry, upload.key, before);
    if (result === 'ready') {
      entry.upload = undefined;
      entry.fileInput.value = '';
      setStatus(`Image ready for “${entry.item.name}”.`, 'success');
    } else if (result === 'failed') {
      entry.upload = undefined;
      setStatus(
        `Image processing failed for “${entry.item.name}”: ${entry.item.image?.error ?? 'unknown error'}`,
        'error',
      );
    } else if (result === 'timeout') {
      setUpload(
        entry,
        'Still processing after 30 seconds. Refresh the list later to see the thumbnail.',
        'timeout',
      );
      setStatus(`The image for “${name}” is still being processed.`);
    }
  } catch (err) {
    setUpload(entry, `Upload failed: ${errorMessage(err)}`, 'error');
    reportError(err, `Image upload for “${name}” failed`);
    if (err instanceof ApiError && err.status === 404) removeRow(before.id);
  } finally {
    entry.uploading = false;
    if (isLive(entry)) renderRow(entry);
  }
}

/**
 * Polls the item until its (new) image is ready or failed.
 * The previous image, if any, is ignored unless something shows the image changed.
 * @returns {Promise<'ready' | 'failed' | 'timeout' | 'gone'>}
 */
async function pollImage(entry, uploadKey, before) {
  const deadline = Date.now() + IMAGE_POLL_TIMEOUT_MS;
  let sawPending = false;
  let failures = 0;
  while (Date.now() < deadline) {
    await sleep(IMAGE_POLL_INTERVAL_MS);
    if (!isLive(entry)) return 'gone';
    let item;
    try {
      item = await api.getItem(before.id);
      failures = 0;
    } catch (err) {
      if ((err instanceof ApiError && err.status === 404) || ++failures >= MAX_POLL_FAILURES)
        throw err;
      continue;
    }
    if (!isLive(entry)) return 'gone';
    const image = item.image;
    if (image?.status === 'pending') sawPending = true;
    const isNew =
      image &&
      (image.key === uploadKey ||
        sawPending ||
        !before.image ||
        image.key !== before.image.key ||
        item.updatedAt !== before.updatedAt);
    if (isNew && (image.status === 'ready' || image.status === 'failed')) {
      entry.item = item;
      return image.status;
    }
    if (isNew) {
      entry.item = item;
      renderRow(entry);
    }
  }
  return 'timeout';
}

// ---------------------------------------------------------------------------------------------
// Publish workflow

/** @param {RowEntry} entry */
async function onPublish(entry) {
  const { id, name } = entry.item;
  entry.workflow = { status: 'STARTING' };
  renderRow(entry);
  try {
    const started = await api.startWorkflow(id);
    entry.workflow = { status: 'RUNNING' };
    if (isLive(entry)) renderRow(entry);
    setStatus(`Publishing “${name}”…`);
    const result = await pollWorkflow(started.executionId, entry);
    if (!result) return;
    entry.workflow = result;
    try {
      entry.item = await api.getItem(id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        removeRow(id);
        reportError(err, `“${name}” is gone`);
        return;
      }
      reportError(err, `Could not refresh “${name}”`);
    }
    if (result.status === 'SUCCEEDED') {
      setStatus(`Publish workflow SUCCEEDED for “${name}”.`, 'success');
    } else if (result.status === 'RUNNING') {
      setStatus(`The publish workflow for “${name}” is still running.`);
    } else {
      // The row shows why; the status only points there, so the reason is told once.
      setStatus(
        `Publish workflow ${result.status} for “${name}”: the reason is shown on the item.`,
        'error',
      );
    }
  } catch (err) {
    entry.workflow = { status: 'ERROR', message: errorMessage(err) };
    reportError(err, `Could not publish “${name}”`);
  } finally {
    if (isLive(entry)) renderRow(entry);
  }
}

/** Polls a workflow execution until it is no longer RUNNING; undefined if the row went away. */
async function pollWorkflow(executionId, entry) {
  const deadline = Date.now() + WORKFLOW_POLL_TIMEOUT_MS;
  let failures = 0;
  while (Date.now() < deadline) {
    await sleep(WORKFLOW_POLL_INTERVAL_MS);
    if (!isLive(entry)) return undefined;
    let status;
    try {
      status = await api.getWorkflow(executionId);
      failures = 0;
    } catch (err) {
      if ((err instanceof ApiError && err.status === 404) || ++failures >= MAX_POLL_FAILURES)
        throw err;
      continue;
    }
    if (status.status !== 'RUNNING') return status;
  }
  return { status: 'RUNNING', message: 'still running after 2 minutes; check again later.' };
}

// ---------------------------------------------------------------------------------------------
// Notifications and messages

const notificationErrors = formFeedback('notification', [
  { name: 'message', label: 'message' },
  { name: 'subject', label: 'subject' },
  { name: 'type', label: 'type' },
]);
const messageErrors = formFeedback('message', [{ name: 'body', label: 'message' }]);

/** Says why a form was not sent: the fields' sentences are on the form. */
function refuseToSend() {
  setStatus('Please correct the highlighted fields.', 'error');
}

async function onNotificationSubmit(event) {
  event.preventDefault();
  if (!notificationErrors.checkBeforeSending()) return refuseToSend();
  const input = { message: els.notificationMessage.value.trim() };
  const subject = els.notificationSubject.value.trim();
  const type = els.notificationType.value.trim();
  if (subject) input.subject = subject;
  if (type) input.type = type;
  await withBusy(els.notificationSend, async () => {
    try {
      const result = await api.publishNotification(input);
      els.notificationForm.reset();
      setStatus(
        `Notification published (message id ${result?.messageId ?? 'unknown'}).`,
        'success',
      );
    } catch (err) {
      const summary = notificationErrors.showFailure(err, input);
      setStatus(`Could not publish the notification: ${summary}`, 'error');
    }
  });
}

async function onMessageSubmit(event) {
  event.preventDefault();
  if (!messageErrors.checkBeforeSending()) return refuseToSend();
  const input = { body: els.messageBody.value.trim() };
  await withBusy(els.messageSend, async () => {
    try {
      const result = await api.sendMessage(input.body);
      els.messageForm.reset();
      setStatus(`Message sent (message id ${result?.messageId ?? 'unknown'}).`, 'success');
    } catch (err) {
      const summary = messageErrors.showFailure(err, input);
      setStatus(`Could not send the message: ${summary}`, 'error');
    }
  });
}

/** A message's body: JSON (an object or a list) pretty-printed, anything else as written. */
function renderMessageBody(body) {
  const text = String(body ?? '');
  const json = jsonDocument(text);
  return json === undefined
    ? h('p', { class: 'entry-body', text, dataset: { testid: 'inbox-message-body' } })
    : h('pre', {
        class: 'entry-detail',
        text: formatJson(json),
        dataset: { testid: 'inbox-message-body', format: 'json' },
      });
}

function renderMessage(message) {
  // Notifications carry the type they were published with; a message sent to the queue has none.
  const type = typeof message.type === 'string' && message.type ? message.type : 'direct message';
  return h(
    'li',
    { class: 'entry', dataset: { testid: 'inbox-message', messageId: String(message.id ?? '') } },
    h(
      'div',
      { class: 'entry-head' },
      h(
        'span',
        { class: 'badge', dataset: { testid: 'inbox-message-type' } },
        h('span', { class: 'visually-hidden', text: 'Type: ' }),
        type,
      ),
      h('span', { class: 'entry-time' }, 'Sent ', timeEl(message.sentAt)),
    ),
    renderMessageBody(message.body),
  );
}

/**
 * Acknowledges received messages, which deletes them from the queue.
 * @returns {Promise<number>} how many could not be acknowledged (they will be received again)
 */
async function acknowledgeAll(messages) {
  const outcomes = await Promise.allSettled(
    messages.map((message) => api.acknowledgeMessage(String(message.receipt ?? ''))),
  );
  return outcomes.filter((outcome) => outcome.status === 'rejected').length;
}

async function onReceiveMessages() {
  await withBusy(els.inboxReceive, async () => {
    try {
      const result = await api.receiveMessages(INBOX_MAX);
      const messages = Array.isArray(result?.messages) ? result.messages : [];
      // Delivery is at least once: a message whose acknowledgement was lost comes back. Show it once.
      const shown = new Set(
        [...els.inboxList.children].map((li) => /** @type {HTMLElement} */ (li).dataset.messageId),
      );
      const fresh = messages.filter((message) => !shown.has(String(message.id ?? '')));
      // Newest batch on top, in the order received.
      els.inboxList.prepend(...fresh.map(renderMessage));
      els.inboxEmpty.hidden = els.inboxList.childElementCount > 0;
      // Shown, so the queue may let them go; until then they were only hidden from other readers.
      const unacknowledged = await acknowledgeAll(messages);
      if (messages.length === 0) setStatus('No messages waiting.');
      else if (unacknowledged > 0) {
        setStatus(
          `Received ${messages.length} message${messages.length === 1 ? '' : 's'}; ${unacknowledged} could not be acknowledged and will be received again.`,
          'error',
        );
      } else {
        setStatus(
          `Received ${messages.length} message${messages.length === 1 ? '' : 's'} (acknowledged: deleted from the queue).`,
          'success',
        );
      }
    } catch (err) {
      reportError(err, 'Could not receive messages');
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Audit log

function renderAuditEntry(entry) {
  const time = timeEl(entry.occurredAt, { class: 'entry-time' });
  if (entry.receivedAt) time.title = `Received ${entry.receivedAt}`;
  return h(
    'li',
    { class: 'entry', dataset: { testid: 'audit-entry', auditId: String(entry.id ?? '') } },
    h(
      'div',
      { class: 'entry-head' },
      h('span', {
        class: 'badge',
        text: String(entry.type ?? 'unknown'),
        dataset: { testid: 'audit-type' },
      }),
      time,
    ),
    h('pre', {
      class: 'entry-detail',
      text: formatJson(entry.detail),
      dataset: { testid: 'audit-detail' },
    }),
  );
}

async function loadAudit({ announce = false } = {}) {
  els.auditList.setAttribute('aria-busy', 'true');
  await withBusy(els.auditRefresh, async () => {
    try {
      const result = await api.listAudit(AUDIT_LIMIT);
      const entries = Array.isArray(result?.entries) ? result.entries : [];
      replaceChildren(els.auditList, ...entries.map(renderAuditEntry));
      els.auditEmpty.hidden = entries.length > 0;
      if (announce) {
        setStatus(
          `Audit log loaded (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}).`,
        );
      }
    } catch (err) {
      reportError(err, 'Could not load the audit log');
    } finally {
      els.auditList.setAttribute('aria-busy', 'false');
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Start-up

function showConfigError(message) {
  replaceChildren(
    els.configError,
    h('strong', { text: 'The app is not configured. ' }),
    message,
    ' The file config.json is written when the site is deployed and must look like ',
    h('code', { text: '{"apiUrl": "https://…/dev"}' }),
    '.',
  );
  els.configError.hidden = false;
  els.itemsLoading.hidden = true;
  els.apiUrl.textContent = 'API: not configured';
  setStatus('Configuration error: see the message above.', 'error');
  els.body.dataset.appState = 'config-error';
}

function wireEvents() {
  els.itemForm.addEventListener('submit', (event) => void onItemSubmit(event));
  els.itemCancel.addEventListener('click', () => {
    resetItemForm();
    setStatus('Edit cancelled.');
  });
  els.itemsRefresh.addEventListener('click', () => void loadItems({ reset: true }));
  els.itemsRetry.addEventListener('click', () => {
    void loadItems({ reset: true });
    void loadAudit();
  });
  els.loadMore.addEventListener('click', () => void loadItems({ reset: false }));
  els.notificationForm.addEventListener('submit', (event) => void onNotificationSubmit(event));
  els.messageForm.addEventListener('submit', (event) => void onMessageSubmit(event));
  els.inboxReceive.addEventListener('click', () => void onReceiveMessages());
  els.auditRefresh.addEventListener('click', () => void loadAudit({ announce: true }));
  els.itemsHeading.tabIndex = -1;
  window.addEventListener('unhandledrejection', (event) => {
    reportError(event.reason, 'Unexpected error');
  });
}

async function start() {
  wireEvents();
  keepClearOfStatusBar(els.statusBar);
  let apiUrl;
  try {
    apiUrl = await loadApiUrl();
  } catch (err) {
    showConfigError(errorMessage(err));
    return;
  }
  api = createApi(apiUrl);
  els.apiUrl.textContent = `API: ${apiUrl}`;
  els.main.inert = false;
  await Promise.all([loadItems({ reset: true }), loadAudit()]);
  els.body.dataset.appState = 'ready';
}

void start();
