// Journeys of the automation screens (issue 4 UI): (r) the rule editor's condition builder, dry
// run and save, then a matching lead turns yellow with the rule named in its timeline; (s) the
// template gallery's one-click install; (t) a phone lands on 今日黄金3分钟 with a live countdown;
// (u) a dashboard widget opens the filtered lead list; (v) the supervisor workbench shows a
// salesperson's new follow-up live. Each saves screenshots into artifacts/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, PHONE, api, apiSession, browser, chooseOption, idFromUrl, liveConnected, newPage, reloadUntil, screenshot, signIn, uniquePhone, useBrowser, withFailureShot } from './lib.mjs';

useBrowser();

test('(r) the admin builds a rule (小红书私信 → 黄色) with the condition builder, dry-runs it, saves it; a matching lead turns yellow and its timeline names the rule', async () => {
  const { context, page, errors } = await newPage(browser);
  const name = `小红书私信 → 黄色 ${Date.now() % 100000}`;
  try {
    await withFailureShot(page, 'r', async () => {
      await signIn(page);
      await page.locator('[data-testid=nav-rules]').click();
      await page.locator('[data-testid=rules-page]').waitFor();
      await page.locator('[data-testid=rules-new]').click();
      await page.locator('[data-testid=rule-editor]').waitFor();
      await page.locator('[data-testid=rule-name]').fill(name);

      // Condition: 来源渠道 等于 小红书私信, through the builder.
      await page.locator('[data-testid=cond-add]').click();
      await chooseOption(page, 'cond-field-0', '来源渠道');
      await chooseOption(page, 'cond-value-0', '小红书私信');
      await page.locator('[data-testid=cond-preview]', { hasText: 'lead.channel == "xiaohongshu_dm"' }).waitFor();

      // Text mode shows the same expression; back to the builder keeps the row.
      await page.locator('[data-testid=cond-mode-text]').click();
      assert.equal(await page.locator('[data-testid=cond-text]').inputValue(), 'lead.channel == "xiaohongshu_dm"');
      await page.locator('[data-testid=cond-mode-builder]').click();
      await page.locator('[data-testid=cond-row]').first().waitFor();

      // Action: set the color to yellow.
      await page.locator('[data-testid=action-color-yellow]').click();

      // Dry run: the draft is kept as a disabled rule, and the matches are listed.
      await page.locator('[data-testid=rule-dryrun]').click();
      await page.locator('[data-testid=dryrun-result]').waitFor();
      await page.waitForURL(/\/rules\/[^/]+$/);
      const ruleId = idFromUrl(page);
      assert.notEqual(ruleId, 'new');
      assert.match(await page.locator('[data-testid=dryrun-summary]').innerText(), /检查了最近 \d+ 条记录/);
      await screenshot(page, 'r-rule-dry-run');

      // Save (enabled): back to the list, where the rule is on.
      await page.locator('[data-testid=rule-save]').click();
      await page.waitForURL(/\/rules$/);
      const row = page.locator(`[data-testid=rule-item][data-id="${ruleId}"]`);
      await row.waitFor();
      assert.equal(await row.locator('[data-testid=rule-enabled]').getAttribute('aria-checked'), 'true');
      const stored = await api(page, `/api/v1/rules/${ruleId}`);
      assert.equal(stored.enabled, true);
      assert.equal(stored.condition, 'lead.channel == "xiaohongshu_dm"');
      assert.deepEqual(stored.actions, [{ type: 'set_color', color: 'yellow' }]);

      // A matching lead turns yellow; the lead page's timeline names the rule.
      const created = await page.request.post(`${BASE}/api/v1/leads`, {
        data: { name: `小红书私信客户 ${Date.now() % 100000}`, phone: uniquePhone(), channel: 'xiaohongshu_dm' },
      });
      assert.equal(created.status(), 201, await created.text());
      const lead = await created.json();
      await page.goto(`${BASE}/leads/${lead.id}`);
      await reloadUntil(page, page.locator('[data-color=yellow]'));
      // The timeline names the rule. A colour it set is the change itself, credited to the rule
      // (not to the admin it ran as) and shown once — never also as a 'done' firing entry. When
      // another rule coloured the lead first (the three-colour template installed by (q)), this
      // rule's firing is listed on its own as unchanged.
      await reloadUntil(page, page.locator('[data-testid=history-by-rule], [data-testid=history-rule-name]', { hasText: `规则「${name}」` }));
      const byRule = page.locator('[data-testid=history-item][data-type="lead.updated"] [data-testid=history-by-rule]', { hasText: `规则「${name}」` });
      if ((await byRule.count()) > 0)
        assert.equal(await page.locator(`[data-testid=history-rule][data-rule-id="${ruleId}"] [data-testid=history-rule-action][data-status=done]`).count(), 0, 'the set_color firing is not repeated');
      await screenshot(page, 'r-lead-yellow-timeline');
      assert.deepEqual(errors, []);
    });
  } finally {
    await context.close();
  }
});

