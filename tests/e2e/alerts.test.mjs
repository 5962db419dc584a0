// Journey (q), issue 6's first browser test: a Douyin lead that books a demo — entered by the
// salesperson on her phone through 快速录入 with 来源渠道 抖音表单 and 首触动作 预约演示 — turns red by
// the three-color funnel rule, and the supervisor's open browser shows the orange alert live and
// acknowledges it in one click. The next quick entry starts from the channel chosen last.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, PHONE, api, browser, horizontalOverflow, idFromUrl, liveConnected, newPage, reloadUntil, screenshot, signIn, uniquePhone, useBrowser, withFailureShot } from './lib.mjs';

useBrowser();

test('(q) a Douyin lead that books a demo, quick-entered on a phone, turns red → the supervisor sees the live orange alert → acknowledges it', async () => {
  const admin = await newPage(browser);
  const sup = await newPage(browser);
  const sales = await newPage(browser, PHONE);
  try {
    await withFailureShot(sup.page, 'q', async () => {
      // The admin installs the three-color funnel template (once per database).
      await signIn(admin.page);
      const templates = await api(admin.page, '/api/v1/rule-templates');
      assert.ok(templates.items.some((t) => t.id === 'three_color_funnel'));
      const rules = await api(admin.page, '/api/v1/rules');
      if (!rules.items.some((r) => r.template_id === 'three_color_funnel' || /三色漏斗/.test(r.name))) {
        const res = await admin.page.request.post(`${BASE}/api/v1/rule-templates/three_color_funnel/install`, { data: {} });
        assert.equal(res.status(), 201, await res.text());
      }

      // The supervisor works in her browser; the salesperson in hers.
      await signIn(sup.page, 'supervisor');
      await signIn(sales.page, 'sales');
      await liveConnected(sup.page);

      // The salesperson quick-enters the lead on her phone (the tab bar's +): contact, the
      // follow-up card with a next action (typing it picks 明天 10:00), 抖音表单 and 预约演示.
      const phone = uniquePhone();
      const salutation = `抖音预约${Date.now() % 100000}`;
      await sales.page.locator('[data-testid=tab-new-lead]').click();
      await sales.page.locator('[data-testid=quick-form]').waitFor();
      await sales.page.locator('#quick_phone').fill(phone);
      await sales.page.locator('#quick_salutation').fill(salutation);
      await sales.page.locator('#quick_core_need').fill('想看产品演示');
      await sales.page.locator('#quick_next_action').fill('约演示时间');
      await sales.page.locator('[data-testid=quick-when] [data-value=tomorrow].ant-tag-checkable-checked').waitFor();
      await sales.page.locator('[data-testid=quick-channel] [data-value=douyin_form]').click();
      await sales.page.locator('[data-testid=quick-first-touch] [data-value=book_demo]').click();
      assert.ok((await horizontalOverflow(sales.page)) <= 0, 'quick entry fits the phone width');
      await screenshot(sales.page, 'q-phone-quick-entry');
      await sales.page.locator('[data-testid=quick-submit]').click();
      await sales.page.locator('[data-testid=quick-result][data-deduplicated=false]').waitFor();
      await sales.page.locator('[data-testid=quick-open-lead]').click();
      await sales.page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
      const lead = { id: idFromUrl(sales.page) };
      const stored = await api(sales.page, `/api/v1/leads/${lead.id}`);
      assert.equal(stored.channel, 'douyin_form');
      assert.equal(stored.first_touch, 'book_demo');
      assert.equal(stored.salutation, salutation);

      // The rule engine colors it red: the salesperson's lead page shows the red badge.
      await reloadUntil(sales.page, sales.page.locator('[data-color=red]'));
      await screenshot(sales.page, 'q-lead-red', { fullPage: false });

      // The supervisor's open browser shows the orange alert at once, and acknowledges it.
      const popup = sup.page.locator('[data-testid=alert-popup]').first();
      await popup.waitFor();
      assert.match(await popup.innerText(), /红色高意向线索/);
      const alertId = await popup.getAttribute('data-alert-id');
      await screenshot(sup.page, 'q-supervisor-alert', { fullPage: false });
      await sup.page.locator('[data-testid=alert-ack]').first().click();
      await popup.waitFor({ state: 'detached' });
      const acked = await api(sup.page, '/api/v1/alerts?state=acknowledged');
      const mine = acked.items.find((a) => a.id === alertId);
      assert.ok(mine, 'the alert is acknowledged');
      assert.equal(mine.record_id, lead.id);

      // The alert center lists it as acknowledged.
      await sup.page.locator('[data-testid=nav-alerts]').click();
      await sup.page.locator('[data-testid=alerts-tab-acknowledged]').click();
      await sup.page.locator(`[data-testid=alert-row][data-alert-id="${alertId}"]`).waitFor();
      await screenshot(sup.page, 'q-alert-center');
      assert.deepEqual(sup.errors, []);

      // Her next quick entry starts from 抖音表单, the channel she chose last time.
      await sales.page.goto(`${BASE}/leads/quick`);
      await sales.page.locator('[data-testid=quick-channel] [data-value=douyin_form].ant-tag-checkable-checked').waitFor();
      assert.deepEqual(sales.errors, []);
    });
  } finally {
    for (const c of [admin, sup, sales]) await c.context.close();
  }
});
