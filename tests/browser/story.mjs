// The Norway → Albania story as its three people play it, each at their own computer
// (three browsers): the host caseworker in Oslo registers the returnee (with his consent
// to surveys), counsels him, records his departure and hands the case over; the office
// manager in Tirana, told of it, assigns it and asks to be emailed when a plan waits; the
// caseworker in Tirana records the arrival, the Vulnerable Groups package and the plan in
// lek (car mechanics course, six cows) and submits it; the manager, emailed, approves it;
// the caseworker pays both items in lek, keeps the course certificate, records a visit
// and a note and takes the baseline survey; the manager closes the case.
//
// Every action of the people is counted (a click, a typed field, a choice) and the total
// must be 70 or fewer; what the test looks at on the side (notifications, emails, the
// printed file) is not counted. Then, outside the count: refusals and what they keep,
// the exchange rate's day and an old rate, a receipt, the case file printed to PDF, the
// returnee's record in French. axe-core on every page it passes through, at desktop and
// phone width.
// Usage: HOMEWARD_DEMO_PASSWORD=... [HOMEWARD_MAIL_SINK=file] node story.mjs BASE_URL SCREENSHOT_DIR
import { launch, check, summary, axeCheck, axeBoth } from './lib.mjs';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const base = process.argv[2];
const shots = process.argv[3] || 'screenshots';
const password = process.env.HOMEWARD_DEMO_PASSWORD;
// The SMTP server's messages, one JSON line each, when the server emails notifications.
const mailSink = process.env.HOMEWARD_MAIL_SINK;
mkdirSync(shots, { recursive: true });

const MAX_ACTIONS = 70;
let actions = 0;

// Every kind of page the people reach is checked once by axe-core, at both widths (a
// case page is one kind whatever its number).
const checkedPages = new Set();
async function visited(page) {
  const kind = new URL(page.url()).pathname.replace(/\d+/g, 'N');
  if (checkedPages.has(kind)) return;
  checkedPages.add(kind);
  await axeBoth(page, `page ${kind}`);
}

// What a person does, counted.
const user = {
  async click(page, selector) {
    actions++;
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
    await visited(page);
  },
  async open(page, selector) { // a click that opens something on the same page
    actions++;
    await page.click(selector);
  },
  async fill(page, selector, value) { actions++; await page.fill(selector, value); },
  async choose(page, selector, value) { actions++; await page.selectOption(selector, value); },
  async tick(page, selector) { actions++; await page.check(selector); },
  async attach(page, selector, file) { actions++; await page.setInputFiles(selector, file); },
  async reload(page) { actions++; await page.reload(); await visited(page); },
  async signIn(page, email) {
    await page.goto(`${base}/signin`);
    await this.fill(page, '#email', email);
    await this.fill(page, '#password', password);
    await this.click(page, 'form.stack button[type=submit]');
  },
};

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
  return (await a.count()) ? await a.first().innerText() : '';
}

// What a person was told, read on the side (not counted).
async function told(ctx, name) {
  const look = await ctx.newPage();
  await look.goto(`${base}/notifications`);
  const line = look.locator('.notifications li', { hasText: name }).first();
  const text = (await line.count()) ? await line.innerText() : '';
  await look.close();
  return text;
}

