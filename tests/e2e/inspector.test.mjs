// `switchboard serve` driven by the MCP Inspector CLI (@modelcontextprotocol/inspector 0.15.0,
// `mcp-inspector --cli`): spec/MCP.md MCP-164, plus the unknown-tool error path and the `-e` and
// `--tool-arg` options of reference/REAL-CLIENTS.md §4. Run through tests/e2e/run.sh (ctest does),
// which supplies the pinned Node, the SDK and the Inspector (SB_E2E_NODE, SB_E2E_NODE_MODULES).
//
// The Inspector is started the way REAL-CLIENTS §4 describes: from the directory it is installed
// in, with the server's environment given as `-e KEY=VALUE` before the server command. Its
// `--cli` wrapper starts a second process with the bare command `node`, so the pinned Node's
// directory goes first on PATH. Each invocation runs in its own process group and is killed as a
// whole if it overruns its time limit, so a hang fails the test instead of blocking ctest; the
// group is also cleared once the Inspector has exited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { switchboardExe, tempDir, timeScale } from './lib/server.mjs';

const INSPECTOR_VERSION = '0.15.0';
// One Inspector invocation takes under 2 s; the SDK inside it gives up on `initialize` after 60 s
// and reports that itself, so the kill below only catches a wrapper that hangs.
const RUN_TIMEOUT_MS = 90_000 * timeScale;
const TEST_TIMEOUT_MS = 180_000 * timeScale;

function pinned(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through tests/e2e/run.sh`);
  return value;
}

// The Inspector package as installed by setup.sh: its directory, its version and its CLI entry
// (the `mcp-inspector` bin of its package.json, what node_modules/.bin/mcp-inspector links to).
function inspectorPackage() {
  const nodeModules = pinned('SB_E2E_NODE_MODULES');
  const dir = path.join(nodeModules, '@modelcontextprotocol', 'inspector');
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['mcp-inspector'];
  assert.ok(bin, 'the Inspector package declares an mcp-inspector bin');
  return { version: pkg.version, cli: path.join(dir, bin), installDir: path.dirname(nodeModules) };
}

// Throwaway configuration and state directories (and HOME), removed after the test.
function sandbox(t) {
  const config = tempDir('sb-e2e-config.');
  const state = tempDir('sb-e2e-state.');
  const home = tempDir('sb-e2e-home.');
  t.after(() => { config.cleanup(); state.cleanup(); home.cleanup(); });
  return { config: config.dir, state: state.dir, home: home.dir };
}

// Runs `mcp-inspector --cli -e … $SWITCHBOARD_EXE serve ARGS…` with the pinned Node and
// resolves to { code, signal, stdout, stderr }.
function inspector(t, box, args) {
  const { cli, installDir } = inspectorPackage();
  const node = pinned('SB_E2E_NODE');
  const env = { ...process.env };
  // The server must get its directories from -e alone, and the Inspector is no node:test child.
  for (const key of Object.keys(env)) {
    if (key.startsWith('SWITCHBOARD_') || key.startsWith('NODE_TEST')) delete env[key];
  }
  env.HOME = box.home;
  env.PATH = `${path.dirname(node)}${path.delimiter}${env.PATH ?? '/usr/bin:/bin'}`;
  const argv = [cli, '--cli',
    '-e', `SWITCHBOARD_CONFIG_DIR=${box.config}`, '-e', `SWITCHBOARD_STATE_DIR=${box.state}`,
    switchboardExe(), 'serve', ...args];
  t.diagnostic(`mcp-inspector ${argv.slice(1).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(node, argv,
      { cwd: installDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    const timer = setTimeout(() => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      reject(new Error(`mcp-inspector ${args.join(' ')} did not finish within ` +
        `${RUN_TIMEOUT_MS} ms; stderr: ${Buffer.concat(err).toString('utf8')}`));
    }, RUN_TIMEOUT_MS);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // When the Inspector gives up (e.g. on an initialize timeout) it exits without stopping the
      // server it started: remove whatever is left in the group.
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* nothing left */ }
      const text = (chunks) => Buffer.concat(chunks).toString('utf8');
      resolve({ code, signal, stdout: text(out), stderr: text(err) });
    });
  });
}

// The printed result of a successful invocation: exit status 0 and one JSON document on stdout.
function expectJson(run, what) {
  assert.equal(run.signal, null, `${what}: killed by ${run.signal}; stderr: ${run.stderr}`);
  assert.equal(run.code, 0, `${what}: exit status; stderr: ${run.stderr}`);
  try {
    return JSON.parse(run.stdout);
  } catch (e) {
    assert.fail(`${what}: stdout is not one JSON document (${e.message}):\n${run.stdout}`);
  }
}