test('(r2) a wrong field in text mode is shown at the condition with its line and column', async () => {
  const { context, page } = await newPage(browser);
  try {
    await withFailureShot(page, 'r2', async () => {
      await signIn(page);
      await page.goto(`${BASE}/rules/new`);
      await page.locator('[data-testid=rule-name]').fill(`E2E 错误示例 ${Date.now() % 100000}`);
      await page.locator('[data-testid=cond-mode-text]').click();
      await page.locator('[data-testid=cond-text]').fill('lead.chanel == "douyin_form"');
      await page.locator('[data-testid=rule-save]').click();
      const err = page.locator('[data-testid=condition-error]');
      await err.waitFor();
      assert.match(await err.innerText(), /第 1 行第 6 列/);
      assert.match(await err.innerText(), /chanel/);
      await screenshot(page, 'r2-condition-error', { fullPage: false });
    });
  } finally {
    await context.close();
  }
});

test('(s) the template gallery installs a template in one click and shows the new rules', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await withFailureShot(page, 's', async () => {
      await signIn(page);
      await page.goto(`${BASE}/rules`);
      await page.locator('[data-testid=rules-templates]').click();
      await page.locator('[data-testid=templates-page]').waitFor();
      const card = page.locator('[data-testid=template-card][data-id=no_reply_3d]');
      await card.waitFor();
      assert.match(await card.innerText(), /3 天未回复/);
      await screenshot(page, 's-template-gallery');
      const before = (await api(page, '/api/v1/rules')).items.length;
      await card.locator('[data-testid=template-install]').click();
      await page.waitForURL(/\/rules\?installed=/);
      await page.locator('[data-testid=rule-fresh]').first().waitFor();
      const after = (await api(page, '/api/v1/rules')).items;
      assert.equal(after.length, before + 1);
      const installed = after.filter((r) => r.template_id === 'no_reply_3d');
      assert.ok(installed.length >= 1);
      const fresh = page.locator(`[data-testid=rule-item][data-id="${installed[installed.length - 1].id}"] [data-testid=rule-fresh]`);
      await fresh.waitFor();
      await screenshot(page, 's-installed-rules');
      assert.deepEqual(errors, []);
    });
  } finally {
    await context.close();
  }
});

