/*
 * switchboard/router.h — the router table of plugin ABI 1 (kind SB_KIND_ROUTER).
 *
 * Purpose: a router turns the routing intent of a new job into the concrete routing fields of
 * ROUTING.md §2 (validating and normalizing them, and possibly resolving a capability request to a
 * local agent), normalizes worker identities, and names the claim-order policy the store applies.
 * Matching a job to a worker is not a router slot: the standard predicate is the SDK's
 * routing_predicate.hpp, which every store implements identically.
 *
 * Threads and purity: every operation is pure (no I/O, no store, no clock: `now` comes in the
 * context), deterministic for equal inputs, and may be called from any thread at once.
 *
 * Ownership: inputs are borrowed for the call; output goes to the host's sink.
 */
#ifndef SWITCHBOARD_ROUTER_H
#define SWITCHBOARD_ROUTER_H

#include "switchboard/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sb_router_v1 {
  uint32_t struct_size;

  /* [required] [host thread] Creates a router from `args->config_json` (e.g. {"order":
   * "strict_priority", "resolve_local": false}); unknown keys and bad values are refused with
   * SB_INVALID_ARGUMENT naming the key. */
  sb_status (*create)(const sb_create_args* args, void** self, sb_error* err);

  /* [required] [host thread] Destroys the router. */
  void (*destroy)(void* self);

  /* [required] [any thread] `request`: {target_agent_name?, required_capabilities?, priority?,
   * deadline_seconds?} as received from the caller. `context`: {now, local_agents: [{name,
   * capabilities}]}. Writes the routing object {target_agent_name, required_capabilities,
   * priority, deadline_at, resolved_from?} and returns SB_OK, or returns SB_INVALID_ARGUMENT with
   * `err->field` set to the offending parameter. */
  sb_status (*normalize)(void* self, const char* request, size_t request_len, const char* context,
                         size_t context_len, const sb_sink* out, sb_error* err);

  /* [required] [any thread] `identity`: {name?, capabilities?, accepts_untargeted?} of a worker.
   * Writes the normalized identity {name, capabilities, accepts_untargeted} or refuses it with
   * SB_INVALID_ARGUMENT naming the field. */
  sb_status (*normalize_identity)(void* self, const char* identity, size_t identity_len,
                                  const sb_sink* out, sb_error* err);

  /* [required] [any thread] Writes the claim-order policy as a JSON string:
   * "targeted_first" or "strict_priority" (ROUTING.md §5.2). */
  sb_status (*policy)(void* self, const sb_sink* out, sb_error* err);
} sb_router_v1;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHBOARD_ROUTER_H */
