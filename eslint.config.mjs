import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import checkFile from 'eslint-plugin-check-file';

// Structure is written down in STYLE.md §1 and docs/conventions.md, and enforced here: one-way
// imports (app → components → lib), layers between lib's domains, no import cycles, kebab-case
// file names, named exports outside app/.
const restrict = (...groups) => [
  'error',
  {
    patterns: groups.map((group) => ({
      group,
      message: 'Imports flow app → components → lib (STYLE.md §1.1).',
    })),
  },
];

/**
 * lib's domains, lowest first. A domain imports only from its own layer or below, never from a
 * layer above it (docs/conventions.md, "Domains import downwards"). The composition root,
 * lib/server.ts, sits above all of them and is not a domain: entry points (actions, queries, route
 * helpers) get the process's parts from it, and import/no-cycle keeps every module it builds from
 * importing it back.
 */
const layers = [
  [
    'env.ts',
    'errors.ts',
    'log.ts',
    'log-throttle.ts',
    'links.ts',
    'validation.ts',
    'security-headers.ts',
    'net',
  ],
  ['db', 'redis', 'mail', 'cache', 'http', 'metrics'],
  ['rate-limit', 'content', 'media', 'push', 'live'],
  ['notifications'],
  ['users'],
  ['auth'],
  ['follows', 'replies', 'desk'],
  ['feeds', 'seo', 'query'],
];
const lib = (name) => `./lib/${name}`;
const layerZones = layers.flatMap((layer, i) =>
  layer.map((name) => ({
    target: lib(name),
    from: layers
      .slice(i + 1)
      .flat()
      .map(lib),
    message: `lib/${name} is below these domains: it must not import them (eslint.config.mjs, layers).`,
  })),
);

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    '.next/**',
    'node_modules/**',
    'playwright-report/**',
    'test-results/**',
    '.tmp/**',
    'next-env.d.ts',
    'content/**',
  ]),
  {
    plugins: { 'check-file': checkFile },
    rules: {
      'check-file/filename-naming-convention': [
        'error',
        {
          '**/!(migrations)/*.{ts,tsx,mjs,cjs,js}': 'KEBAB_CASE',
          'lib/db/migrations/*.ts': '[0-9][0-9][0-9]-+([a-z0-9-])',
        },
        { ignoreMiddleExtensions: true },
      ],
      'check-file/folder-naming-convention': [
        'error',
        { '{app,components,lib,e2e,scripts}/**/': 'NEXT_JS_APP_ROUTER_CASE' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportDefaultDeclaration',
          message: 'Use named exports; default exports only where Next requires them.',
        },
      ],
    },
  },
  {
    files: ['{app,components,lib,pages}/**/*.{ts,tsx}', 'instrumentation.ts'],
    rules: { 'import/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Tests may reach across layers to set up what they check; the code they test may not.
    // Server actions and route handlers' bodies are each domain's top: they authenticate
    // (lib/auth/action.ts, lib/auth/session.ts) and call down.
    files: ['lib/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', 'lib/*/actions.ts', 'lib/*/routes.ts'],
    rules: { 'import/no-restricted-paths': ['error', { zones: layerZones }] },
  },
  {
    // Pages and routes compose; reads and writes go through lib's domains (STYLE.md §1.3).
    files: ['app/**', 'pages/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/lib/db/*'],
              allowTypeImports: true,
              message:
                'app/ reads through lib/<domain>/queries.ts and writes through actions (STYLE.md §1.3).',
            },
          ],
          paths: [
            {
              name: '@/lib/server',
              importNames: ['getDb', 'getRedis', 'server'],
              message:
                'app/ reads through lib/<domain>/queries.ts and writes through actions (STYLE.md §1.3).',
            },
          ],
        },
      ],
    },
  },
  { files: ['components/**'], rules: { 'no-restricted-imports': restrict(['@/app/*', '**/app/*']) } },
  {
    files: ['lib/**'],
    rules: {
      'no-restricted-imports': restrict(['@/app/*', '@/components/*', '**/app/*', '**/components/*']),
    },
  },
  {
    // Next requires default exports from these files.
    files: [
      'app/**/{page,layout,not-found,error,global-error,loading,template,default,sitemap,robots,manifest,icon,opengraph-image}.{ts,tsx}',
      '*.config.{ts,mts,mjs}',
      'proxy.ts',
      'pages/api/**/*.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  { files: ['lib/{cache,metrics}/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
]);
