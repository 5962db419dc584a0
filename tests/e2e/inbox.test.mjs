// Browser journey of an intake source's 目标公海 and the 通知 bell against a real server with the demo
// company loaded: the admin points a new intake source at a second 公海 in 进线入口, a lead posted to
// the source's URL (with its key, no session) that no assignment rule takes waits in that pool, its
// timeline says 「经 <source> 进线」 with the payload as posted (原始数据); a rule's in-app notify
// reaches the admin's open browser live as a badge on the bell, which opening clears; the bell on a
// phone; the lead's owner is read-only when editing, with 分配 beside it. Saves screenshots into
// artifacts/. Run: tests/e2e/run.sh BUILD/leadflow inbox.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, PHONE, api, browser, chooseOption, horizontalOverflow, idFromUrl, liveConnected, newPage, screenshot, settled, signIn, uniquePhone, useBrowser, withFailureShot } from './lib.mjs';

useBrowser();

const WRITE = { headers: { Origin: BASE } };

test('(z) 进线入口 → 目标公海: an unassigned intake lead waits in the chosen pool, its timeline shows 经 … 进线 and 原始数据; the 通知 bell shows a rule notification live and opening it clears the badge', async () => {
  const admin = await newPage(browser);
  const stamp = Date.now().toString(36);
  const poolName = `E2E 展会公海 ${stamp}`;
  const sourceName = `E2E 官网入口 ${stamp}`;
  const leadName = `E2E 进线 ${stamp}`;
  let pool;
  let source;
  let ruleId;
  const paused = []; // assignment rules switched off for this journey, switched on again in finally
  try {
    let key;
    await withFailureShot(admin.page, 'z-intake', async () => {
      await signIn(admin.page);
      pool = await api(admin.page, '/api/v1/pools', { method: 'POST', ...WRITE, data: { name: poolName } });

      // 进线入口: a new source (官网咨询) starts on 默认公海 …
      await admin.page.goto(`${BASE}/admin/intake`);
      await admin.page.locator('[data-testid=intake-sources]').waitFor();
      await admin.page.locator('[data-testid=intake-new]').click();
      await admin.page.locator('#intake_new_name').fill(sourceName);
      await chooseOption(admin.page, 'intake_new_channel', '官网咨询');
      await admin.page.locator('.ant-modal:visible .ant-select:has(#intake_new_pool_id) .ant-select-selection-item[title="默认公海"]').waitFor();
      await admin.page.locator('#intake_new_pool_id_extra', { hasText: '无人匹配分配规则的线索进入该公海待领取' }).waitFor();
      const created = admin.page.waitForResponse((r) => r.url().endsWith('/api/v1/intake-sources') && r.request().method() === 'POST');
      await admin.page.locator('[data-testid=intake-create-submit]').click();
      const res = await created;
      assert.equal(res.status(), 201, await res.text());
      assert.equal(res.request().postDataJSON().pool_id, undefined, '默认公海 is not sent');
      source = await res.json();
      key = source.key;
      assert.ok(key, 'the key is in the answer to create');
      await admin.page.locator('[data-testid=intake-key-done]').click();
      const card = admin.page.locator(`[data-testid=intake-source][data-id="${source.id}"]`);
      await card.locator('[data-testid=intake-source-pool]', { hasText: '目标公海:默认公海' }).waitFor();

      // … and is pointed at the new pool in the edit dialog.
      await card.locator('[data-testid=intake-edit]').click();
      await admin.page.locator('#intake_edit_name').waitFor();
      assert.equal(await admin.page.locator('#intake_edit_name').inputValue(), sourceName);
      await chooseOption(admin.page, 'intake_edit_pool_id', poolName);
      await screenshot(admin.page, 'z-intake-edit-pool', { fullPage: false });
      const patched = admin.page.waitForResponse((r) => r.url().endsWith(`/api/v1/intake-sources/${source.id}`) && r.request().method() === 'PATCH');
      await admin.page.locator('[data-testid=intake-edit-submit]').click();
      const pres = await patched;
      assert.equal(pres.status(), 200, await pres.text());
      assert.equal(pres.request().postDataJSON().pool_id, pool.id);
      await card.locator('[data-testid=intake-source-pool]', { hasText: `目标公海:${poolName}` }).waitFor();
      assert.equal((await api(admin.page, '/api/v1/intake-sources')).items.find((s) => s.id === source.id).pool_id, pool.id, 'stored');
      await screenshot(admin.page, 'z-intake-sources');
    });

    // No assignment rule may take the lead (the demo has a catch-all one): pause the enabled ones.
    for (const r of (await api(admin.page, '/api/v1/assignment-rules')).items.filter((r) => r.enabled)) {
      await api(admin.page, `/api/v1/assignment-rules/${r.id}`, { method: 'PATCH', ...WRITE, data: { enabled: false } });
      paused.push(r.id);
    }

    let leadId;
    await withFailureShot(admin.page, 'z-pool', async () => {
      // A lead posted to the source's URL with its key (no session), then the same phone again.
      const phone = uniquePhone();
      const post = (body) => fetch(`${BASE}${source.intake_url}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Intake-Key': key }, body: JSON.stringify(body) });
      const first = await post({ name: leadName, mobile: phone, utm_source: 'e2e-expo', booth: 'A12' });
      assert.equal(first.status, 201, await first.clone().text());
      leadId = (await first.json()).id;
      const again = await post({ name: leadName, mobile: phone, booth: 'B07' });
      assert.equal(again.status, 200);
      assert.equal((await again.json()).deduplicated, true);
      const lead = await api(admin.page, `/api/v1/leads/${leadId}`);
      assert.equal(lead.pool_id, pool.id, 'waits in the source’s pool');
      assert.equal(lead.home_pool_id, pool.id);
      assert.equal(lead.owner_id, null);

      // The pool lists it; its page says which pool, and the timeline how it came in.
      await admin.page.goto(`${BASE}/pool?pool=${encodeURIComponent(pool.id)}`);
      await admin.page.locator(`[data-testid=pool-page][data-pool="${pool.id}"] [data-testid=pool-lead][data-id="${leadId}"]`).waitFor();
      await admin.page.locator(`[data-testid=pool-lead][data-id="${leadId}"] [data-testid=pool-lead-name]`).click();
      await admin.page.waitForURL((url) => url.pathname === `/leads/${leadId}`);
      await admin.page.locator('[data-testid=lead-in-pool]', { hasText: poolName }).waitFor();
      const created = admin.page.locator('[data-testid=history-item][data-type="lead.created"]');
      await created.locator('[data-testid=history-intake]', { hasText: `经 ${sourceName} 进线` }).waitFor();
      const touched = admin.page.locator('[data-testid=history-item][data-type="lead.touched"]');
      await touched.locator('[data-testid=history-intake]', { hasText: `经 ${sourceName} 进线` }).waitFor();
      await touched.locator('[data-testid=history-touch-channel]', { hasText: '官网咨询' }).waitFor();
      assert.equal(await created.locator('[data-testid=history-raw]').count(), 0, '原始数据 starts folded');
      await created.locator('[data-testid=history-raw-toggle]').click();
      const raw = JSON.parse(await created.locator('[data-testid=history-raw]').innerText());
      assert.deepEqual(raw, { name: leadName, mobile: phone, utm_source: 'e2e-expo', booth: 'A12' }, 'the payload as posted');
      // The viewport only: a full-page shot resizes the window, which can remount the timeline.
      await created.locator('[data-testid=history-raw]').scrollIntoViewIfNeeded();
      await screenshot(admin.page, 'z-lead-intake-timeline', { fullPage: false });
    });

    await withFailureShot(admin.page, 'z-bell', async () => {
      // A rule sends the owner an in-app notification when a lead of this name is created.
      const notifyTitle = `E2E 通知 ${stamp}`;
      const rule = await api(admin.page, '/api/v1/rules', {
        method: 'POST',
        ...WRITE,
        data: {
          name: `E2E 站内通知 ${stamp}`,
          enabled: true,
          trigger: { event: 'lead.created' },
          condition: `lead.name == "${notifyTitle}"`,
          actions: [{ type: 'notify', channel: 'in_app', to: 'owner', title: notifyTitle, text: '{{lead.name}} 已创建', silent_period: 'send' }],
        },
      });
      ruleId = rule.id;

      // The admin's open browser: the inbox opened once (all seen) shows no badge.
      await admin.page.goto(`${BASE}/leads`);
      await liveConnected(admin.page);
      const bell = admin.page.locator('[data-testid=inbox-bell]');
      await bell.click();
      await admin.page.locator('[data-testid=inbox-list]').waitFor();
      await admin.page.locator('[data-testid=inbox-bell][data-unread="0"]').waitFor();
      await bell.click();
      await admin.page.locator('[data-testid=inbox-list]').waitFor({ state: 'hidden' });

      // A lead the admin owns triggers it; the badge comes live.
      const lead = await api(admin.page, '/api/v1/leads', { method: 'POST', ...WRITE, data: { name: notifyTitle, phone: uniquePhone() } });
      await admin.page.locator('[data-testid=inbox-bell][data-unread="1"]').waitFor();
      await admin.page.locator('.ant-badge:has([data-testid=inbox-bell]) .ant-badge-count').waitFor();
      await screenshot(admin.page, 'z-bell-badge', { fullPage: false });

      // Opening the inbox lists it (new, with its text and record link) and clears the badge.
      await bell.click();
      const item = admin.page.locator('[data-testid=inbox-item]').first();
      await item.locator('[data-testid=inbox-item-title]', { hasText: notifyTitle }).waitFor();
      assert.equal(await item.getAttribute('data-new'), 'true');
      assert.match(await item.locator('[data-testid=inbox-item-text]').innerText(), new RegExp(`${notifyTitle} 已创建`));
      await admin.page.locator('[data-testid=inbox-bell][data-unread="0"]').waitFor();
      await settled(admin.page);
      await screenshot(admin.page, 'z-bell-open', { fullPage: false });
      await item.locator('[data-testid=inbox-open]').click();
      await admin.page.waitForURL((url) => url.pathname === `/leads/${lead.id}`);
      assert.equal(idFromUrl(admin.page), lead.id);
      // Its owner changes only by 分配: offered next to 负责人, read-only in the edit drawer.
      await admin.page.locator('[data-testid=assign-inline]').waitFor();
      await admin.page.locator('[data-testid=edit-record]').click();
      await admin.page.locator('[data-testid=readonly-owner_id]', { hasText: '王管理' }).waitFor();
      assert.equal(await admin.page.locator('#edit_owner_id').count(), 0, 'no owner control on edit');
      await admin.page.getByText('负责人只能通过「分配」变更').waitFor();
      await admin.page.locator('[data-testid=edit-assign]').click();
      await admin.page.locator('[data-testid=assign-submit]').waitFor();
      // Seen stays seen after a reload (kept per user in this browser).
      await admin.page.reload();
      await admin.page.locator('[data-testid=inbox-bell][data-unread="0"]').waitFor();
    });

    // On a phone the bell opens a full-width drawer; a fresh browser has not seen anything yet.
    const phone = await newPage(browser, PHONE);
    try {
      await withFailureShot(phone.page, 'z-phone', async () => {
        await signIn(phone.page);
        // Unread on a browser that never opened the inbox.
        const bell = phone.page.locator('[data-testid=inbox-bell]');
        await phone.page.locator('[data-testid=inbox-bell]:not([data-unread="0"])').waitFor();
        await bell.click();
        await phone.page.locator('[data-testid=inbox-drawer] [data-testid=inbox-item]').first().waitFor();
        await phone.page.locator('[data-testid=inbox-bell][data-unread="0"]').waitFor();
        assert.ok((await horizontalOverflow(phone.page)) <= 0, 'the inbox fits the phone width');
        await settled(phone.page);
        await screenshot(phone.page, 'z-phone-inbox', { fullPage: false });
        assert.deepEqual(phone.errors, [], 'no uncaught page errors (phone)');
      });
    } finally {
      await phone.context.close();
    }
    assert.deepEqual(admin.errors, [], 'no uncaught page errors (admin)');
  } finally {
    for (const id of paused) await api(admin.page, `/api/v1/assignment-rules/${id}`, { method: 'PATCH', ...WRITE, data: { enabled: true } }).catch(() => {});
    if (ruleId) await api(admin.page, `/api/v1/rules/${ruleId}`, { method: 'PATCH', ...WRITE, data: { enabled: false } }).catch(() => {});
    if (source) await api(admin.page, `/api/v1/intake-sources/${source.id}`, { method: 'PATCH', ...WRITE, data: { enabled: false } }).catch(() => {});
    // A second open pool would be offered as 归属公海 on the other journeys' forms: close it.
    if (pool) await api(admin.page, `/api/v1/pools/${pool.id}`, { method: 'PATCH', ...WRITE, data: { enabled: false } }).catch(() => {});
    await admin.context.close();
  }
});
