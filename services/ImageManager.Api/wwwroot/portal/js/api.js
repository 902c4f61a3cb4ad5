// Every call to /api/v1 goes through here: the credential as a bearer token, problems as ApiError.

const storageKey = 'imagemanager.credential';

export function credential() {
  return sessionStorage.getItem(storageKey);
}

export function signIn(value) {
  sessionStorage.setItem(storageKey, value);
}

export function signOut(reason) {
  sessionStorage.removeItem(storageKey);
  if (reason) sessionStorage.setItem('imagemanager.signout-reason', reason);
  if (location.hash !== '#/login') location.hash = '#/login';
  else window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Why the last session ended (a refused credential), once. */
export function takeSignOutReason() {
  const reason = sessionStorage.getItem('imagemanager.signout-reason');
  sessionStorage.removeItem('imagemanager.signout-reason');
  return reason;
}

/** A refusal by the API, with its problem+json (title, detail, errors) when it sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }

  static async from(response) {
    let problem = null;
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json')) {
      try { problem = await response.json(); } catch { problem = null; }
    } else {
      const text = await response.text().catch(() => '');
      if (text) problem = { title: response.statusText, detail: text.slice(0, 500) };
    }
    return new ApiError(response.status, problem);
  }
}

function describe(status, problem) {
  if (!problem) return `The API answered ${status}.`;
  const lines = [problem.detail ?? problem.title ?? `The API answered ${status}.`];
  for (const [key, messages] of Object.entries(problem.errors ?? {})) {
    for (const message of [].concat(messages)) {
      if (!lines[0].includes(message)) lines.push(`${key}: ${message}`);
    }
  }
  return lines.join('\n');
}

export function headers(extra = {}) {
  const result = new Headers(extra);
  const value = credential();
  if (value) result.set('Authorization', `Bearer ${value}`);
  return result;
}

/**
 * Calls the API. JSON bodies are sent as JSON; a 401 ends the session (the login page says why) unless
 * keepSession is set; any other refusal throws ApiError with the API's reason.
 */
export async function api(path, options = {}) {
  const { method = 'GET', body, contentType, raw = false, keepSession = false, signal, extraHeaders = {} } = options;
  const requestHeaders = headers({ Accept: 'application/json, application/problem+json', ...extraHeaders });
  let payload = body;
  if (body !== undefined && !(body instanceof Blob) && typeof body !== 'string') {
    payload = JSON.stringify(body);
    requestHeaders.set('Content-Type', contentType ?? 'application/json');
  }

  const response = await fetch(`/api/v1${path}`, { method, headers: requestHeaders, body: payload, signal, cache: 'no-store' });
  if (!response.ok) {
    const error = await ApiError.from(response);
    if (response.status === 401 && !keepSession) signOut(error.message);
    throw error;
  }

  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? response.json() : null;
}

export function query(parameters) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(parameters)) {
    for (const item of [].concat(value ?? [])) {
      if (item !== '' && item !== null && item !== undefined) search.append(key, item);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
