// Shared setup for the browser journeys: configuration from the environment, Debian's chromium
// through playwright-core (no browser download), sign-in, small waits and screenshots.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE = (process.env.LEADFLOW_URL ?? 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const EMAIL = process.env.LEADFLOW_EMAIL ?? 'admin@demo.leadflow.cn';
export const PASSWORD = process.env.LEADFLOW_PASSWORD ?? 'demo1234';
/** A salesperson of the demo company (no admin permissions). */
export const SALES_EMAIL = process.env.LEADFLOW_SALES_EMAIL ?? 'sales1@demo.leadflow.cn';
export const SALES_PASSWORD = process.env.LEADFLOW_SALES_PASSWORD ?? PASSWORD;
/** Context options of a phone (390×844, touch). */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const CHROMIUM = process.env.LEADFLOW_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
/** Per-step timeout; the machines are small and shared. */
export const TIMEOUT = Number(process.env.LEADFLOW_E2E_TIMEOUT_MS ?? 20000);

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Fails fast, with a clear message, when no server answers at LEADFLOW_URL. */
export async function assertServerUp() {
  try {
    const res = await fetch(`${BASE}/healthz`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  } catch (e) {
    throw new Error(`no LeadFlow server at LEADFLOW_URL=${BASE} (${e.message}); start one, e.g. ./build/leadflow serve --port 18080`);
  }
}

/** A fresh browser context (own cookies) in Chinese, desktop size unless `opts` say otherwise. */
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 900 }, ...opts });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const errors = [];
  // "ResizeObserver loop completed with undelivered notifications" is the browser deferring a
  // resize notification to the next frame (spec behaviour, harmless), not an error of the app.
  page.on('pageerror', (e) => {
    if (!/^ResizeObserver loop/.test(e.message)) errors.push(e.message);
  });
  return { context, page, errors };
}

export async function signIn(page, email = EMAIL, password = PASSWORD) {
  await page.goto(`${BASE}/login`);
  await page.locator('#login_email').fill(email);
  await page.locator('#login_password').fill(password);
  await page.locator('[data-testid=login-submit]').click();
  // Home: the lead list on a desktop, 今日黄金3分钟 on a phone.
  await page.waitForURL(/\/(leads|today)(\?|$)/);
}

/** Saves artifacts/<name>.png; full page by default, the viewport for overlays (drawers, modals). */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Picks `optionText` in the antd Select whose input has id `id`. */
export async function chooseOption(page, id, optionText) {
  const select = page.locator(`.ant-select:has(#${id})`);
  const selected = select.locator(`.ant-select-selection-item[title="${optionText}"]`);
  const dropdown = page.locator('.ant-select-dropdown:visible');
  // Click the option only once the dropdown has finished its opening animation (a click during
  // it can be lost), and try again if the choice did not take.
  const settled = page.locator('.ant-select-dropdown:visible:not([class*="-enter"]):not([class*="-appear"])');
  for (let attempt = 1; ; attempt++) {
    if ((await dropdown.count()) === 0) await select.locator('.ant-select-selector').click();
    await settled.locator(`.ant-select-item-option[title="${optionText}"]`).click();
    try {
      await selected.waitFor({ timeout: 3000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
  // A dropdown left open would cover the form's buttons: close it as a person would.
  try {
    await dropdown.waitFor({ state: 'hidden', timeout: 2000 });
  } catch {
    await select.locator('.ant-select-selector').click();
    await dropdown.waitFor({ state: 'hidden' });
  }
}

/** Width of the page's content beyond the viewport (0 = nothing sticks out sideways). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** A mainland mobile number unlikely to exist yet: 139 + 8 digits from the clock and chance. */
export function uniquePhone() {
  const n = (Date.now() % 1e7) * 10 + Math.floor(Math.random() * 10);
  return `139${String(n).padStart(8, '0')}`;
}

/** Today's calendar date (YYYY-MM-DD) in `timeZone`, shifted by `days`. */
export function dateIn(timeZone, days = 0, at = Date.now()) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Runs `body`; when it throws, saves artifacts/<name>-failure.png (viewport) first. */
export async function withFailureShot(page, name, body) {
  try {
    return await body();
  } catch (e) {
    await screenshot(page, `${name}-failure`, { fullPage: false }).catch(() => {});
    throw e;
  }
}
