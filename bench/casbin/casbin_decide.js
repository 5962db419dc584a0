// The peer of bench/access_decide.cc: casbin enforcing the same policy (10,000 grant lines; a
// user reads a record they own or were granted) on the same requests, checking it answers as
// LeadFlow did. Usage: node casbin_decide.js POLICY_JSON [seconds] → "checks/s p50_us p99_us agree"
'use strict';
const fs = require('fs');
const { newEnforcer, newModelFromString } = require('casbin');

const model = `
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, act
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = r.sub == r.obj.Owner || (r.sub == p.sub && r.obj.ID == p.obj && r.act == p.act)
`;

async function main() {
  const data = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const seconds = Number(process.argv[3] || 10);
  const owners = new Map(data.records.map(([id, owner]) => [id, owner]));
  const e = await newEnforcer(newModelFromString(model));
  await e.addPolicies(data.grants.map(([u, r]) => [u, r, 'read']));
  const lat = [];
  let agree = 0, n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(seconds * 1e9);
  while (n < data.requests.length && process.hrtime.bigint() < deadline) {
    const [u, r, ours] = data.requests[n];
    const t = process.hrtime.bigint();
    const ok = await e.enforce(u, { ID: r, Owner: owners.get(r) }, 'read');
    lat.push(Number(process.hrtime.bigint() - t) / 1000);
    if (ok === ours) agree++;
    n++;
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  lat.sort((a, b) => a - b);
  console.log(`${(n / secs).toFixed(0)} ${lat[Math.floor(lat.length / 2)].toFixed(0)} ${lat[Math.floor(lat.length * 0.99)].toFixed(0)} ${agree}/${n}`);
}
main().catch((err) => { console.error(err); process.exit(1); });
