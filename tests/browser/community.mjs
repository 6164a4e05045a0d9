// The counter of the Samgori tool library, at phone width, as the centre's operator uses
// it: find the drill, lend it, try to lend it again (refused, with the reason), take it
// back and see the fee recorded; then the public pages of the centre, its pool, the Samoa
// training and Georgia, with axe-core on each and their weight.
// Usage: HOMEWARD_DEMO_PASSWORD=... node community.mjs BASE_URL SCREENSHOT_DIR
import { launch, check, summary, axeCheck } from './lib.mjs';
import { mkdirSync } from 'node:fs';

const base = process.argv[2];
const shots = process.argv[3] || 'screenshots';
const password = process.env.HOMEWARD_DEMO_PASSWORD;
mkdirSync(shots, { recursive: true });

const ctx = await launch();
const page = await ctx.newPage();
await page.setViewportSize({ width: 375, height: 800 });

async function signIn(email) {
  await page.goto(`${base}/signin`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form.stack button[type=submit]')]);
}

const fits = async () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

try {
  await signIn('centre-operator.samgori@homeward.example');
  check(page.url().endsWith('/work'), 'the operator starts at the counters');
  await Promise.all([page.waitForNavigation(), page.click('a[href$="/counter"]')]);
  await axeCheck(page, 'counter');
  check(await fits(), 'the counter fits a phone screen');
  await page.fill('#q', 'drill');
  await Promise.all([page.waitForNavigation(), page.click('form[role=search] button')]);
  const drill = page.locator('article.tool', { hasText: 'Cordless drill' });
  check(await drill.count() === 1, 'the drill is found by a word');
  check(await page.locator('article.tool', { hasText: 'Pressure washer' }).count() === 0, 'other tools are not listed');
  // A second counter, opened on the same search before the loan, still offers the drill.
  const other = await ctx.newPage();
  await other.setViewportSize({ width: 375, height: 800 });
  await other.goto(page.url());
  await drill.locator('input[name=borrower]').fill('Tamar Beridze');
  await drill.locator('input[name=phone]').fill('+995 555 010 203');
  await Promise.all([page.waitForNavigation(), drill.locator('button', { hasText: 'Lend' }).click()]);
  const lent = await page.locator('.notice').innerText();
  check(lent.includes('Lent: Cordless drill to Tamar Beridze'), `lent: ${lent}`);
  check(await drill.locator('button', { hasText: 'Lend' }).count() === 0, 'the drill offers no second loan');
  check((await drill.innerText()).includes('Every unit is out'), 'it says why');
  await page.screenshot({ path: `${shots}/counter-lent.png`, fullPage: true });
  // Lending it there again is refused, with the reason, and nothing is lent twice.
  const stale = other.locator('article.tool', { hasText: 'Cordless drill' });
  await stale.locator('input[name=borrower]').fill('Giorgi Kapanadze');
  await Promise.all([other.waitForNavigation(), stale.locator('button', { hasText: 'Lend' }).click()]);
  const refused = await other.locator('.alert').innerText().catch(() => '');
  check(refused.includes('Cordless drill is already lent (1 of 1 out)'), `the second loan is refused: ${refused}`);
  await axeCheck(other, 'counter with a refusal');
  await other.screenshot({ path: `${shots}/counter-refused.png`, fullPage: true });
  await other.close();
  // Back at the counter: take the drill back; the fee for one day is recorded.
  await drill.locator('select[name=condition]').selectOption('good');
  check(await drill.locator('input[name=fee]').inputValue() === '5.00', 'the fee due is offered: one day at 5 lari');
  await Promise.all([page.waitForNavigation(), drill.locator('button', { hasText: 'Take back' }).click()]);
  const back = await page.locator('.notice').innerText();
  check(back.includes('Taken back: Cordless drill from Tamar Beridze; fee recorded: 5.00 GEL'), `back: ${back}`);
  check(await page.locator('article.tool', { hasText: 'Cordless drill' }).locator('button', { hasText: 'Lend' }).count() === 1, 'the drill may go out again');
  await axeCheck(page, 'counter after a return');
  await page.screenshot({ path: `${shots}/counter-back.png`, fullPage: true });

  // The public pages of the three levels, light and readable on a phone.
  await page.goto(`${base}/account`);
  await Promise.all([page.waitForNavigation(), page.click('nav.work form button')]);
  for (const [path, must] of [
    ['/community', 'Multifunctional service centre, Samgori'],
    ['/capacity', 'Reintegration case management for SRCT staff'],
    ['/countries/GE', 'Reintegration in Georgia'],
  ]) {
    let bytes = 0;
    const count = r => r.body().then(b => { bytes += b.length; }).catch(() => {});
    page.on('response', count);
    await page.goto(`${base}${path}`);
    await page.waitForLoadState('networkidle');
    page.off('response', count);
    check((await page.content()).includes(must), `${path} shows ${must}`);
    check(await fits(), `${path} fits a phone screen`);
    check(bytes < 100 * 1024, `${path} weighs ${Math.round(bytes / 1024)} KB with its assets`);
    await axeCheck(page, path);
  }
  await page.click('a:has-text("Multifunctional service centre, Samgori")');
  await page.waitForLoadState();
  check((await page.content()).includes('Samgori District Authority'), 'the centre names its partner authority');
  await axeCheck(page, 'the centre');
  await page.click('a:has-text("Samgori tool library")');
  await page.waitForLoadState();
  const pool = await page.content();
  check(pool.includes('Cordless drill') && !pool.includes('Tamar Beridze'), 'the pool lists its tools and no borrower');
  check(pool.includes('5.00 GEL'), 'the fee collected today is counted');
  await axeCheck(page, 'the pool');
  await page.screenshot({ path: `${shots}/pool-phone.png`, fullPage: true });
} finally {
  await ctx.close();
}
process.exit(summary() ? 0 : 1);
