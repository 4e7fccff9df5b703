/*
 * switchboard/runner.h — the runner table of plugin ABI 1 (kind SB_KIND_RUNNER).
 *
 * Purpose: a runner executes one job for one agent profile and reports progress and a result
 * object (CLAUDE-RUNNER.md §1, EXEC-RUNNER.md §3). `run` blocks on a host thread until the run
 * has ended and its child process has been reaped; several runs may be in progress at once on
 * different host threads. `cancel` may arrive from any thread at any time, before, during or after
 * the run, and is idempotent.
 *
 * Ownership: the host creates a run handle (`run_id`, unique and never reused within a process)
 * before calling `run`. Every request, profile and callback table is borrowed for the duration of
 * the call that receives it. Output goes to host sinks. The object behind `self` belongs to the
 * runner: created by `create`, freed by `destroy`.
 */
#ifndef SWITCHBOARD_RUNNER_H
#define SWITCHBOARD_RUNNER_H

#include "switchboard/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Host callbacks of one run. The table is valid until `run` returns. */
typedef struct sb_run_callbacks {
  uint32_t struct_size;
  void* ctx;
  /* [any thread] One progress line (UTF-8, need not be NUL-terminated). */
  void (*progress)(void* ctx, const char* line, size_t len);
  /* [any thread] Called right after each successful spawn of a child process, with its pid (a
   * runner that spawns nothing never calls it; a retry calls it again). */
  void (*started)(void* ctx, int64_t pid);
} sb_run_callbacks;

typedef struct sb_runner_v1 {
  uint32_t struct_size;

  /* [required] [host thread] Creates a runner instance from `args->config_json`; unknown keys are
   * refused with SB_INVALID_ARGUMENT naming the key. On success stores the instance in `*self`. */
  sb_status (*create)(const sb_create_args* args, void** self, sb_error* err);

  /* [required] [host thread] Destroys an instance. No run is in progress when it is called. */
  void (*destroy)(void* self);

  /* [required] [any thread] Runs one job. `request` is the run request JSON (CLAUDE-RUNNER.md
   * §1.1). Blocks until the run has ended and its children have been reaped, then either writes the
   * result object (CLAUDE-RUNNER.md §1.2) to `result` and returns SB_OK, or returns SB_CANCELLED
   * with no result (the run was cancelled), or returns another status with `err` filled (the run
   * could not happen at all, e.g. a malformed request). A run whose agent failed is still SB_OK
   * with a result whose `success` is false. `callbacks` may be NULL, and so may each of its
   * function members, when the host consumes no progress. */
  sb_status (*run)(void* self, uint64_t run_id, const char* request, size_t request_len,
                   const sb_run_callbacks* callbacks, const sb_sink* result, sb_error* err);

  /* [required] [any thread] Asks run `run_id` to stop and returns at once. Idempotent; a call for a
   * run that has already returned is a no-op reporting SB_OK. A call that arrives before `run` was
   * entered makes that run spawn nothing and return SB_CANCELLED. */
  sb_status (*cancel)(void* self, uint64_t run_id);

  /* [required] [any thread] Validates one agent profile (the agent's table of agents.toml as JSON,
   * with "name") at every load of agents.toml. Writes the profile with this runner's defaults
   * applied (effective timeout, model, permission mode, tool lists) to `out` and returns SB_OK, or
   * returns SB_INVALID_ARGUMENT with `err->field` naming the key path and the message the fix.
   * Starts no process and reads no file. */
  sb_status (*check_agent)(void* self, const char* profile, size_t profile_len, const sb_sink* out,
                           sb_error* err);

  /* [optional] [any thread] Reports readiness as a JSON object for `switchboard doctor` and
   * `plugins check`, e.g. {"ready": false, "message": "claude CLI not found on PATH"}. Spends no
   * money and never blocks for long. */
  sb_status (*probe)(void* self, const sb_sink* out, sb_error* err);
} sb_runner_v1;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHBOARD_RUNNER_H */
