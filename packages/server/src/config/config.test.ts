import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'pyflare-config-'));

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({ env: {}, cwd: dir() });
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      otlpHttpPort: 4318,
      otlpGrpcPort: 4317,
      auth: 'enabled',
      retentionDays: 30,
      maxBodyBytes: 16 * 1024 * 1024,
    });
    expect(c.dataDir).toMatch(/pyflare-data$/);
  });

  it('layers yaml < environment < flags', () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'pyflare.yaml'),
      'port: 9000\notlp_http_port: 9318\nretention_days: 7\n',
    );
    const c = loadConfig({
      env: { PYFLARE_PORT: '9100', PYFLARE_OTLP_GRPC_PORT: '9317' },
      flags: { port: '9200' },
      cwd,
    });
    expect(c.port).toBe(9200);
    expect(c.otlpHttpPort).toBe(9318);
    expect(c.otlpGrpcPort).toBe(9317);
    expect(c.retentionDays).toBe(7);
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ env: { PYFLARE_PORT: 'x' }, cwd: dir() })).toThrow(/PYFLARE_PORT/);
    expect(() => loadConfig({ env: { PYFLARE_AUTH: 'maybe' }, cwd: dir() })).toThrow(
      /PYFLARE_AUTH/,
    );
    expect(() => loadConfig({ env: { PYFLARE_API_KEY: 'short' }, cwd: dir() })).toThrow(
      /PYFLARE_API_KEY/,
    );
  });

  it('reads the account settings: admin password, session lifetime, UI directory', () => {
    const cwd = dir();
    const c = loadConfig({
      env: {
        PYFLARE_ADMIN_PASSWORD: 'twelve-chars-at-least',
        PYFLARE_SESSION_TTL_SECONDS: '3600',
        PYFLARE_UI_DIR: 'ui',
      },
      cwd,
    });
    expect(c.adminPassword).toBe('twelve-chars-at-least');
    expect(c.sessionTtlSeconds).toBe(3600);
    expect(c.uiDir).toBe(join(cwd, 'ui'));
    expect(loadConfig({ env: {}, cwd }).sessionTtlSeconds).toBe(7 * 86_400);
    expect(() => loadConfig({ env: { PYFLARE_ADMIN_PASSWORD: 'short' }, cwd })).toThrow(
      /PYFLARE_ADMIN_PASSWORD.*12 characters/,
    );
    expect(() => loadConfig({ env: { PYFLARE_SESSION_TTL_SECONDS: '0' }, cwd })).toThrow(
      /PYFLARE_SESSION_TTL_SECONDS/,
    );
  });

  it('rejects unknown yaml settings and missing explicit files', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'pyflare.yaml'), 'prot: 1\n');
    expect(() => loadConfig({ env: {}, cwd })).toThrow(/unknown setting 'prot'/);
    expect(() => loadConfig({ env: {}, cwd, configFile: 'nope.yaml' })).toThrow(/not found/);
    writeFileSync(join(cwd, 'list.yaml'), '- a\n- b\n');
    expect(() => loadConfig({ env: {}, cwd, configFile: 'list.yaml' })).toThrow(/mapping/);
  });

  it('allows auth disabled only on loopback', () => {
    expect(() =>
      loadConfig({ env: { PYFLARE_AUTH: 'disabled', PYFLARE_HOST: '10.0.0.5' }, cwd: dir() }),
    ).toThrow(/loopback/);
    expect(
      loadConfig({ env: { PYFLARE_AUTH: 'disabled', PYFLARE_HOST: '::1' }, cwd: dir() }).host,
    ).toBe('::1');
  });
});
