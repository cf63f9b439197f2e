import { request, type Agent } from 'node:http';

export interface PostResult {
  status: number;
  body: Buffer;
  /** Seconds from Retry-After, when present. */
  retryAfter: number | undefined;
}

/** POSTs `body` on a keep-alive agent and reads the whole response. */
export function post(
  agent: Agent,
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const retry = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            retryAfter: retry === undefined ? undefined : Number(retry),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
