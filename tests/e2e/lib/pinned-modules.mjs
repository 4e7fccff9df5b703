// Preloaded with `node --import` by tests/e2e/run.sh and bench/run.sh: lets a script in the clone
// import packages installed in the pinned cache directory outside it (tests/e2e/setup.sh), as if
// that node_modules were its own. Bare specifiers that normal resolution cannot find are retried
// from the directory named by SB_PINNED_NODE_MODULES; relative and absolute ones are untouched.
import { registerHooks } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.SB_PINNED_NODE_MODULES;
if (!dir) {
  throw new Error('SB_PINNED_NODE_MODULES is not set: run through tests/e2e/run.sh or bench/run.sh');
}
// A (non-existent) module beside that node_modules: resolution walks up from its directory.
const parentURL = pathToFileURL(path.join(path.dirname(path.resolve(dir)), 'pinned.mjs')).href;
const isBare = (s) => !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(s);

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (err) {
      if (!isBare(specifier) || err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
      return nextResolve(specifier, { ...context, parentURL });
    }
  },
});
