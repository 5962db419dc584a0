// Browser journeys of the first increment, against a real server (LEADFLOW_URL) with the demo
// company loaded. Run: LEADFLOW_URL=http://127.0.0.1:18080 node --test
// Each journey saves a full-page screenshot into artifacts/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, PHONE, api, browser, chooseOption, horizontalOverflow, idFromUrl, liveConnected, newPage, screenshot, settled, signIn, useBrowser } from './lib.mjs';

useBrowser();

test('(a) sign in → lead list → open a lead → add a follow-up → it is in the timeline', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await signIn(page);
    const first = page.locator('[data-testid=record-link]').first();
    await first.waitFor();
    assert.ok((await page.locator('[data-testid=record-link]').count()) > 0, 'the lead list shows rows');
    const name = (await first.innerText()).trim();

    await first.click();
    await page.waitForURL(/\/leads\/[^/?]+$/);
    const leadId = idFromUrl(page);
    await page.locator('[data-testid=record-title]').waitFor();
    assert.equal((await page.locator('[data-testid=record-title]').innerText()).trim(), name);
    // Built-in lead facts are labelled from the schema.
    await page.locator('[data-testid=record-fields]').getByText('来源渠道').waitFor();

    const content = `E2E 拜访跟进 ${Date.now()}:客户确认Q3招标`;
    await page.locator('[data-testid=followup-kind]').getByText('拜访', { exact: true }).click();
    await page.locator('[data-testid=followup-content]').fill(content);
    await page.locator('[data-testid=followup-submit]').click();
    const item = page.locator('[data-testid=followup-item]', { hasText: content });
    await item.waitFor();
    assert.match(await item.innerText(), /拜访/);

    // The server has it too, linked to this lead, with the chosen kind.
    const res = await page.request.get(`${BASE}/api/v1/activities?lead_id=${encodeURIComponent(leadId)}&limit=200`);
    assert.equal(res.status(), 200);
    const saved = (await res.json()).items.find((a) => a.content === content);
    assert.ok(saved, 'the follow-up is stored');
    assert.equal(saved.kind, 'visit');
    assert.match(saved.occurred_at, /[+-]\d{2}:\d{2}$|Z$/);

    await screenshot(page, 'a-lead-follow-up');

    // Sign out from the user menu: the session is gone, pages lead back to sign-in.
    await page.locator('[data-testid=user-menu]').click();
    await page.locator('[data-testid=sign-out]').click();
    await page.waitForURL(/\/login/);
    assert.equal((await page.request.get(`${BASE}/api/v1/me`)).status(), 401);
    await page.goto(`${BASE}/leads/${encodeURIComponent(leadId)}`);
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === `/leads/${leadId}`);
    assert.deepEqual(errors, [], 'no uncaught page errors');
  } finally {
    await context.close();
  }
});

