// Shared helpers for Homeward's browser tests: start Debian's Chromium headless with the
// flags this project's machines need, run axe-core on a page, and count checks.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = join(dirname(require.resolve('axe-core')), 'axe.min.js');

export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'homeward-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Homeward's CSP forbids inline scripts; axe-core is injected as one, by the test only.
    bypassCSP: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic'],
  });
}

let passed = 0;
let failed = 0;

export function check(cond, what) {
  if (cond) { passed++; console.log(`ok - ${what}`); }
  else { failed++; console.log(`FAILED - ${what}`); }
}

export function summary() {
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}

// No serious or critical accessibility violation on the page as it is now.
export async function axeCheck(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => await window.axe.run());
  const bad = result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) console.log(`  axe ${v.impact}: ${v.id} ${v.help} (${v.nodes.length} nodes) e.g. ${v.nodes[0]?.target}`);
  check(bad.length === 0, `${name}: no serious or critical axe-core violation`);
}

// axe-core at desktop width and at phone width (scrollable regions a keyboard must
// reach included), the viewport put back after.
export async function axeBoth(page, name) {
  const size = page.viewportSize() || { width: 1280, height: 900 };
  await axeCheck(page, `${name} (desktop)`);
  await page.setViewportSize({ width: 375, height: 800 });
  await axeCheck(page, `${name} (phone)`);
  await page.setViewportSize(size);
}
