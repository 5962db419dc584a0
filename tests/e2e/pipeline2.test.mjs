// Browser journeys of import, the public pool (公海) and assignment (L4, L5, L10, L11), against a
// real server with the demo company loaded (`leadflow demo --leads 300`: a 公海 with 80 leads and
// two assignment rules). Each journey stands alone and saves screenshots into artifacts/.
// Run: LEADFLOW_URL=http://127.0.0.1:18080 node --test pipeline2.test.mjs
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { BASE, PHONE, api, browser, chooseOption, horizontalOverflow, newPage, screenshot, signIn, uniquePhone, useBrowser, withFailureShot } from './lib.mjs';

useBrowser();

/**
 * Encodes `text` as GBK, the way Excel on a Chinese Windows saves "CSV". Node can decode GBK but
 * not encode it, so the table is built by decoding every double-byte code once.
 */
function gbk(text) {
  const decoder = new TextDecoder('gbk');
  const table = new Map();
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(Uint8Array.of(lead, trail));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  const bytes = [];
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (code < 0x80) bytes.push(code);
    else {
      const pair = table.get(ch);
      assert.ok(pair, `no GBK code for ${ch}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

test('(j) import a GBK CSV with a bad row → dry run names the row → start → progress to done → the error report names the row', async () => {
  const { context, page, errors } = await newPage(browser);
  const stamp = Date.now().toString(36);
  const [p1, p2] = [uniquePhone(), uniquePhone().replace(/^139/, '137')];
  const names = [`导入甲${stamp}`, `导入乙${stamp}`, `导入丙${stamp}`];
  // Row numbers as in the spreadsheet: the header is row 1, so the bad phone is on row 3.
  const csv = ['姓名,手机号,公司名称,来源渠道,首触动作,区域', `${names[0]},${p1},杭州导入一号科技,抖音表单,预约演示,华东`, `${names[1]},12345,杭州导入二号科技,知乎,下载白皮书,华东`, `${names[2]},${p2},杭州导入三号科技,百度推广,填写报价单,华南`, ''].join('\r\n');
  const file = gbk(csv);
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(file), 'the file really is GBK, not UTF-8');
  try {
    await withFailureShot(page, 'j', async () => {
      await signIn(page);
      await page.locator('[data-testid=nav-import]').click();
      await page.locator('[data-testid=import-wizard]').waitFor();
      await page.locator('[data-testid=import-wizard] input[type=file]').setInputFiles({ name: '展会线索.csv', mimeType: 'text/csv', buffer: file });

      // Detected encoding, row count and the header, each column mapped by its Chinese name.
      assert.equal((await page.locator('[data-testid=import-encoding]').innerText()).trim(), 'GBK');
      assert.equal((await page.locator('[data-testid=import-row-count]').innerText()).trim(), '3');
      const mapped = async (column) => (await page.locator(`[data-testid=map-row][data-column="${column}"] .ant-select-selection-item`).innerText()).trim();
      assert.equal(await mapped('姓名'), '姓名 *');
      assert.equal(await mapped('手机号'), '手机号');
      assert.equal(await mapped('公司名称'), '公司');
      assert.equal(await mapped('来源渠道'), '来源渠道');
      assert.equal(await mapped('首触动作'), '首触动作');
      assert.equal(await mapped('区域'), '区域');

      // Dry run: nothing is written, row 3's phone is named.
      await page.locator('[data-testid=import-dry-run]').click();
      const result = page.locator('[data-testid=import-dry-result]');
      await result.waitFor();
      assert.equal(await result.getAttribute('data-valid'), '2');
      assert.equal(await result.getAttribute('data-invalid'), '1');
      const bad = page.locator('[data-testid=import-error][data-row="3"]');
      await bad.waitFor();
      assert.match(await bad.innerText(), /手机号/);
      assert.match(await bad.locator('[data-testid=import-error-detail]').innerText(), /12345/);
      assert.equal((await api(page, `/api/v1/leads?q=${encodeURIComponent(names[0])}`)).items.length, 0, 'the dry run wrote nothing');
      await screenshot(page, 'j-import-dry-run');

      // Start, handing the rows to the assignment rules: the progress bar runs to done; two rows
      // in, one failed.
      await page.locator('[data-testid=import-distribute]').check();
      const [startRequest] = await Promise.all([
        page.waitForRequest((r) => r.url().endsWith('/start') && r.method() === 'POST'),
        page.locator('[data-testid=import-start]').click(),
      ]);
      assert.equal(startRequest.postDataJSON().distribute, true);
      await page.locator('[data-testid=import-progress]').waitFor();
      const done = page.locator('[data-testid=import-done]');
      await done.waitFor();
      assert.equal(await page.locator('[data-testid=import-progress]').getAttribute('data-status'), 'done');
      assert.equal(await done.getAttribute('data-imported'), '2');
      assert.equal(await done.getAttribute('data-failed'), '1');
      assert.match(await page.locator('[data-testid=import-progress-bar]').innerText(), /100%/);
      await screenshot(page, 'j-import-done');

      // The error report is a CSV naming row 3 and its phone.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=import-errors-download]').click()]);
      assert.match(download.suggestedFilename(), /errors\.csv$/);
      const report = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
      const lines = report.trim().split(/\r?\n/);
      assert.equal(lines.length, 2, report);
      assert.match(lines[1], /^3,/, 'the error report names row 3');
      assert.match(lines[1], /12345/);

      // Stored with the labels turned into values.
      const first = (await api(page, `/api/v1/leads?q=${encodeURIComponent(names[0])}`)).items;
      assert.equal(first.length, 1);
      assert.equal(first[0].phone, `+86${p1}`);
      assert.equal(first[0].channel, 'douyin_form');
      assert.equal(first[0].first_touch, 'book_demo');
      assert.equal(first[0].company, '杭州导入一号科技');
      assert.equal((await api(page, `/api/v1/leads?q=${encodeURIComponent(names[2])}`)).items[0].channel, 'baidu_ads');
      assert.equal((await api(page, `/api/v1/leads?q=${encodeURIComponent(names[1])}`)).items.length, 0, 'the bad row was not imported');

      // Export of the filtered list from the lead list carries the imported lead.
      await page.goto(`${BASE}/leads?q=${encodeURIComponent(names[0])}`);
      await page.locator('.ant-table-row [data-testid=record-link]', { hasText: names[0] }).waitFor();
      await page.locator('[data-testid=export]').click();
      const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-csv]').click()]);
      assert.match(csvDownload.suggestedFilename(), /^线索-\d{4}-\d{2}-\d{2}\.csv$/);
      const exported = (await readFile(await csvDownload.path(), 'utf8')).trim().split(/\r?\n/);
      assert.equal(exported.length, 2, 'header + the one filtered lead');
      assert.ok(exported[1].includes(names[0]) && exported[1].includes('抖音表单'), exported[1]);
      assert.deepEqual(errors, [], 'no uncaught page errors');
    });

    // The wizard at phone size.
    const phone = await newPage(browser, PHONE);
    try {
      await signIn(phone.page);
      await phone.page.goto(`${BASE}/import?entity=leads`);
      await phone.page.locator('[data-testid=import-wizard] input[type=file]').setInputFiles({ name: 'phone.csv', mimeType: 'text/csv', buffer: file });
      await phone.page.locator('[data-testid=import-encoding]').waitFor();
      await phone.page.locator('[data-testid=map-row][data-column="手机号"] [data-testid=map-field]').waitFor();
      await screenshot(phone.page, 'j-phone-import-mapping');
      assert.ok((await horizontalOverflow(phone.page)) <= 0, 'the wizard fits the phone width');
      const select = await phone.page.locator('[data-testid=map-row][data-column="手机号"] .ant-select').boundingBox();
      assert.ok(select && select.x >= 0 && select.x + select.width <= 390, 'the field choice is on screen at phone width');
    } finally {
      await phone.context.close();
    }
  } finally {
    await context.close();
  }
});

test('(k) a salesperson claims a lead from the 公海 → it is in 我的线索; released again, the cooldown refusal is explained', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await withFailureShot(page, 'k', async () => {
      await signIn(page, 'sales');
      const me = (await api(page, '/api/v1/me')).user;
      await page.locator('[data-testid=nav-pool]').click();
      await page.locator('[data-testid=pool-page]').waitFor();
      const shownPool = (await api(page, '/api/v1/pools')).items.find((p) => p.is_default);
      assert.match(await page.locator('[data-testid=pool-rules]').innerText(), new RegExp(`每人每天最多领取 ${shownPool.rules.daily_claim_quota} 条`));
      await page.locator('[data-testid=pool-lead]').first().waitFor();
      // The newest pooled lead this salesperson did not give up (a rerun's own release is in cooldown).
      const poolId = await page.locator('[data-testid=pool-page]').getAttribute('data-pool');
      const pooled = await api(page, `/api/v1/leads?pool_id=${poolId}&sort=-pooled_at&limit=50`);
      const candidate = pooled.items.find((l) => l.last_owner_id !== me.id);
      assert.ok(candidate, 'a pooled lead someone else gave up');
      const leadId = candidate.id;
      const row = page.locator(`[data-testid=pool-lead][data-id="${leadId}"]`);
      await row.waitFor();
      await screenshot(page, 'k-pool');

      await row.locator('[data-testid=pool-claim]').click();
      await page.locator('[data-testid=claim-success]').waitFor();
      const claimed = await api(page, `/api/v1/leads/${leadId}`);
      assert.equal(claimed.owner_id, me.id);
      assert.equal(claimed.pool_id, null);
      await page.locator(`[data-testid=pool-lead][data-id="${leadId}"]`).waitFor({ state: 'detached' });

      // 我的线索: the list filtered to the salesperson's own leads holds it.
      await page.locator('[data-testid=claim-success] a').click();
      await page.waitForURL(/\/leads\?/);
      assert.equal(await page.locator('[data-testid=mine-toggle]').getAttribute('data-mine'), 'true');
      await page.locator('input[data-testid=list-search], [data-testid=list-search] input').fill(claimed.phone.replace(/^\+86/, ''));
      await page.locator('input[data-testid=list-search], [data-testid=list-search] input').press('Enter');
      const link = page.locator(`.ant-table-row [data-testid=record-link][href="/leads/${leadId}"]`);
      await link.waitFor();
      await screenshot(page, 'k-my-leads');

      // Give it back with a reason, then try to claim it again at once: the cooldown says until when.
      await link.click();
      await page.locator('[data-testid=lead-release]').click();
      await page.locator('[data-testid=release-reason] input').fill('暂无');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '暂无需求' }).click();
      await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
      assert.equal(await page.locator('[data-testid=release-reason] input').inputValue(), '暂无需求');
      await page.locator('[data-testid=release-submit]').click();
      await page.locator('[data-testid=lead-pool-actions][data-in-pool=true]').waitFor();
      const released = await api(page, `/api/v1/leads/${leadId}`);
      assert.equal(released.owner_id, null);
      assert.equal(released.last_owner_id, me.id);
      await page.locator('[data-testid=lead-claim]').click();
      const problem = page.locator('[data-testid=claim-problem][data-kind=cooldown]');
      await problem.waitFor();
      assert.match(await problem.innerText(), /冷却期内不能领取/);
      assert.match(await problem.innerText(), /\d{4}-\d{2}-\d{2} 起才能再次领取/);
      await screenshot(page, 'k-claim-cooldown', { fullPage: false });
      assert.deepEqual(errors, [], 'no uncaught page errors');
    });

    // The pool at phone size: cards with a claim button each, nothing sticking out.
    const phone = await newPage(browser, PHONE);
    try {
      await signIn(phone.page, 'sales');
      await phone.page.goto(`${BASE}/pool`);
      await phone.page.locator('[data-testid=pool-cards] [data-testid=pool-claim]').first().waitFor();
      assert.ok((await horizontalOverflow(phone.page)) <= 0, 'the pool fits the phone width');
      await screenshot(phone.page, 'k-phone-pool', { fullPage: false });
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.context.close();
    }
  } finally {
    await context.close();
  }
});

test('(l) admin creates an assignment rule (知乎 + a region → one salesperson), moves it first → a new lead is assigned by it', async () => {
  const { context, page, errors } = await newPage(browser);
  const stamp = Date.now().toString(36);
  const region = `E2E区${stamp}`;
  const ruleName = `E2E 知乎${region} 轮流`;
  let ruleId;
  try {
    await withFailureShot(page, 'l', async () => {
      await signIn(page);
      const users = (await api(page, '/api/v1/users')).items;
      const sales4 = users.find((u) => u.email === 'sales4@demo.leadflow.cn');
      assert.ok(sales4, 'demo user sales4');
      await page.locator('[data-testid=nav-admin-assignment]').click();
      await page.locator('[data-testid=assignment-rules]').waitFor();
      await page.locator('[data-testid=rule-row]').first().waitFor();
      await page.locator('[data-testid=rule-new]').click();
      await page.locator('[data-testid=rule-editor]').waitFor();
      await page.locator('#rule_name').fill(ruleName);
      // Condition 1 (preset: 来源渠道 属于 …): 知乎. Condition 2: 区域 等于 <region>.
      await chooseOption(page, 'rule_conditions_0_value', '知乎');
      await page.locator('[data-testid=condition-add]').click();
      await page.locator('#rule_conditions_1_value').fill(region);
      await page.locator('[data-testid=strategy-round_robin]').click();
      await chooseOption(page, 'rule_members_0_user_id', sales4.name);
      await screenshot(page, 'l-rule-editor', { fullPage: false });
      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/assignment-rules') && r.request().method() === 'POST');
      await page.locator('[data-testid=rule-save]').click();
      const res = await created;
      assert.equal(res.status(), 201);
      const rule = await res.json();
      ruleId = rule.id;
      assert.deepEqual(rule.conditions, [
        { field: 'channel', op: 'in', value: ['zhihu'] },
        { field: 'region', op: 'eq', value: region },
      ]);
      assert.deepEqual(rule.members, [{ user_id: sales4.id, weight: 1 }]);

      // The demo's catch-all rule comes first: move the new one to the top.
      const row = page.locator(`[data-testid=rule-row][data-id="${rule.id}"]`);
      await row.waitFor();
      assert.equal((await row.locator('[data-testid=rule-conditions]').innerText()).trim(), `来源渠道 属于 知乎 且 区域 等于 ${region}`);
      const startIndex = (await api(page, '/api/v1/assignment-rules')).items.findIndex((r) => r.id === rule.id);
      assert.ok(startIndex > 0, 'a new rule is appended after the demo rules');
      for (let i = startIndex; i > 0; i--) {
        await row.getByRole('button', { name: '上移' }).click();
        await page.waitForFunction(([id, at]) => document.querySelectorAll('[data-testid=rule-row]')[at]?.getAttribute('data-id') === id, [rule.id, i - 1]);
      }
      const rules = (await api(page, '/api/v1/assignment-rules')).items;
      assert.equal(rules[0].id, rule.id, 'the new rule is tried first');
      await screenshot(page, 'l-assignment-rules');

      // A new lead without an owner (as intake or an import makes them) goes to sales4 by the rule.
      const post = await page.request.post(`${BASE}/api/v1/leads`, {
        headers: { Origin: BASE },
        data: { name: `E2E 分配 ${stamp}`, phone: uniquePhone(), channel: 'zhihu', region, owner_id: null },
      });
      assert.equal(post.status(), 201);
      const lead = await post.json();
      assert.equal(lead.owner_id, sales4.id, 'assigned by the new rule');
      await page.goto(`${BASE}/leads/${lead.id}`);
      await page.locator('[data-testid=value-owner_id]', { hasText: sales4.name }).waitFor();
      // The timeline says why: the rule by name.
      await page.locator('[data-testid=history-item][data-type="lead.assigned"] [data-testid=history-reason]', { hasText: `分配规则「${ruleName}」(轮流分配)` }).waitFor();
      await screenshot(page, 'l-assigned-lead');

      // A lead of another region falls through to the demo's rules.
      const other = await page.request.post(`${BASE}/api/v1/leads`, {
        headers: { Origin: BASE },
        data: { name: `E2E 其他 ${stamp}`, phone: uniquePhone(), channel: 'zhihu', region: '西北', owner_id: null },
      });
      assert.equal(other.status(), 201);
      assert.notEqual((await other.json()).owner_id, null, 'the catch-all rule assigned it');

      // Bulk assign from the lead list: both E2E leads of this run to 陈静, with a note.
      const sales3 = users.find((u) => u.email === 'sales3@demo.leadflow.cn');
      await page.goto(`${BASE}/leads?q=${encodeURIComponent(stamp)}`);
      const rows = page.locator('.ant-table-row', { has: page.locator('[data-testid=record-link]', { hasText: stamp }) });
      await rows.nth(1).waitFor();
      assert.equal(await rows.count(), 2);
      for (const i of [0, 1]) await rows.nth(i).locator('.ant-table-selection-column .ant-checkbox-input').check();
      assert.match(page.url(), /\/leads\?/, 'ticking a row does not open it');
      await page.locator('[data-testid=bulk-assign]', { hasText: '批量分配(2)' }).click();
      await chooseOption(page, 'assign_owner_id', sales3.name);
      await page.locator('#assign_note').fill('E2E 批量分配');
      await page.locator('[data-testid=assign-submit]').click();
      await page.locator('.ant-message-notice', { hasText: '已分配 2/2 条' }).waitFor();
      await screenshot(page, 'l-bulk-assigned', { fullPage: false });
      for (const id of [lead.id, (await other.json()).id]) {
        const l = await api(page, `/api/v1/leads/${id}`);
        assert.equal(l.owner_id, sales3.id, 'bulk-assigned');
        const history = await api(page, `/api/v1/leads/${id}/history`);
        const assigned = history.items.filter((h) => h.type === 'lead.assigned').pop();
        assert.equal(assigned.reason.kind, 'manual');
        assert.equal(assigned.reason.note, 'E2E 批量分配');
      }

      // Disable the rule from the list: it no longer assigns.
      await page.goto(`${BASE}/admin/assignment`);
      const patched = page.waitForResponse((r) => r.url().endsWith(`/api/v1/assignment-rules/${rule.id}`) && r.request().method() === 'PATCH');
      await row.locator('[data-testid=rule-enabled]').click();
      assert.equal((await patched).status(), 200);
      assert.equal((await api(page, '/api/v1/assignment-rules')).items.find((r) => r.id === rule.id).enabled, false);
      ruleId = undefined;

      // 公海规则: change the daily quota, preview what a reclaim would take back.
      await page.locator('[data-testid=nav-admin-pools]').click();
      const card = page.locator('[data-testid=pool-card]').first();
      await card.waitFor();
      const poolId = await card.getAttribute('data-id');
      const quota = card.locator('[data-testid=rule-daily_claim_quota] input, input[data-testid=rule-daily_claim_quota]');
      const before = (await api(page, '/api/v1/pools')).items.find((p) => p.id === poolId).rules;
      const newQuota = before.daily_claim_quota === 12 ? 11 : 12;
      await quota.fill(String(newQuota));
      const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/pools/${poolId}`) && r.request().method() === 'PATCH');
      await card.locator('[data-testid=pool-save]').click();
      assert.equal((await saved).status(), 200);
      const pool = (await api(page, '/api/v1/pools')).items.find((p) => p.id === poolId);
      assert.equal(pool.rules.daily_claim_quota, newQuota);
      assert.equal(pool.rules.cooldown_days, before.cooldown_days, 'the other rules are kept');
      await card.locator('[data-testid=reclaim-preview]').click();
      const preview = card.locator('[data-testid=reclaim-result]');
      await preview.waitFor();
      const expected = await api(page, `/api/v1/pools/${poolId}/reclaim-preview`);
      assert.equal(Number(await preview.getAttribute('data-due')), expected.due.length);
      await screenshot(page, 'l-pool-rules');
      assert.deepEqual(errors, [], 'no uncaught page errors');
    });
  } finally {
    // Never leave the test's rule active for later journeys.
    if (ruleId) await page.request.patch(`${BASE}/api/v1/assignment-rules/${ruleId}`, { headers: { Origin: BASE }, data: { enabled: false } }).catch(() => {});
    await context.close();
  }
});
