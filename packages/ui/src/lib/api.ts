/**
 * The one place that speaks HTTP to the server: same-origin fetch with the session cookie,
 * the CSRF header on state-changing requests, the chosen project, and problem+json errors
 * turned into ApiError. A browser may also sign in with an API key (kept for the tab only).
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const KEY_STORAGE = 'pyflare.apiKey';
const PROJECT_STORAGE = 'pyflare.project';

let csrfToken: string | undefined;
let onUnauthorized: (() => void) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

export function getApiKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function setApiKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    /* storage unavailable: the key lives only as long as the page */
  }
}

export function getProjectId(): string | null {
  try {
    return localStorage.getItem(PROJECT_STORAGE);
  } catch {
    return null;
  }
}

export function setProjectId(id: string | null): void {
  try {
    if (id) localStorage.setItem(PROJECT_STORAGE, id);
    else localStorage.removeItem(PROJECT_STORAGE);
  } catch {
    /* ignore */
  }
}

function cookie(name: string): string | undefined {
  const match = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : undefined;
}

export type Query = Record<
  string,
  string | number | boolean | readonly string[] | undefined | null
>;

export function buildUrl(path: string, query?: Query): string {
  const url = new URL(`/api/v1${path}`, window.location.origin);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
    else url.searchParams.set(k, String(v));
  }
  return url.pathname + url.search;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not call the unauthorized handler on 401 (the login form itself). */
  quiet401?: boolean;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const key = getApiKey();
  if (key) headers.authorization = `Bearer ${key}`;
  const project = getProjectId();
  if (project && !key) headers['x-pyflare-project'] = project;
  if (method !== 'GET') {
    const token = csrfToken ?? cookie('pyflare_csrf');
    if (token) headers['x-csrf-token'] = token;
  }
  const response = await fetch(buildUrl(path, options.query), {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text };
    }
  }
  if (!response.ok) {
    const body = (data ?? {}) as Record<string, unknown>;
    const code = typeof body.code === 'string' ? body.code : `HTTP_${response.status}`;
    const message =
      (typeof body.detail === 'string' && body.detail) ||
      (typeof body.title === 'string' && body.title) ||
      `${response.status} ${response.statusText}`;
    if (response.status === 401 && !options.quiet401) onUnauthorized?.();
    throw new ApiError(response.status, code, message, body);
  }
  return data as T;
}

/** Triggers a file download of `content` in the browser. */
export function download(filename: string, content: string, type: string): void {
  const blob = new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
