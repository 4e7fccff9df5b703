/*
 * switchboard/abi.h — the shared part of Switchboard's plugin ABI, version 1.
 *
 * Purpose: everything every plugin kind uses: the ABI version, status codes, the caller-owned
 * error struct, the output sink, the host services table, the component descriptor and the one
 * exported entry struct (`sb_plugin_entry_v1`). The kind-specific tables live in runner.h,
 * router.h, store.h and transport.h. The numbered rules are in sdk/docs/ABI.md.
 *
 * Ownership: data crosses the boundary as UTF-8 JSON (or bytes with a length). Inputs are borrowed
 * for the duration of one call only. Variable-size output goes to a sink the caller provides; the
 * callee never returns memory it allocated, and the creator of an object destroys it.
 *
 * Versioning: every struct starts with `struct_size`; tables only grow at the end, and each slot
 * added after 1.0 is marked "added in ABI 1.N". A caller checks that a slot lies inside the
 * callee's struct (SB_HAS_SLOT) before touching it.
 *
 * Threads: each slot is tagged [any thread] (may be called concurrently from any thread),
 * [host thread] (called from one host thread at a time, never concurrently with itself on the same
 * object) or [calling thread only] (a callback the callee may use only on the thread that received
 * it, during that call). Slots are tagged [required] or [optional]; an optional slot may be NULL.
 *
 * This header is C99/C11 and C++ compatible and includes only <stddef.h> and <stdint.h>.
 */
#ifndef SWITCHBOARD_ABI_H
#define SWITCHBOARD_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ------------------------------------------------------------------------------ */

/* The ABI this header describes. A host loads a plugin when the majors are equal and the plugin's
 * minor is not newer than the host's. */
#define SB_ABI_MAJOR 1
#define SB_ABI_MINOR 0

/* The name of the one exported data symbol of every plugin library. */
#define SB_PLUGIN_ENTRY_SYMBOL "sb_plugin_entry_v1"

/* Marks the entry symbol as exported even when the library is built with hidden visibility. */
#if defined(_WIN32)
#define SB_PLUGIN_EXPORT __declspec(dllexport)
#else
#define SB_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* True when `ptr` (a pointer to a struct starting with `struct_size`) is large enough to hold the
 * member `member`. Use it before reading a slot that was appended after 1.0. */
#define SB_HAS_SLOT(ptr, type, member) \
  ((ptr) != NULL &&                    \
   (size_t)(ptr)->struct_size >= offsetof(type, member) + sizeof(((type*)0)->member))

/* ---- Status codes -------------------------------------------------------------------------- */

/* Every fallible call returns one of these. Codes 1..17 are the store outcomes of JOBS.md §5.1,
 * §5.8 and §5.11; SB_UNSUPPORTED and SB_ERROR serve every kind. Other kinds use the subset that
 * applies. New codes are only ever appended. */
typedef int32_t sb_status;

#define SB_OK 0
#define SB_NONE 1               /* claim found nothing eligible */
#define SB_NOT_FOUND 2          /* no such job / thread / worker */
#define SB_INVALID_ID 3         /* malformed id; nothing was touched */
#define SB_INVALID_ARGUMENT 4   /* bad input; the error names the field */
#define SB_CONFLICT 5           /* lease operation by a non-owner; output carries {"status"} */
#define SB_BUSY 6               /* lock or transaction not obtained in time; nothing changed */
#define SB_CORRUPT 7            /* the record exists but cannot be read */
#define SB_DUPLICATE 8          /* msg_post dedupe_key already taken; output carries the message */
#define SB_IO_ERROR 9           /* OS or database failure; nothing was half-applied */
#define SB_NOT_PENDING 10       /* claim_by_id: the job is running or terminal */
#define SB_NOT_CLAIMABLE 11     /* claim_by_id: target, capabilities or untargeted do not match */
#define SB_DEADLINE_PASSED 12   /* claim_by_id: the job's deadline has passed */
#define SB_ALREADY_TERMINAL 13  /* cancel: the job had already ended; returned unchanged */
#define SB_CANCELLED 14         /* cancel: a pending job was cancelled; runner run: run cancelled */
#define SB_CANCELLED_RUNNING 15 /* cancel with the owner's lease: a running job was cancelled */
#define SB_RUNNING 16           /* cancel with pending_only: the running job was left alone */
#define SB_CANCEL_REQUESTED 17  /* cancel of a job another process runs: flag set */
#define SB_UNSUPPORTED 18       /* the component does not implement this request */
#define SB_ERROR 19             /* any other failure; the error struct says what and how to fix */

