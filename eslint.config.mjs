import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import checkFile from 'eslint-plugin-check-file';

// Structure is written down in STYLE.md §1 and enforced here: one-way imports
// (app → components → lib), kebab-case file names, named exports outside app/.
const restrict = (...groups) => [
  'error',
  {
    patterns: groups.map((group) => ({
      group,
      message: 'Imports flow app → components → lib (STYLE.md §1.1).',
    })),
  },
];

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
  { files: ['lib/cache/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
]);
