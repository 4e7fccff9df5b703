// `switchboard serve` checked by the real Claude Code CLI (@anthropic-ai/claude-code 2.1.330),
// offline and without credentials: spec/MCP.md MCP-163 and the `claude -p` init-event check of
// reference/REAL-CLIENTS.md §3.4. Run through tests/e2e/run.sh (ctest does), which supplies the
// pinned Node, SDK and Claude Code (SB_E2E_CLAUDE).
//
// Claude Code runs from an empty environment with a throwaway HOME and project directory, so no
// user settings, credentials or "legacy peer" memories leak in, and with the variables that turn
// off its network traffic. MCP_TIMEOUT=5000 makes a broken server fail in seconds, not 30.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { switchboardExe, tempDir, timeScale } from './lib/server.mjs';

const CLAUDE_VERSION = '2.1.330';

function claudeExe() {
  const exe = process.env.SB_E2E_CLAUDE;
  if (!exe) throw new Error('SB_E2E_CLAUDE is not set: run through tests/e2e/run.sh');
  return exe;
}

// A throwaway HOME and project directory; `run(args)` starts claude there with a minimal
// environment and resolves to { code, signal, stdout, stderr }.
function claudeSandbox(t) {
  const home = tempDir('sb-e2e-home.');
  const project = tempDir('sb-e2e-proj.');
  const env = {
    HOME: home.dir,
    PATH: '/usr/local/bin:/usr/bin:/bin',
    TERM: 'dumb',
    MCP_TIMEOUT: '5000',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
  };
  const run = (args, timeoutMs = 60_000 * timeScale) => new Promise((resolve, reject) => {
    const child = spawn(claudeExe(), args, { cwd: project.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      // A killed claude leaves its socket behind (REAL-CLIENTS.md §3.7).
      rmSync(`/tmp/cc-socks/${child.pid}.sock`, { force: true });
      reject(new Error(`claude ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
  // Claude's own log of each MCP connection attempt (REAL-CLIENTS.md §3.6), for failure reports.
  const mcpLogs = () => {
    const root = path.join(home.dir, '.cache', 'claude-cli-nodejs');
    const texts = [];
    const walk = (dir) => {
      let entries = [];
      try { entries = readdirSync(dir); } catch { return; }
      for (const name of entries) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.includes('mcp-logs-')) texts.push(`${p}:\n${readFileSync(p, 'utf8')}`);
      }
    };
    walk(root);
    return texts.join('\n');
  };
  t.after(() => {
    home.cleanup();
    project.cleanup();
  });
  return { home: home.dir, project: project.dir, run, mcpLogs };
}

// Runs `body`; on failure, adds Claude's MCP connection logs to the test's output.
async function withLogs(t, sandbox, body) {
  try {
    await body();
  } catch (err) {
    const logs = sandbox.mcpLogs();
    if (logs) t.diagnostic(`claude MCP logs:\n${logs}`);
    throw err;
  }
}

// The tools the server lists, asked through the SDK client (the set Claude must expose).
async function serverToolNames(configDir, stateDir) {
  const transport = new StdioClientTransport({
    command: switchboardExe(),
    args: ['serve'],
    stderr: 'ignore',
    env: { SWITCHBOARD_CONFIG_DIR: configDir, SWITCHBOARD_STATE_DIR: stateDir },
  });
  const client = new Client({ name: 'switchboard-e2e', version: '0' });
  try {
    await client.connect(transport, { timeout: 10_000 * timeScale });
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

test(`claude --version is ${CLAUDE_VERSION}`, async (t) => {
  const sandbox = claudeSandbox(t);
  const res = await sandbox.run(['--version']);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout.trim(), `${CLAUDE_VERSION} (Claude Code)`);
});

test('MCP-163: claude mcp add -s user, then mcp list and mcp get report the server connected', async (t) => {
  const sandbox = claudeSandbox(t);
  const sb = switchboardExe();
  const configDir = path.join(sandbox.home, 'sb-config');
  const stateDir = path.join(sandbox.home, 'sb-state');
  await withLogs(t, sandbox, async () => {
    // `-e` is variadic: it must follow the name, and `--` must end the options (REAL-CLIENTS §3.2).
    const add = await sandbox.run(['mcp', 'add', '-s', 'user', 'switchboard',
      '-e', `SWITCHBOARD_CONFIG_DIR=${configDir}`, '-e', `SWITCHBOARD_STATE_DIR=${stateDir}`,
      '--', sb, 'serve']);
    assert.equal(add.code, 0, `claude mcp add failed:\n${add.stdout}${add.stderr}`);

    // list and get exit 0 whatever the server did: parse the text (REAL-CLIENTS §3.3).
    const list = await sandbox.run(['mcp', 'list']);
    t.diagnostic(`claude mcp list:\n${list.stdout.trimEnd()}`);
    assert.equal(list.code, 0, list.stderr);
    const line = list.stdout.split('\n').find((l) => l.startsWith('switchboard:'));
    assert.ok(line, `claude mcp list has a 'switchboard:' line:\n${list.stdout}${list.stderr}`);
    assert.ok(line.includes('✔ Connected'), `the switchboard line says ✔ Connected: ${line}`);
    assert.ok(line.includes(`${sb} serve`), `the line echoes the registered command: ${line}`);

    const get = await sandbox.run(['mcp', 'get', 'switchboard']);
    t.diagnostic(`claude mcp get switchboard:\n${get.stdout.trimEnd()}`);
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, /^\s*Status: ✔ Connected\s*$/m);
    assert.match(get.stdout, /Scope: User config/);
  });
});

test('REAL-CLIENTS §3.4: the init event of claude -p lists switchboard as connected with its tools', async (t) => {
  const sandbox = claudeSandbox(t);
  const configDir = path.join(sandbox.home, 'sb-config');
  const stateDir = path.join(sandbox.home, 'sb-state');
  const mcpConfig = path.join(sandbox.project, 'sb-mcp.json');
  writeFileSync(mcpConfig, JSON.stringify({
    mcpServers: {
      switchboard: {
        type: 'stdio',
        command: switchboardExe(),
        args: ['serve'],
        env: { SWITCHBOARD_CONFIG_DIR: configDir, SWITCHBOARD_STATE_DIR: stateDir },
      },
    },
  }));
  const expected = (await serverToolNames(configDir, stateDir)).map((name) => `mcp__switchboard__${name}`);
  assert.ok(expected.includes('mcp__switchboard__cache_stats'));

  await withLogs(t, sandbox, async () => {
    // The prompt stays right after -p: --mcp-config is variadic. Without credentials the command
    // then fails ("Not logged in"); only its first output line matters.
    const res = await sandbox.run(['-p', 'hi', '--strict-mcp-config', '--mcp-config', mcpConfig,
      '--output-format', 'stream-json', '--verbose']);
    const first = res.stdout.split('\n')[0];
    let init;
    try {
      init = JSON.parse(first);
    } catch {
      assert.fail(`the first stdout line of claude -p is not JSON (exit ${res.code}):\n${res.stdout}${res.stderr}`);
    }
    assert.equal(init.type, 'system');
    assert.equal(init.subtype, 'init');
    assert.equal(init.claude_code_version, CLAUDE_VERSION);
    const server = init.mcp_servers?.find((s) => s.name === 'switchboard');
    assert.deepEqual({ name: server?.name, status: server?.status }, { name: 'switchboard', status: 'connected' },
      `mcp_servers: ${JSON.stringify(init.mcp_servers)}`);
    const exposed = init.tools.filter((name) => name.startsWith('mcp__switchboard__'));
    t.diagnostic(`claude exposes ${exposed.join(' ')}`);
    assert.deepEqual([...exposed].sort(), [...expected].sort());
  });
});