/* A stable lowercase name for a status ("ok", "not_found", ...); "unknown" for other values. */
static inline const char* sb_status_name(sb_status s) {
  /* Four status codes a row, in code order. */
  /* clang-format off */
  static const char* const names[] = {
      "ok",                "none",              "not_found",         "invalid_id",
      "invalid_argument",  "conflict",          "busy",              "corrupt",
      "duplicate",         "io_error",          "not_pending",       "not_claimable",
      "deadline_passed",   "already_terminal",  "cancelled",         "cancelled_running",
      "running",           "cancel_requested",  "unsupported",       "error"};
  /* clang-format on */
  return (s >= 0 && s <= SB_ERROR) ? names[s] : "unknown";
}

/* ---- Errors -------------------------------------------------------------------------------- */

#define SB_ERROR_FIELD_MAX 128
#define SB_ERROR_MESSAGE_MAX 2048

/* Caller-owned error. The caller zeroes it and sets struct_size; a callee that fails writes a
 * NUL-terminated message (naming the thing that is wrong and the fix) and, where one input field
 * is at fault, its name (e.g. "required_capabilities"). Callees write with sb_error_set, which
 * truncates safely. A callee never keeps the pointer after the call returns. */
typedef struct sb_error {
  uint32_t struct_size;
  char field[SB_ERROR_FIELD_MAX];
  char message[SB_ERROR_MESSAGE_MAX];
} sb_error;

static inline void sb__copy_truncated(char* dst, size_t cap, const char* src) {
  size_t i = 0;
  if (cap == 0) return;
  if (src != NULL) {
    for (; i + 1 < cap && src[i] != '\0'; ++i) dst[i] = src[i];
    /* never leave a cut UTF-8 sequence at the end; a complete last character is kept */
    if (src[i] != '\0' && i > 0) {
      size_t start = i;
      size_t need = 1;
      unsigned char lead;
      while (start > 0 && (((unsigned char)dst[start - 1]) & 0xC0) == 0x80) --start;
      if (start > 0) {
        --start;
        lead = (unsigned char)dst[start];
        need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (start + need > i) i = start;
      }
    }
  }
  dst[i] = '\0';
}

/* Fills `err` (which may be NULL) with `field` (may be NULL or "") and `message`. */
static inline void sb_error_set(sb_error* err, const char* field, const char* message) {
  /* the 1.0 layout: fields appended later are written only after checking struct_size */
  if (err == NULL || err->struct_size < offsetof(sb_error, message) + SB_ERROR_MESSAGE_MAX) return;
  sb__copy_truncated(err->field, sizeof err->field, field);
  sb__copy_truncated(err->message, sizeof err->message, message);
}

/* Initializes a caller-owned error before a call. */
static inline void sb_error_init(sb_error* err) {
  size_t i;
  unsigned char* p = (unsigned char*)err;
  for (i = 0; i < sizeof(sb_error); ++i) p[i] = 0;
  err->struct_size = (uint32_t)sizeof(sb_error);
}

/* ---- Output sink --------------------------------------------------------------------------- */

/* Where a callee writes variable-size output (always UTF-8 JSON unless a slot says otherwise).
 * `write` appends; a callee may call it several times during one call, never after the call has
 * returned. The caller owns the sink and whatever it accumulates. [calling thread only] */
typedef struct sb_sink {
  uint32_t struct_size;
  void* ctx;
  void (*write)(void* ctx, const char* data, size_t len);
} sb_sink;

/* ---- Host services ------------------------------------------------------------------------- */

#define SB_LOG_TRACE 0
#define SB_LOG_DEBUG 1
#define SB_LOG_INFO 2
#define SB_LOG_WARN 3
#define SB_LOG_ERROR 4

/* Services the host hands to a plugin at init and to every create. The table and `ctx` stay valid
 * until the process exits (plugins are never unloaded), so a plugin may keep the pointer. Plugins
 * never link against host symbols: this table is the only way back into the host.
 * Every slot is [required] and [any thread]. */
