// The Norway → Albania story, click by click, with three people of the demo: the host
// caseworker in Oslo registers and counsels the returnee and hands the case over; the
// origin office manager in Tirana assigns it; the origin caseworker records the arrival,
// the Vulnerable Groups package and the plan (car mechanics course, six cows); the
// manager approves; the caseworker records the assistance in lek at the day's rate and a
// visit; the manager closes the case. The assistance must add up to at most 7,800 USD.
// axe-core on the pages it passes through.
// Usage: HOMEWARD_DEMO_PASSWORD=... node story.mjs BASE_URL SCREENSHOT_DIR
import { launch, check, summary, axeCheck } from './lib.mjs';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const base = process.argv[2];
const shots = process.argv[3] || 'screenshots';
const password = process.env.HOMEWARD_DEMO_PASSWORD;
// The SMTP server's messages, one JSON line each, when the server emails notifications.
const mailSink = process.env.HOMEWARD_MAIL_SINK;
mkdirSync(shots, { recursive: true });

async function signIn(page, email) {
  await page.goto(`${base}/signin`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form.stack button[type=submit]')]);
}

async function signOut(page) {
  await Promise.all([page.waitForNavigation(), page.click('nav.work form button')]);
}

// Submits the form holding `selector` and waits for the page that follows.
async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.locator(selector).evaluate(el => el.closest('form').requestSubmit())]);
}

