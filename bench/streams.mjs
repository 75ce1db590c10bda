// Opens N widget config streams (text/event-stream) against one replica, makes changes through the API and one as
// a runbook's SQL would (one statement writing every stream's customer document), and times how long each stream
// takes to carry each. Node's own http module and psql only: nothing to install.
// Usage: node bench/streams.mjs <base url> <streams> <admin token> <database> [pause]
// With "pause" it waits for a line on stdin after the first change too (a profiler's cut between them).
import http from 'node:http';
import { execFile } from 'node:child_process';

const [base, count, token, database, pause] = [process.argv[2], Number(process.argv[3] || 10000), process.argv[4],
  process.argv[5], process.argv[6] === 'pause'];
const FLAG = 'sessionPersistence.phase1.autoRestore';
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const streams = [];
let changing = false;

function open(i) {
  return new Promise((resolve, reject) => {
    const stream = { initial: false, changedAt: null, events: 0 };
    streams.push(stream);
    const request = http.get(`${base}/api/widget/config/stream?customerId=stream-${i}`,
      { agent, headers: { Accept: 'text/event-stream' } }, (response) => {
        if (response.statusCode !== 200) { reject(new Error('status ' + response.statusCode)); return; }
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!event.includes('data:')) continue; // a heartbeat comment
            if (!stream.initial) { stream.initial = true; resolve(); } else if (changing) {
              stream.events += 1;
              stream.changedAt = stream.changedAt || performance.now();
            }
          }
        });
      });
    request.on('error', reject);
  });
}

function admin(body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const request = http.request(`${base}/api/admin/feature-flags`, {
      method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    }, (response) => { response.resume(); response.on('end', () => resolve(response.statusCode)); });
    request.on('error', reject);
    request.end(data);
  });
}

const started = performance.now();
for (let i = 0; i < count; i += 500) {
  await Promise.all(Array.from({ length: Math.min(500, count - i) }, (_, k) => open(i + k)));
}
console.log(`RESULT_OPEN streams=${count} opened_ms=${Math.round(performance.now() - started)}`);
await new Promise((resolve) => setTimeout(resolve, 2000)); // the replica settles; RSS is read meanwhile
process.stdout.write('READY\n');
await new Promise((resolve) => process.stdin.once('data', resolve));

// Times run from sending the API call: an upper bound of commit-to-wire, since the commit comes after it and
// events often arrive before the call's own answer does. The first change after start is the one a deploy's new
// replicas make first: only what their warm-up rehearsed (a change and its fan-out) is compiled for it.
function runbook(sql) {
  return new Promise((resolve) => execFile('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-qAt',
    '-v', 'ON_ERROR_STOP=1', '-c', sql], (error) => resolve(error ? 'failed' : 'committed')));
}

async function change(label, trigger) {
  for (const stream of streams) { stream.changedAt = null; stream.events = 0; }
  changing = true;
  const triggeredAt = performance.now();
  const status = await trigger();
  const answeredMs = performance.now() - triggeredAt;
  const deadline = triggeredAt + 30000;
  while (streams.some((s) => !s.changedAt) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  changing = false;
  const latencies = streams.filter((s) => s.changedAt).map((s) => Math.max(0, s.changedAt - triggeredAt)).sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  if (!latencies.length) { console.log(`RESULT_CHANGE ${label} api_status=${status} received=0/${count}`); process.exit(1); }
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the replica settles between changes
  // counted after the settling second: a stream sent the same change twice would show it here
  const events = streams.reduce((sum, s) => sum + s.events, 0);
  console.log(`RESULT_CHANGE ${label} status=${status} answered_ms=${answeredMs.toFixed(0)} received=${latencies.length}/${count} `
    + `p50_ms=${at(0.5).toFixed(0)} p99_ms=${at(0.99).toFixed(0)} max_ms=${latencies[latencies.length - 1].toFixed(0)} `
    + `events=${events}`);
}

const flag = (enabled) => () => admin({ global: true, featureName: FLAG, enabled, reason: 'stream benchmark' });
await change('first', flag(false));
if (pause) await new Promise((resolve) => process.stdin.once('data', resolve));
await change('second', flag(true));
// one transaction gives every stream's customer a document of its own that turns a phase 2 flag on for it: one
// notice, one change for the replica, one render per stream, the documents read in batches
await change('runbook', () => runbook(`INSERT INTO customer_feature_flags (customer_id, flags, updated_by)
  SELECT 'stream-' || i, '{"sessionPersistence": {"phase2": {"enhancedStorage": true}}}', 'stream benchmark'
  FROM generate_series(0, ${count - 1}) AS i
  ON CONFLICT (customer_id) DO UPDATE SET flags = EXCLUDED.flags`));
await change('third', flag(false));
await admin({ global: true, featureName: FLAG, enabled: true, reason: 'stream benchmark done' });
process.exit(0);