test('(b) admin adds the custom field ESG评分 → new-lead form, list column and filter show it', async () => {
  const { context, page, errors } = await newPage(browser);
  // A unique key per run, so the journey can run again on the same database.
  const key = `esg_score_${Date.now().toString(36)}`;
  try {
    await signIn(page);
    await page.locator('[data-testid=nav-admin-fields]').click();
    await page.locator('[data-testid=custom-fields]').waitFor();
    await page.locator('[data-testid=add-field]').click();
    await page.locator('#newfield_label_zh').fill('ESG评分');
    await page.locator('#newfield_label_en').fill('ESG score');
    await page.locator('#newfield_name').fill(key);
    await chooseOption(page, 'newfield_type', '数字 (number)');
    await page.locator('[data-testid=add-field-submit]').click();
    await page.locator('[data-testid=custom-fields] code', { hasText: key }).waitFor();

    // Without reloading the page: the new-lead form has the field.
    await page.locator('[data-testid=nav-leads]').click();
    await page.locator('[data-testid=new-record]').click();
    const input = page.locator(`#create_${key}`);
    await input.waitFor();
    assert.equal((await page.locator(`label[for=create_${key}]`).innerText()).trim(), 'ESG评分');
    await screenshot(page, 'b-new-lead-form-with-esg');

    // Create a lead with a score and see it on its detail page.
    const leadName = `E2E ESG ${Date.now()}`;
    await page.locator('#create_name').fill(leadName);
    await input.fill('87.5');
    await page.locator('[data-testid=create-submit]').click();
    await page.waitForURL(/\/leads\/[^/?]+$/);
    await page.locator(`[data-testid=value-${key}]`, { hasText: '87.5' }).waitFor();

    // The list has the column …
    await page.locator('[data-testid=nav-leads]').click();
    await page.locator(`[data-testid=col-${key}]`).waitFor({ state: 'attached' });
    assert.equal((await page.locator(`[data-testid=col-${key}]`).innerText()).trim(), 'ESG评分');

    // … and the filter, which finds the new lead.
    await page.locator('[data-testid=more-filters]').click();
    const filter = page.locator(`[data-testid=filter-${key}]`);
    await filter.waitFor();
    assert.match(await filter.innerText(), /ESG评分/);
    const min = filter.locator('input').first(); // the "最小" box of the number range
    await min.fill('87');
    await min.press('Enter');
    await page.waitForURL((url) => url.searchParams.get(`${key}[gte]`) === '87');
    await settled(page);
    await screenshot(page, 'b-filter-drawer-with-esg', { fullPage: false });
    await page.locator('.ant-drawer-close').click();
    await page.locator('[data-testid=filter-drawer]').waitFor({ state: 'hidden' });
    await page.locator('[data-testid=record-link]', { hasText: leadName }).waitFor();
    assert.equal(await page.locator('[data-testid=record-link]').count(), 1, 'only the scored lead matches ESG评分 ≥ 87');
    await screenshot(page, 'b-lead-list-with-esg');
    assert.deepEqual(errors, [], 'no uncaught page errors');
  } finally {
    await context.close();
  }
});

test('(c) at phone size (390×844) the lead list, quick entry and the new-lead form render', async () => {
  const { context, page, errors } = await newPage(browser, PHONE);
  try {
    await signIn(page);
    await page.locator('[data-testid=shell-mobile]').waitFor();
    // A phone lands on 今日黄金3分钟; the lead list is one tab away.
    await page.locator('[data-testid=today-page]').waitFor();
    await page.locator('[data-testid=tab-leads]').click();
    await page.locator('[data-testid=record-card]').first().waitFor();
    assert.ok((await page.locator('[data-testid=record-card]').count()) > 0, 'lead cards are shown');
    assert.ok((await horizontalOverflow(page)) <= 0, 'the lead list fits the phone width');
    await screenshot(page, 'c-phone-lead-list', { fullPage: false });

    // The tab bar's + opens 快速录入; the full form is one tap from there.
    await page.locator('[data-testid=tab-new-lead]').click();
    await page.locator('[data-testid=quick-form]').waitFor();
    assert.ok((await horizontalOverflow(page)) <= 0, 'quick entry fits the phone width');
    await page.locator('[data-testid=to-full-form]').click();
    await page.locator('[data-testid=create-form]').waitFor();
    await page.locator('#create_name').waitFor();
    await page.locator('label[for=create_channel]').waitFor();
    assert.ok((await horizontalOverflow(page)) <= 0, 'the new-lead form fits the phone width');
    await screenshot(page, 'c-phone-new-lead-form', { fullPage: false });
    assert.deepEqual(errors, [], 'no uncaught page errors');
  } finally {
    await context.close();
  }
});

