// Journey (q), issue 6's first browser test: a Douyin lead that books a demo turns red by the
// three-color funnel rule, and the supervisor's open browser shows the orange alert live and
// acknowledges it in one click.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, PASSWORD, SALES_EMAIL, SALES_PASSWORD, assertServerUp, launch, newPage, screenshot, signIn, withFailureShot } from './lib.mjs';

const SUPERVISOR_EMAIL = `supervisor${SALES_EMAIL.slice(SALES_EMAIL.indexOf('@'))}`;

let browser;
before(async () => {
  await assertServerUp();
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('(q) a Douyin lead that books a demo turns red → the supervisor sees the live orange alert → acknowledges it', async () => {
  const admin = await newPage(browser);
  const sup = await newPage(browser);
  const sales = await newPage(browser);
  try {
    await withFailureShot(sup.page, 'q', async () => {
      // The admin installs the three-color funnel template (once per database).
      await signIn(admin.page);
      const templates = await (await admin.page.request.get(`${BASE}/api/v1/rule-templates`)).json();
      assert.ok(templates.items.some((t) => t.id === 'three_color_funnel'));
      const rules = await (await admin.page.request.get(`${BASE}/api/v1/rules`)).json();
      if (!rules.items.some((r) => r.template_id === 'three_color_funnel' || /三色漏斗/.test(r.name))) {
        const res = await admin.page.request.post(`${BASE}/api/v1/rule-templates/three_color_funnel/install`, { data: {} });
        assert.equal(res.status(), 201, await res.text());
      }

      // The supervisor works in her browser; the salesperson in hers.
      await signIn(sup.page, SUPERVISOR_EMAIL, PASSWORD);
      await signIn(sales.page, SALES_EMAIL, SALES_PASSWORD);
      await sup.page.locator('[data-testid=live-dot], .lf-live-dot').first().waitFor({ state: 'attached' }).catch(() => {});
      await sup.page.waitForTimeout(500);  // the live stream is connected

      const created = await sales.page.request.post(`${BASE}/api/v1/leads`, {
        data: { name: `抖音预约演示 ${Date.now() % 100000}`, phone: `139${String(Date.now()).slice(-8)}`, channel: 'douyin_form', first_touch: 'book_demo' },
      });
      assert.equal(created.status(), 201, await created.text());
      const lead = await created.json();

      // The rule engine colors it red: the salesperson's lead page shows the red badge.
      await sales.page.goto(`${BASE}/leads/${lead.id}`);
      const red = sales.page.locator('[data-color=red]').first();
      for (let i = 0; i < 20 && !(await red.isVisible()); i++) {
        await sales.page.waitForTimeout(500);
        await sales.page.reload();
      }
      await red.waitFor();
      await screenshot(sales.page, 'q-lead-red', { fullPage: false });

      // The supervisor's open browser shows the orange alert at once, and acknowledges it.
      const popup = sup.page.locator('[data-testid=alert-popup]').first();
      await popup.waitFor();
      assert.match(await popup.innerText(), /红色高意向线索/);
      const alertId = await popup.getAttribute('data-alert-id');
      await screenshot(sup.page, 'q-supervisor-alert', { fullPage: false });
      await sup.page.locator('[data-testid=alert-ack]').first().click();
      await popup.waitFor({ state: 'detached' });
      const acked = await (await sup.page.request.get(`${BASE}/api/v1/alerts?state=acknowledged`)).json();
      const mine = acked.items.find((a) => a.id === alertId);
      assert.ok(mine, 'the alert is acknowledged');
      assert.equal(mine.record_id, lead.id);

      // The alert center lists it as acknowledged.
      await sup.page.locator('[data-testid=nav-alerts]').click();
      await sup.page.locator('[data-testid=alerts-tab-acknowledged]').click();
      await sup.page.locator(`[data-testid=alert-row][data-alert-id="${alertId}"]`).waitFor();
      await screenshot(sup.page, 'q-alert-center');
      assert.deepEqual(sup.errors, []);
    });
  } finally {
    for (const c of [admin, sup, sales]) await c.context.close();
  }
});
