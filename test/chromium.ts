/** Debian's Chromium driven by playwright-core, for the browser tests; they skip where it cannot start. */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium, or the reason there is none (so a test can skip saying why). */
export async function launchChromium(): Promise<Browser | string> {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed`;
  try {
    const { chromium } = await import('playwright-core');
    // Without the background-networking flags Chromium keeps trying to reach Google's hosts.
    return await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  } catch (e) {
    return `Chromium could not be launched: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}