test('(d) edit a lead (PATCH If-Match); a change made meanwhile by someone else is not overwritten', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await signIn(page);
    await page.locator('[data-testid=record-link]').first().click();
    await page.waitForURL(/\/leads\/[^/?]+$/);
    const id = idFromUrl(page);
    const before = await api(page, `/api/v1/leads/${encodeURIComponent(id)}`);

    // A normal edit: saved, version goes up, history names the field.
    const region = `华东-${Date.now() % 100000}`;
    await page.locator('[data-testid=edit-record]').click();
    await page.locator('#edit_region').fill(region);
    await page.locator('[data-testid=edit-submit]').click();
    await page.locator('[data-testid=value-region]', { hasText: region }).waitFor();
    const after = await api(page, `/api/v1/leads/${encodeURIComponent(id)}`);
    assert.equal(after.region, region);
    assert.equal(after.version, before.version + 1);
    await page.locator('[data-testid=history-item]', { hasText: region }).waitFor();

    // Someone else saves while our edit form is open: our save must not overwrite theirs.
    await page.locator('[data-testid=edit-record]').click();
    await page.locator('#edit_product').fill('我的改动');
    const theirs = await page.request.patch(`${BASE}/api/v1/leads/${encodeURIComponent(id)}`, {
      data: { product: '别人的改动' },
      headers: { 'If-Match': `"${after.version}"`, Origin: BASE },
    });
    assert.equal(theirs.status(), 200);
    await page.locator('[data-testid=edit-submit]').click();
    await page.locator('.ant-message-notice', { hasText: '已被他人修改' }).waitFor();
    // The form now shows their value, and the server still has it.
    assert.equal(await page.locator('#edit_product').inputValue(), '别人的改动');
    const final = await api(page, `/api/v1/leads/${encodeURIComponent(id)}`);
    assert.equal(final.product, '别人的改动');
    await screenshot(page, 'd-edit-conflict', { fullPage: false });
    assert.deepEqual(errors, [], 'no uncaught page errors');
  } finally {
    await context.close();
  }
});

test('(e) a lead created elsewhere appears in an open lead list (live stream)', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await signIn(page);
    await page.locator('[data-testid=record-link]').first().waitFor();
    await liveConnected(page);
    const name = `E2E 实时 ${Date.now()}`;
    const res = await page.request.post(`${BASE}/api/v1/leads`, {
      data: { name, channel: 'douyin_form', first_touch: 'book_demo' },
      headers: { Origin: BASE },
    });
    assert.equal(res.status(), 201);
    // No reload: the stream's record event refreshes the list.
    await page.locator('[data-testid=record-link]', { hasText: name }).waitFor();
    assert.deepEqual(errors, [], 'no uncaught page errors');
  } finally {
    await context.close();
  }
});

test('(f) a generic entity (合同 contracts): money in 元 is stored in fen, date and reference kept', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await signIn(page);
    await page.locator('[data-testid=nav-contracts]').click();
    await page.locator('[data-testid=list-contracts]').waitFor();
    await page.locator('[data-testid=new-record]').click();
    const name = `E2E 合同 ${Date.now()}`;
    await page.locator('#create_name').fill(name);
    await page.locator('#create_amount').fill('12345.67');
    await page.locator('#create_signed_date').fill('2026-11-20');
    await page.locator('#create_signed_date').press('Tab'); // commit the typed date (Enter would submit the form)
    // Reference: search customers on the server and take the first match.
    await page.locator('.ant-select:has(#create_customer_id) .ant-select-selector').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    const customer = (await page.locator('.ant-select:has(#create_customer_id) .ant-select-selection-item').innerText()).trim();
    await page.locator('[data-testid=create-submit]').click();
    await page.waitForURL(/\/contracts\/[^/?]+$/);
    await page.locator('[data-testid=value-amount]', { hasText: '¥12,345.67' }).waitFor();
    await page.locator('[data-testid=value-customer_id]', { hasText: customer }).waitFor();
    const id = idFromUrl(page);
    const saved = await api(page, `/api/v1/contracts/${encodeURIComponent(id)}`);
    assert.equal(saved.amount, 1234567, 'money is integer fen');
    assert.equal(saved.signed_date, '2026-11-20');
    assert.ok(saved.customer_id, 'the customer reference is stored');
    await screenshot(page, 'f-contract-detail');
    assert.deepEqual(errors, [], 'no uncaught page errors');
  } finally {
    await context.close();
  }
});
