import { Command, Option } from 'commander';
import { loadConfig, ENV_VARS, type Config } from '../config/config.ts';
import { isPyflareError } from '../errors.ts';
import { VERSION } from '../version.ts';
import { PASSWORD_ENV, runAdminCommand, runUsersCommand } from './admin.ts';
import { runStart } from './start.ts';

const program = new Command('pyflare')
  .description('PyFlare: OpenTelemetry-native observability for AI/ML in production')
  .version(VERSION, '-v, --version')
  .showHelpAfterError();

const startFlags: [keyof Config, string, string][] = [
  ['host', '--host <host>', 'address to bind (default 127.0.0.1)'],
  ['port', '--port <port>', 'API and UI port (default 8080)'],
  ['otlpHttpPort', '--otlp-http-port <port>', 'OTLP/HTTP port (default 4318)'],
  ['otlpGrpcPort', '--otlp-grpc-port <port>', 'OTLP/gRPC port (default 4317)'],
  ['dataDir', '--data-dir <dir>', 'storage directory (default ./pyflare-data)'],
  ['apiKey', '--api-key <key>', 'seed this admin key on first start'],
  ['auth', '--auth <mode>', 'enabled | disabled (local-only, loopback)'],
  ['logLevel', '--log-level <level>', 'fatal|error|warn|info|debug|trace|silent'],
  ['maxBodyBytes', '--max-body-bytes <n>', 'largest request body (default 16 MiB)'],
  ['retentionDays', '--retention-days <n>', 'default retention for new projects (default 30)'],
  ['ingestWorkers', '--ingest-workers <n>', 'threads decoding OTLP trace requests (0: event loop)'],
];

const start = program
  .command('start')
  .description('run every role in one process (OTLP receivers, pipeline, storage, API)')
  .option('-c, --config <file>', 'YAML config file (default ./pyflare.yaml if present)')
  .option('--role <role>', 'all (the only role in embedded mode)', 'all');
for (const [key, flags, help] of startFlags) {
  start.addOption(new Option(flags, `${help} [${ENV_VARS[key]}]`));
}
start.action(async (opts: Record<string, unknown>) => {
  if (opts.role !== 'all') {
    throw new Error(`--role ${String(opts.role)}: only 'all' exists in this version`);
  }
  const flags = Object.fromEntries(startFlags.map(([key]) => [key, opts[key]]));
  const config = loadConfig({ flags, configFile: opts.config as string | undefined });
  await runStart(config);
});

const remote = (cmd: Command) =>
  cmd
    .option('--url <url>', 'API of a running server (default http://127.0.0.1:$PYFLARE_PORT)')
    .option('--api-key <key>', 'admin API key for the running server [PYFLARE_API_KEY]')
    .option(
      '--data-dir <dir>',
      'when no server runs: open this storage directly [PYFLARE_DATA_DIR]',
    )
    .option('--json', 'print JSON');

const keys = program.command('keys').description('manage API keys');
remote(keys.command('create').description('create an API key (printed once)'))
  .requiredOption('--name <name>', 'what the key is for')
  .option('--scopes <scopes>', 'comma-separated: ingest, read, admin', 'ingest')
  .option('--project <id>', 'project id (default: the admin key’s project, or the first)')
  .action((opts) => runAdminCommand('keys.create', opts));
remote(keys.command('list').description('list API keys'))
  .option('--project <id>', 'only this project')
  .action((opts) => runAdminCommand('keys.list', opts));
remote(keys.command('revoke').description('revoke an API key').argument('<keyId>')).action(
  (keyId: string, opts) => runAdminCommand('keys.revoke', { ...opts, keyId }),
);

const projects = program.command('projects').description('manage projects');
remote(projects.command('create').description('create a project').argument('<name>'))
  .option('--retention-days <n>', 'retention for this project')
  .action((name: string, opts) => runAdminCommand('projects.create', { ...opts, name }));
remote(projects.command('list').description('list projects')).action((opts) =>
  runAdminCommand('projects.list', opts),
);

