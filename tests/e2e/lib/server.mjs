// Shared setup for the end-to-end tests: the switchboard binary under test, throwaway
// configuration and state directories, and the test time-scale factor.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The binary under test; ctest sets it to $<TARGET_FILE:switchboard> of its own build tree.
export function switchboardExe() {
  const exe = process.env.SWITCHBOARD_EXE;
  if (!exe || !path.isAbsolute(exe)) {
    throw new Error(`SWITCHBOARD_EXE must be the absolute path of the switchboard binary (got '${exe ?? ''}')`);
  }
  return exe;
}

// Every upper bound on elapsed time is multiplied by this (MCP.md §17; CI sets 4 for sanitizers).
export const timeScale = Number(process.env.SWITCHBOARD_TEST_TIME_SCALE) > 0
  ? Number(process.env.SWITCHBOARD_TEST_TIME_SCALE) : 1;

// A fresh directory under the system temp dir; removed by the returned cleanup function.
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// True while a process with this pid exists (and is not a zombie we could still reap).
export function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
