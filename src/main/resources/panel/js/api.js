// Calls the server's API with the session cookie (same origin, so the browser sends it; the page
// never sees it). Every failure becomes an ApiError carrying the envelope's `error` and `code`, so pages
// show what the server said instead of a generic "something went wrong".

/** An error answer of the API: HTTP status, the envelope's code and message, and the request id. */
export class ApiError extends Error {
  constructor(status, code, message, { details = null, requestId = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }
}

let unauthorized = () => {};

/** Called with the ApiError whenever a call answers 401: the session is missing or over. */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/** fetch() that turns a failure to connect into an ApiError (aborts stay AbortErrors). */
export async function send(method, path, body, { signal } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' }, signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(path, init);
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached. Is it running?');
  }
}

/** The ApiError of a non-2xx response, read from its envelope when it has one. */
export async function errorOf(response) {
  const requestId = response.headers.get('X-Request-Id');
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy's error page, say; described by its status below
  }
  const error = body && typeof body.error === 'string'
    ? new ApiError(response.status, String(body.code ?? 'ERROR'), body.error, { details: body.details ?? null, requestId })
    : new ApiError(response.status, `HTTP_${response.status}`, `The server answered ${response.status} ${response.statusText}`.trim(), { requestId });
  if (response.status === 401) unauthorized(error);
  return error;
}

/** Calls the API and returns the envelope's `data` (or the whole body when it has none). */
export async function api(method, path, body, options) {
  const response = await send(method, path, body, options);
  if (!response.ok) throw await errorOf(response);
  const json = await response.json();
  return 'data' in json ? json.data : json;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body ?? {}, options);
export const put = (path, body, options) => api('PUT', path, body, options);
export const del = (path, options) => api('DELETE', path, undefined, options);

/** A path with query parameters; empty values are left out. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** A path segment for an id the API gave us (ids are opaque: encode them). */
export const seg = (id) => encodeURIComponent(id);
