/*
 * switchboard/store.h — the store table of plugin ABI 1 (kind SB_KIND_STORE).
 *
 * Purpose: a store persists jobs, leases, worker records, threads, messages and events, and is the
 * only claim ledger (JOBS.md §5, ROUTING.md §5). The table has one slot per operation of JOBS.md
 * §5.2, all with the same signature: a UTF-8 JSON document in, an outcome status back, the output
 * document written to the host's sink, and a caller-owned error filled on refusal. JOBS.md §5.2 is
 * the single source of each operation's input and output shapes; the slot comments below only
 * summarize them.
 *
 * Atomicity: each operation is atomic, and the events it records (built with the SDK's
 * event_envelope.hpp) are appended inside the same atomic step. There is no separate append slot.
 * Time: every operation that compares or writes times takes `now` from its input (the host clock).
 * Blocking: no operation blocks for long; `watch` waits at most its `timeout_ms` (<= 60000).
 *
 * Threads: every operation slot is [any thread]: the host calls them concurrently from its thread
 * pool; the store serializes internally. `create` and `destroy` are [host thread].
 * Every slot of ABI 1.0 is [required]: a store that cannot support an operation still provides the
 * slot and returns SB_UNSUPPORTED.
 *
 * Ownership: `in` is borrowed for the call (it need not be NUL-terminated); output goes to `out`,
 * only during the call. The object behind `self` belongs to the store.
 */
#ifndef SWITCHBOARD_STORE_H
#define SWITCHBOARD_STORE_H

#include "switchboard/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The one signature of every store operation. Returns an outcome of abi.h (SB_OK, SB_NONE,
 * SB_NOT_FOUND, SB_INVALID_ID, SB_INVALID_ARGUMENT, SB_CONFLICT, SB_BUSY, SB_CORRUPT,
 * SB_DUPLICATE, SB_IO_ERROR, and the claim_by_id / cancel outcomes). Refusals that carry data
 * (SB_CONFLICT's {"status"}, SB_DUPLICATE's {"message"}, cancel's {"job"}) write it to `out`. */
typedef sb_status (*sb_store_op)(void* self, const char* in, size_t in_len, const sb_sink* out,
                                 sb_error* err);

typedef struct sb_store_v1 {
  uint32_t struct_size;

  /* [required] [host thread] Opens the store: reads `args->config_json`, resolves relative paths
   * against `args->state_dir`, checks permissions, recovers and migrates (JOBS.md §8, §9). */
  sb_status (*create)(const sb_create_args* args, void** self, sb_error* err);
  /* [required] [host thread] Closes the store. No operation is in progress. */
  void (*destroy)(void* self);

  /* -- Jobs (JOBS.md §5.3–§5.6, §5.15) -- */
  sb_store_op job_create;           /* {job, claim_as?, now} -> {job, lease?} */
  sb_store_op job_create_completed; /* {job, result, cached, now} -> {job} */
  sb_store_op job_get;              /* {id, now} -> {job} */
  sb_store_op job_list;             /* {filter, now} -> {jobs} */
  sb_store_op queue_stats;          /* {now, target?} -> stats object */

  /* -- Claims and leases (JOBS.md §5.7–§5.11, ROUTING.md §5–§6) -- */
  sb_store_op claim;       /* {identity, lease_seconds, policy, now} -> {job, lease} | NONE */
  sb_store_op claim_by_id; /* {id, identity, lease_seconds, now} -> {job, lease} | refusal */
  sb_store_op renew;       /* {id, worker_id, attempt, lease_seconds, now} */
  sb_store_op progress;    /* {id, worker_id, attempt, lines, now} */
  sb_store_op complete;    /* {id, worker_id, attempt, result, now} -> {job} */
  sb_store_op fail;        /* {id, worker_id, attempt, error, error_type?, now} -> {job} */
  sb_store_op cancel;      /* {id, owner_lease?, pending_only?, reason?, now} -> {job} */

  /* -- Sweeps and maintenance (JOBS.md §5.12–§5.14, §5.2 info) -- */
  sb_store_op expire_deadlines; /* {now} -> {ids} */
  sb_store_op reclaim_expired;  /* {now} -> {cancelled, failed, requeued} */
  sb_store_op gc;               /* {max_age_seconds, dry_run, now} -> {count, ids} */
  sb_store_op info;             /* {} -> {location, schema_version, corrupt} */

  /* -- Worker records (ROUTING.md §10.4) -- */
  sb_store_op worker_register;   /* {record, now} -> {} */
  sb_store_op worker_heartbeat;  /* {worker_id, running, now} -> {} | NOT_FOUND */
  sb_store_op worker_deregister; /* {worker_id} -> {} */
  sb_store_op worker_list;       /* {agent_name?, online_only?, offline_after_seconds, now} */
  sb_store_op worker_prune;      /* {ttl_seconds, now} -> {worker_ids} */

  /* -- Threads and messages (MESSAGES.md §2–§3) -- */
  sb_store_op thread_create; /* {topic, metadata?, now} -> {thread, created} */
  sb_store_op thread_get;    /* {thread_id} -> {thread} */
  sb_store_op thread_list;   /* {limit, topic_contains?} -> {threads} */
  sb_store_op msg_post;      /* {thread_id, author, role, content, metadata?, dedupe_key?,
                                job?, now} -> {message, job?} | DUPLICATE */
  sb_store_op msg_list;      /* {thread_id, after_seq, limit, for_agent?} */

  /* -- Events (MESSAGES.md §5) -- */
  sb_store_op events_since; /* {after?, filter, limit} -> {events, next_after, latest_id} */
  sb_store_op events_prune; /* {max_age_seconds, keep_min, now} -> {pruned, pruned_through} */

  /* -- Change signal (JOBS.md §5.16) -- */
  sb_store_op change_signal; /* {} -> {token} */
  sb_store_op watch;         /* {token, timeout_ms} -> {changed, token}; short waits only */
} sb_store_v1;

/* Every operation slot of sb_store_v1 in table order, for code that walks the table (the host's
 * required-slot check, the C++ wrapper). X(name) is expanded once per slot. */
/* clang-format off */
#define SB_STORE_V1_OPERATIONS(X)                                                                \
  X(job_create) X(job_create_completed) X(job_get) X(job_list) X(queue_stats) X(claim)           \
  X(claim_by_id) X(renew) X(progress) X(complete) X(fail) X(cancel) X(expire_deadlines)          \
  X(reclaim_expired) X(gc) X(info) X(worker_register) X(worker_heartbeat) X(worker_deregister)   \
  X(worker_list) X(worker_prune) X(thread_create) X(thread_get) X(thread_list) X(msg_post)       \
  X(msg_list) X(events_since) X(events_prune) X(change_signal) X(watch)
/* clang-format on */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHBOARD_STORE_H */