const oslo = await launch();
const manager = await launch();
const tirana = await launch();
try {
  const o = await oslo.newPage();
  const m = await manager.newPage();
  const t = await tirana.newPage();
  for (const p of [o, m, t]) await p.setViewportSize({ width: 1280, height: 900 });

  // Oslo: register with the consent to surveys, counsel, depart, hand over.
  await user.signIn(o, 'caseworker.oslo@homeward.example');
  check(o.url().endsWith('/my-work'), 'a caseworker starts on My work');
  await user.click(o, '#register');
  await user.fill(o, '#given_name', 'Dritan');
  await user.fill(o, '#family_name', 'Rrugëtimi');
  await user.choose(o, '#sex', 'male');
  await user.fill(o, '#birth_date', '2007-03-01');
  await user.fill(o, '#nationality', 'AL');
  await user.choose(o, '#origin_office', { label: 'IOM Tirana (AL)' });
  await user.tick(o, 'input[name=vulnerabilities][value=aged_out_minor]');
  await user.tick(o, 'input[name=consents][value=surveys]');
  await axeCheck(o, 'registration');
  await user.click(o, 'form.stack button.primary');
  const id = o.url().match(/\/cases\/(\d+)/)?.[1];
  check(!!id, `registered, the case page opens (${o.url()} ${await alertText(o)})`);
  check((await o.locator('#consent-now').innerText()).includes('Follow-up surveys'), 'the consent given at registration is on the case');
  await user.click(o, '#next-step'); // counselled today
  await user.click(o, '#next-step'); // departed today
  check((await o.locator('#next-step').innerText()).includes('Hand over'), 'once he left, the next step is the hand-over');
  await user.open(o, '#handover summary');
  await user.click(o, '#handover button.danger');
  check((await o.locator('main').innerText()).includes('IOM Tirana'), 'handed over to IOM Tirana');

  check((await told(oslo, 'Dritan')) === '', 'who handed it over is told nothing of it');
  // Tirana: the manager, told of it, assigns it and asks for email when a plan waits.
  await user.signIn(m, 'office-manager.tirana@homeward.example');
  check(await unread(m) > 0, 'the menu counts the manager\'s unread notifications');
  check((await told(manager, 'Dritan')).includes('Handed over to your office'), 'the manager is told of the hand-over');
  await user.click(m, `#content a[href="/cases/${id}#offices"]`);
  const cw = await m.locator('#assign-user option', { hasText: 'caseworker.tirana' }).getAttribute('value');
  await user.choose(m, '#assign-user', cw);
  await user.click(m, 'form[action$="/assign"] button');
  check((await m.locator('#offices [role=status]').innerText()).length > 0, 'the assignment is said back');
  await user.click(m, '#nav-notifications');
  await axeBoth(m, 'notifications with the email choices');
  await m.screenshot({ path: `${shots}/notifications.png`, fullPage: true });
  await user.choose(m, '#em-plan_submitted', 'now');
  await user.click(m, '#email button.primary');
  check((await m.locator('[role=status]').innerText()).includes('saved'), 'the email choice is saved and said so');

  // Tirana: the caseworker, told of the assignment, records the arrival and the plan.
  await user.signIn(t, 'caseworker.tirana@homeward.example');
  check((await told(tirana, 'Dritan')).includes('Assigned to you'), 'the caseworker is told of the assignment');
  await user.click(t, `#content a[href^="/cases/${id}#"]`);
  await user.click(t, '#next-step'); // arrived today
  check((await t.locator('#stage [role=status]').innerText()).includes('stage is saved'), 'the arrival is said back');
  check((await t.getAttribute('#next-step', 'href')) === '#plan', 'the next step leads to the plan');
  await t.locator('#summary').screenshot({ path: `${shots}/case-summary.png` });
  let first = true;
  for (const [cat, desc, cost] of [
    ['vocational_training', 'Three-month car mechanics course in Tirana', '150000'],
    ['business_start_up', 'Six cows for the family; milk sold at the local market', '550000'],
  ]) {
    if (first) await user.choose(t, '#pi-pk', { label: 'Vulnerable Groups (VG): unaccompanied minors and aged-out minors' });
    first = false;
    await user.choose(t, '#pi-cat', cat);
    await user.fill(t, '#pi-desc', desc);
    await user.fill(t, '#pi-cost', cost);
    await user.choose(t, '#pi-cur', 'ALL');
    await user.click(t, '#plan form.stack button');
    check((await alertText(t)) === '', `plan item added ${await alertText(t)}`);
  }
  check((await t.locator('#package-now').innerText()).includes('7,800.00 USD'), 'the VG package, chosen with the first item, caps the plan at 7,800 USD');
  const outside = await t.locator('#pi-cat option[value=psychosocial]').innerText();
  check(outside.includes('outside the package'), `a category the package does not pay for says so before it is added (${outside})`);
  check((await t.locator('#plan-total').innerText()).includes('USD'), 'the plan totals in USD');
  check((await t.locator('#plan-items').innerText()).includes(new Date().toISOString().slice(0, 10)), 'each converted amount shows its rate\'s day');
  await axeCheck(t, 'case page with a draft plan');
  await user.click(t, 'form[action$="/plan/submit"] button');
  check((await t.locator('#plan-state').innerText()).includes('Waiting'), 'the plan waits for approval');
  if (mailSink) {
    const mail = await mailArrives(x => x.to.includes('office-manager.tirana@homeward.example') && x.subject.includes('Plan waiting for your approval'));
    check(!!mail, `the manager is emailed that the plan waits (${mails().map(x => x.subject).join('; ')})`);
    check(!!mail && mail.body.includes(`/cases/${id}#plan`) && !mail.body.includes('Dritan'), 'the email links to the plan and names no returnee');
  }

  // Tirana: the manager approves.
  check((await told(manager, 'Dritan')).includes('Plan waiting for your approval'), 'the manager is told the plan waits');
  await user.click(m, '#nav-notifications ~ a[href="/my-work"], nav.work a[href="/my-work"]');
  await user.click(m, `#content a[href="/cases/${id}#decide"]`);
  await user.click(m, '#decide-approve');
  check((await m.locator('#plan [role=status]').innerText()).includes('Your decision on the plan is saved'), 'the decision is said back beside the plan');
  check((await m.locator('#plan-state').innerText()).includes('Approved'), 'the manager approved the plan');

  // Tirana: the caseworker, told of the approval, pays both items in lek, keeps the
  // certificate, records a visit and a note, takes the baseline survey.
  check((await told(tirana, 'Dritan')).includes('Plan approved'), 'the caseworker is told the plan is approved');
  await user.reload(t);
  const itemIds = await t.locator('#plan-items a[id^=pay-][id$=-cash]').evaluateAll(as => as.map(a => a.id.split('-')[1]));
  for (const [n, kind] of [[0, 'cash'], [1, 'in_kind']]) {
    await user.click(t, `#pay-${itemIds[n]}-${kind}`);
    check((await t.inputValue('#pay-cur')) === 'ALL' && (await t.inputValue('#pay-amount')) !== '', 'the payment starts from the item: its currency and what is left');
    await user.click(t, '#assistance form.stack button.primary');
    check((await alertText(t)) === '', `payment ${n + 1} recorded ${await alertText(t)}`);
  }
  await user.choose(t, '#dc-kind', 'certificate');
  await user.attach(t, '#dc-file', { name: 'mechanics-certificate.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% car mechanics course certificate\n%%EOF\n') });
  await axeCheck(t, 'adding a document');
  await user.click(t, '#documents form button.primary');
  check((await t.locator('#documents').innerText()).includes('mechanics-certificate.pdf'), 'the certificate is kept with the case');
  await user.fill(t, '#fu-notes', 'Course finished; the cows give milk that is sold at the local market.');
  await user.click(t, '#follow-up form button');
  check((await t.locator('#follow-up').innerText()).includes('Course finished'), 'the visit is recorded');
  await user.choose(t, '#nt-kind', 'counselling');
  await user.fill(t, '#nt-text', 'Wants a second course in welding next year.');
  await user.click(t, '#notes form.stack button');
  check((await t.locator('#notes').innerText()).includes('welding'), 'the note is kept');
  check(await t.locator('#surveys details').evaluate(d => d.open), 'in follow-up the survey form is open');
  for (const [q, a] of [['income_sources', 'one'], ['income_enough', 'partly'], ['housing', 'adequate'],
    ['social_network', 'several'], ['distress', 'some_days'], ['wish_to_migrate', 'no']]) {
    await user.choose(t, `#sv-a_${q}`, a);
  }
  await axeCheck(t, 'survey form');
  await user.click(t, '#surveys form button');
  check((await alertText(t)) === '', `the survey is recorded ${await alertText(t)}`);
  const row = await t.locator('#surveys tbody tr').first().innerText();
  // Economic (0.5×1.5 + 0.5×1.5) / 3 = 0.50; social 1.00; psychosocial (1 + 0.5×1.5 + 1) / 3.5 = 0.79;
  // composite (0.5 + 1 + 0.7857) / 3 = 0.76.
  check(row.includes('0.50') && row.includes('1.00') && row.includes('0.79') && row.includes('0.76') && row.includes('High'),
    `the scores are in the table (${row})`);
  await t.locator('#surveys').screenshot({ path: `${shots}/case-surveys.png` });

  // Outside the count, before the case closes: a payment beyond the approved item, at a
  // rate over a month older than its day, is refused in two steps, each beside the form
  // with what was typed kept; a receipt is attached to a payment.
  await Promise.all([t.waitForNavigation(), t.click(`#pay-${itemIds[0]}-cash`)]);
  await t.fill('#pay-amount', '1000');
  await t.fill('#pay-on', '2013-03-15');
  await Promise.all([t.waitForNavigation(), t.click('#assistance form.stack button.primary')]);
  check((await t.locator('#assistance [role=alert]').innerText()).includes('2013-02-01'), 'an old rate is named before the payment is saved');
  check((await t.inputValue('#pay-amount')) === '1000' && (await t.inputValue('#pay-on')) === '2013-03-15', 'what was typed is kept');
  await t.check('#pay-old-rate');
  await Promise.all([t.waitForNavigation(), t.click('#assistance form.stack button.primary')]);
  check((await t.locator('#assistance [role=alert]').innerText()).includes('approved'), 'a payment beyond the approved item is refused beside its form');
  const rates = await t.locator('#payments').innerText();
  check(rates.includes(new Date().toISOString().slice(0, 10)), 'each payment shows its rate and the rate\'s day');
  const money = await t.locator('#payments td.num').first().evaluate(e => [getComputedStyle(e).whiteSpace, getComputedStyle(e).textAlign]);
  check(money[0] === 'nowrap' && money[1] === 'right', `money is right-aligned and never broken across lines (${money})`);
  await t.goto(`${base}/cases/${id}`);
  await t.click('#receipt-upload summary');
  await axeCheck(t, 'attaching a receipt');
  await t.setInputFiles('#rc-file', { name: 'course-receipt.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% course fee receipt\n%%EOF\n') });
  await Promise.all([t.waitForNavigation(), t.locator('#rc-file').evaluate(el => el.closest('form').requestSubmit())]);
  check((await t.locator('#assistance').innerText()).includes('course-receipt.pdf'), 'the receipt is attached to the payment');

  // Tirana: the manager closes the case.
  await user.reload(m);
  await user.open(m, '#closure summary');
  await user.choose(m, '#cl-reason', 'support_ended');
  await user.click(m, '#close-yes');
  check((await m.locator('#stage-now').innerText()).includes('Closed'), 'the case is closed');
  const given = parseFloat((await m.locator('#given-total').innerText()).replace(/[^0-9.]/g, ''));
  check(given > 0 && given <= 7800, `the assistance adds up to at most 7,800 USD (${given})`);
  check((await m.locator('main').innerText()).includes('Plan approved') && (await m.locator('main').innerText()).includes('Handed over to'), 'the timeline tells the story');

  console.log(`user actions: ${actions} (at most ${MAX_ACTIONS}); kinds of page checked by axe at both widths: ${[...checkedPages].join(', ')}`);
  check(actions <= MAX_ACTIONS, `the story takes ${actions} actions, at most ${MAX_ACTIONS}`);

  // Outside the count: how the case page looks and reads.
  await axeCheck(m, 'closed case');
  await m.screenshot({ path: `${shots}/story-closed.png`, fullPage: true });
  await m.setViewportSize({ width: 375, height: 800 });
  const overflow = await m.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!overflow, 'the case page fits a phone screen');
  await axeCheck(m, 'closed case at phone width');
  await m.screenshot({ path: `${shots}/story-phone.png`, fullPage: true });
  await m.setViewportSize({ width: 1280, height: 900 });

  // The case file on paper: printed to PDF by Chromium, the facts found in it.
  await m.goto(`${base}/cases/${id}`);
  await Promise.all([m.waitForNavigation(), m.click('#print-file')]);
  await axeCheck(m, 'the case file on paper');
  const pdf = `${shots}/case-file.pdf`;
  await m.pdf({ path: pdf, format: 'A4', printBackground: true });
  const paper = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  check(['Dritan', 'Rrugëtimi', 'Six cows for the family', 'Three-month car mechanics course', 'ALL', 'Course finished', 'welding', 'mechanics-certificate.pdf', 'Support period ended'].every(f => paper.includes(f)),
    `the printed case file holds the facts (${paper.length} characters)`);
  check(!paper.includes('Sign out') && !paper.includes('Record a visit or call'), 'nothing of the menu or the forms is printed');
  await m.setViewportSize({ width: 375, height: 800 });
  await axeCheck(m, 'the case file on paper at phone width');
  await m.setViewportSize({ width: 1280, height: 900 });
  // The returnee's record, readable, in French on request.
  await m.goto(`${base}/cases/${id}`);
  await Promise.all([m.waitForNavigation(), m.click('#record-page')]);
  await Promise.all([m.waitForNavigation(), m.click('nav.noprint a[lang=fr]')]);
  const record = await m.locator('main').innerText();
  check(record.includes('Vos données personnelles') && record.includes('Rrugëtimi') && record.includes('Six cows'), 'the returnee\'s record reads in French');
  await axeBoth(m, 'the returnee\'s record');
  await m.screenshot({ path: `${shots}/record-fr.png`, fullPage: true });

  await m.goto(`${base}/cases?view=all&q=Dritan+Rrugetimi`);
  check((await m.locator('#caseload').innerText()).includes('Dritan'), 'the case is found without the ë');
  await axeBoth(m, 'caseload search');
} catch (e) {
  check(false, `no error: ${e.stack}`);
} finally {
  await oslo.close();
  await manager.close();
  await tirana.close();
}
if (!summary()) process.exit(1);
