// Browser journeys of access control (issue 5 through the UI of issue 6): a masked phone and the
// purpose-bound request that unmasks it, the admin's 权限诊断, and a temporary invitation that is
// revoked. Against a real server with the demo company (`leadflow demo`): sales1..4 report to
// 李主管 (supervisor@…), so 直属上级 is the approver. Journeys share one database per run, so (m)
// puts the sensitive flag back in `finally`. Screenshots go to artifacts/.
// Run: LEADFLOW_URL=http://127.0.0.1:18080 node --test access.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, COLLEAGUE_EMAIL, PHONE, SALES_EMAIL, api, browser, chooseOption, horizontalOverflow, liveConnected, newPage, screenshot, settled, signIn, useBrowser, withFailureShot } from './lib.mjs';

useBrowser();

/** One of the signed-in salesperson's own leads with a phone, newest first. */
async function ownLeadWithPhone(page) {
  const me = (await api(page, '/api/v1/me')).user;
  const leads = await api(page, `/api/v1/leads?owner_id=${me.id}&limit=100&sort=-created_at`);
  const lead = leads.items.find((l) => l.phone && !l.archived_at);
  assert.ok(lead, `${me.email} owns a lead with a phone`);
  return { me, lead };
}

test('(m) leads.phone marked sensitive → the salesperson sees it masked → asks for 招投标 → her manager approves live → she sees the full number', async () => {
  const admin = await newPage(browser);
  const sales = await newPage(browser);
  const boss = await newPage(browser);
  let marked = false;
  try {
    await withFailureShot(admin.page, 'm-admin', async () => {
      await signIn(admin.page);
      await admin.page.goto(`${BASE}/admin/sensitive-fields`);
      const toggle = admin.page.locator('[data-testid=sensitive-phone]');
      await toggle.waitFor();
      assert.equal(await toggle.getAttribute('data-on'), 'false', 'the demo starts with no sensitive phone');
      await toggle.click();
      marked = true;
      await admin.page.locator('[data-testid=sensitive-phone][data-on=true]').waitFor();
      const listed = (await api(admin.page, '/api/v1/sensitive-fields')).items;
      assert.ok(listed.some((s) => s.entity === 'leads' && s.field === 'phone'), 'stored as sensitive');
      await settled(admin.page);
      await screenshot(admin.page, 'm-admin-sensitive-fields');
    });

    let leadId, fullPhone, requestId;
    await withFailureShot(sales.page, 'm-sales', async () => {
      await signIn(sales.page, 'sales');
      const { lead } = await ownLeadWithPhone(sales.page);
      leadId = lead.id;
      assert.match(lead.phone, /^\d{3}\*{4}\d{4}$/, `the API masks it: ${lead.phone}`);
      assert.deepEqual(lead._masked, ['phone']);
      fullPhone = (await api(admin.page, `/api/v1/leads/${leadId}`)).phone;
      assert.match(fullPhone, /^\+86\d{11}$/);

      await sales.page.goto(`${BASE}/leads/${leadId}`);
      const value = sales.page.locator('[data-testid=value-phone][data-masked=true]');
      await value.waitFor();
      assert.equal((await value.innerText()).trim(), lead.phone, 'shown masked, as the server sent it');
      assert.equal(await value.locator('[data-testid=masked-value] .anticon-lock').count(), 1, 'with a lock');
      assert.equal(await sales.page.locator(`[data-testid=value-phone] a[href^="tel:"]`).count(), 0, 'no dial link on a masked number');
      await settled(sales.page);
      await screenshot(sales.page, 'm-sales-masked-phone');
    });

    // The manager's browser is open before the request: the approval request arrives live.
    await withFailureShot(boss.page, 'm-boss-open', async () => {
      await signIn(boss.page, 'supervisor');
      await liveConnected(boss.page);
    });

    await withFailureShot(sales.page, 'm-request', async () => {
      const pendingBefore = new Set((await api(sales.page, '/api/v1/access-requests')).items.map((r) => r.id));
      await sales.page.locator('[data-testid=request-phone]').click();
      await sales.page.locator('[data-testid=request-form]').waitFor();
      await chooseOption(sales.page, 'request_purpose', '招投标');
      assert.equal(await sales.page.locator('#request_approver input[value=manager]').isChecked(), true, '直属上级 by default');
      await sales.page.locator('#request_hours').fill('2');
      await settled(sales.page);
      await screenshot(sales.page, 'm-sales-request-form', { fullPage: false });
      await sales.page.locator('[data-testid=request-submit]').click();
      await sales.page.getByText('申请已提交,等待审批').waitFor();
      const mine = (await api(sales.page, '/api/v1/access-requests')).items.filter((r) => r.record_id === leadId && !pendingBefore.has(r.id));
      assert.equal(mine.length, 1);
      assert.equal(mine[0].status, 'pending');
      assert.equal(mine[0].purpose, 'tender');
      assert.deepEqual(mine[0].fields, ['phone']);
      assert.equal(mine[0].hours, 2);
      const supervisor = (await api(boss.page, '/api/v1/me')).user;
      assert.equal(mine[0].approver_id, supervisor.id, 'the direct superior decides');
      requestId = mine[0].id;
      // 我的申请 lists it as pending.
      await sales.page.goto(`${BASE}/access?tab=mine`);
      await sales.page.locator(`[data-testid=access-request][data-id="${requestId}"][data-status=pending]`).waitFor();
      assert.match(await sales.page.locator(`[data-testid=access-request][data-id="${requestId}"]`).innerText(), /招投标/);
    });

    await withFailureShot(boss.page, 'm-approve', async () => {
      const notice = boss.page.locator('.lf-access-notice');
      await notice.waitFor();
      assert.match(await notice.innerText(), /有新的查看申请待您审批/);
      await notice.locator('[data-testid=notice-open]').click();
      await boss.page.waitForURL(/\/access\?tab=decide/);
      const row = boss.page.locator(`[data-testid=access-request][data-id="${requestId}"]`);
      await row.waitFor();
      assert.match(await row.innerText(), /张伟|招投标/);
      await settled(boss.page);
      await screenshot(boss.page, 'm-boss-to-approve');
      await row.locator('[data-testid=approve]').click();
      await boss.page.locator('[data-testid=decision-note]').fill('投标资料需要联系人电话');
      await boss.page.locator('[data-testid=decision-submit]').click();
      await boss.page.locator(`[data-testid=access-request][data-id="${requestId}"][data-status=approved]`).waitFor();
    });

    await withFailureShot(sales.page, 'm-unmasked', async () => {
      const stored = await api(sales.page, `/api/v1/leads/${leadId}`);
      assert.equal(stored.phone, fullPhone, 'the API now sends the full number');
      assert.deepEqual(stored._masked, []);
      await sales.page.goto(`${BASE}/leads/${leadId}`);
      const value = sales.page.locator('[data-testid=value-phone]');
      await value.locator('a[href^="tel:"]').waitFor();
      assert.equal(await value.getAttribute('data-masked'), null);
      assert.equal((await value.innerText()).replace(/\s/g, ''), fullPhone, 'the full number, grouped');
      assert.equal(await sales.page.locator('[data-testid=request-phone]').count(), 0);
      await settled(sales.page);
      await screenshot(sales.page, 'm-sales-full-phone');
      assert.deepEqual(sales.errors, [], 'no uncaught page errors');
      assert.deepEqual(boss.errors, [], 'no uncaught page errors (manager)');
    });

    // At phone size another of her leads is masked in the cards and on its page.
    const phone = await newPage(browser, PHONE);
    try {
      await withFailureShot(phone.page, 'm-phone', async () => {
        await signIn(phone.page, 'sales');
        const other = (await api(phone.page, `/api/v1/leads?owner_id=${(await api(phone.page, '/api/v1/me')).user.id}&limit=100`)).items.find((l) => l.phone && l.id !== leadId);
        await phone.page.goto(`${BASE}/leads/${other.id}`);
        await phone.page.locator('.ant-tabs-tab', { hasText: '字段' }).click();
        await phone.page.locator('[data-testid=value-phone][data-masked=true]').waitFor();
        await phone.page.locator('[data-testid=request-phone]').click();
        await phone.page.locator('[data-testid=request-form]').waitFor();
        await settled(phone.page);
      await screenshot(phone.page, 'm-phone-request-form', { fullPage: false });
        assert.ok((await horizontalOverflow(phone.page)) <= 0, 'fits the phone width');
      });
    } finally {
      await phone.context.close();
    }
  } finally {
    // Journeys share the database: the phone is not sensitive for the others.
    if (marked) await api(admin.page, '/api/v1/sensitive-fields/leads/phone', { method: 'PUT', data: { sensitive: false } }).catch(() => {});
    await Promise.all([admin.context.close(), sales.context.close(), boss.context.close()]);
  }
});

