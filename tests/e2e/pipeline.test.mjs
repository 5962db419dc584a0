// Browser journeys of the lead pipeline (L1 intake, L3 dedup, L6 cleaning, L7 quick entry),
// against a real server with the demo company loaded (`leadflow demo --leads 300`: leads over the
// last 90 days). Each journey stands alone on a fresh demo database and saves screenshots into
// artifacts/. Run: LEADFLOW_URL=http://127.0.0.1:18080 node --test
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BASE,
  PHONE,
  api,
  browser,
  chooseOption,
  dateIn,
  horizontalOverflow,
  idFromUrl,
  newPage,
  screenshot,
  signIn,
  uniquePhone,
  useBrowser,
  withFailureShot,
} from './lib.mjs';

useBrowser();

test('(g) phone-size quick entry of a Douyin lead → lead page with 响应时效 and task; the same phone again is deduplicated', async () => {
  const { context, page, errors } = await newPage(browser, PHONE);
  const phone = uniquePhone();
  const spaced = `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
  const need = `E2E 想用CRM替换Excel管抖音线索 ${Date.now()}`;
  try {
    await withFailureShot(page, 'g', async () => {
      await signIn(page, 'sales');
      await page.locator('[data-testid=shell-mobile]').waitFor();
      // A salesperson sees no admin-only screens.
      await page.locator('[data-testid=tab-more]').click();
      await page.locator('[data-testid=nav-quick-entry]').waitFor();
      assert.equal(await page.locator('[data-testid=nav-admin-intake], [data-testid=nav-admin-cleaning]').count(), 0);
      await page.keyboard.press('Escape');

      // Step 1: contact. The phone is checked for duplicates while typing (none: a new number).
      await page.locator('[data-testid=tab-new-lead]').click();
      await page.locator('[data-testid=quick-form]').waitFor();
      await page.locator('#quick_phone').fill(spaced);
      await page.locator('[data-testid=dup-phone][data-state=clear]').waitFor();
      await page.locator('#quick_salutation').fill('周');
      await page.getByRole('button', { name: '总', exact: true }).click();
      assert.equal(await page.locator('#quick_salutation').inputValue(), '周总');
      // Step 2: the follow-up card.
      await page.locator('#quick_core_need').fill(need);
      await page.locator('#quick_next_action').fill('发产品方案');
      await page.locator('[data-testid=quick-when] [data-value=tomorrow]').click();
      // Source: Douyin form, book a demo.
      await page.locator('[data-testid=quick-channel] [data-value=douyin_form]').click();
      await page.locator('[data-testid=quick-first-touch] [data-value=book_demo]').click();
      assert.ok((await horizontalOverflow(page)) <= 0, 'quick entry fits the phone width');
      await screenshot(page, 'g-phone-quick-entry');

      // Step 3: save.
      await page.locator('[data-testid=quick-submit]').click();
      await page.locator('[data-testid=quick-result][data-deduplicated=false]').waitFor();
      await page.getByText('下次动作已建待办:发产品方案').waitFor();
      await page.locator('[data-testid=quick-open-lead]').click();
      await page.waitForURL(/\/leads\/[^/?]+$/);
      const id = idFromUrl(page);
      await page.locator('[data-testid=record-title]', { hasText: '周总' }).waitFor();
      // 响应时效 is set (the card's 核心诉求 is the first follow-up), the task is listed.
      await page.locator('[data-testid=response-time][data-state=responded]').waitFor();
      assert.match(await page.locator('[data-testid=response-time]').innerText(), /小时/);
      await page.locator('[data-testid=task-item]', { hasText: '发产品方案' }).waitFor();
      await page.locator('[data-testid=followup-item]', { hasText: need }).waitFor();
      assert.equal((await page.locator('[data-testid=touch-count]').innerText()).trim(), '1');
      assert.ok((await horizontalOverflow(page)) <= 0, 'the lead page fits the phone width');
      await screenshot(page, 'g-phone-lead-page');

      // Stored as entered: E.164 phone, channel, first touch, response time, the task due tomorrow 10:00.
      const lead = await api(page, `/api/v1/leads/${encodeURIComponent(id)}`);
      assert.equal(lead.phone, `+86${phone}`);
      assert.equal(lead.channel, 'douyin_form');
      assert.equal(lead.first_touch, 'book_demo');
      assert.equal(lead.salutation, '周总');
      assert.equal(typeof lead.response_hours, 'number');
      const tasks = await api(page, `/api/v1/tasks?lead_id=${encodeURIComponent(id)}`);
      assert.equal(tasks.items.length, 1);
      assert.equal(tasks.items[0].title, '发产品方案');
      assert.match(tasks.items[0].due_at, /T10:00:00(\.0+)?\+08:00$/);
      // The phone is shown readably on the fields tab.
      await page.getByRole('tab', { name: '字段' }).click();
      assert.equal((await page.locator('[data-testid=value-phone]').innerText()).trim(), `+86 ${spaced}`);

      // The same phone again: the check says whose lead it is, and saving records a touch.
      await page.locator('[data-testid=tab-new-lead]').click();
      await page.locator('[data-testid=quick-form]').waitFor();
      await page.locator('#quick_phone').fill(phone);
      const dup = page.locator('[data-testid=dup-phone][data-state=duplicate]');
      await dup.waitFor();
      assert.match(await dup.innerText(), /该手机号已是你的线索/);
      await page.locator('#quick_salutation').fill('周总');
      await page.locator('[data-testid=quick-submit]').click();
      const result = page.locator('[data-testid=quick-result][data-deduplicated=true]');
      await result.waitFor();
      assert.match(await result.innerText(), /已记为一次触达/);
      assert.match(await page.locator('[data-testid=quick-result-detail]').innerText(), /触达次数 2/);
      await screenshot(page, 'g-phone-quick-dedup');
      const again = await api(page, `/api/v1/leads/${encodeURIComponent(id)}`);
      assert.equal(again.touch_count, 2, 'the existing lead got a touch');
      await page.locator('[data-testid=quick-open-lead]').click();
      await page.waitForURL((url) => url.pathname === `/leads/${id}`);
      await page.getByRole('tab', { name: '变更历史' }).click();
      await page.locator('[data-testid=history-item][data-type="lead.touched"]', { hasText: '重复进线,触达 +1' }).waitFor();

      // The full new-lead form too: POST /leads answers 200 + Deduplicated, the UI says so and
      // opens the existing lead.
      await page.goto(`${BASE}/leads/new`);
      await page.locator('#create_name').fill('周总(重复)');
      await page.locator('#create_phone').fill(`+86 ${spaced}`);
      await page.locator('[data-testid=dup-phone][data-state=duplicate]').waitFor();
      await page.locator('[data-testid=create-submit]').click();
      await page.locator('.ant-message-notice', { hasText: '已记为一次触达(触达次数 3)' }).waitFor();
      await page.waitForURL((url) => url.pathname === `/leads/${id}`);
      assert.equal((await page.locator('[data-testid=touch-count]').innerText()).trim(), '3');
      assert.deepEqual(errors, [], 'no uncaught page errors');
    });
  } finally {
    await context.close();
  }
});

test('(h) admin creates an intake source → copies the key → the QR mobile form (not signed in) → the lead is in the list as 抖音表单', async () => {
  const { context, page, errors } = await newPage(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const stamp = Date.now().toString(36);
  const sourceName = `E2E 展会入口 ${stamp}`;
  const visitor = `E2E 访客 ${stamp}`;
  try {
    await withFailureShot(page, 'h', async () => {
      await signIn(page);
      await page.locator('[data-testid=nav-admin-intake]').click();
      await page.locator('[data-testid=intake-sources]').waitFor();
      await page.locator('[data-testid=intake-new]').click();
      await page.locator('#intake_new_name').fill(sourceName);
      await chooseOption(page, 'intake_new_channel', '抖音表单');
      await chooseOption(page, 'intake_new_first_touch', '预约演示');
      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/intake-sources') && r.request().method() === 'POST');
      await page.locator('[data-testid=intake-create-submit]').click();
      const source = await (await created).json();
      assert.equal(source.channel, 'douyin_form');

      // The key is shown once, with a warning; copying puts exactly it on the clipboard.
      const key = await page.locator('[data-testid=intake-key]').inputValue();
      assert.equal(key, source.key);
      await page.getByText('密钥只显示这一次').waitFor();
      await page.locator('[data-testid=intake-key-copy]').click();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
      await screenshot(page, 'h-intake-key', { fullPage: false });
      await page.locator('[data-testid=intake-key-done]').click();
      await page.locator('[data-testid=intake-key]').waitFor({ state: 'hidden' });

      // The source's card: QR code for the mobile form, curl and embed code carry the key.
      const card = page.locator('[data-testid=intake-source]', { hasText: sourceName });
      const qr = card.locator('[data-testid=intake-qr]');
      await qr.waitFor();
      const formUrl = await qr.getAttribute('data-text');
      assert.equal(formUrl, `${BASE}/intake/${source.id}?key=${encodeURIComponent(key)}`);
      assert.equal(await card.locator('[data-testid=intake-mobile-url]').getAttribute('href'), formUrl);
      await card.getByRole('tab', { name: '接口示例(curl)' }).click();
      const curl = await card.locator('[data-testid=intake-curl]').innerText();
      assert.ok(curl.includes(`curl -X POST ${BASE}/api/v1/intake/${source.id} -H 'X-Intake-Key: ${key}'`), curl);
      await card.getByRole('tab', { name: '官网嵌入代码' }).click();
      assert.ok((await card.locator('[data-testid=intake-embed]').innerText()).includes(`/api/v1/intake/${source.id}?key=${encodeURIComponent(key)}`));
      await card.getByRole('tab', { name: '展会二维码' }).click();
      await qr.waitFor();
      await screenshot(page, 'h-intake-source');

      // A visitor's phone (its own browser, never signed in) opens the QR code's URL.
      const visitorCtx = await newPage(browser, PHONE);
      try {
        const v = visitorCtx.page;
        await v.goto(formUrl);
        await v.locator('[data-testid=intake-page]').waitFor();
        await v.locator('h1', { hasText: sourceName }).waitFor();  // the source titles its form
        assert.equal((await v.request.get(`${BASE}/api/v1/me`)).status(), 401, 'the visitor is not signed in');
        await v.locator('#intake_name').fill(visitor);
        await v.locator('#intake_phone').fill(uniquePhone());
        await v.locator('#intake_company').fill('杭州展会访客科技');
        await v.locator('#intake_core_need').fill('想了解线索管理');
        assert.ok((await horizontalOverflow(v)) <= 0, 'the mobile form fits the phone width');
        await screenshot(v, 'h-intake-mobile-form', { fullPage: false });
        await v.locator('[data-testid=intake-submit]').click();
        await v.locator('[data-testid=intake-thanks]').waitFor();
        assert.match(v.url(), /\/intake\//, 'the visitor stays on the public form (no sign-in)');
        await screenshot(v, 'h-intake-thanks', { fullPage: false });
        assert.deepEqual(visitorCtx.errors, [], 'no uncaught page errors on the public form');
      } finally {
        await visitorCtx.context.close();
      }

      // The lead is in the admin's list, stamped with the source's channel.
      await page.goto(`${BASE}/leads?q=${encodeURIComponent(visitor)}`);
      const row = page.locator('.ant-table-row', { has: page.locator('[data-testid=record-link]', { hasText: visitor }) });
      await row.waitFor();
      assert.match(await row.innerText(), /抖音表单/);
      await screenshot(page, 'h-lead-list');
      const found = await api(page, `/api/v1/leads?q=${encodeURIComponent(visitor)}`);
      assert.equal(found.items.length, 1);
      assert.equal(found.items[0].channel, 'douyin_form');
      assert.equal(found.items[0].first_touch, 'book_demo');
      assert.equal(found.items[0].intake_source_id, source.id);
      assert.equal(found.items[0].core_need, '想了解线索管理');
      assert.deepEqual(errors, [], 'no uncaught page errors');
    });
  } finally {
    await context.close();
  }
});

test('(i) admin previews cleaning of leads older than 30 days → count and cutoff in words → runs → undo restores', async () => {
  const { context, page, errors } = await newPage(browser);
  let runId;
  try {
    await withFailureShot(page, 'i', async () => {
      await signIn(page);
      await page.locator('[data-testid=nav-admin-cleaning]').click();
      await page.locator('[data-testid=lead-cleaning]').waitFor();
      await page.locator('[data-testid=cleaning-days]').fill('30');
      const dayBefore = dateIn('Asia/Shanghai', -30);
      const previewed = page.waitForResponse((r) => r.url().endsWith('/api/v1/lead-cleaning/preview'));
      await page.locator('[data-testid=cleaning-preview]').click();
      const preview = await (await previewed).json();
      const dayAfter = dateIn('Asia/Shanghai', -30);

      // The count, and the cutoff as a calendar day in the company's zone (never hours).
      const count = page.locator('[data-testid=cleaning-count]');
      await count.waitFor();
      assert.equal(Number(await count.getAttribute('data-count')), preview.count);
      assert.ok(preview.count > 0, 'demo leads span 90 days, so some are older than 30');
      assert.equal(preview.time_zone, 'Asia/Shanghai');
      const cutoffDay = preview.cutoff.slice(0, 10);
      assert.ok([dayBefore, dayAfter].includes(cutoffDay), `cutoff ${preview.cutoff} is midnight 30 calendar days ago`);
      assert.match(preview.cutoff, /T00:00:00(\.0+)?\+08:00$/);
      assert.equal((await page.locator('[data-testid=cleaning-cutoff]').innerText()).trim(), `将归档 ${cutoffDay} 00:00(Asia/Shanghai)之前创建的线索`);
      await screenshot(page, 'i-cleaning-preview');

      // Run it with the previewed count.
      const ran = page.waitForResponse((r) => r.url().endsWith('/api/v1/lead-cleaning/runs') && r.request().method() === 'POST');
      await page.locator('[data-testid=cleaning-run]').click();
      await page.locator('[data-testid=cleaning-run-confirm]').click();
      const runRes = await ran;
      assert.equal(runRes.status(), 201);
      const run = await runRes.json();
      runId = run.id;
      assert.equal(JSON.parse(runRes.request().postData()).expected_count, preview.count);
      assert.equal(run.archived, preview.count);
      const row = page.locator(`[data-testid=cleaning-run-row][data-id="${run.id}"]`);
      await row.waitFor();
      assert.equal((await row.locator('[data-testid=cleaning-run-archived]').innerText()).trim(), String(preview.count));
      const sample = preview.sample[0];
      assert.ok((await api(page, `/api/v1/leads/${encodeURIComponent(sample.id)}`)).archived_at, 'a previewed lead is archived');

      // Undo: the same leads are back.
      await row.locator('[data-testid=cleaning-undo]').click();
      await page.locator('[data-testid=cleaning-undo-confirm]').click();
      await page.locator(`[data-testid=cleaning-run-row][data-id="${run.id}"][data-undone=true]`).waitFor();
      assert.match(await row.locator('[data-testid=cleaning-run-status]').innerText(), new RegExp(`撤销,恢复 ${preview.count} 条`));
      runId = undefined;
      assert.equal((await api(page, `/api/v1/leads/${encodeURIComponent(sample.id)}`)).archived_at, null, 'undo restored the lead');
      const runs = await api(page, '/api/v1/lead-cleaning/runs');
      assert.equal(runs.items.find((r) => r.id === run.id).restored, preview.count);
      await screenshot(page, 'i-cleaning-undone');
      assert.deepEqual(errors, [], 'no uncaught page errors');
    });
  } finally {
    // Never leave the demo's old leads archived for the journeys after this one.
    if (runId) await page.request.post(`${BASE}/api/v1/lead-cleaning/runs/${runId}/undo`, { headers: { Origin: BASE } }).catch(() => {});
    await context.close();
  }
});
