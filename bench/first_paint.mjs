// Time to first meaningful paint of the lead pool (issue 6): headless Debian chromium opens
// /leads signed in, with 100,000 leads in the database; "meaningful" = the first lead row is
// painted (its text is in the DOM and visible). Reports the median and worst of N cold loads
// (new browser context each: no HTTP cache), plus the browser's own first-contentful-paint.
// Usage (bench/first_paint.sh runs it): LEADFLOW_URL=… node bench/first_paint.mjs [runs]
import { launch, newPage, signIn, BASE } from '../tests/e2e/lib.mjs';

const runs = Number(process.argv[2] ?? 7);
const browser = await launch();
const meaningful = [], fcp = [];
try {
  // Sign in once; every measured load is a new context with only the session cookie (no HTTP
  // cache, no warm JS).
  const first = await newPage(browser);
  await signIn(first.page);
  const storageState = await first.context.storageState();
  await first.context.close();
  for (let i = 0; i < runs; i++) {
    const { context, page } = await newPage(browser, { storageState });
    const start = Date.now();
    await page.goto(`${BASE}/leads`, { waitUntil: 'commit' });
    await page.locator('.ant-table-row, [data-testid=record-card]').first().waitFor({ state: 'visible' });
    meaningful.push(Date.now() - start);
    fcp.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
    await context.close();
  }
} finally {
  await browser.close();
}
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const med = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
console.log(`${med(meaningful)} ${Math.max(...meaningful)} ${med(fcp).toFixed(0)} ${runs}`);
