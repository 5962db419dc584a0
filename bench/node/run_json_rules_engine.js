// The peer of bench/rules_engine.cc: json-rules-engine over the same rules and events.
// Usage: node run_json_rules_engine.js BENCH.json [max_events]
// Prints one JSON line: {"engine":"json-rules-engine", events, rules, seconds, events_per_s,
// rule_evals_per_s, matches}. `matches` is the total number of (event, rule) hits, which
// bench/rules_engine.sh compares with our engine's count on the same events.
'use strict';
const fs = require('fs');
const { Engine } = require('json-rules-engine');

async function main() {
  const file = process.argv[2];
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  const maxEvents = process.argv[3] ? Number(process.argv[3]) : data.events.length;
  const events = data.events.slice(0, maxEvents);
  const engine = new Engine([], { allowUndefinedFacts: true });
  data.rules.forEach((r, i) => {
    engine.addRule({ name: r.id, conditions: r.jre, event: { type: r.id }, priority: 1 });
  });
  // Warm-up (JIT) on a slice that is not timed.
  for (let i = 0; i < Math.min(2000, events.length); ++i) await engine.run(events[i]);
  let matches = 0;
  const t0 = process.hrtime.bigint();
  for (const ev of events) {
    const { events: fired } = await engine.run(ev);
    matches += fired.length;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const out = {
    engine: 'json-rules-engine',
    version: require('json-rules-engine/package.json').version,
    node: process.version,
    events: events.length,
    rules: data.rules.length,
    seconds: +seconds.toFixed(3),
    events_per_s: Math.round(events.length / seconds),
    rule_evals_per_s: Math.round((events.length * data.rules.length) / seconds),
    matches,
    peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