test('(n) 权限诊断: the admin sees why a salesperson cannot see a colleague’s lead', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await withFailureShot(page, 'n', async () => {
      await signIn(page);
      const users = (await api(page, '/api/v1/users')).items;
      const sales1 = users.find((u) => u.email === SALES_EMAIL);
      const colleague = users.find((u) => u.email === COLLEAGUE_EMAIL);
      const lead = (await api(page, `/api/v1/leads?owner_id=${colleague.id}&limit=1`)).items[0];
      assert.ok(lead, 'the colleague owns a lead');

      await page.locator('[data-testid=nav-admin-explain]').click();
      await page.locator('[data-testid=explain-page]').waitFor();
      await chooseOption(page, 'explain_user', `${sales1.name} · ${sales1.email}`);
      await page.locator('#explain_id').fill(lead.id);
      await chooseOption(page, 'explain_field', '手机号');
      await page.locator('[data-testid=explain-run]').click();
      const result = page.locator('[data-testid=explain-result]');
      await result.waitFor();
      assert.equal(await result.getAttribute('data-decision'), 'deny');
      assert.match(await page.locator('[data-testid=explain-decision]').innerText(), /拒绝 · 记录不在该角色的数据范围内/);
      assert.equal((await page.locator('[data-testid=explain-decided-by]').innerText()).trim(), '数据范围');
      const own = page.locator('[data-testid=explain-check][data-check="scope:self"]');
      assert.equal(await own.getAttribute('data-holds'), 'false');
      assert.match(await own.innerText(), /数据范围:仅本人[\s\S]*不满足/);
      assert.match(await page.locator('[data-testid=explain-check][data-check="shared:pool_id"]').innerText(), /共享字段/);
      assert.match(await page.locator('[data-testid=explain-field]').innerText(), /非敏感字段/);
      // The same question through the API gives the same answer.
      const ex = await api(page, `/api/v1/access/explain?user=${sales1.id}&entity=leads&id=${lead.id}`);
      assert.equal(ex.decision, 'deny');
      assert.equal(ex.decided_by, 'scope');
      await settled(page);
      await screenshot(page, 'n-explain-deny');

      // The owner is allowed, by her own scope.
      await chooseOption(page, 'explain_user', `${colleague.name} · ${colleague.email}`);
      await page.locator('[data-testid=explain-run]').click();
      await page.locator('[data-testid=explain-result][data-decision=allow]').waitFor();
      assert.match(await page.locator('[data-testid=explain-decided-by]').innerText(), /数据范围:仅本人/);

      // 角色与权限: the sales role's matrix reads as the API says (no change saved here).
      await page.locator('[data-testid=nav-admin-roles]').click();
      await page.locator('[data-testid=role][data-role=sales] [data-testid=role-edit]').click();
      const leadsRow = page.locator('[data-testid=role-row][data-entity=leads]');
      await leadsRow.waitFor();
      assert.equal(await leadsRow.locator('[data-testid=right-leads-archive]').isChecked(), true);
      assert.equal(await leadsRow.locator('[data-testid=right-leads-export]').isChecked(), false);
      assert.match(await leadsRow.locator('[data-testid=scope-leads]').innerText(), /仅本人/);
      assert.match(await page.locator('[data-testid=role-row][data-entity=customers]').innerText(), /沿用默认/);
      await settled(page);
      await screenshot(page, 'n-role-matrix', { fullPage: false });
      await page.locator('[data-testid=role-save]').click();
      await page.getByText('请填写变更原因').waitFor();
      await page.keyboard.press('Escape');

      // 访问规则: the editor says the rule in words before it is saved (not saved here).
      await page.locator('[data-testid=nav-admin-access-rules]').click();
      await page.locator('[data-testid=arule-new]').click();
      await page.locator('#arule_name').fill('战略客户合同');
      await chooseOption(page, 'arule_via', '客户');
      await page.locator('#arule_tag').fill('战略客户');
      await chooseOption(page, 'arule_departments', '销售部');
      assert.equal((await page.locator('[data-testid=arule-preview]').innerText()).trim(), '客户带标签「战略客户」的合同仅对 销售部、签约销售 可见', 'owner_id of a contract is 签约销售');
      await settled(page);
      await screenshot(page, 'n-access-rule-editor', { fullPage: false });
      assert.deepEqual(errors, [], 'no uncaught page errors');
    });
    const phone = await newPage(browser, PHONE);
    try {
      await signIn(phone.page);
      await phone.page.goto(`${BASE}/admin/explain`);
      await phone.page.locator('[data-testid=explain-page]').waitFor();
      await settled(phone.page);
      await screenshot(phone.page, 'n-phone-explain');
      assert.ok((await horizontalOverflow(phone.page)) <= 0, 'fits the phone width');
    } finally {
      await phone.context.close();
    }
  } finally {
    await context.close();
  }
});

