// The public catalogue in a real headless Chromium: search, filter by region, open the
// Samoa project and check its published facts; phone width; language switch; page weight.
// Usage: node catalogue.mjs BASE_URL SCREENSHOT_DIR
import { launch, check, summary, axeCheck } from './lib.mjs';
import { mkdirSync } from 'node:fs';

const base = process.argv[2];
const shots = process.argv[3] || 'screenshots';
mkdirSync(shots, { recursive: true });

const ctx = await launch();
try {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto(`${base}/projects`);
  // Page weight: the HTML plus every stylesheet, script and image it loads.
  const assets = await page.evaluate(() => performance.getEntriesByType('resource').map(e => e.name));
  let bytes = 0;
  for (const url of [`${base}/projects`, ...assets]) bytes += (await (await fetch(url)).arrayBuffer()).byteLength;
  check(bytes > 0 && bytes < 100 * 1024, `catalogue page with its assets weighs under 100 KB (${bytes} bytes)`);
  check(await page.locator('h1').innerText() === 'Project catalogue', 'catalogue heading');
  await axeCheck(page, 'catalogue');
  await page.screenshot({ path: `${shots}/catalogue-desktop.png`, fullPage: false });

  // Search.
  await page.fill('#q', 'reintegration');
  await Promise.all([page.waitForNavigation(), page.click('form.search button[type=submit]')]);
  check(page.url().includes('q=reintegration'), 'the query is in the URL');
  check(await page.locator('.hit mark').count() > 0, 'matches are highlighted');
  const total = await page.locator('#results-h').innerText();
  check(/\d+ projects?/.test(total), `a result count is shown (${total})`);

  // Filter by region, keeping the query.
  const region = page.locator('.facet a', { hasText: 'Asia and Oceania' });
  await Promise.all([page.waitForNavigation(), region.first().click()]);
  check(page.url().includes('region=Asia+and+Oceania') && page.url().includes('q=reintegration'),
    'the region filter joins the query in the URL');
  const metas = await page.locator('.hit .meta').allInnerTexts();
  check(metas.length > 0 && metas.every(m => m.includes('Asia and Oceania')),
    `every result is in Asia and Oceania (${metas.length} shown)`);
  await page.screenshot({ path: `${shots}/catalogue-filtered.png` });

  // The download link carries the search: its CSV holds only Asia and Oceania.
  const csvHref = await page.locator('.exports a', { hasText: 'CSV' }).first().getAttribute('href');
  check(csvHref.includes('region=Asia+and+Oceania') && csvHref.includes('q=reintegration'), 'the CSV download link carries the search');
  const csv = await (await fetch(new URL(csvHref, base))).text();
  const rows = (csv.match(/^(?:[A-Z]{2}\.\d{4})?,(?:[A-Z]{2}\d{2}[A-Z]\d{4})?,/gm) || []).length;
  const shown = parseInt((await page.locator('#results-h').innerText()).match(/\d+/)[0], 10);
  check(rows === shown && !csv.includes(',Europe,'), `the CSV download has exactly the ${shown} results (${rows} rows)`);

  // Open the Samoa project.
  await page.fill('#q', 'Samoa');
  await Promise.all([page.waitForNavigation(), page.click('form.search button[type=submit]')]);
  const samoa = page.locator('.hit h3 a', { hasText: 'Capacity building for reintegration of non-IOM returnees in Samoa' });
  await Promise.all([page.waitForNavigation(), samoa.click()]);
  check(page.url().endsWith('/projects/AU10P0004'), 'the Samoa project opens at its Prima ID');
  const facts = {};
  for (const div of await page.locator('dl.facts > div').all()) {
    facts[await div.locator('dt').innerText()] = await div.locator('dd').innerText();
  }
  const expect = {
    'PROJECT TYPE': 'Community and Economic Development',
    'BUDGET AMOUNT (USD)': '200,000.00',
    'YEAR': '2018',
    'IDF REGION': 'Asia and Oceania',
    'PRIMA ID': 'AU10P0004',
    'BENEFITING MEMBER STATES': 'Samoa',
    'START DATE': 'Not published',
    'PROJECTS ID': 'Not published',
  };
  for (const [k, v] of Object.entries(expect)) {
    const got = Object.entries(facts).find(([dk]) => dk.toUpperCase() === k)?.[1];
    check(got === v, `Samoa: ${k} is ${v} (got ${got})`);
  }
  const body = await page.locator('main').innerText();
  check(body.includes('Capacity of SRCT staff built'), 'Samoa: outputs are listed');
  check(body.includes('Communities of origin create an enabling and receptive environment'), 'Samoa: outcomes are listed');
  await axeCheck(page, 'project page');
  await page.screenshot({ path: `${shots}/project-samoa.png`, fullPage: true });

  // Phone width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/projects?q=migrants`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
  await axeCheck(page, 'catalogue on a phone');
  await page.screenshot({ path: `${shots}/catalogue-phone.png`, fullPage: false });
  await page.goto(`${base}/projects/CD.0085`);
  const o2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(o2 <= 0, `project page fits a phone (overflow ${o2}px)`);
  await page.screenshot({ path: `${shots}/project-phone.png`, fullPage: true });

  // Language switch.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/projects?q=Samoa`);
  await Promise.all([page.waitForNavigation(), page.click('a[lang=fr]')]);
  check(await page.locator('h1').innerText() === 'Catalogue des projets', 'the switch turns the catalogue French');
  check(page.url().includes('q=Samoa'), 'the switch keeps the search');
  await page.goto(`${base}/projects/TC.0495`);
  check((await page.locator('main').textContent()).includes('Date de début'), 'the choice is remembered on the next page');
  await page.screenshot({ path: `${shots}/project-albania-fr.png`, fullPage: true });
} finally {
  await ctx.close();
}
process.exit(summary() ? 0 : 1);
