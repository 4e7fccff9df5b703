// The "Node floor" of spec/MCP.md §16.2: a minimal MCP server over stdio with no SDK and no
// dependencies, so the benchmark can show what any Node server pays just to start. It answers
// initialize, tools/list (one tool, `echo`), tools/call, ping and logging/setLevel, ignores
// notifications, answers other requests with -32601, and exits on stdin EOF.
import { createInterface } from 'node:readline';

const tools = [{
  name: 'echo',
  description: 'Echoes the message back.',
  inputSchema: { type: 'object', properties: { message: { type: 'string' } } },
}];
const send = (msg) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);

function answer(req) {
  switch (req.method) {
    case 'initialize':
      return {
        protocolVersion: req.params?.protocolVersion ?? '2025-11-25',
        capabilities: { tools: {}, logging: {} },
        serverInfo: { name: 'node-floor', version: '0.0.0' },
      };
    case 'tools/list':
      return { tools };
    case 'tools/call':
      return { content: [{ type: 'text', text: String(req.params?.arguments?.message ?? '') }] };
    case 'ping':
    case 'logging/setLevel':
      return {};
    default:
      return undefined;
  }
}

createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', (line) => {
    if (!line.trim()) return;
    let req;
    try {
      req = JSON.parse(line);
    } catch {
      send({ id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (req.id === undefined || req.id === null) return;   // a notification
    const result = answer(req);
    if (result === undefined) send({ id: req.id, error: { code: -32601, message: `Method not found: ${req.method}` } });
    else send({ id: req.id, result });
  })
  .on('close', () => process.exit(0));
