/**
 * The live-update WebSocket (`/api/v1/ws`): one connection per tab, shared by every
 * subscription; reconnects with exponential backoff and jitter, re-subscribing what is
 * open; its status feeds the connection indicator.
 */
export type SocketStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SubscribeOptions {
  channel: string;
  filter?: Record<string, unknown>;
  onEvent(data: unknown): void;
  onError?(code: string, message: string): void;
}

/** Backoff before reconnect attempt `n` (0-based): 0.5 s doubling up to 15 s, ±25% jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** attempt);
  return Math.round(base * (0.75 + random() * 0.5));
}

export class LiveSocket {
  private ws: WebSocket | undefined;
  private subs = new Map<string, SubscribeOptions>();
  private nextId = 1;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ping: ReturnType<typeof setInterval> | undefined;
  private listeners = new Set<() => void>();
  status: SocketStatus = 'idle';
  lastError = '';

  constructor(private readonly url: () => string) {}

  onStatus(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private setStatus(s: SocketStatus): void {
    this.status = s;
    this.listeners.forEach((l) => l());
  }

  subscribe(options: SubscribeOptions): () => void {
    const id = `s${this.nextId++}`;
    this.subs.set(id, options);
    if (!this.ws || this.ws.readyState > WebSocket.OPEN) this.connect();
    else if (this.ws.readyState === WebSocket.OPEN)
      this.send({ type: 'subscribe', id, channel: options.channel, filter: options.filter });
    return () => {
      this.subs.delete(id);
      if (this.ws?.readyState === WebSocket.OPEN) this.send({ type: 'unsubscribe', id });
    };
  }

  /** Opens the connection (for the indicator) even with no subscription. */
  connect(): void {
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) return;
    clearTimeout(this.timer);
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setStatus('open');
      for (const [id, s] of this.subs)
        this.send({ type: 'subscribe', id, channel: s.channel, filter: s.filter });
      clearInterval(this.ping);
      this.ping = setInterval(() => this.send({ type: 'ping' }), 25_000);
    };
    ws.onmessage = (ev) => {
      let msg: { type?: string; id?: string; data?: unknown; code?: string; message?: string };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      const sub = msg.id ? this.subs.get(msg.id) : undefined;
      if (msg.type === 'event' && sub) sub.onEvent(msg.data);
      else if (msg.type === 'error') {
        this.lastError = msg.message ?? msg.code ?? 'error';
        sub?.onError?.(msg.code ?? 'ERROR', msg.message ?? '');
      }
    };
    ws.onclose = () => {
      clearInterval(this.ping);
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.scheduleReconnect();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  private scheduleReconnect(): void {
    if (this.status === 'closed') return;
    this.setStatus('reconnecting');
    const delay = backoffMs(this.attempt++);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  close(): void {
    this.setStatus('closed');
    clearTimeout(this.timer);
    clearInterval(this.ping);
    const ws = this.ws;
    this.ws = undefined;
    ws?.close();
  }

  /** Forgets a closed state (after signing in again). */
  reset(): void {
    if (this.status === 'closed') this.status = 'idle';
    this.attempt = 0;
  }

  private send(msg: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }
}
