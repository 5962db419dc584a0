// Browser journey of 关闭手工录入 per pool (公海) against a real server with the demo company loaded
// (`leadflow demo --leads 300`: one default 公海): the admin switches manual entry off per pool in
// 公海规则, the salesperson's new-lead form offers 归属公海 accordingly. Saves screenshots into
// artifacts/. Run: LEADFLOW_URL=http://127.0.0.1:18080 node --test pools.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, api, browser, chooseOption, newPage, screenshot, signIn, uniquePhone, useBrowser, withFailureShot } from './lib.mjs';

useBrowser();

/** Toggles 允许手工录入 on the pool's card in 公海规则 to `on`, saves, and returns the saved pool. */
async function setManualEntry(page, poolId, on) {
  const card = page.locator(`[data-testid=pool-card][data-id="${poolId}"]`);
  const toggle = card.locator('[data-testid=rule-manual_entry]');
  await toggle.waitFor();
  if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click();
  assert.equal(await toggle.getAttribute('aria-checked'), String(on));
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/pools/${poolId}`) && r.request().method() === 'PATCH');
  await card.locator('[data-testid=pool-save]').click();
  const res = await saved;
  assert.equal(res.status(), 200, await res.text());
  const pool = await res.json();
  assert.equal(pool.rules.manual_entry, on);
  // The card's summary follows the saved rules.
  const summary = card.getByText('已关闭手工录入');
  await summary.waitFor({ state: on ? 'detached' : 'visible' });
  return pool;
}

test('(y) 关闭手工录入 per pool: the closed pool is disabled in 归属公海, a lead goes to the default pool; with every pool closed the form says so', async () => {
  const admin = await newPage(browser);
  const sales = await newPage(browser);
  const stamp = Date.now().toString(36);
  const poolName = `E2E 抖音公海 ${stamp}`;
  let defaultPool;
  let newPool;
  try {
    await withFailureShot(admin.page, 'y-admin', async () => {
      // The admin creates a second pool in 公海规则 (manual entry on by default) …
      await signIn(admin.page);
      defaultPool = (await api(admin.page, '/api/v1/pools')).items.find((p) => p.is_default);
      assert.ok(defaultPool, 'the demo has a default pool');
      assert.notEqual(defaultPool.rules.manual_entry, false, 'the demo pool allows manual entry');
      await admin.page.goto(`${BASE}/admin/pools`);
      await admin.page.locator(`[data-testid=pool-card][data-id="${defaultPool.id}"]`).waitFor();
      await admin.page.locator('[data-testid=pool-new]').click();
      await admin.page.locator('#pool_new_name').fill(poolName);
      assert.equal(await admin.page.locator('.ant-modal [data-testid=rule-manual_entry]').getAttribute('aria-checked'), 'true', '允许手工录入 starts on');
      const created = admin.page.waitForResponse((r) => r.url().endsWith('/api/v1/pools') && r.request().method() === 'POST');
      await admin.page.locator('.ant-modal-footer .ant-btn-primary').click();
      const res = await created;
      assert.equal(res.status(), 201, await res.text());
      newPool = await res.json();
      assert.deepEqual(res.request().postDataJSON(), { name: poolName, description: null }, 'no rule sent: manual entry stays on');

      // … and switches 手工录入 off on it.
      await setManualEntry(admin.page, newPool.id, false);
      const stored = (await api(admin.page, '/api/v1/pools')).items.find((p) => p.id === newPool.id);
      assert.equal(stored.rules.manual_entry, false);
      await screenshot(admin.page, 'y-pool-rules-manual-entry-off');
    });

    let leadId;
    const leadName = `E2E 归属公海 ${stamp}`;
    await withFailureShot(sales.page, 'y-sales', async () => {
      // The salesperson's new-lead form: 归属公海 preselects the default pool; the closed pool is
      // listed, disabled, with 已关闭手工录入.
      await signIn(sales.page, 'sales');
      await sales.page.goto(`${BASE}/leads/new`);
      const picker = sales.page.locator('[data-testid=home-pool]');
      await picker.locator(`.ant-select-selection-item[title="${defaultPool.name}"]`).waitFor();
      await picker.locator('.ant-select-selector').click();
      const closed = sales.page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${poolName}"]`);
      await closed.waitFor();
      assert.match(await closed.getAttribute('class'), /ant-select-item-option-disabled/);
      assert.match(await closed.innerText(), /已关闭手工录入/);
      const open = sales.page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${defaultPool.name}"]`);
      assert.doesNotMatch(await open.getAttribute('class'), /ant-select-item-option-disabled/);
      await screenshot(sales.page, 'y-home-pool-picker', { fullPage: false });
      // Picking the closed pool does nothing; the default pool stays chosen (as a person would).
      await closed.click({ force: true });
      await chooseOption(sales.page, 'create_home_pool_id', defaultPool.name);
      assert.equal(await sales.page.locator('[data-testid=manual-entry-closed]').count(), 0);

      // A lead into the default pool: created, with it as 归属公海.
      await sales.page.locator('#create_name').fill(leadName);
      await sales.page.locator('#create_phone').fill(uniquePhone());
      const posted = sales.page.waitForResponse((r) => r.url().endsWith('/api/v1/leads') && r.request().method() === 'POST');
      await sales.page.locator('[data-testid=create-submit]').click();
      const res = await posted;
      assert.equal(res.status(), 201, await res.text());
      assert.equal(res.request().postDataJSON().home_pool_id, defaultPool.id, 'the chosen pool is sent');
      leadId = (await res.json()).id;
      await sales.page.waitForURL((url) => url.pathname === `/leads/${leadId}`);
      const lead = await api(sales.page, `/api/v1/leads/${encodeURIComponent(leadId)}`);
      assert.equal(lead.home_pool_id, defaultPool.id, 'stored with the default pool as 归属公海');
      // The lead page names the pool, not its id.
      await sales.page.locator('[data-testid=value-home_pool_id]', { hasText: defaultPool.name }).waitFor();

      // A second lead, typed into a form opened before the admin's next change.
      await sales.page.goto(`${BASE}/leads/new`);
      await sales.page.locator(`[data-testid=home-pool] .ant-select-selection-item[title="${defaultPool.name}"]`).waitFor();
      await sales.page.locator('#create_name').fill(`${leadName} 二`);
      await sales.page.locator('#create_phone').fill(uniquePhone());
    });

    // The admin switches manual entry off on the default pool too: no pool allows it now.
    await withFailureShot(admin.page, 'y-admin2', () => setManualEntry(admin.page, defaultPool.id, false));

    await withFailureShot(sales.page, 'y-sales2', async () => {
      // The open form still offers the default pool; the server refuses, the form says why in the
      // server's words, then knows every pool is closed and cannot be sent again.
      const posted = sales.page.waitForResponse((r) => r.url().endsWith('/api/v1/leads') && r.request().method() === 'POST');
      await sales.page.locator('[data-testid=create-submit]').click();
      const res = await posted;
      assert.equal(res.status(), 403, await res.text());
      const problem = await res.json();
      assert.equal(problem.code, 'leads.manual_entry_disabled');
      const refused = sales.page.locator('[data-testid=manual-entry-refused]');
      await refused.waitFor();
      assert.ok((await refused.innerText()).includes(problem.detail), 'the refusal is shown in the server’s words');
      assert.match(problem.detail, new RegExp(defaultPool.name), 'the refusal names the pool');
      await sales.page.locator('[data-testid=manual-entry-closed]').waitFor();
      assert.equal(await sales.page.locator('[data-testid=create-submit]').isDisabled(), true);
      await screenshot(sales.page, 'y-manual-entry-refused');
      assert.equal((await api(sales.page, `/api/v1/leads?q=${encodeURIComponent(`${leadName} 二`)}`)).items.length, 0, 'nothing was created');

      // A fresh form, and quick entry, say 手工录入已关闭 from the start and cannot be saved.
      await sales.page.goto(`${BASE}/leads/new`);
      await sales.page.locator('[data-testid=manual-entry-closed]', { hasText: '手工录入已关闭' }).waitFor();
      assert.equal(await sales.page.locator('[data-testid=create-submit]').isDisabled(), true);
      await sales.page.goto(`${BASE}/leads/quick`);
      await sales.page.locator('[data-testid=manual-entry-closed]').waitFor();
      assert.equal(await sales.page.locator('[data-testid=quick-submit]').isDisabled(), true);
      await screenshot(sales.page, 'y-quick-entry-closed');
      assert.deepEqual(sales.errors, [], 'no uncaught page errors (sales)');
    });
    assert.deepEqual(admin.errors, [], 'no uncaught page errors (admin)');
  } finally {
    // Later journeys enter leads by hand: open the default pool again, and close the new pool
    // for claims (a closed pool is not offered as 归属公海, so their forms look as before).
    if (defaultPool) await api(admin.page, `/api/v1/pools/${defaultPool.id}`, { method: 'PATCH', headers: { Origin: BASE }, data: { rules: { manual_entry: true } } }).catch(() => {});
    if (newPool) await api(admin.page, `/api/v1/pools/${newPool.id}`, { method: 'PATCH', headers: { Origin: BASE }, data: { enabled: false } }).catch(() => {});
    await admin.context.close();
    await sales.context.close();
  }
});
