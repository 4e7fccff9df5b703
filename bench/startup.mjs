// Startup benchmark of `switchboard serve` with the official SDK client, by the method of
// spec/MCP.md §16.1, against the reference server (@modelcontextprotocol/server-everything
// 2026.8.31) and an SDK-free Node server (the "Node floor", bench/node_floor_server.mjs) measured
// in the same batch. Reported, never asserted.
//
//   bench/run.sh                       (installs the pinned Node/SDK/peer, builds, runs this)
//   SB_PINNED_NODE_MODULES=… node --import tests/e2e/lib/pinned-modules.mjs bench/startup.mjs \
//       [--runs 20] [--warm 20] [--no-peers] [SWITCHBOARD]
//
// SWITCHBOARD defaults to $SWITCHBOARD_EXE, then build/bin/switchboard (the release preset).
// Per run, each server gets a fresh spawn with empty temporary config and state directories:
// spawn → initialize response (the id-0 response, timestamped inside the transport's onmessage),
// idle RSS (VmRSS right after initialize), first tools/list, first tools/call of a cheap tool,
// ping, peak RSS (VmHWM just before close), close (stdin EOF → process exit). Runs are
// interleaved across servers; warm calls run in the last process of each server. RSS values are
// summed over the server process and its descendants. MB = 1000 kB, as in §16.2.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---- options ---------------------------------------------------------------------------------

const opts = { runs: 20, warm: 20, peers: true, exe: undefined };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--runs') opts.runs = Number(process.argv[++i]);
  else if (a === '--warm') opts.warm = Number(process.argv[++i]);
  else if (a === '--no-peers') opts.peers = false;
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else opts.exe = a;
}
if (!(opts.runs >= 1) || !(opts.warm >= 0)) usage('--runs must be >= 1 and --warm >= 0');
opts.exe = path.resolve(opts.exe ?? process.env.SWITCHBOARD_EXE ?? path.join(repo, 'build/bin/switchboard'));

function usage(msg) {
  console.error(`startup.mjs: ${msg}\nusage: startup.mjs [--runs N] [--warm N] [--no-peers] [SWITCHBOARD]`);
  process.exit(2);
}

// ---- servers ---------------------------------------------------------------------------------

