// Shared setup for the browser journeys: configuration from the environment, the demo company's
// people, Debian's chromium through playwright-core (no browser download, one per test file),
// sign-in by role (in a page or as a bare API session), JSON calls to the API, waits for a settled
// or live UI, and screenshots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE = (process.env.LEADFLOW_URL ?? 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const EMAIL = process.env.LEADFLOW_EMAIL ?? 'admin@demo.leadflow.cn';
export const PASSWORD = process.env.LEADFLOW_PASSWORD ?? 'demo1234';
/** A salesperson of the demo company (no admin permissions). */
export const SALES_EMAIL = process.env.LEADFLOW_SALES_EMAIL ?? 'sales1@demo.leadflow.cn';
export const SALES_PASSWORD = process.env.LEADFLOW_SALES_PASSWORD ?? PASSWORD;
const DOMAIN = SALES_EMAIL.slice(SALES_EMAIL.indexOf('@'));
/** The demo's 李主管, manager of sales1..4 (their approver, sees the team's alerts). */
export const SUPERVISOR_EMAIL = `supervisor${DOMAIN}`;
/** Another salesperson of the same team (刘洋). */
export const COLLEAGUE_EMAIL = `sales2${DOMAIN}`;
/** A customer-success user (no lead rights). */
export const CS_EMAIL = `cs1${DOMAIN}`;
/** The people the journeys act as, by role; signIn(page, 'sales') etc. */
export const USERS = {
  admin: { email: EMAIL, password: PASSWORD },
  sales: { email: SALES_EMAIL, password: SALES_PASSWORD },
  supervisor: { email: SUPERVISOR_EMAIL, password: PASSWORD },
  colleague: { email: COLLEAGUE_EMAIL, password: PASSWORD },
  cs: { email: CS_EMAIL, password: PASSWORD },
};
/** Context options of a phone (390×844, touch). */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const CHROMIUM = process.env.LEADFLOW_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
/** Per-step timeout; the machines are small and shared. */
export const TIMEOUT = Number(process.env.LEADFLOW_E2E_TIMEOUT_MS ?? 20000);

/** The test file's browser, launched by useBrowser()'s `before` hook (a live binding). */
export let browser;

/**
 * Call once at the top of a test file: before its tests, checks that the server answers and
 * launches chromium into `browser`; closes it after them.
 */
export function useBrowser() {
  before(async () => {
    await assertServerUp();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    browser = undefined;
  });
}

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

/** `who`: a role of USERS ('admin', 'sales', 'supervisor', 'colleague', 'cs') or an email. */
function account(who, password) {
  if (USERS[who]) return USERS[who];
  return { email: who, password: password ?? PASSWORD };
}

/** Signs in through the sign-in page as `who` (a role of USERS, or an email and password). */
export async function signIn(page, who = 'admin', password = undefined) {
  const { email, password: pw } = account(who, password);
  await page.goto(`${BASE}/login`);
  await page.locator('#login_email').fill(email);
  await page.locator('#login_password').fill(pw);
  await page.locator('[data-testid=login-submit]').click();
  // Home: the lead list on a desktop, 今日黄金3分钟 on a phone.
  await page.waitForURL(/\/(leads|today)(\?|$)/);
}

/** A fresh context (own cookies, no page) signed in through the API as `who`: { request, user, close }. */
export async function apiSession(who = 'admin') {
  const { email, password } = account(who);
  const context = await browser.newContext();
  const res = await context.request.post(`${BASE}/api/v1/auth/login`, { data: { email, password } });
  assert.equal(res.status(), 200, `sign-in of ${email}: ${await res.text()}`);
  return { request: context.request, user: (await res.json()).user, close: () => context.close() };
}

/**
 * The JSON of an API call with the page's session: GET `path` (expects 200), or `init` (method,
 * data, headers) for other methods (expects 2xx). A refusal fails with the server's answer.
 */
export async function api(page, path, init) {
  const res = init ? await page.request.fetch(`${BASE}${path}`, init) : await page.request.get(`${BASE}${path}`);
  if (init) assert.ok(res.ok(), `${init.method ?? 'GET'} ${path} → ${res.status()} ${await res.text()}`);
  else assert.equal(res.status(), 200, `GET ${path}: ${await res.text()}`);
  return res.json();
}

/** The last path segment of the page's URL (a record's id on /leads/:id), decoded. */
export function idFromUrl(page) {
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
}

/** Waits until the page's live stream (SSE) is connected: events from now on reach it. */
export async function liveConnected(page) {
  await page.locator('[data-testid=live-open]').waitFor({ state: 'attached' });
}

/** Reloads `page` until `locator` shows (the rule engine works asynchronously). */
export async function reloadUntil(page, locator, tries = 20) {
  for (let i = 0; i < tries && !(await locator.first().isVisible()); i++) {
    await page.waitForTimeout(500);
    await page.reload();
  }
  await locator.first().waitFor();
}

/**
 * Waits for antd's loading blur to go and its open/close animations and transitions to finish
 * (endless ones — spinners, the live dot's pulse — aside), for a steady screenshot.
 */
export async function settled(page) {
  await page.locator('.ant-spin-blur, .ant-zoom-appear, .ant-zoom-enter, .ant-fade-appear, .ant-fade-enter').first().waitFor({ state: 'detached' }).catch(() => {});
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity));
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
