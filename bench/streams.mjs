// Opens N widget config streams (text/event-stream) against one replica, makes one change through the API, and
// times how long each stream takes to carry it. Node's own http module only: nothing to install.
// Usage: node bench/streams.mjs <base url> <streams> <admin token>
import http from 'node:http';

const [base, count, token] = [process.argv[2], Number(process.argv[3] || 10000), process.argv[4]];
const FLAG = 'sessionPersistence.phase1.autoRestore';
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const streams = [];
let changing = false;

function open(i) {
  return new Promise((resolve, reject) => {
    const stream = { initial: false, changedAt: null };
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
            if (!stream.initial) { stream.initial = true; resolve(); } else if (changing && !stream.changedAt) {
              stream.changedAt = performance.now();
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
// events often arrive before the call's own answer does. The first change after start also pays for compiling
// the fan-out, which the replica's warm-up does not exercise; the later ones show a replica that has fanned out
// before.
async function change(label, enabled) {
  for (const stream of streams) stream.changedAt = null;
  changing = true;
  const triggeredAt = performance.now();
  const status = await admin({ global: true, featureName: FLAG, enabled, reason: 'stream benchmark' });
  const answeredMs = performance.now() - triggeredAt;
  const deadline = triggeredAt + 30000;
  while (streams.some((s) => !s.changedAt) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  changing = false;
  const latencies = streams.filter((s) => s.changedAt).map((s) => Math.max(0, s.changedAt - triggeredAt)).sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  if (!latencies.length) { console.log(`RESULT_CHANGE ${label} api_status=${status} received=0/${count}`); process.exit(1); }
  console.log(`RESULT_CHANGE ${label} api_status=${status} api_answered_ms=${answeredMs.toFixed(0)} received=${latencies.length}/${count} `
    + `p50_ms=${at(0.5).toFixed(0)} p99_ms=${at(0.99).toFixed(0)} max_ms=${latencies[latencies.length - 1].toFixed(0)}`);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the replica settles between changes
}

await change('first', false);
await change('second', true);
await change('third', false);
await admin({ global: true, featureName: FLAG, enabled: true, reason: 'stream benchmark done' });
process.exit(0);
