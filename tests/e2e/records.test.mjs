// Journey (x): attachments and saved views. A salesperson attaches a file to her lead (附件), sees it
// in the list and on the timeline, and downloads the same bytes; then in 线索池 she saves the current
// filter (来源渠道 = 抖音表单, which the dialog lists in words) as a view, clears the filters, applies
// the view from 视图 and sees only Douyin leads, the view highlighted; renames and deletes it (the
// views bar at phone size is checked with a view saved through the API, deleted at the end so the
// journey can rerun).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { BASE, PHONE, api, browser, horizontalOverflow, newPage, screenshot, signIn, useBrowser, withFailureShot } from './lib.mjs';

useBrowser();

test('(x) a salesperson attaches a file to her lead and downloads it; saves 抖音表单 as a view, clears the filters and applies it', async () => {
  const { context, page, errors } = await newPage(browser);
  const stamp = Date.now() % 1e6;
  const viewName = `抖音线索 ${stamp}`;
  let viewId = null;
  try {
    await withFailureShot(page, 'x', async () => {
      await signIn(page, 'sales');
      const me = await api(page, '/api/v1/me');
      const lead = (await api(page, `/api/v1/leads?owner_id[in]=${me.user.id}&limit=1`)).items[0];
      assert.ok(lead, 'the salesperson has a lead');

      // 附件: upload the raw file, see it listed (size, uploader) and on the timeline.
      const fileName = `报价单-${stamp}.txt`;
      const content = `LeadFlow 报价 e2e ${stamp}\n`;
      await page.goto(`${BASE}/leads/${lead.id}`);
      const card = page.locator('[data-testid=attachments]');
      await card.waitFor();
      await card.locator('input[type=file]').setInputFiles({ name: fileName, mimeType: 'text/plain', buffer: Buffer.from(content) });
      const row = card.locator('[data-testid=attachment-row]', { hasText: fileName });
      await row.waitFor();
      const meta = await row.locator('[data-testid=attachment-meta]').innerText();
      assert.match(meta, new RegExp(`${Buffer.byteLength(content)} B`));
      assert.ok(meta.includes(me.user.name), meta);
      const event = page.locator('[data-testid=history-item][data-type="lead.attachment_added"]', { hasText: fileName });
      await event.waitFor();
      assert.match(await event.innerText(), /上传了附件「/);
      const stored = (await api(page, `/api/v1/leads/${lead.id}/attachments`)).items.find((a) => a.name === fileName);
      assert.ok(stored, 'stored on the server');
      assert.equal(stored.created_by, me.user.id);
      await screenshot(page, 'x-attachments');

      // Download: the same bytes.
      const [download] = await Promise.all([page.waitForEvent('download'), row.locator('[data-testid=attachment-link]').click()]);
      assert.equal(download.suggestedFilename(), fileName);
      assert.equal(await readFile(await download.path(), 'utf8'), content);

      // 保存视图: filter by 来源渠道 = 抖音表单 in the filter bar, save it as a view.
      await page.goto(`${BASE}/leads`);
      await page.locator('[data-testid=list-count]').filter({ hasText: '共' }).waitFor();
      const allTotal = (await api(page, '/api/v1/leads?with_total=true&limit=1')).total;
      const douyinTotal = (await api(page, '/api/v1/leads?channel[in]=douyin_form&with_total=true&limit=1')).total;
      assert.ok(douyinTotal > 0 && douyinTotal < allTotal, `${douyinTotal} of ${allTotal}`);
      const channelFilter = page.locator('[data-testid=filter-channel]').first();
      await channelFilter.locator('.ant-select-selector').click();
      await page.locator('.ant-select-dropdown:visible:not([class*="-enter"]) .ant-select-item-option[title="抖音表单"]').click();
      await page.keyboard.press('Escape');
      await page.waitForURL(/channel(%5B|\[)in(%5D|\])=douyin_form/);
      const count = page.locator('[data-testid=list-count]');
      await count.filter({ hasText: `共 ${douyinTotal} 条` }).waitFor();

      await page.locator('[data-testid=view-save]').click();
      // The dialog says what is saved in words (label, operator, option label), not the query.
      await page.locator('[data-testid=view-condition]', { hasText: '来源渠道 等于 抖音表单' }).waitFor();
      assert.equal(await page.locator('[data-testid=view-condition]').count(), 1);
      await page.locator('[data-testid=view-name]').fill(viewName);
      assert.equal(await page.locator('[data-testid=view-shared]').count(), 0, 'no 共享 switch without views.share');
      await page.locator('[data-testid=view-submit]').click();
      await page.locator('.ant-message', { hasText: viewName }).waitFor();
      const dropdown = page.locator('[data-testid=views-dropdown]');
      await dropdown.filter({ hasText: viewName }).waitFor();
      viewId = await dropdown.getAttribute('data-current-view');
      assert.ok(viewId, 'the saved view is the current one');
      const saved = (await api(page, '/api/v1/views?entity=leads')).items.find((v) => v.id === viewId);
      assert.equal(saved.name, viewName);
      assert.equal(saved.mine, true);
      assert.match(saved.query, /channel\[in\]=douyin_form/);

      // Clear the filters: all leads again, no view in force.
      await page.getByRole('button', { name: '清除筛选' }).first().click();
      await count.filter({ hasText: `共 ${allTotal} 条` }).waitFor();
      assert.equal(await dropdown.getAttribute('data-current-view'), '');
      assert.ok(!/channel/.test(new URL(page.url()).search));

      // Apply the view from the dropdown: only Douyin leads, the view highlighted.
      await dropdown.click();
      await page.locator(`.ant-dropdown:visible [data-testid=view-item][data-view-id="${viewId}"]`).click();
      await page.waitForURL(/channel(%5B|\[)in(%5D|\])=douyin_form/);
      await count.filter({ hasText: `共 ${douyinTotal} 条` }).waitFor();
      assert.equal(await dropdown.getAttribute('data-current-view'), viewId);
      const rows = page.locator('.ant-table-row');
      await rows.first().waitFor();
      const n = await rows.count();
      assert.ok(n > 0);
      for (let i = 0; i < Math.min(n, 20); i++) assert.match(await rows.nth(i).innerText(), /抖音表单/, `row ${i} is a Douyin lead`);
      await dropdown.click();
      // The menu opens with an animation: wait for the highlighted item rather than counting at once.
      await page.locator(`.ant-dropdown:visible .ant-dropdown-menu-item-selected [data-view-id="${viewId}"]`).waitFor();
      await page.keyboard.press('Escape');
      await screenshot(page, 'x-saved-view');

      // Rename it (PATCH, author only) and delete it again.
      await page.locator('[data-testid=view-edit]').click();
      await page.locator('[data-testid=view-name]').fill(`${viewName} 改`);
      await page.locator('[data-testid=view-submit]').click();
      await dropdown.filter({ hasText: `${viewName} 改` }).waitFor();
      assert.equal((await api(page, '/api/v1/views?entity=leads')).items.find((v) => v.id === viewId)?.name, `${viewName} 改`);
      await page.locator('[data-testid=view-delete]').click();
      await page.locator('.ant-popconfirm:visible .ant-btn-dangerous, .ant-popconfirm:visible .ant-btn-primary').first().click();
      await page.locator('[data-testid=views-dropdown][data-current-view=""]').waitFor();
      assert.equal((await api(page, '/api/v1/views?entity=leads')).items.some((v) => v.id === viewId), false, 'deleted');
      assert.deepEqual(errors, [], 'no uncaught page errors');
    });

    // At phone size: the lead page's 附件 tab and the views bar fit the width.
    const phone = await newPage(browser, PHONE);
    try {
      await signIn(phone.page, 'sales');
      const res = await phone.page.request.post(`${BASE}/api/v1/views`, { data: { entity: 'leads', name: viewName, query: 'channel[in]=douyin_form' } });
      assert.equal(res.status(), 201, await res.text());
      viewId = (await res.json()).id;
      await phone.page.goto(`${BASE}/leads?channel[in]=douyin_form`);
      await phone.page.locator('[data-testid=views-dropdown]').filter({ hasText: viewName }).waitFor();
      assert.ok((await horizontalOverflow(phone.page)) <= 0, 'the views bar fits the phone width');
      const me = await api(phone.page, '/api/v1/me');
      const lead = (await api(phone.page, `/api/v1/leads?owner_id[in]=${me.user.id}&limit=1`)).items[0];
      await phone.page.goto(`${BASE}/leads/${lead.id}`);
      await phone.page.locator('[data-testid=tab-attachments]').click();
      await phone.page.locator('[data-testid=attachments] [data-testid=attachment-row]').first().waitFor();
      assert.ok((await horizontalOverflow(phone.page)) <= 0, 'the attachments fit the phone width');
      await screenshot(phone.page, 'x-phone-attachments');
    } finally {
      await phone.context.close();
    }
  } finally {
    if (viewId) await page.request.delete(`${BASE}/api/v1/views/${viewId}`).catch(() => {});
    await context.close();
  }
});
