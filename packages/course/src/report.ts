/**
 * A grade report in four formats:
 *   text        for a student's terminal
 *   json        our own schema (the GradeReport itself, with a schema tag)
 *   gradescope  Gradescope's results.json: score, output, tests[name, score, max_score, output, visibility]
 *   junit       JUnit XML: a testsuite per exercise, a testcase per check, <failure> with the message
 */

import type { GradeReport } from './grade.ts';

export const FORMATS = ['text', 'json', 'gradescope', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export function formatReport(report: GradeReport, format: Format): string {
  switch (format) {
    case 'text':
      return textReport(report);
    case 'json':
      return `${JSON.stringify({ schema: 'unroll-grade/1', ...report }, null, 2)}\n`;
    case 'gradescope':
      return `${JSON.stringify(gradescopeReport(report), null, 2)}\n`;
    case 'junit':
      return junitReport(report);
  }
}

const points = (x: number) => String(Math.round(x * 100) / 100);
const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((line) => by + line)
    .join('\n');

export function textReport(report: GradeReport): string {
  const lines: string[] = [];
  for (const e of report.exercises) {
    lines.push(
      `${e.id}  ${points(e.score)}/${points(e.points)}  ${e.title} (chapter ${e.chapter})`,
    );
    for (const c of e.checks) {
      lines.push(
        `  ${c.status === 'passed' ? '✓' : '✗'} ${c.name}  ${points(c.score)}/${points(c.points)}`,
      );
      if (c.output !== '') lines.push(indent(c.output, '      '));
    }
  }
  lines.push('', `total ${points(report.score)}/${points(report.maxScore)} (seed ${report.seed})`);
  return `${lines.join('\n')}\n`;
}

export function gradescopeReport(report: GradeReport) {
  return {
    score: report.score,
    output: `unroll grade, seed ${report.seed}: ${points(report.score)}/${points(report.maxScore)}`,
    visibility: 'visible',
    stdout_visibility: 'visible',
    tests: report.exercises.flatMap((e) =>
      e.checks.map((c) => ({
        name: `${e.id}: ${c.name}`,
        number: `${e.chapter}`,
        score: c.score,
        max_score: c.points,
        status: c.status === 'passed' ? 'passed' : 'failed',
        output: c.output,
        visibility: 'visible',
      })),
    ),
  };
}

const xml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[ch]};`,
  );

export function junitReport(report: GradeReport): string {
  const failures = (checks: GradeReport['exercises'][number]['checks']) =>
    checks.filter((c) => c.status !== 'passed').length;
  const all = report.exercises.flatMap((e) => e.checks);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="unroll grade" tests="${all.length}" failures="${failures(all)}">`,
  ];
  for (const e of report.exercises) {
    lines.push(
      `  <testsuite name="${xml(e.id)}" tests="${e.checks.length}" failures="${failures(e.checks)}">`,
      `    <properties><property name="score" value="${e.score}"/><property name="points" value="${e.points}"/></properties>`,
    );
    for (const c of e.checks) {
      const open = `    <testcase classname="${xml(e.id)}" name="${xml(c.name)}">`;
      if (c.status === 'passed') {
        lines.push(`${open.slice(0, -1)}/>`);
      } else {
        const first = c.output.split('\n')[0] ?? '';
        lines.push(
          open,
          `      <failure message="${xml(first)}" type="${c.status}">${xml(c.output)}</failure>`,
          '    </testcase>',
        );
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