test('(t) on a phone the salesperson lands on 今日黄金3分钟 and a due task counts down live', async () => {
  const { context, page, errors } = await newPage(browser, PHONE);
  try {
    await withFailureShot(page, 't', async () => {
      // A task due in 10 minutes, owned by the salesperson (created as her).
      const sales = await apiSession('sales');
      const due = new Date(Date.now() + 10 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const title = `回电确认演示时间 ${Date.now() % 100000}`;
      const task = await sales.request.post(`${BASE}/api/v1/tasks`, { data: { title, due_at: due } });
      assert.equal(task.status(), 201, await task.text());
      const taskId = (await task.json()).id;
      await sales.close();

      await signIn(page, 'sales');
      await page.waitForURL(/\/today$/);
      await page.locator('[data-testid=today-page]').waitFor();
      const row = page.locator(`[data-testid=today-task][data-task-id="${taskId}"]`);
      await row.waitFor();
      assert.match(await row.innerText(), new RegExp(title));
      const countdown = row.locator('[data-testid=today-countdown]');
      const first = await countdown.innerText();
      assert.match(first, /^还剩 (09|10):\d\d$/);
      // It ticks: another value within a few seconds, without a reload.
      await countdown.filter({ hasNotText: first }).waitFor({ timeout: 5000 });
      assert.notEqual(await countdown.innerText(), first, 'the countdown ticks');
      await page.locator('[data-testid=tab-today]').waitFor();
      await screenshot(page, 't-phone-today', { fullPage: false });
      assert.deepEqual(errors, []);
    });
  } finally {
    await context.close();
  }
});

test('(u) a dashboard widget opens the lead list filtered the same way', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await withFailureShot(page, 'u', async () => {
      await signIn(page);
      await page.locator('[data-testid=nav-dashboard]').click();
      await page.locator('[data-testid=dashboard-page]').waitFor();
      await page.locator('[data-testid=range-month]').click();
      await page.locator('[data-testid=chart-channels]').waitFor();
      await page.locator('[data-testid=chart-funnel]').waitFor();
      await page.waitForTimeout(800); // the charts' entry animation
      await screenshot(page, 'u-dashboard');

      const link = page.locator('[data-testid=channel-link]').first();
      const key = await link.getAttribute('data-key');
      const count = Number((await link.locator('strong').innerText()).trim());
      assert.ok(count > 0);
      await link.click();
      await page.waitForURL(/\/leads\?/);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get(key ? 'channel[in]' : 'channel[null]'), key || 'true');
      assert.match(url.searchParams.get('created_at[gte]') ?? '', /T00:00:00\+08:00$/);
      const total = page.locator('[data-testid=list-count]');
      await total.filter({ hasText: `共 ${count} 条` }).waitFor();
      await screenshot(page, 'u-filtered-leads');

      // The red share opens the red leads.
      await page.goBack();
      await page.locator('[data-testid=red-share-link]').click();
      await page.waitForURL(/color%5Bin%5D=red|color\[in\]=red/);
      assert.deepEqual(errors, []);
    });
  } finally {
    await context.close();
  }
});

test('(v) the supervisor workbench shows a salesperson’s new follow-up live', async () => {
  const sup = await newPage(browser);
  let sales;
  try {
    await withFailureShot(sup.page, 'v', async () => {
      await signIn(sup.page, 'supervisor');
      await sup.page.locator('[data-testid=nav-workbench]').click();
      await sup.page.locator('[data-testid=workbench-page]').waitFor();
      await sup.page.locator('[data-testid=wb-stream]').waitFor();
      await liveConnected(sup.page);
      await sup.page.locator('[data-testid=wb-edit], [data-testid=record-edit]').count().then((n) => assert.equal(n, 0, 'no edit buttons'));

      // The salesperson logs a follow-up on one of her leads.
      sales = await apiSession('sales');
      const salesId = sales.user.id;
      // Her follow-ups today, as the per-salesperson table shows them before.
      await sup.page.locator('[data-testid=wb-team-row]').first().waitFor();
      const todayCell = sup.page.locator(`[data-testid=wb-team-row][data-owner="${salesId}"] [data-testid=wb-team-today]`);
      const before = (await todayCell.count()) ? Number(await todayCell.innerText()) : 0;
      const leads = await (await sales.request.get(`${BASE}/api/v1/leads?limit=1`)).json();
      assert.ok(leads.items.length > 0, 'the salesperson has a lead');
      const content = `电话回访:客户要求下周二演示 ${Date.now() % 100000}`;
      const act = await sales.request.post(`${BASE}/api/v1/activities`, { data: { kind: 'call', content, lead_id: leads.items[0].id } });
      assert.equal(act.status(), 201, await act.text());

      // It appears in the supervisor's open workbench without a reload.
      const item = sup.page.locator('[data-testid=wb-activity]', { hasText: content });
      await item.waitFor({ timeout: 15000 });
      // …and her count of follow-ups today goes up by one.
      await todayCell.filter({ hasText: String(before + 1) }).waitFor({ timeout: 15000 });
      await screenshot(sup.page, 'v-workbench-live');
      assert.deepEqual(sup.errors, []);
    });
  } finally {
    await sales?.close();
    await sup.context.close();
  }
});

