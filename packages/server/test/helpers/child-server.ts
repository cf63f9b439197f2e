import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/pyflare.js', import.meta.url));

/**
 * A `pyflare start` process (Node, tsx, chDB open and migrations) can take well over 10 s to
 * say it runs on a loaded machine: wait this long before calling it stuck.
 */
export const CHILD_START_MS = 180_000;

export interface ChildServer {
  child: ChildProcess;
  ports: { api: number; otlpHttp: number; otlpGrpc: number };
  /** Everything it has written to stdout so far (more may follow the "running" line). */
  stdout(): string;
  /** Resolves with the exit code once it has exited and its output has all been read. */
  closed: Promise<number | null>;
}

/**
 * Runs the real binary: `pyflare start <args>` with `env` over this process's environment, and
 * resolves once it logs that it runs (its ports, from that line); rejects if it exits first.
 */
export function startChildServer(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<ChildServer> {
  const child = spawn(process.execPath, [BIN, 'start', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYFLARE_LOG_LEVEL: 'info', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const closed = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  return new Promise<ChildServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pyflare start did not run in time: ${stdout}${stderr}`));
    }, CHILD_START_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = stdout.split('\n').find((l) => l.includes('"msg":"PyFlare is running"'));
      if (!line) return;
      clearTimeout(timer);
      const ports = JSON.parse(line) as { api: number; otlpHttp: number; otlpGrpc: number };
      resolve({
        child,
        ports: { api: ports.api, otlpHttp: ports.otlpHttp, otlpGrpc: ports.otlpGrpc },
        stdout: () => stdout,
        closed,
      });
    });
    void closed.then((code) => {
      clearTimeout(timer);
      reject(new Error(`pyflare start exited (${code}) before it ran: ${stdout}${stderr}`));
    });
  });
}

/** Kills the process (SIGKILL) unless it has exited, and waits until it has. */
export async function killChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}