const users = program
  .command('users')
  .description('manage web UI users (on the data directory: the server must be stopped)');
const offline = (cmd: Command) =>
  cmd
    .option('--data-dir <dir>', 'storage directory [PYFLARE_DATA_DIR]')
    .option(
      '--url <url>',
      'where to check that no server runs (default http://127.0.0.1:$PYFLARE_PORT)',
    )
    .option('--json', 'print JSON');
const passwordHelp = `read the password from stdin (else $${PASSWORD_ENV}, else one is generated and printed once)`;
offline(users.command('create').description('create a user in a project').argument('<email>'))
  .option('--name <name>', 'display name (default: the email’s local part)')
  .option('--role <role>', 'viewer | member | admin', 'member')
  .option('--project <id>', 'project id (default: the first project)')
  .option('--password-stdin', passwordHelp)
  .action((email: string, opts) => runUsersCommand('create', { ...opts, email }));
offline(users.command('list').description('list users and their role in each project'))
  .option('--project <id>', 'only this project')
  .action((opts) => runUsersCommand('list', opts));
offline(
  users
    .command('set-role')
    .description('set a user’s role in a project (adds them to it when not a member)')
    .argument('<email>')
    .argument('<role>', 'viewer | member | admin'),
)
  .option('--project <id>', 'project id (default: the first project)')
  .action((email: string, role: string, opts) =>
    runUsersCommand('set-role', { ...opts, email, role }),
  );
offline(
  users
    .command('remove')
    .description('remove a user from a project (a user left in no project is deleted)')
    .argument('<email>'),
)
  .option('--project <id>', 'project id (default: the first project)')
  .action((email: string, opts) => runUsersCommand('remove', { ...opts, email }));
offline(
  users
    .command('reset-password')
    .description('set a new password; the user’s sessions end')
    .argument('<email>'),
)
  .option('--password-stdin', passwordHelp)
  .action((email: string, opts) => runUsersCommand('reset-password', { ...opts, email }));

program
  .command('demo')
  .description(
    'run a fake LLM provider and realistic workloads (RAG, agent, classifier, pipeline) through @pyflare/sdk against a running server',
  )
  .option('--duration <seconds>', 'how long to run', '60')
  .option('--rate <n>', 'requests per second over all services', '4')
  .option('--url <url>', 'API of the running server (default http://127.0.0.1:$PYFLARE_PORT)')
  .option(
    '--otlp-endpoint <url>',
    'its OTLP/HTTP receiver (default http://127.0.0.1:$PYFLARE_OTLP_HTTP_PORT)',
  )
  .option('--api-key <key>', 'an ingest or admin API key [PYFLARE_API_KEY]')
  .option('--seed <n>', 'random seed, for a reproducible run')
  .action(async (opts: Record<string, string | undefined>) => {
    const { runDemo } = await import('@pyflare/sdk/demo');
    const number = (name: string, v: string | undefined) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
      return n;
    };
    const url = opts.url ?? `http://127.0.0.1:${process.env.PYFLARE_PORT ?? 8080}`;
    await runDemo({
      durationSeconds: number('duration', opts.duration),
      rate: number('rate', opts.rate),
      otlpEndpoint:
        opts.otlpEndpoint ?? `http://127.0.0.1:${process.env.PYFLARE_OTLP_HTTP_PORT ?? 4318}`,
      apiKey: opts.apiKey ?? process.env.PYFLARE_API_KEY,
      seed: opts.seed === undefined ? undefined : number('seed', opts.seed),
    });
    process.stdout.write(
      `\nDone. Open ${url} to explore the traces, sessions, models and ML data.\n`,
    );
  });

program
  .command('version')
  .description('print the version')
  .action(() => {
    process.stdout.write(`pyflare ${VERSION}\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = isPyflareError(error) || error instanceof Error ? error.message : String(error);
  process.stderr.write(`pyflare: ${message}\n`);
  process.exit(isPyflareError(error) && error.code === 'INVALID_CONFIG' ? 2 : 1);
}
