// API client for the REST API described by api/openapi.json.
// Every failure is turned into an ApiError whose `message` is safe to show to the user.

const REQUEST_TIMEOUT_MS = 30000;

/** An API (or network) failure: `status` is 0 when no HTTP answer was received. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {{path: string, message: string}[]} [errors]
   */
  constructor(status, message, errors = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errors = errors;
  }
}

/** Thrown when ./config.json is missing or unusable. */
export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Loads ./config.json (written at deploy time) and returns the API base URL without a trailing slash.
 * @returns {Promise<string>}
 */
export async function loadApiUrl() {
  let response;
  try {
    response = await fetch('./config.json', { cache: 'no-store' });
  } catch {
    throw new ConfigError('config.json could not be loaded (network error).');
  }
  if (!response.ok) {
    throw new ConfigError(`config.json could not be loaded (HTTP ${response.status}).`);
  }
  let config;
  try {
    config = JSON.parse(await response.text());
  } catch {
    throw new ConfigError('config.json is not valid JSON.');
  }
  const apiUrl = config && typeof config === 'object' ? config.apiUrl : undefined;
  if (typeof apiUrl !== 'string' || apiUrl.trim() === '') {
    throw new ConfigError('config.json has no "apiUrl" string.');
  }
  let parsed;
  try {
    parsed = new URL(apiUrl.trim());
  } catch {
    throw new ConfigError('config.json "apiUrl" is not a valid URL.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError('config.json "apiUrl" must be an http(s) URL.');
  }
  return apiUrl.trim().replace(/\/+$/, '');
}

/** Parses a response body as JSON; returns undefined for an empty or non-JSON body. */
async function readJson(response) {
  let text = '';
  try {
    text = await response.text();
  } catch {
    return undefined;
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function normaliseFieldErrors(errors) {
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((e) => e && typeof e === 'object')
    .map((e) => ({
      path: typeof e.path === 'string' ? e.path : '',
      message: typeof e.message === 'string' ? e.message : String(e.message ?? ''),
    }))
    .filter((e) => e.message !== '');
}

/** Builds an ApiError from a non-2xx response, whatever its body. */
async function errorFromResponse(response) {
  const body = await readJson(response);
  const fallback = `Request failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const message =
      typeof body.message === 'string' && body.message.trim() !== '' ? body.message : fallback;
    return new ApiError(response.status, message, normaliseFieldErrors(body.errors));
  }
  return new ApiError(response.status, fallback);
}

/** fetch() with a timeout; network failures become ApiError(0, ...). */
async function send(url, init) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    return await fetch(url, { ...init, signal: controller.signal });
  } catch (err) {
    if (err && err.name === 'AbortError') {
      throw new ApiError(0, 'The request timed out. Please try again.');
    }
    throw new ApiError(0, 'Could not reach the API (network error or CORS). Please try again.');
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Creates a client bound to a base URL such as https://abc.execute-api.eu-west-1.amazonaws.com/dev.
 * @param {string} baseUrl
 */
export function createApi(baseUrl) {
  async function request(method, path, { query, body, ifMatch } = {}) {
    let url = `${baseUrl}${path}`;
    if (query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
      }
      const qs = params.toString();
      if (qs) url += `?${qs}`;
    }
    const headers = { Accept: 'application/json' };
    // Only while the item is still the version this page read; a 412 says someone else changed it.
    if (ifMatch) headers['If-Match'] = ifMatch;
    const init = { method, headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await send(url, init);
    if (!response.ok) throw await errorFromResponse(response);
    if (response.status === 204) return undefined;
    const data = await readJson(response);
    if (data === undefined) {
      throw new ApiError(response.status, 'The API returned an unreadable response.');
    }
    return data;
  }

  const itemPath = (id) => `/items/${encodeURIComponent(id)}`;

  return {
    baseUrl,
    /** @returns {Promise<{items: object[], nextToken?: string}>} */
    listItems: ({ limit, nextToken } = {}) =>
      request('GET', '/items', { query: { limit, nextToken } }),
    createItem: (input) => request('POST', '/items', { body: input }),
    getItem: (id) => request('GET', itemPath(id)),
    /** `etag`: the item's etag as this page read it; the update fails with 412 if it changed since. */
    updateItem: (id, input, etag) => request('PUT', itemPath(id), { body: input, ifMatch: etag }),
    /** `etag`: as for updateItem. */
    deleteItem: (id, etag) => request('DELETE', itemPath(id), { ifMatch: etag }),
    /** @returns {Promise<{uploadUrl: string, key: string, method: string, headers: Record<string,string>, expiresIn: number}>} */
    createImageUpload: (id, contentType) =>
      request('POST', `${itemPath(id)}/image`, { body: { contentType } }),
    publishNotification: (input) => request('POST', '/notifications', { body: input }),
    sendMessage: (body) => request('POST', '/messages', { body: { body } }),
    /** @returns {Promise<{messages: {id: string, body: string, receipt: string}[], visibilityTimeout: number}>} */
    receiveMessages: (max = 10) => request('GET', '/messages', { query: { max } }),
    /** Deletes a received message from the queue: call it once the message is shown. */
    acknowledgeMessage: (receipt) => request('DELETE', `/messages/${encodeURIComponent(receipt)}`),
    listAudit: (limit = 50) => request('GET', '/audit', { query: { limit } }),
    startWorkflow: (itemId) => request('POST', '/workflows', { body: { itemId } }),
    getWorkflow: (executionId) => request('GET', `/workflows/${encodeURIComponent(executionId)}`),
  };
}

/**
 * PUTs a file to a pre-signed upload URL with exactly the returned method and headers.
 * The body is an untyped Blob so the browser adds no Content-Type of its own.
 * @param {{uploadUrl: string, method: string, headers: Record<string,string>}} upload
 * @param {Blob} file
 */
export async function uploadToSignedUrl(upload, file) {
  const headers = {};
  if (upload.headers && typeof upload.headers === 'object') {
    for (const [key, value] of Object.entries(upload.headers)) headers[key] = String(value);
  }
  const response = await send(upload.uploadUrl, {
    method: upload.method || 'PUT',
    headers,
    body: new Blob([file]),
  });
  // Read to its end: a response whose body is left unread is cancelled when it is collected,
  // which the browser reports as a failed request (net::ERR_ABORTED) although the upload worked.
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) {
    throw new ApiError(response.status, `Image upload failed: HTTP ${response.status}`);
  }
}