typedef struct sb_host_api {
  uint32_t struct_size;
  uint32_t abi_major; /* the host's ABI version */
  uint32_t abi_minor;
  void* ctx;
  /* Writes one log line at `level` (SB_LOG_*) to the host's log (stderr, never stdout).
   * `component` is the plugin's name; `message` need not be NUL-terminated. */
  void (*log)(void* ctx, int32_t level, const char* component, const char* message, size_t len);
  /* Wall-clock time as Unix seconds with a fractional part. Tests replace it with a fake clock, so
   * every time a plugin compares or stores goes through here. */
  double (*now)(void* ctx);
  /* A monotonic clock in nanoseconds, for measuring intervals. */
  int64_t (*monotonic_ns)(void* ctx);
} sb_host_api;

/* ---- Component creation -------------------------------------------------------------------- */

/* What `create` of every component kind receives. All pointers are borrowed for the call. */
typedef struct sb_create_args {
  uint32_t struct_size;
  /* The component's `[plugin.config]` table from plugins.toml as a JSON object ("{}" when none).
   * A component rejects keys it does not know with SB_INVALID_ARGUMENT naming the key. */
  const char* config_json;
  size_t config_len;
  /* The host's state directory (absolute, NUL-terminated); relative paths in a store's config
   * resolve against it. */
  const char* state_dir;
  /* 1: production durability (fsync where the store needs it). 0: only the store conformance
   * suite sets it, for bulk cases; crash tests always use 1. */
  int32_t durable;
  const sb_host_api* host;
} sb_create_args;

/* ---- Components and the entry -------------------------------------------------------------- */

typedef uint32_t sb_kind;
#define SB_KIND_RUNNER 1
#define SB_KIND_ROUTER 2
#define SB_KIND_STORE 3
#define SB_KIND_TRANSPORT 4 /* reserved in ABI 1.0: no table is defined yet */

/* One component a library provides. In ABI 1 a library provides exactly one component, whose id
 * equals the plugin's name. `table` points to the kind's table (sb_runner_v1, sb_router_v1,
 * sb_store_v1), which begins with `struct_size`. */
typedef struct sb_component {
  uint32_t struct_size;
  sb_kind kind;
  const char* id;
  const void* table;
} sb_component;

/* The exported entry (`const sb_plugin_entry sb_plugin_entry_v1`). The host reads it before calling
 * any plugin function. The first three fields keep their offsets in every future ABI. Strings are
 * NUL-terminated UTF-8 with static storage duration. */
typedef struct sb_plugin_entry {
  uint32_t struct_size;
  uint32_t abi_major;      /* SB_ABI_MAJOR the plugin was built with */
  uint32_t abi_minor;      /* SB_ABI_MINOR the plugin was built with */
  const char* name;        /* [required] plugin name: ^[a-z0-9][a-z0-9-]*$, at most 64 bytes */
  const char* version;     /* [required] the plugin's own version, e.g. "0.1.0" */
  const char* license;     /* [required] SPDX identifier, e.g. "Apache-2.0" */
  const char* description; /* [optional] one sentence */
  /* [optional] [host thread] Called once, after negotiation and before any create. `host` stays
   * valid for the life of the process. On failure returns non-SB_OK and fills `err`; the host
   * then refuses the plugin and calls nothing else of it. */
  sb_status (*init)(const sb_host_api* host, sb_error* err);
  /* [optional] [host thread] Called once at orderly exit, after every component was destroyed. */
  void (*deinit)(void);
  uint32_t component_count;       /* exactly 1 in ABI 1 */
  const sb_component* components; /* [required] component_count entries */
} sb_plugin_entry;

/* Defines the entry symbol; follow it with the initializer:
 *   SB_DEFINE_PLUGIN_ENTRY = { sizeof(sb_plugin_entry), SB_ABI_MAJOR, SB_ABI_MINOR, ... };
 */
#ifdef __cplusplus
#define SB_DEFINE_PLUGIN_ENTRY                                          \
  extern "C" SB_PLUGIN_EXPORT const sb_plugin_entry sb_plugin_entry_v1; \
  extern "C" SB_PLUGIN_EXPORT const sb_plugin_entry sb_plugin_entry_v1
#else
#define SB_DEFINE_PLUGIN_ENTRY SB_PLUGIN_EXPORT const sb_plugin_entry sb_plugin_entry_v1
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHBOARD_ABI_H */
