// `npm test`: typecheck, lint, format, unit, e2e, in order (SPEC §8). Every stage runs even if an earlier
// one failed, and the last line adds up every suite: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

type Stage = {
  name: string;
  /** The npm script it runs. */
  script: string;
  args?: string[];
  /** A JSON report to count tests from (Vitest's or Playwright's), removed before the stage. */
  report?: string;
  /** Exit 0 without a report means "skipped" (its output says why), not a pass. */
  skippable?: boolean;
};
type Counts = { passed: number; failed: number };

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const stages: Stage[] = [
  { name: 'typecheck', script: 'typecheck' },
  { name: 'lint', script: 'lint' },
  { name: 'format', script: 'format:check' },
  {
    name: 'unit',
    script: 'test:unit',
    args: ['--', '--reporter=default', '--reporter=json', '--outputFile=test-results/unit.json'],
    report: 'test-results/unit.json',
  },
  { name: 'e2e', script: 'test:e2e', report: 'test-results/e2e.json' },
  // The article page's first-load JS budget (scripts/bench/budgets.ts) on the build e2e just used.
  { name: 'js budget', script: 'bench:bundle' },
  // Two instances sharing PostgreSQL and Redis; skipped (and said so) where those don't answer.
  {
    name: 'e2e multi-instance',
    script: 'test:multi',
    report: 'test-results/e2e-multi.json',
    skippable: true,
  },
];

/** Vitest's JSON report (`numPassedTests`, …) or Playwright's (`stats.expected`, …). */
type Report = {
  numPassedTests?: number;
  numFailedTests?: number;
  stats?: { expected?: number; flaky?: number; unexpected?: number };
};

function countReport(name: string, file: string): Counts | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  if (name === 'unit') return { passed: report.numPassedTests ?? 0, failed: report.numFailedTests ?? 0 };
  const s = report.stats ?? {};
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0 };
}

let passed = 0;
let failed = 0;
const lines: string[] = [];
for (const stage of stages) {
  console.log(`\n=== ${stage.name} ===`);
  if (stage.report) rmSync(stage.report, { force: true });
  const started = Date.now();
  const result = spawnSync(npm, ['run', stage.script, ...(stage.args ?? [])], {
    stdio: 'inherit',
    env: process.env,
  });
  const ok = result.status === 0;
  const counts = stage.report ? countReport(stage.name, stage.report) : null;
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
    // A runner that failed without reporting a failing test (crash, build error) still counts.
    if (!ok && counts.failed === 0) failed += 1;
  } else if (ok && stage.skippable) {
    lines.push(`${stage.name}: skipped (its output says why)`);
    continue;
  } else if (ok) passed += 1;
  else failed += 1;
  lines.push(
    `${stage.name}: ${ok ? 'ok' : 'FAILED'}${counts ? ` (${counts.passed} passed, ${counts.failed} failed)` : ''} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
