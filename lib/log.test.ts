import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { config } from './env';
import { log } from './log';
import { observeRequests } from './net/http-hook';
import { allowLoggedErrors, loggedEntries } from './testing/log-guard';

let stdout: ReturnType<typeof vi.spyOn>;
let stderr: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  allowLoggedErrors();
});
afterEach(() => vi.restoreAllMocks());

const written = (spy: ReturnType<typeof vi.spyOn>) => spy.mock.calls.map((c: unknown[]) => String(c[0]));

describe('log', () => {
  it('writes one JSON object per line: level, ISO time, instance, scope, msg', () => {
    log.info('content', 'loaded 3 articles');
    const [line] = written(stdout);
    expect(line).toMatch(/^\{.*\}\n$/);
    expect(line!.slice(0, -1)).not.toMatch(/\n/);
    const entry = JSON.parse(line!);
    expect(entry).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      instance: config.INSTANCE_ID,
      scope: 'content',
      msg: 'loaded 3 articles',
    });
    expect(stderr).not.toHaveBeenCalled();
  });

  it('sends warnings and errors to stderr, info to stdout', () => {
    log.warn('auth', 'sign-in failed');
    log.error('db', 'cannot open');
    expect(stdout).not.toHaveBeenCalled();
    expect(loggedEntries(stderr).map((e) => [e.level, e.scope, e.msg])).toEqual([
      ['warn', 'auth', 'sign-in failed'],
      ['error', 'db', 'cannot open'],
    ]);
  });

  it('puts an error on the same line, its stack in one field', () => {
    const error = Object.assign(new Error('connection refused'), {
      code: 'ECONNREFUSED',
      row: 'a@b.example',
    });
    log.error('db', 'query failed', error);
    const lines = written(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.trimEnd().split('\n')).toHaveLength(1);
    const [entry] = loggedEntries(stderr);
    expect(entry).toMatchObject({
      level: 'error',
      scope: 'db',
      msg: 'query failed',
      err: { type: 'Error', message: 'connection refused', code: 'ECONNREFUSED' },
    });
    expect(entry!.err!.stack).toMatch(/^Error: connection refused\n {4}at /);
    // Only the error's kind, message, stack and code: other properties may hold a row's data.
    expect(JSON.stringify(entry)).not.toContain('a@b.example');
  });

  it('adds fields, never letting them replace its own', () => {
    log.warn('replies', 'flood control', { userId: 'u1', waitSeconds: 3, msg: 'forged', level: 'info' });
    const [entry] = loggedEntries(stderr);
    expect(entry).toMatchObject({ level: 'warn', msg: 'flood control', userId: 'u1', waitSeconds: 3 });
  });

  it('cannot be made to write a second line by what it is given (SECURITY P23)', () => {
    log.warn('auth', 'name=evil\n{"level":"info","msg":"forged"}\r\n', { note: 'x\ny' });
    const lines = written(stderr).join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).msg).toBe('name=evil\n{"level":"info","msg":"forged"}\r\n');
  });

  it("carries the request's id while serving a request, the same one the response names", async () => {
    observeRequests('log-test', () => undefined); // installs the hook (boot() does in the app)
    const server = http.createServer((_req, res) => {
      log.info('test', 'serving');
      setImmediate(() => {
        log.warn('test', 'later, still for this request');
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { 'x-request-id': 'from-the-client' },
      });
      await res.text();
      const id = res.headers.get('x-request-id');
      // The client's own id is kept only from a trusted proxy: this one was replaced.
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const entries = [...loggedEntries(stdout), ...loggedEntries(stderr)];
      expect(entries.map((e) => [e.msg, e.reqId])).toEqual([
        ['serving', id],
        ['later, still for this request', id],
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    log.info('test', 'outside any request');
    expect(loggedEntries(stdout).at(-1)).not.toHaveProperty('reqId');
  });
});