test('(o) a salesperson invites a colleague to a lead for 72 h → the colleague sees it → the owner revokes → the colleague gets “not found”', async () => {
  const owner = await newPage(browser);
  const colleague = await newPage(browser);
  try {
    let leadId, grantId;
    await withFailureShot(owner.page, 'o-owner', async () => {
      await signIn(owner.page, 'sales');
      const { lead } = await ownLeadWithPhone(owner.page);
      leadId = lead.id;
      await signIn(colleague.page, 'colleague');
      const before = await colleague.page.request.get(`${BASE}/api/v1/leads/${leadId}`);
      assert.equal(before.status(), 404, 'the colleague cannot see it before the invitation');

      await owner.page.goto(`${BASE}/leads/${leadId}`);
      await owner.page.locator('[data-testid=invite]').click();
      await chooseOption(owner.page, 'invite_grantee_id', '刘洋');
      assert.equal(await owner.page.locator('#invite_hours').inputValue(), '72');
      assert.equal(await owner.page.locator('#invite_include_followups').isChecked(), true, 'follow-ups included by default');
      await owner.page.locator('#invite_reason').fill('协助报价');
      await settled(owner.page);
      await screenshot(owner.page, 'o-invite-form', { fullPage: false });
      await owner.page.locator('[data-testid=invite-submit]').click();
      await owner.page.getByText('已邀请 刘洋 协作 72 小时').waitFor();
      const grant = (await api(owner.page, '/api/v1/grants')).items.find((g) => g.record_id === leadId && g.state === 'active');
      assert.ok(grant, 'the grant is stored');
      assert.equal(grant.mode, 'read');
      assert.deepEqual(grant.relations, ['activities']);
      assert.equal(grant.reason, '协助报价');
      const hours = (Date.parse(grant.expires_at) - Date.parse(grant.created_at)) / 3600e3;
      assert.ok(Math.abs(hours - 72) < 0.01, `expires 72 h later (${hours})`);
      grantId = grant.id;
    });

    await withFailureShot(colleague.page, 'o-colleague', async () => {
      await colleague.page.goto(`${BASE}/leads/${leadId}`);
      await colleague.page.locator('[data-testid=record-title]').waitFor();
      // Read-only: the colleague's role may edit leads, but the record came through a read grant;
      // the server refuses an edit (the button is by role, so it stays visible).
      const patch = await colleague.page.request.patch(`${BASE}/api/v1/leads/${leadId}`, { data: { title: 'x' }, headers: { 'If-Match': '"1"' } });
      assert.equal(patch.status(), 403);
      await settled(colleague.page);
      await screenshot(colleague.page, 'o-colleague-sees-lead');
    });

    await withFailureShot(owner.page, 'o-revoke', async () => {
      await owner.page.goto(`${BASE}/access?tab=grants`);
      const row = owner.page.locator(`[data-testid=grant][data-id="${grantId}"]`);
      await row.locator('[data-testid=status][data-status=active]').waitFor();
      await settled(owner.page);
      await screenshot(owner.page, 'o-grants-active');
      await row.locator('[data-testid=revoke]').click();
      await owner.page.locator('.ant-popconfirm .ant-btn-primary').click();
      await owner.page.locator(`[data-testid=grant][data-id="${grantId}"][data-state=revoked]`).waitFor();
    });

    await withFailureShot(colleague.page, 'o-gone', async () => {
      await colleague.page.reload();
      await colleague.page.locator('.ant-result-404').waitFor();
      assert.match(await colleague.page.locator('.ant-result-title').innerText(), /不存在/);
      assert.equal((await colleague.page.request.get(`${BASE}/api/v1/leads/${leadId}`)).status(), 404);
      await settled(colleague.page);
      await screenshot(colleague.page, 'o-colleague-not-found');
      assert.deepEqual(owner.errors, [], 'no uncaught page errors (owner)');
      assert.deepEqual(colleague.errors, [], 'no uncaught page errors (colleague)');
    });
  } finally {
    await Promise.all([owner.context.close(), colleague.context.close()]);
  }
});

