/**
 * One logger for the server: a line per event, UTC timestamp, CR/LF escaped so user input can't
 * forge log lines (SECURITY P23).
 */
type Level = 'info' | 'warn' | 'error';

const clean = (text: string) => text.replace(/[\r\n]/g, (c) => (c === '\r' ? '\\r' : '\\n'));

function write(level: Level, scope: string, message: string) {
  const line = `${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${clean(message)}`;
  if (level === 'info') process.stdout.write(line + '\n');
  else process.stderr.write(line + '\n');
}

export const log = {
  info: (scope: string, message: string) => write('info', scope, message),
  warn: (scope: string, message: string) => write('warn', scope, message),
  error: (scope: string, message: string) => write('error', scope, message),
};
