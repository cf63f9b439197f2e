/**
 * A browser-like client for the API: keeps cookies (as a browser would for one site),
 * sends the CSRF header the UI would send, and parses Set-Cookie attributes for tests.
 */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...attrs] = header.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const a of attrs) {
    const i = a.indexOf('=');
    if (i === -1) attributes[a.toLowerCase()] = true;
    else attributes[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
  }
  return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
}

export interface BrowserInit extends Omit<RequestInit, 'body'> {
  /** A JSON body (sets content-type). */
  json?: unknown;
  body?: RequestInit['body'];
  /** Send x-csrf-token: true (default) the stored token, false none, or this string. */
  csrf?: boolean | string;
  /** Send x-pyflare-project. */
  project?: string;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;
  /** The Set-Cookie headers of the last response. */
  lastSetCookies: SetCookie[] = [];

  constructor(readonly baseUrl: string) {}

  async request(path: string, init: BrowserInit = {}): Promise<Response> {
    const { json, csrf = true, project, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (this.cookies.size > 0) {
      headers.set(
        'cookie',
        [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; '),
      );
    }
    if (json !== undefined) {
      headers.set('content-type', 'application/json');
      rest.body = JSON.stringify(json);
    }
    if (csrf === true && this.csrfToken !== undefined) headers.set('x-csrf-token', this.csrfToken);
    if (typeof csrf === 'string') headers.set('x-csrf-token', csrf);
    if (project !== undefined) headers.set('x-pyflare-project', project);
    const res = await fetch(this.baseUrl + path, { ...rest, headers });
    this.lastSetCookies = res.headers.getSetCookie().map(parseSetCookie);
    for (const c of this.lastSetCookies) {
      const expired =
        c.value === '' ||
        c.attributes['max-age'] === '0' ||
        (typeof c.attributes.expires === 'string' &&
          Date.parse(c.attributes.expires) <= Date.now());
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  /** Logs in; returns the response (the CSRF token is kept from its body). */
  async login(email: string, password: string): Promise<Response> {
    const res = await this.request('/api/v1/auth/login', {
      method: 'POST',
      json: { email, password },
    });
    if (res.ok) {
      const body = (await res.clone().json()) as { csrfToken: string };
      this.csrfToken = body.csrfToken;
    }
    return res;
  }

  /** The cookie header value a request would carry. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }
}

export const ADMIN_EMAIL = 'admin@localhost';
export const ADMIN_PASSWORD = 'admin-password-for-tests';