const nodeModules = process.env.SB_PINNED_NODE_MODULES;
const pkgVersion = (name) => {
  try {
    return JSON.parse(readFileSync(path.join(nodeModules, name, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
};

const servers = [{
  key: 'switchboard',
  label: 'switchboard',
  command: opts.exe,
  args: ['serve'],
  call: { name: 'cache_stats', arguments: {} },
}];
if (opts.peers) {
  servers.push({
    key: 'everything',
    label: 'server-everything',
    command: process.execPath,
    args: [path.join(nodeModules, '@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
    call: { name: 'echo', arguments: { message: 'bench' } },
  }, {
    key: 'floor',
    label: 'node-floor',
    command: process.execPath,
    args: [path.join(repo, 'bench/node_floor_server.mjs')],
    call: { name: 'echo', arguments: { message: 'bench' } },
  });
}

// Recorded baseline, spec/MCP.md §16.2 (Node 20, SDK 1.32.2 client, 2 cores).
const recorded = {
  everything: { init_ms: 238.8, list_ms: 14.3, call1_ms: 4.31, warm_ms: 0.66, ping_ms: 1.09, close_ms: 348, peak_rss_mb: 68.168 },
  floor: { init_ms: 42.0, list_ms: 1.17, call1_ms: 0.48, warm_ms: 0.32, ping_ms: 0.32, close_ms: 6.1, peak_rss_mb: 42.1 },
};

// Targets, spec/MCP.md §16.3: [aim (≤), alarm (>)]; null where the table sets none.
const targets = {
  init_ms: [6, 10],
  list_ms: [2, 5],
  warm_ms: [0.1, 0.5],   // the aim is for the C++ raw harness; the SDK client's own floor is ~0.3 ms
  close_ms: [10, 20],
  idle_rss_mb: [8, null],
  peak_rss_mb: [null, 20],
};

const metrics = [
  ['init_ms', 'spawn → initialize response'],
  ['list_ms', 'first tools/list'],
  ['call1_ms', 'first tools/call'],
  ['ping_ms', 'ping'],
  ['close_ms', 'stdin EOF → process exit'],
  ['idle_rss_mb', 'VmRSS right after initialize'],
  ['peak_rss_mb', 'VmHWM just before close'],
  ['warm_ms', `warm tools/call (${opts.warm} in the last process)`],
];

// ---- /proc -----------------------------------------------------------------------------------

// The pid and all its descendants, from the parent links in /proc/*/stat.
function processTree(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;   // exited meanwhile
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  const out = [];
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop();
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

// Sum of a /proc/<pid>/status field (kB) over the process tree, in MB (1000 kB).
function treeMemoryMB(root, field) {
  let kb = 0;
  for (const pid of processTree(root)) {
    try {
      const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
      if (m) kb += Number(m[1]);
    } catch {
      // exited meanwhile
    }
  }
  return kb / 1000;
}

// ---- one run ---------------------------------------------------------------------------------

async function runOnce(server, warmCalls) {
  const config = mkdtempSync(path.join(os.tmpdir(), 'sb-bench-config.'));
  const state = mkdtempSync(path.join(os.tmpdir(), 'sb-bench-state.'));
  try {
    const transport = new StdioClientTransport({
      command: server.command,
      args: server.args,
      stderr: 'ignore',
      env: { SWITCHBOARD_CONFIG_DIR: config, SWITCHBOARD_STATE_DIR: state },
    });
    // The Client installs its handler through `transport.onmessage = …` before it spawns;
    // intercept it to timestamp the arrival of the initialize response (id 0).
    let handler;
    let initAt;
    const timed = (msg, extra) => {
      if (initAt === undefined && msg.id === 0 && ('result' in msg || 'error' in msg)) initAt = performance.now();
      handler?.(msg, extra);
    };
    Object.defineProperty(transport, 'onmessage', {
      configurable: true,
      get: () => (handler ? timed : undefined),
      set: (h) => { handler = h; },
    });
    const client = new Client({ name: 'switchboard-bench', version: '0' });
    let clientError;
    client.onerror = (e) => { clientError ??= e; };

    const t0 = performance.now();
    await client.connect(transport);
    const r = { init_ms: initAt - t0 };
    const child = transport._process;   // private in the SDK; needed for the pid and the exit time
    let exitAt;
    child.once('exit', () => { exitAt = performance.now(); });
    r.idle_rss_mb = treeMemoryMB(child.pid, 'VmRSS');

    let t = performance.now();
    await client.listTools();
    r.list_ms = performance.now() - t;

    t = performance.now();
    const res = await client.callTool(server.call);
    r.call1_ms = performance.now() - t;
    if (res.isError) throw new Error(`${server.label}: ${server.call.name} returned an error: ${JSON.stringify(res)}`);

    t = performance.now();
    await client.ping();
    r.ping_ms = performance.now() - t;

    r.warm = [];
    for (let i = 0; i < warmCalls; i++) {
      t = performance.now();
      await client.callTool(server.call);
      r.warm.push(performance.now() - t);
    }

    r.peak_rss_mb = treeMemoryMB(child.pid, 'VmHWM');
    t = performance.now();
    await client.close();   // ends stdin; SIGTERM only if the server has not exited within 2 s
    r.close_ms = (exitAt ?? performance.now()) - t;
    r.close_signal = child.signalCode;
    if (clientError) throw new Error(`${server.label}: client.onerror fired: ${clientError.message}`);
    return r;
  } finally {
    rmSync(config, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }
}

// ---- statistics and output -------------------------------------------------------------------

const sorted = (xs) => [...xs].sort((a, b) => a - b);
function stats(xs) {
  const s = sorted(xs);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { median, min: s[0], max: s[n - 1], p90: s[Math.ceil(0.9 * n) - 1] };
}
const fmt = (v) => (v === undefined || Number.isNaN(v) ? '–'
  : Math.abs(v) < 1 ? v.toFixed(3) : Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(1));
const ratio = (a, b) => (b > 0 ? (a / b).toFixed(3) : '–');

function machine() {
  const cpus = os.cpus();
  const lines = [`machine: ${cpus.length} cores, ${cpus[0]?.model?.trim() ?? 'unknown CPU'}; ${os.type()} ${os.release()}; ` +
    `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at start; node ${process.version}; ` +
    `@modelcontextprotocol/sdk ${pkgVersion('@modelcontextprotocol/sdk')} client`];
  let build = 'build type unknown (no CMakeCache.txt beside the binary)';
  try {
    const cache = readFileSync(path.join(path.dirname(path.dirname(opts.exe)), 'CMakeCache.txt'), 'utf8');
    const type = cache.match(/^CMAKE_BUILD_TYPE:STRING=(.*)$/m)?.[1] || '(none)';
    const cxx = cache.match(/^CMAKE_CXX_COMPILER:[A-Z]+=(.*)$/m)?.[1];
    const version = cxx ? execFileSync(cxx, ['--version'], { encoding: 'utf8' }).split('\n')[0] : 'unknown compiler';
    build = `${type}, ${version}`;
  } catch {
    // keep the default text
  }
  lines.push(`switchboard: ${opts.exe} serve (${build}); cheap tool cache_stats`);
  if (opts.peers) {
    lines.push(`server-everything ${pkgVersion('@modelcontextprotocol/server-everything')}: node dist/index.js stdio; cheap tool echo`);
    lines.push('node-floor: node bench/node_floor_server.mjs (SDK-free, exits on EOF); cheap tool echo');
  }
  lines.push(`runs: ${opts.runs} fresh spawns per server, interleaved; warm calls: ${opts.warm} sequential in the last process`);
  return lines.join('\n');
}

async function main() {
  if (opts.peers && !nodeModules) usage('SB_PINNED_NODE_MODULES is not set (run bench/run.sh, or pass --no-peers)');
  const results = Object.fromEntries(servers.map((s) => [s.key, []]));
  for (let run = 0; run < opts.runs; run++) {
    for (const server of servers) {
      results[server.key].push(await runOnce(server, run === opts.runs - 1 ? opts.warm : 0));
    }
  }

  const summary = {};
  for (const server of servers) {
    const rs = results[server.key];
    summary[server.key] = {};
    for (const [m] of metrics) {
      const xs = m === 'warm_ms' ? rs[rs.length - 1].warm : rs.map((r) => r[m]);
      if (xs.length) summary[server.key][m] = stats(xs);
    }
  }

  console.log('# switchboard serve startup benchmark (spec/MCP.md §16), SDK client harness');
  console.log(machine());
  for (const server of servers) {
    const rs = results[server.key];
    const first = rs[0];
    console.log(`\n## ${server.label}${server.key === 'switchboard' ? '' : ' (measured in this batch)'}`);
    console.log(`first spawn: ${metrics.filter(([m]) => m !== 'warm_ms').map(([m]) => `${m}=${fmt(first[m])}`).join(' ')}`);
    for (const [m, what] of metrics) {
      const s = summary[server.key][m];
      if (!s) continue;
      let line = `${m} median=${fmt(s.median)} min=${fmt(s.min)} max=${fmt(s.max)} p90=${fmt(s.p90)}`;
      if (server.key === 'switchboard') {
        for (const peer of servers.slice(1)) {
          const p = summary[peer.key][m];
          if (p) line += ` | ${peer.label} ${fmt(p.median)} ratio=${ratio(s.median, p.median)}`;
        }
      }
      console.log(`${line}   (${what})`);
    }
    const killed = rs.filter((r) => r.close_signal).length;
    if (killed) console.log(`note: ${killed} of ${rs.length} runs did not exit on EOF within 2 s and were killed by the SDK (${rs.find((r) => r.close_signal).close_signal})`);
  }

  console.log('\n## switchboard against the recorded baseline (spec/MCP.md §16.2: Node 20, 2 cores)');
  const sb = summary.switchboard;
  for (const [m] of metrics) {
    if (!sb[m]) continue;
    const parts = [`${m} median=${fmt(sb[m].median)}`];
    for (const [key, label] of [['everything', 'server-everything'], ['floor', 'node-floor']]) {
      const r = recorded[key][m];
      if (r !== undefined) parts.push(`${label} ${fmt(r)} (recorded) ratio=${ratio(sb[m].median, r)}`);
    }
    if (parts.length > 1) console.log(parts.join(' | '));
  }

  console.log('\n## targets (spec/MCP.md §16.3; reported, not asserted)');
  for (const [m, [aim, alarm]] of Object.entries(targets)) {
    const v = sb[m]?.median;
    if (v === undefined) continue;
    const a = aim === null ? '' : `aim ≤ ${aim}: ${v <= aim ? 'met' : 'NOT met'}`;
    const b = alarm === null ? '' : `alarm > ${alarm}: ${v > alarm ? 'RAISED' : 'clear'}`;
    const note = m === 'warm_ms' ? ' (the aim applies to the C++ raw harness, bench_raw_warm_call)' : '';
    console.log(`${m} median=${fmt(v)}  ${[a, b].filter(Boolean).join('; ')}${note}`);
  }
  const everything = summary.everything?.init_ms?.median;
  if (everything) {
    console.log(`cold start: ${fmt(everything / sb.init_ms.median)}× faster than server-everything in this batch (aim ≥ 40×)`);
  }
}

main().catch((err) => {
  console.error(`startup.mjs: ${err.stack ?? err}`);
  process.exit(1);
});
