// axe-core in the page under test: its source injected as a script, axe.run(document) over the whole
// page, and the violations brought back as plain data a failed assertion can print.
// https://github.com/dequelabs/axe-core/blob/develop/doc/API.md#api-name-axerun

import axe from 'axe-core';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  /** One entry per offending element: its selector and axe's summary of what to fix. */
  readonly nodes: ReadonlyArray<{ readonly target: string; readonly summary: string }>;
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) await page.addScriptTag({ content: axe.source });
  // A string, not a function: the page's global `axe` is meant, not this module's import.
  const raw: unknown = await page.evaluate(`axe.run(document).then((results) => results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    nodes: v.nodes.map((node) => ({ target: node.target.join(' '), summary: node.failureSummary ?? '' })),
  })))`);
  if (!Array.isArray(raw)) throw new Error(`axe.run answered ${JSON.stringify(raw)}, not a list of violations`);
  return raw.map(readViolation);
}

function readViolation(value: unknown): AxeViolation {
  const text = (record: object, name: string): string => {
    const field: unknown = Reflect.get(record, name);
    if (typeof field !== 'string') throw new Error(`axe violation without a string ${name}: ${JSON.stringify(value)}`);
    return field;
  };
  if (typeof value !== 'object' || value === null) throw new Error(`not an axe violation: ${JSON.stringify(value)}`);
  const nodes: unknown = Reflect.get(value, 'nodes');
  return {
    id: text(value, 'id'),
    impact: text(value, 'impact'),
    help: text(value, 'help'),
    nodes: (Array.isArray(nodes) ? nodes : []).map((node: unknown) =>
      typeof node === 'object' && node !== null ? { target: text(node, 'target'), summary: text(node, 'summary') } : { target: '?', summary: '?' },
    ),
  };
}

/** One line per offending element, for an assertion message. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .flatMap((v) => v.nodes.map((node) => `${v.id} (${v.impact}): ${v.help}\n  at ${node.target}\n  ${node.summary.replace(/\n/g, '\n  ')}`))
    .join('\n');
}
