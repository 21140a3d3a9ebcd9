import pino from 'pino';
import { config } from './env';
import { currentRequest } from './net/http-hook';

/**
 * One logger for the server: one JSON object per line (pino), so a log collector reads fields
 * rather than parsing text, and nothing a reader typed can forge a line (JSON escapes CR/LF:
 * SECURITY P23). Each line has `level`, `time` (ISO, UTC), `instance` (INSTANCE_ID), `scope`,
 * `msg`, `reqId` while serving a request (lib/net/http-hook.ts), any fields given, and for an
 * error `err: { type, message, stack, code? }` with the stack in one field. Info goes to stdout,
 * warnings and errors to stderr, written synchronously (no worker threads: README, "Metrics and logs").
 */
type Level = 'info' | 'warn' | 'error';

/** The optional last argument: an Error (or anything thrown), or extra fields for the line. */
type Extra = unknown;

// Keys the logger writes itself: a field of the same name would give the line two of them.
const RESERVED = new Set(['level', 'time', 'instance', 'scope', 'msg', 'reqId', 'err']);

const isErrorLike = (value: unknown): value is Error =>
  value instanceof Error ||
  (typeof value === 'object' &&
    value !== null &&
    typeof (value as Error).message === 'string' &&
    typeof (value as Error).stack === 'string');

/**
 * What an error shows: its kind, message, stack and code, never its other properties (a driver's
 * error may carry the row it refused, emails included: SECURITY P23).
 */
function serializeError(error: Error) {
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    stack: error.stack,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
  };
}

function fieldsOf(extra: Extra): Record<string, unknown> {
  if (extra === undefined) return {};
  if (isErrorLike(extra)) return { err: serializeError(extra) };
  if (typeof extra !== 'object' || extra === null) return { err: { message: String(extra) } };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extra)) {
    if (key === 'err' && isErrorLike(value)) fields.err = serializeError(value);
    else if (!RESERVED.has(key)) fields[key] = value;
  }
  return fields;
}

const lineTo = (stream: 'stdout' | 'stderr') => ({
  // Looked up on every line, so a test's spy on process.stdout.write sees it.
  write: (line: string) => process[stream].write(line),
});

const options: pino.LoggerOptions = {
  base: { instance: config.INSTANCE_ID },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  serializers: { err: (error: unknown) => error }, // already shaped by serializeError
  mixin: () => {
    const request = currentRequest();
    return request ? { reqId: request.id } : {};
  },
};
const out = pino({ ...options, level: 'info' }, lineTo('stdout'));
const err = pino({ ...options, level: 'warn' }, lineTo('stderr'));

function write(level: Level, scope: string, message: string, extra?: Extra) {
  const logger = level === 'info' ? out : err;
  logger[level]({ scope, ...fieldsOf(extra) }, message);
}

export const log = {
  info: (scope: string, message: string, extra?: Extra) => write('info', scope, message, extra),
  warn: (scope: string, message: string, extra?: Extra) => write('warn', scope, message, extra),
  error: (scope: string, message: string, extra?: Extra) => write('error', scope, message, extra),
};
