import path from 'node:path';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** The e2e server's CONTENT_DIR: a copy of content/ that tests may add files to. */
export const E2E_CONTENT_DIR = path.resolve('.tmp/e2e-content');
/** Mail the e2e SMTP peer received, one .eml file per message (e2e/serve.mjs). */
export const E2E_MAIL_DIR = path.resolve('.tmp/e2e-mail');
/** The e2e server's SQLite database, for fixtures that create accounts directly. */
export const E2E_DATABASE_FILE = path.resolve('.tmp/e2e-data/e2e.db');
/** The e2e server's AUTH_SECRET (e2e/serve.mjs sets the same), so fixtures can write session cookies. */
export const E2E_AUTH_SECRET = 'e2e-secret-not-for-production-0123456789abcdef';