test('(w) the admin adds a webhook channel: refused for a loopback address until the allow-list names it, then a test message is delivered; a document is uploaded to 资料库', async () => {
  const { createServer } = await import('node:http');
  const received = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, body, signature: req.headers['x-leadflow-signature'] });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  const port = hook.address().port;
  const { context, page, errors } = await newPage(browser);
  try {
    await withFailureShot(page, 'w', async () => {
      await signIn(page);
      await page.locator('[data-testid=nav-admin-channels]').click();
      await page.locator('[data-testid=channels-page]').waitFor();
      // The allow-list starts without the loopback address.
      const allow = (await api(page, '/api/v1/settings/outbound')).allow;
      if (allow.includes('127.0.0.1')) await page.request.put(`${BASE}/api/v1/settings/outbound`, { data: { allow: allow.filter((a) => a !== '127.0.0.1') } });
      await page.reload();

      const name = `E2E Webhook ${Date.now() % 100000}`;
      await page.locator('[data-testid=channel-new]').click();
      await chooseOption(page, 'channel_kind', 'Webhook');
      await page.locator('#channel_name').fill(name);
      await page.locator('#channel_config_url').fill(`http://127.0.0.1:${port}/hook`);
      await page.locator('#channel_config_secret').fill('e2e-secret');
      await page.locator('[data-testid=channel-save]').click();
      // SSRF guard: refused, shown under the URL.
      const urlError = page.locator('.ant-form-item-has-error:has(#channel_config_url) .ant-form-item-explain-error');
      await urlError.waitFor();
      await screenshot(page, 'w-channel-refused', { fullPage: false });
      await page.locator('.ant-drawer-close').click();

      // The allow-list names the loopback address; the channel is accepted.
      const text = page.locator('[data-testid=outbound-allow]');
      await text.fill([...allow.filter((a) => a !== '127.0.0.1'), '127.0.0.1'].join('\n'));
      await page.locator('[data-testid=outbound-save]').click();
      await page.locator('.ant-message-success').first().waitFor();
      await page.locator('[data-testid=channel-new]').click();
      await chooseOption(page, 'channel_kind', 'Webhook');
      await page.locator('#channel_name').fill(name);
      await page.locator('#channel_config_url').fill(`http://127.0.0.1:${port}/hook`);
      await page.locator('#channel_config_secret').fill('e2e-secret');
      await page.locator('[data-testid=channel-save]').click();
      const row = page.locator('[data-testid=channel-row]', { hasText: name });
      await row.waitFor();
      const stored = (await api(page, '/api/v1/notification-channels')).items.find((c) => c.name === name);
      assert.equal(stored.config.secret, undefined, 'the secret is never returned');
      assert.equal(stored.config.secret_set, true);

      // Test send: delivered to the receiver, signed.
      await row.locator('[data-testid=channel-test]').click();
      const result = page.locator('[data-testid=channel-test-result]');
      await result.waitFor({ timeout: 30000 });
      assert.match(await result.innerText(), /已送达/);
      assert.ok(received.some((r) => r.method === 'POST' && r.url === '/hook' && /^sha256=/.test(r.signature ?? '')), 'the receiver got a signed POST');
      await screenshot(page, 'w-channel-delivered');

      // The delivery log lists it.
      await page.locator('[data-testid=nav-admin-deliveries]').click();
      await page.locator('[data-testid=delivery-row][data-status=delivered]').first().waitFor();
      await screenshot(page, 'w-deliveries');

      // 资料库: upload a file (the raw body) and see it listed.
      await page.locator('[data-testid=nav-admin-documents]').click();
      await page.locator('[data-testid=documents-page]').waitFor();
      const fileName = `产品手册-${Date.now() % 100000}.txt`;
      await page.locator('[data-testid=documents-page] input[type=file]').setInputFiles({ name: fileName, mimeType: 'text/plain', buffer: Buffer.from('LeadFlow 产品手册 e2e') });
      const doc = page.locator('[data-testid=document-row]', { hasText: fileName });
      await doc.waitFor();
      const href = await doc.locator('a[download]').getAttribute('href');
      const content = await page.request.get(`${BASE}${href}`);
      assert.equal(content.status(), 200);
      assert.equal(await content.text(), 'LeadFlow 产品手册 e2e');
      await screenshot(page, 'w-documents');
      assert.deepEqual(errors, []);
    });
  } finally {
    await context.close();
    hook.close();
  }
});
