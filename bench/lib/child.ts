import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Benchmark phases run in child processes: chDB allows one data directory per process, and
 * a server measured apart from its load generator does not share an event loop with it.
 * Parent and child talk over Node's IPC channel with `{ type, value }` messages.
 */

interface Message {
  type: string;
  value: unknown;
}

export interface Child {
  process: ChildProcess;
  /** The next message of this type (earlier ones are kept until asked for). */
  next<T>(type: string): Promise<T>;
  send(type: string, value?: unknown): void;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

const INPUT_VAR = 'BENCH_CHILD_INPUT';

/**
 * Node flags of the server under test: those `npm start` and the `pyflare` command run the
 * server with (package.json, packages/server/bin/pyflare.js), so the bench measures the same
 * process; also for the ingest phase's in-process stages, which do the server's work. A 32 MiB
 * young generation: decoding and normalizing a request allocates megabytes that die young
 * (docs/architecture/ingest.md, "Young generation"). `BENCH_SERVER_NODE_FLAGS` replaces them
 * (empty: Node's defaults), for comparing.
 */
export const SERVER_NODE_FLAGS = (process.env.BENCH_SERVER_NODE_FLAGS ?? '--max-semi-space-size=32')
  .split(' ')
  .filter((f) => f !== '');

/** Children that run the server's code paths and get {@link SERVER_NODE_FLAGS}. */
const SERVER_LIKE = new Set(['server.ts', 'ingest.ts']);

/** Starts `bench/<script>` under tsx with `input` available through `childInput()`. */
export function startChild(
  script: string,
  input: unknown,
  options: { execArgv?: string[] } = {},
): Child {
  const file = fileURLToPath(new URL(`../${script}`, import.meta.url));
  const flags = SERVER_LIKE.has(script) ? SERVER_NODE_FLAGS : [];
  const args = ['--import', 'tsx', ...flags, ...(options.execArgv ?? []), file];
  const proc = spawn(process.execPath, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [INPUT_VAR]: JSON.stringify(input) },
  });
  const queued: Message[] = [];
  const waiting: { type: string; resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  let exitCode: number | null | undefined;
  proc.on('message', (raw) => {
    const m = raw as Message;
    const i = waiting.findIndex((w) => w.type === m.type);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(m.value);
    else queued.push(m);
  });
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code, signal) => {
      exitCode = code;
      for (const w of waiting.splice(0)) {
        w.reject(new Error(`${script} exited (${code ?? signal}) before sending '${w.type}'`));
      }
      resolve(code);
    });
  });
  return {
    process: proc,
    exited,
    next<T>(type: string): Promise<T> {
      const i = queued.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(queued.splice(i, 1)[0]!.value as T);
      if (exitCode !== undefined) {
        return Promise.reject(new Error(`${script} exited (${exitCode}) before sending '${type}'`));
      }
      return new Promise<T>((resolve, reject) =>
        waiting.push({ type, resolve: resolve as (v: unknown) => void, reject }),
      );
    },
    send(type, value) {
      proc.send({ type, value });
    },
  };
}

/** Runs a child to completion and returns its 'result' message. */
export async function runChild<T>(script: string, input: unknown): Promise<T> {
  const child = startChild(script, input);
  const result = await child.next<T>('result');
  const code = await child.exited;
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return result;
}

// ------------------------------------------------------------------ child side

export function childInput<T>(): T {
  const raw = process.env[INPUT_VAR];
  if (raw === undefined) throw new Error(`run this file through bench/run.ts (${INPUT_VAR} unset)`);
  return JSON.parse(raw) as T;
}

export function sendToParent(type: string, value?: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error('no IPC channel: run this file through bench/run.ts'));
      return;
    }
    process.send({ type, value }, undefined, {}, (err) => (err ? reject(err) : resolve()));
  });
}

/** The next message of this type from the parent. */
export function fromParent<T>(type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (raw: unknown) => {
      const m = raw as Message;
      if (m.type !== type) return;
      process.off('message', onMessage);
      resolve(m.value as T);
    };
    process.on('message', onMessage);
  });
}

/** Runs a child's main function: reports failures and exits, closing the IPC channel. */
export function childMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