test('(p) a customer-success user sees no lead actions; the supervisor cannot create customers', async () => {
  const cs = await newPage(browser);
  const boss = await newPage(browser);
  try {
    await withFailureShot(cs.page, 'p-cs', async () => {
      await signIn(cs.page, 'cs');
      // No lead rights: she lands on 今日黄金3分钟, and the lead list (a deep link) says why it is empty.
      await cs.page.waitForURL(/\/today$/);
      await cs.page.goto(`${BASE}/leads`);
      await cs.page.locator('[data-testid=list-forbidden]').waitFor();
      assert.match(await cs.page.locator('[data-testid=list-forbidden]').innerText(), /无权查看「线索」/);
      assert.equal(await cs.page.locator('[data-testid=nav-leads]').count(), 0, 'no 线索 in the menu');
      await cs.page.locator('[data-testid=nav-customers]').click();
      await cs.page.locator('[data-testid=list-customers]').waitFor();
      await cs.page.locator('[data-testid=new-record]').waitFor();
      assert.equal(await cs.page.locator('[data-testid=export]').count(), 0, 'no export right');
      await settled(cs.page);
      await screenshot(cs.page, 'p-cs-customers');
      assert.deepEqual(cs.errors, []);
    });
    await withFailureShot(boss.page, 'p-boss', async () => {
      await signIn(boss.page, 'supervisor');
      await boss.page.goto(`${BASE}/customers`);
      await boss.page.locator('[data-testid=list-customers] [data-testid=record-link]').first().waitFor();
      await boss.page.locator('[data-testid=export]').waitFor();
      assert.equal(await boss.page.locator('[data-testid=new-record]').count(), 0, 'a supervisor creates no customer (S1)');
      await boss.page.locator('[data-testid=record-link]').first().click();
      await boss.page.locator('[data-testid=record-title]').waitFor();
      assert.equal(await boss.page.locator('[data-testid=edit-record]').count(), 0, 'nor edits one');
      assert.deepEqual(boss.errors, []);
    });
  } finally {
    await Promise.all([cs.context.close(), boss.context.close()]);
  }
});
