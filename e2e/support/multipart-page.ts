// The demo page's large-file switches (demo/components/MultipartControls.tsx), found by label as a
// visitor finds them, and the UploadPart requests among what the page sent to S3.

import type { Page } from 'playwright-core';
import type { S3Exchange } from './demo-page';

export type MultipartContract = 'presigned' | 'sign-headers' | 'off';

export async function chooseContract(page: Page, contract: MultipartContract): Promise<void> {
  await page.getByLabel('Multipart contract').selectOption(contract);
}

/** Files of at least `mib` MiB go by parts. */
export async function setThreshold(page: Page, mib: number): Promise<void> {
  await page.getByLabel('Multipart from (MiB)').fill(String(mib));
}

/** After a reload: the page asks the backend for its configuration again, then shows the uploaders. */
export async function waitForDemo(page: Page): Promise<void> {
  await page.getByText('Real S3').waitFor();
  await page.getByTestId('drop-in').waitFor();
}

/** PUT ...?partNumber=N&uploadId=... requests, from index `from` of the page's S3 exchanges on. */
export function uploadParts(exchanges: readonly S3Exchange[], from = 0): S3Exchange[] {
  return exchanges.slice(from).filter((exchange) => exchange.method === 'PUT' && new URL(exchange.url).searchParams.has('partNumber'));
}

export function partNumberOf(exchange: S3Exchange): number {
  return Number(new URL(exchange.url).searchParams.get('partNumber'));
}

/** Part numbers S3 answered 200 for, ascending, each as often as it was stored. */
export function storedPartNumbers(exchanges: readonly S3Exchange[], from = 0): number[] {
  return uploadParts(exchanges, from)
    .filter((exchange) => exchange.status === 200)
    .map(partNumberOf)
    .sort((a, b) => a - b);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}
