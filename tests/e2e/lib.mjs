// Shared setup for the browser journeys: configuration from the environment, Debian's chromium
// through playwright-core (no browser download), sign-in, small waits and screenshots.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE = (process.env.LEADFLOW_URL ?? 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const EMAIL = process.env.LEADFLOW_EMAIL ?? 'admin@demo.leadflow.cn';
export const PASSWORD = process.env.LEADFLOW_PASSWORD ?? 'demo1234';
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
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

export async function signIn(page, email = EMAIL, password = PASSWORD) {
  await page.goto(`${BASE}/login`);
  await page.locator('#login_email').fill(email);
  await page.locator('#login_password').fill(password);
  await page.locator('[data-testid=login-submit]').click();
  await page.waitForURL(/\/leads(\?|$)/);
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
  await page.locator(`.ant-select:has(#${id}) .ant-select-selector`).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${optionText}"]`).click();
}

/** Width of the page's content beyond the viewport (0 = nothing sticks out sideways). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