// The emails received so far.
function mails() {
  if (!mailSink || !existsSync(mailSink)) return [];
  return readFileSync(mailSink, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
}

// Waits up to `seconds` for an email matching `pred`.
async function mailArrives(pred, seconds = 15) {
  for (let i = 0; i < seconds * 4; i++) {
    const m = mails().find(pred);
    if (m) return m;
    await new Promise(r => setTimeout(r, 250));
  }
  return null;
}

// The count beside Notifications in the menu.
async function unread(page) {
  const b = page.locator('#nav-notifications .badge');
  return (await b.count()) ? parseInt(await b.innerText(), 10) : 0;
}

async function alertText(page) {
  const a = page.locator('[role=alert]');
  return (await a.count()) ? await a.innerText() : '';
}

const ctx = await launch();
try {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });

  // Oslo: register, counsel, depart, hand over.
  await signIn(page, 'caseworker.oslo@homeward.example');
  await page.goto(`${base}/cases/new`);
  await page.fill('#given_name', 'Dritan');
  await page.fill('#family_name', 'Rrugëtimi');
  await page.selectOption('#sex', 'male');
  await page.fill('#birth_date', '2007-03-01');
  await page.fill('#nationality', 'AL');
  await page.fill('#return_place', 'Bajram Curri');
  await page.selectOption('#origin_office', { label: 'IOM Tirana (AL)' });
  await page.check('input[name=vulnerabilities][value=aged_out_minor]');
  await axeCheck(page, 'registration');
  await submit(page, '#given_name');
  const url = page.url();
  const id = url.match(/\/cases\/(\d+)/)?.[1];
  check(!!id, `registered, the case page opens (${url} ${await alertText(page)})`);
  await page.selectOption('#stage-to', 'counselled');
  await submit(page, '#stage-to');
  await page.selectOption('#stage-to', 'departed');
  await submit(page, '#stage-to');
  await submit(page, 'form[action$="/handover"] button');
  check((await page.locator('main').innerText()).includes('IOM Tirana'), 'handed over to IOM Tirana');
  await signOut(page);

  // Tirana: the manager is told of the hand-over, opens the case from the notification
  // and assigns it; asks to be emailed at once when a plan waits for approval.
  await signIn(page, 'office-manager.tirana@homeward.example');
  check(await unread(page) > 0, 'the menu counts the manager\'s unread notifications');
  await page.click('#nav-notifications');
  const told = page.locator('.notifications li', { hasText: 'Dritan' }).first();
  check((await told.innerText()).includes('Handed over to your office'), 'the manager is told of the hand-over');
  await axeCheck(page, 'notifications');
  await page.screenshot({ path: `${shots}/notifications.png`, fullPage: true });
  await page.selectOption('#em-plan_submitted', 'now');
  await submit(page, '#em-plan_submitted');
  check((await page.locator('[role=status]').innerText()).includes('saved'), 'the email choice is saved and said so');
  await Promise.all([page.waitForNavigation(), told.locator('a').click()]);
  check(page.url().includes(`/cases/${id}`), 'the notification opens the case');
  await page.selectOption('#assign-user', { label: /caseworker\.tirana/ }).catch(async () => {
    const v = await page.locator('#assign-user option', { hasText: 'caseworker.tirana' }).getAttribute('value');
    await page.selectOption('#assign-user', v);
  });
  await submit(page, '#assign-user');
  await signOut(page);

  // Tirana: the caseworker, told of the assignment, records arrival, the package and the plan.
  await signIn(page, 'caseworker.tirana@homeward.example');
  await page.goto(`${base}/notifications`);
  check((await page.locator('.notifications li', { hasText: 'Dritan' }).first().innerText()).includes('Assigned to you'), 'the caseworker is told of the assignment');
  await page.goto(`${base}/cases/${id}`);
  await page.selectOption('#stage-to', 'arrived');
  await submit(page, '#stage-to');
  check((await page.locator('#stage [role=status]').innerText()).includes('stage is saved'), 'the arrival is said back');
  check((await page.getAttribute('#next-step', 'href')) === '#plan', `the next step leads to the plan (${await page.locator('#next-step').innerText()})`);
  await page.locator('#summary').screenshot({ path: `${shots}/case-summary.png` });
  // Back home the returnee has a local phone and a village to name.
  await page.click('#details summary');
  await axeCheck(page, 'correcting the returnee\'s details');
  await page.locator('#details').screenshot({ path: `${shots}/case-details-form.png` });
  await page.fill('#pd-phone', '+355 69 123 4567');
  await page.fill('#pd-rp', 'Bajram Curri');
  await submit(page, '#pd-phone');
  const facts = await page.locator('dl.facts').first().innerText();
  check(facts.includes('+355 69 123 4567') && facts.includes('Bajram Curri'), 'the corrected phone and place of return are shown');
  await page.selectOption('#pk', { label: 'Vulnerable Groups (VG): unaccompanied minors and aged-out minors' });
  await submit(page, '#pk');
  check((await page.locator('#package-now').innerText()).includes('7,800.00 USD'), 'the VG package caps the plan at 7,800 USD');
  const outside = await page.locator('#pi-cat option[value=psychosocial]').innerText();
  check(outside.includes('outside the package'), `a category the package does not pay for says so before it is added (${outside})`);
  for (const [cat, desc, cost, cur] of [
    ['vocational_training', 'Three-month car mechanics course in Tirana', '1500', 'USD'],
    ['business_start_up', 'Six cows for the family; milk sold at the local market', '5500', 'USD'],
  ]) {
    await page.selectOption('#pi-cat', cat);
    await page.fill('#pi-desc', desc);
    await page.fill('#pi-cost', cost);
    await page.selectOption('#pi-cur', cur);
    await submit(page, '#pi-desc');
  }
  check((await page.locator('#plan-total').innerText()).includes('7,000.00 USD'), 'the plan totals 7,000 USD');
  await axeCheck(page, 'case page with a draft plan');
  await submit(page, 'form[action$="/plan/submit"] button');
  check((await page.locator('#plan-state').innerText()).includes('Waiting'), 'the plan waits for approval');
  await signOut(page);

  if (mailSink) {
    const m = await mailArrives(m => m.to.includes('office-manager.tirana@homeward.example') && m.subject.includes('Plan waiting for your approval'));
    check(!!m, `the manager is emailed that the plan waits (${mails().map(x => x.subject).join('; ')})`);
    check(!!m && m.body.includes(`/cases/${id}#plan`) && !m.body.includes('Dritan'), 'the email links to the plan and names no returnee');
  }

  // Tirana: the manager approves.
  await signIn(page, 'office-manager.tirana@homeward.example');
  await page.goto(`${base}/notifications`);
  check((await page.locator('.notifications li', { hasText: 'Dritan' }).first().innerText()).includes('Plan waiting for your approval'), 'the manager is told the plan waits');
  await page.goto(`${base}/cases/${id}`);
  await page.fill('#decide-comment', 'Agreed with the returnee and the family.');
  await Promise.all([page.waitForNavigation(), page.click('#decide-approve')]);
  check((await page.locator('#plan [role=status]').innerText()).includes('Your decision on the plan is saved'), 'the decision is said back beside the plan');
  check((await page.locator('#plan-state').innerText()).includes('Approved'), 'the manager approved the plan');
  await signOut(page);

  // Tirana: the caseworker, told of the approval, records the assistance in lek, and a visit.
  await signIn(page, 'caseworker.tirana@homeward.example');
  await page.goto(`${base}/notifications`);
  check((await page.locator('.notifications li.unread', { hasText: 'Dritan' }).first().innerText()).includes('Plan approved'), 'the caseworker is told the plan is approved');
  await page.goto(`${base}/cases/${id}`);
  const items = await page.locator('#pay-item option').evaluateAll(os => os.filter(o => o.value).map(o => [o.value, o.textContent]));
  const options = items.map(x => x[1]);
  for (const [i, amount] of [[0, '130000'], [1, '500000']]) {
    await page.selectOption('#pay-item', items[i][0]);
    await page.selectOption('#pay-kind', i === 0 ? 'cash' : 'in_kind');
    await page.fill('#pay-amount', amount);
    await page.selectOption('#pay-cur', 'ALL');
    await submit(page, '#pay-amount');
    check((await alertText(page)) === '', `payment for ${options[i]} recorded ${await alertText(page)}`);
  }
  // Going beyond the approved item is refused with the reason.
  await page.selectOption('#pay-item', items[0][0]);
  await page.selectOption('#pay-kind', 'cash');
  await page.fill('#pay-amount', '100000');
  await page.selectOption('#pay-cur', 'ALL');
  await submit(page, '#pay-amount');
  check((await page.locator('#assistance [role=alert]').innerText()).includes('approved'), 'a payment beyond the approved item is refused beside its form');
  check((await page.inputValue('#pay-amount')) === '100000' && (await page.inputValue('#pay-cur')) === 'ALL', 'what was typed is kept');
  // A payment made long ago, at a rate over a month older than it: named, saved only once confirmed.
  await page.selectOption('#pay-item', items[0][0]);
  await page.selectOption('#pay-kind', 'cash');
  await page.fill('#pay-amount', '1000');
  await page.selectOption('#pay-cur', 'ALL');
  await page.fill('#pay-on', '2013-03-15');
  await submit(page, '#pay-amount');
  check((await page.locator('#assistance [role=alert]').innerText()).includes('2013-02-01'), 'an old rate is named before the payment is saved');
  await page.check('#pay-old-rate');
  await submit(page, '#pay-amount');
  const rates = await page.locator('#payments').innerText();
  check(rates.includes('2013-02-01') && rates.includes(new Date().toISOString().slice(0, 10)), 'each payment shows its rate and the rate\'s day');
  // The supplier's receipt for the course, scanned to PDF.
  await page.click('#receipt-upload summary');
  await axeCheck(page, 'attaching a receipt');
  await page.setInputFiles('#rc-file', { name: 'course-receipt.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% course fee receipt\n%%EOF\n') });
  await submit(page, '#rc-file');
  check((await page.locator('#assistance').innerText()).includes('course-receipt.pdf'), 'the receipt is attached to the payment');
  // The course's certificate, kept with the case.
  await page.click('#documents summary');
  await page.selectOption('#dc-kind', 'certificate');
  await page.setInputFiles('#dc-file', { name: 'mechanics-certificate.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% car mechanics course certificate\n%%EOF\n') });
  await axeCheck(page, 'adding a document');
  await submit(page, '#dc-file');
  check((await page.locator('#documents').innerText()).includes('mechanics-certificate.pdf'), 'the certificate is kept with the case');
  check((await page.locator('#documents [role=status]').innerText()).includes('kept'), 'and that is said back');
  const money = await page.locator('#payments td.num').first().evaluate(e => [getComputedStyle(e).whiteSpace, getComputedStyle(e).textAlign]);
  check(money[0] === 'nowrap' && money[1] === 'right', `money is right-aligned and never broken across lines (${money})`);
  await page.goto(`${base}/cases/${id}`);
  await page.selectOption('#stage-to', 'monitoring');
  await submit(page, '#stage-to');
  await page.locator('#follow-up summary').click();
  await page.fill('#fu-notes', 'Course finished; the cows give milk that is sold at the local market.');
  await submit(page, '#fu-notes');

  // A well-being survey: refused until the returnee consents, then scored and charted.
  check((await page.locator('#surveys').innerText()).includes('consent to follow-up surveys'), 'no survey form without consent');
  await page.locator('#consents summary').click();
  await page.selectOption('#co-purpose', 'surveys');
  await submit(page, '#co-purpose');
  await page.locator('#surveys summary').click();
  await page.selectOption('#sv-kind', 'baseline');
  for (const [q, a] of [['income_sources', 'one'], ['income_enough', 'partly'], ['housing', 'adequate'],
    ['social_network', 'several'], ['distress', 'some_days'], ['wish_to_migrate', 'no']]) {
    await page.selectOption(`#sv-a_${q}`, a);
  }
  await axeCheck(page, 'survey form');
  await submit(page, '#sv-kind');
  check((await alertText(page)) === '', `the survey is recorded ${await alertText(page)}`);
  const row = await page.locator('#surveys tbody tr').first().innerText();
  // Economic (0.5×1.5 + 0.5×1.5) / 3 = 0.50; social 1.00; psychosocial (1 + 0.5×1.5 + 1) / 3.5 = 0.79;
  // composite (0.5 + 1 + 0.7857) / 3 = 0.76.
  check(row.includes('0.50') && row.includes('1.00') && row.includes('0.79') && row.includes('0.76') && row.includes('High'),
    `the scores are in the table (${row})`);
  const circles = await page.locator('#surveys svg circle title').allTextContents();
  check(circles.some(t => t.endsWith(': 0.76')), `the chart shows the same composite (${circles.join('; ')})`);
  await page.locator('#surveys').screenshot({ path: `${shots}/case-surveys.png` });
  await signOut(page);

  // Tirana: the manager closes the case.
  await signIn(page, 'office-manager.tirana@homeward.example');
  await page.goto(`${base}/cases/${id}`);
  await page.locator('#closure summary').click();
  await page.selectOption('#cl-reason', 'support_ended');
  await submit(page, '#cl-reason');
  const text = await page.locator('main').innerText();
  check((await page.locator('#stage-now').innerText()).includes('Closed'), 'the case is closed');
  const given = parseFloat((await page.locator('#given-total').innerText()).replace(/[^0-9.]/g, ''));
  check(given > 0 && given <= 7800, `the assistance adds up to at most 7,800 USD (${given})`);
  check(text.includes('Plan approved') && text.includes('Handed over to'), 'the timeline tells the story');
  await axeCheck(page, 'closed case');
  await page.screenshot({ path: `${shots}/story-closed.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!overflow, 'the case page fits a phone screen');
  await axeCheck(page, 'closed case at phone width');
  await page.screenshot({ path: `${shots}/story-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  // The case file on paper: printed to PDF by Chromium, the facts found in it.
  await page.goto(`${base}/cases/${id}`);
  await Promise.all([page.waitForNavigation(), page.click('#print-file')]);
  await axeCheck(page, 'the case file on paper');
  const pdf = `${shots}/case-file.pdf`;
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  const paper = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  check(['Dritan', 'Rrugëtimi', 'Six cows for the family', 'Three-month car mechanics course', '500,000.00 ALL', 'Course finished', 'mechanics-certificate.pdf', 'Support period ended'].every(f => paper.includes(f)),
    `the printed case file holds the facts (${paper.length} characters)`);
  check(!paper.includes('Sign out') && !paper.includes('Record a visit or call'), 'nothing of the menu or the forms is printed');
  await page.setViewportSize({ width: 375, height: 800 });
  await axeCheck(page, 'the case file on paper at phone width');
  await page.setViewportSize({ width: 1280, height: 900 });
  // The returnee's record, readable, in French on request.
  await page.goto(`${base}/cases/${id}`);
  await Promise.all([page.waitForNavigation(), page.click('#record-page')]);
  await page.click('nav.noprint a[lang=fr]');
  await page.waitForLoadState();
  const record = await page.locator('main').innerText();
  check(record.includes('Vos données personnelles') && record.includes('Rrugëtimi') && record.includes('Six cows'), 'the returnee\'s record reads in French');
  await axeCheck(page, 'the returnee\'s record');
  await page.screenshot({ path: `${shots}/record-fr.png`, fullPage: true });
  await page.goto(`${base}/cases?view=all&q=Dritan+Rrugetimi`);
  check((await page.locator('#caseload').innerText()).includes('Dritan'), 'the case is found without the ë');
  await axeCheck(page, 'caseload search');
  await signOut(page);
} catch (e) {
  check(false, `no error: ${e.stack}`);
} finally {
  await ctx.close();
}
if (!summary()) process.exit(1);