// The tools as the official SDK client lists them, from a server with the same kind of sandbox.
async function sdkTools(box) {
  const transport = new StdioClientTransport({
    command: switchboardExe(),
    args: ['serve'],
    stderr: 'pipe',
    env: { SWITCHBOARD_CONFIG_DIR: box.config, SWITCHBOARD_STATE_DIR: box.state, HOME: box.home },
  });
  const client = new Client({ name: 'switchboard-e2e', version: '0' });
  try {
    await client.connect(transport, { timeout: 10_000 * timeScale });
    const { tools } = await client.listTools(undefined, { timeout: 10_000 * timeScale });
    return tools;
  } finally {
    await client.close();
  }
}

test(`the installed Inspector is ${INSPECTOR_VERSION}`, () => {
  const { version, cli } = inspectorPackage();
  assert.equal(version, INSPECTOR_VERSION, cli);
});

const limits = { timeout: TEST_TIMEOUT_MS };

test('MCP-164: --method tools/list exits 0 and prints the tools the server lists', limits, async (t) => {
  const box = sandbox(t);
  const result = expectJson(await inspector(t, box, ['--method', 'tools/list']), 'tools/list');
  assert.ok(Array.isArray(result.tools), `tools is an array: ${JSON.stringify(result).slice(0, 200)}`);
  for (const tool of result.tools) {
    assert.equal(typeof tool, 'object', JSON.stringify(tool));
    assert.equal(typeof tool.name, 'string', JSON.stringify(tool));
    assert.notEqual(tool.name, '');
    assert.equal(tool.inputSchema?.type, 'object', `${tool.name}: inputSchema.type`);
  }
  const names = result.tools.map((tool) => tool.name);
  t.diagnostic(`${names.length} tools: ${names.join(' ')}`);
  assert.equal(new Set(names).size, names.length, 'tool names are unique');
  for (const name of ['cache_stats', 'list_agents']) {
    assert.ok(names.includes(name), `tools/list includes ${name}`);
  }
  // The same list, tool for tool, that the SDK client gets from the server directly.
  const expected = JSON.parse(JSON.stringify(await sdkTools(box)));
  assert.deepEqual(names, expected.map((tool) => tool.name));
  assert.deepEqual(result.tools, expected);
});

test('MCP-164: --method tools/call --tool-name cache_stats exits 0 with statistics', limits, async (t) => {
  const box = sandbox(t);
  const run = await inspector(t, box, ['--method', 'tools/call', '--tool-name', 'cache_stats']);
  const result = expectJson(run, 'tools/call cache_stats');
  // A tool error would still exit 0 (REAL-CLIENTS.md §4): check isError as well.
  assert.notEqual(result.isError, true, JSON.stringify(result));
  assert.equal(result.content?.[0]?.type, 'text', JSON.stringify(result));
  const stats = JSON.parse(result.content[0].text);
  assert.equal(typeof stats, 'object');
  assert.notEqual(stats, null);
  assert.ok(!Array.isArray(stats));
  assert.equal(typeof stats.size, 'number', `cache_stats has size: ${result.content[0].text}`);
});

test('tools/call of an unknown tool exits 1 with -32602 on stderr', limits, async (t) => {
  const box = sandbox(t);
  const run = await inspector(t, box, ['--method', 'tools/call', '--tool-name', 'nope']);
  assert.equal(run.signal, null, `killed by ${run.signal}`);
  assert.equal(run.code, 1, `exit status; stdout: ${run.stdout}; stderr: ${run.stderr}`);
  assert.match(run.stderr, /-32602/);
  assert.match(run.stderr, /nope/);
  assert.doesNotMatch(run.stdout, /"content"/, 'no result is printed');
});

test('-e gives the server its directories; --tool-arg reaches the tool', limits, async (t) => {
  const box = sandbox(t);
  // An agent that exists only in this sandbox's agents.toml.
  writeFileSync(path.join(box.config, 'agents.toml'),
    `[agents.e2e_probe]\ndirectory = ${JSON.stringify(box.home)}\n` +
    'description = "inspector probe"\n');
  const run = await inspector(t, box,
    ['--method', 'tools/call', '--tool-name', 'inspect_agent', '--tool-arg', 'name=e2e_probe']);
  const result = expectJson(run, 'tools/call inspect_agent');
  assert.notEqual(result.isError, true, JSON.stringify(result));
  const text = result.content?.[0]?.text ?? '';
  assert.match(text, /e2e_probe/);
  assert.match(text, /inspector probe/);
});
