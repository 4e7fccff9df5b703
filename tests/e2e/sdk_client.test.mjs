// `switchboard serve` driven by the official TypeScript SDK client (@modelcontextprotocol/sdk
// 1.32.2, Client + StdioClientTransport): spec/MCP.md MCP-160, MCP-161, CLI-180 and an output-schema
// sanity check. Run through tests/e2e/run.sh (ctest does), which supplies the pinned Node and SDK.
//
// TODO(MCP-162, deferred): progress (`onprogress` with increasing `progress`) and cancellation
// (`signal` aborted after 0.5 s → the call rejects and the fake child's process group is gone within
// 1 s) need the `dispatch` tool and the fake claude; add them here when those land.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { processAlive, switchboardExe, tempDir, timeScale } from './lib/server.mjs';

// Starts a server with empty config/state directories and connects an SDK client to it.
// Everything the client reports through `onerror` and everything the server writes on stderr is
// collected; `finish()` closes the client (if still open), removes the directories and returns
// how long close() took.
async function connect(t, { args = ['serve'], env = {} } = {}) {
  const config = tempDir('sb-e2e-config.');
  const state = tempDir('sb-e2e-state.');
  const transport = new StdioClientTransport({
    command: switchboardExe(),
    args,
    stderr: 'pipe',
    env: { SWITCHBOARD_CONFIG_DIR: config.dir, SWITCHBOARD_STATE_DIR: state.dir, ...env },
  });
  const stderr = [];
  transport.stderr?.on('data', (chunk) => stderr.push(chunk));
  const client = new Client({ name: 'switchboard-e2e', version: '0' });
  const errors = [];
  client.onerror = (err) => errors.push(err);

  let closed = false;
  let child;
  const finish = async () => {
    let closeMs = 0;
    if (!closed) {
      closed = true;
      const t0 = performance.now();
      await client.close();
      closeMs = performance.now() - t0;
    }
    config.cleanup();
    state.cleanup();
    return closeMs;
  };
  t.after(finish);
  serverLogs.set(t, stderr);

  await client.connect(transport, { timeout: 10_000 * timeScale });
  // The SDK keeps the ChildProcess private; the test needs it to see how the server exited.
  child = transport._process;
  assert.ok(child && typeof child.pid === 'number', 'the SDK transport exposes its child process');
  return { client, transport, child, errors, stderr, finish };
}

// The server stderr of each test, shown only when the test fails.
const serverLogs = new Map();
function sbTest(name, body) {
  test(name, async (t) => {
    try {
      await body(t);
    } catch (err) {
      const text = Buffer.concat(serverLogs.get(t) ?? []).toString('utf8');
      if (text) t.diagnostic(`server stderr:\n${text.trimEnd()}`);
      throw err;
    } finally {
      serverLogs.delete(t);
    }
  });
}

function assertNoClientErrors(errors) {
  assert.deepEqual(errors.map((e) => e.message), [],
    'client.onerror must never fire (it reports stdout lines that are not valid JSON-RPC)');
}

sbTest('MCP-160: connect, listTools, callTool cache_stats, ping, setLoggingLevel, close', async (t) => {
  const { client, child, errors, finish } = await connect(t);

  const server = client.getServerVersion();
  assert.equal(server?.name, 'switchboard');
  assert.equal(typeof server?.version, 'string');
  assert.equal(typeof client.getServerCapabilities()?.tools, 'object');

  const { tools, nextCursor } = await client.listTools();
  assert.equal(nextCursor, undefined);
  const names = tools.map((tool) => tool.name);
  t.diagnostic(`${names.length} tools: ${names.join(' ')}`);
  assert.ok(names.includes('cache_stats'), `tools/list includes cache_stats (got ${names.join(', ')})`);

  const result = await client.callTool({ name: 'cache_stats', arguments: {} });
  assert.notEqual(result.isError, true, JSON.stringify(result));
  assert.equal(result.content?.[0]?.type, 'text');
  assert.equal(typeof JSON.parse(result.content[0].text), 'object');

  assert.deepEqual(await client.ping(), {});
  assert.deepEqual(await client.setLoggingLevel('debug'), {});
  assertNoClientErrors(errors);

  const closeMs = await finish();
  t.diagnostic(`close() took ${closeMs.toFixed(1)} ms`);
  assert.ok(closeMs < 1000 * timeScale,
    `close() resolved in ${closeMs.toFixed(0)} ms; the server must exit on stdin EOF (the SDK waits 2 s before SIGTERM)`);
  assert.equal(child.signalCode, null, 'the server exited by itself, not by a signal');
  assert.equal(child.exitCode, 0, 'the server exits with status 0 on stdin EOF');
  assert.equal(processAlive(child.pid), false);
  assertNoClientErrors(errors);
});

sbTest('MCP-161: callTool of an unknown tool rejects with -32602', async (t) => {
  const { client, errors } = await connect(t);
  await assert.rejects(client.callTool({ name: 'nope', arguments: {} }), (err) => {
    assert.equal(err.code, -32602, `error code of ${err}`);
    assert.match(err.message, /nope/);
    return true;
  });
  // The connection survives the error.
  assert.deepEqual(await client.ping(), {});
  assertNoClientErrors(errors);
});

sbTest('every listed tool passes the SDK client\'s validation; tools without parameters can be called', async (t) => {
  const { client, errors } = await connect(t);
  // listTools() parses every tool with the SDK's schema and caches a validator for each
  // outputSchema; callTool() then validates structuredContent against it.
  const { tools } = await client.listTools();
  assert.ok(tools.length > 0);
  for (const tool of tools) {
    assert.equal(tool.inputSchema?.type, 'object', `${tool.name}: inputSchema.type`);
    if (tool.outputSchema !== undefined) {
      assert.equal(tool.outputSchema.type, 'object', `${tool.name}: outputSchema.type`);
    }
  }

  const noParams = tools.filter((tool) => Object.keys(tool.inputSchema.properties ?? {}).length === 0);
  assert.ok(noParams.some((tool) => tool.name === 'cache_stats'), 'cache_stats takes no parameters');
  for (const tool of noParams) {
    // A client-side schema violation makes callTool throw; an error result (isError) is a
    // legitimate answer for some tools with an empty configuration, so it is only reported.
    const result = await client.callTool({ name: tool.name, arguments: {} });
    assert.ok(Array.isArray(result.content), `${tool.name}: content is an array`);
    if (result.isError) {
      t.diagnostic(`${tool.name} answered isError: ${result.content?.[0]?.text}`);
      assert.equal(result.structuredContent, undefined, `${tool.name}: error results carry no structuredContent`);
    } else if (tool.outputSchema !== undefined) {
      assert.equal(typeof result.structuredContent, 'object', `${tool.name}: structuredContent`);
    }
  }
  assertNoClientErrors(errors);
});

sbTest('CLI-180: with debug logging, stdout carries only JSON-RPC messages and logs go to stderr', async (t) => {
  const { client, errors, stderr, finish } = await connect(t, { args: ['serve', '--log-level', 'debug'] });
  await client.setLoggingLevel('debug');
  await client.listTools();
  await client.callTool({ name: 'cache_stats', arguments: {} });
  await client.callTool({ name: 'cache_stats' });   // arguments absent (MCP-084)
  await assert.rejects(client.callTool({ name: 'nope', arguments: {} }));
  await client.ping();
  await finish();
  // Any stdout line that is not a valid JSON-RPC message reaches the client as an onerror call.
  assertNoClientErrors(errors);
  const log = Buffer.concat(stderr).toString('utf8');
  assert.notEqual(log.trim(), '', 'serve --log-level debug writes its log to stderr');
});
