// Every value a progress bar showed, as the page committed it: a MutationObserver in the page notes each
// aria-valuenow that the bar matching `selector` takes (the bar may not exist yet when recording
// starts), so nothing between two polls of the test is missed and nothing is made up.

import type { JSHandle, Page } from 'playwright-core';

export interface ProgressRecorder {
  /** The distinct values seen so far, in the order they appeared. */
  values(): Promise<number[]>;
}

export async function recordProgress(page: Page, selector: string): Promise<ProgressRecorder> {
  const handle: JSHandle<number[]> = await page.evaluateHandle((barSelector) => {
    const seen: number[] = [];
    const note = () => {
      const bar = document.querySelector(barSelector);
      const text = bar?.getAttribute('aria-valuenow');
      if (text === null || text === undefined) return;
      const value = Number(text);
      if (seen.at(-1) !== value) seen.push(value);
    };
    note();
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-valuenow'],
    });
    return seen;
  }, selector);
  return { values: () => handle.jsonValue() };
}
