import { pino } from 'pino';
import type { Config } from '../config/config.ts';
import { startServer } from '../server.ts';

/** `pyflare start`: runs until SIGINT/SIGTERM, then stops accepting, flushes and exits 0. */
export async function runStart(config: Config): Promise<void> {
  const logger = pino({ level: config.logLevel });
  const server = await startServer(config, { logger });
  if (server.createdAdminKey) {
    // Printed once, straight to the terminal, never through the logger.
    process.stdout.write(
      [
        '',
        '  A default project and an admin API key were created. The key is shown once:',
        '',
        `      ${server.createdAdminKey}`,
        '',
        '  Send telemetry with it:',
        `      OTEL_EXPORTER_OTLP_ENDPOINT=http://${config.host}:${server.ports.otlpHttp}`,
        `      OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer ${server.createdAdminKey}"`,
        '',
      ].join('\n') + '\n',
    );
  }
  const admin = server.createdAdminUser;
  if (admin) {
    const url = `http://${config.host}:${server.ports.api}/`;
    process.stdout.write(
      (admin.password
        ? [
            '',
            `  An admin user was created. Log in at ${url} as`,
            '',
            `      email:    ${admin.email}`,
            `      password: ${admin.password}`,
            '',
            '  The password is shown once; change it under Settings once logged in.',
            '',
          ]
        : [
            '',
            `  An admin user was created: log in at ${url} as ${admin.email}`,
            '  with the password of PYFLARE_ADMIN_PASSWORD.',
            '',
          ]
      ).join('\n') + '\n',
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping: no new requests, flushing accepted data');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
