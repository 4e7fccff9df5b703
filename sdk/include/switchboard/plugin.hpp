// switchboard/plugin.hpp — the header-only C++ side of a Switchboard plugin.
//
// Purpose: a plugin author writes an ordinary C++ class (a Runner, Router or Store) and one export
// macro; this header generates the C tables of ABI 1 around it. Exceptions never cross the
// boundary: an sb::Error becomes its status, field and message; any other exception becomes
// SB_ERROR with its what() text.
//
// Ownership: strings handed to the class are views that are valid only during the call. Results
// are returned by value and copied into the host's sink by the adapter. The adapter owns the
// instance: the host's `create` constructs it, `destroy` deletes it.
//
// Threads: the thread tags of runner.h, router.h and store.h apply unchanged to the class's
// member functions (for example Runner::Run is [any thread], so several runs execute at once).
//
// Requirements: C++17 and the standard library only (builds with g++ 12 / libstdc++ and with
// clang 14 / libc++). The library needs no Boost and no JSON library; pick any you like.
//
// Minimal use:
//   class EchoRunner : public sb::Runner { ... };
//   SB_RUNNER_PLUGIN(EchoRunner, "echo-runner", "1.0.0", "Apache-2.0", "Echoes its task.")
#ifndef SWITCHBOARD_PLUGIN_HPP
#define SWITCHBOARD_PLUGIN_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "switchboard/abi.h"
#include "switchboard/router.h"
#include "switchboard/runner.h"
#include "switchboard/store.h"

namespace sb {

// A refusal with a status, the input field at fault (may be empty) and a message that names the
// problem and the fix. Throw it from any member function of a plugin class.
class Error : public std::runtime_error {
 public:
  Error(sb_status status, std::string field, const std::string& message)
      : std::runtime_error(message), status_(status), field_(std::move(field)) {}
  explicit Error(const std::string& message) : Error(SB_ERROR, "", message) {}
  sb_status status() const { return status_; }
  const std::string& field() const { return field_; }

 private:
  sb_status status_;
  std::string field_;
};

// The host services table, wrapped. Valid for the life of the process; safe from any thread.
class Host {
 public:
  explicit Host(const sb_host_api* api = nullptr) : api_(api) {}
  void Log(int32_t level, std::string_view component, std::string_view message) const {
    if (api_ != nullptr && api_->log != nullptr) {
      std::string c(component);
      api_->log(api_->ctx, level, c.c_str(), message.data(), message.size());
    }
  }
  // Unix seconds from the host clock (a fake clock in tests). Falls back to 0 without a host.
  double Now() const {
    return api_ != nullptr && api_->now != nullptr ? api_->now(api_->ctx) : 0.0;
  }
  int64_t MonotonicNs() const {
    return api_ != nullptr && api_->monotonic_ns != nullptr ? api_->monotonic_ns(api_->ctx) : 0;
  }
  const sb_host_api* api() const { return api_; }

 private:
  const sb_host_api* api_;
};

// What every component's constructor receives.
struct CreateArgs {
  std::string_view config_json;  // the [plugin.config] table as a JSON object
  std::string state_dir;
  bool durable = true;
  Host host;
};

// ---- Runner --------------------------------------------------------------------------------

// One run's view of the host: progress, the started(pid) callback, and cancellation.
// [any thread]
class RunControl {
 public:
  explicit RunControl(const sb_run_callbacks* callbacks) : callbacks_(callbacks) {}
  RunControl(const RunControl&) = delete;
  RunControl& operator=(const RunControl&) = delete;

  void Progress(std::string_view line) const {
    if (callbacks_ != nullptr && callbacks_->progress != nullptr)
      callbacks_->progress(callbacks_->ctx, line.data(), line.size());
  }
  void Started(int64_t pid) const {
    if (callbacks_ != nullptr && callbacks_->started != nullptr)
      callbacks_->started(callbacks_->ctx, pid);
  }
  bool StopRequested() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stop_;
  }
  // Runs `fn` once when a stop is requested (at once, on this thread, if it already was). `fn`
  // runs on the thread that calls cancel and must not block.
  void OnStop(std::function<void()> fn) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (stop_) {
      lock.unlock();
      fn();
      return;
    }
    on_stop_.push_back(std::move(fn));
  }
  // Waits until a stop is requested or `timeout_ms` passes; true when stopped.
  bool WaitForStop(int64_t timeout_ms) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return stop_; });
  }
  void RequestStop() {
    std::vector<std::function<void()>> fns;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stop_) return;
      stop_ = true;
      fns.swap(on_stop_);
    }
    cv_.notify_all();
    for (auto& fn : fns) fn();
  }

 private:
  const sb_run_callbacks* callbacks_;
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  bool stop_ = false;
  std::vector<std::function<void()>> on_stop_;
};

class Runner {
 public:
  virtual ~Runner() = default;
  // Runs one job; returns the result object as JSON, or std::nullopt when the run was cancelled.
  // Throw sb::Error when the run cannot happen at all (e.g. a malformed request).
  virtual std::optional<std::string> Run(std::string_view request, RunControl& control) = 0;
  // Validates an agent profile; returns it with this runner's defaults applied. Throw
  // sb::Error(SB_INVALID_ARGUMENT, "<key path>", "<problem and fix>") to refuse it.
  virtual std::string CheckAgent(std::string_view profile) { return std::string(profile); }
  // Readiness report (JSON object).
  virtual std::string Probe() { return "{\"ready\":true}"; }
};

// ---- Router --------------------------------------------------------------------------------

class Router {
 public:
  virtual ~Router() = default;
  virtual std::string Normalize(std::string_view request, std::string_view context) = 0;
  virtual std::string NormalizeIdentity(std::string_view identity) = 0;
  // "targeted_first" or "strict_priority"
  virtual std::string Policy() = 0;
};

// ---- Store ---------------------------------------------------------------------------------

// The outcome of one store operation: a status, the output document (may be empty for "{}"), and
// for refusals the field and message.
struct StoreReply {
  sb_status status = SB_OK;
  std::string output;
  std::string field;
  std::string message;
};

// Every operation of JOBS.md §5.2 as a virtual member; the default answers SB_UNSUPPORTED.
class Store {
 public:
  virtual ~Store() = default;
#define SB_DECLARE_STORE_OP_(name)                                                          \
  virtual StoreReply name(std::string_view in) {                                            \
    (void)in;                                                                               \
    return StoreReply{SB_UNSUPPORTED, "", "", "this store does not implement '" #name "'"}; \
  }
  SB_STORE_V1_OPERATIONS(SB_DECLARE_STORE_OP_)
#undef SB_DECLARE_STORE_OP_
};

// ---- Adapters (implementation detail) ------------------------------------------------------

namespace detail {

inline void WriteSink(const sb_sink* sink, const std::string& text) {
  if (sink != nullptr && sink->write != nullptr && !text.empty())
    sink->write(sink->ctx, text.data(), text.size());
}

// Runs `fn`, turning every exception into a status and a filled error.
template <class Fn>
sb_status Guard(sb_error* err, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const Error& e) {
    sb_error_set(err, e.field().c_str(), e.what());
    return e.status();
  } catch (const std::exception& e) {
    sb_error_set(err, "", e.what());
    return SB_ERROR;
  } catch (...) {
    sb_error_set(err, "", "the plugin threw an unknown exception");
    return SB_ERROR;
  }
}

inline CreateArgs ToCreateArgs(const sb_create_args* args) {
  CreateArgs out;
  if (args != nullptr) {
    if (args->config_json != nullptr)
      out.config_json = std::string_view(args->config_json, args->config_len);
    if (args->state_dir != nullptr) out.state_dir = args->state_dir;
    out.durable = args->durable != 0;
    out.host = Host(args->host);
  }
  if (out.config_json.empty()) out.config_json = "{}";
  return out;
}

template <class T>
sb_status Create(const sb_create_args* args, void** self, sb_error* err) noexcept {
  return Guard(err, [&] {
    *self = new T(ToCreateArgs(args));
    return SB_OK;
  });
}

template <class T>
void Destroy(void* self) noexcept {
  delete static_cast<T*>(self);
}

// Per-instance bookkeeping of run handles so that a cancel may arrive before `run` is entered.
// A cancel for an id with no live run is remembered (the most recent 4096 such ids) and consumed
// when that run starts; the host never reuses ids, so a remembered id of a finished run is inert.
template <class T>
class RunnerInstance {
 public:
  explicit RunnerInstance(const CreateArgs& args) : impl(args) {}
  T impl;
  std::mutex mutex;
  std::map<uint64_t, RunControl*> live;
  std::set<uint64_t> early;
  std::deque<uint64_t> early_order;
};

template <class T>
struct RunnerAdapter {
  using Instance = RunnerInstance<T>;
  static constexpr sb_kind kKind = SB_KIND_RUNNER;

  static sb_status Run(void* self, uint64_t run_id, const char* request, size_t len,
                       const sb_run_callbacks* callbacks, const sb_sink* result,
                       sb_error* err) noexcept {
    auto* inst = static_cast<Instance*>(self);
    return Guard(err, [&]() -> sb_status {
      RunControl control(callbacks);
      {
        std::lock_guard<std::mutex> lock(inst->mutex);
        if (inst->early.erase(run_id) > 0) return SB_CANCELLED;
        inst->live[run_id] = &control;
      }
      struct Unregister {
        Instance* inst;
        uint64_t id;
        ~Unregister() {
          std::lock_guard<std::mutex> lock(inst->mutex);
          inst->live.erase(id);
        }
      } unregister{inst, run_id};
      std::optional<std::string> out = inst->impl.Run(std::string_view(request, len), control);
      if (!out) return SB_CANCELLED;
      WriteSink(result, *out);
      return SB_OK;
    });
  }

  static sb_status Cancel(void* self, uint64_t run_id) noexcept {
    auto* inst = static_cast<Instance*>(self);
    try {
      std::unique_lock<std::mutex> lock(inst->mutex);
      auto it = inst->live.find(run_id);
      if (it != inst->live.end()) {
        RunControl* control = it->second;
        // RequestStop runs callbacks outside the control's own lock; the instance lock keeps
        // `control` alive (Run unregisters under it before the control is destroyed).
        control->RequestStop();
        return SB_OK;
      }
      if (inst->early.insert(run_id).second) {
        inst->early_order.push_back(run_id);
        if (inst->early_order.size() > 4096) {
          inst->early.erase(inst->early_order.front());
          inst->early_order.pop_front();
        }
      }
      return SB_OK;
    } catch (...) {
      return SB_ERROR;
    }
  }

  static sb_status CheckAgent(void* self, const char* profile, size_t len, const sb_sink* out,
                              sb_error* err) noexcept {
    return Guard(err, [&] {
      WriteSink(out, static_cast<Instance*>(self)->impl.CheckAgent(std::string_view(profile, len)));
      return SB_OK;
    });
  }

  static sb_status Probe(void* self, const sb_sink* out, sb_error* err) noexcept {
    return Guard(err, [&] {
      WriteSink(out, static_cast<Instance*>(self)->impl.Probe());
      return SB_OK;
    });
  }

  static constexpr sb_runner_v1 kTable = {
      sizeof(sb_runner_v1),
      &Create<Instance>,
      &Destroy<Instance>,
      &Run,
      &Cancel,
      &CheckAgent,
      &Probe,
  };
};

template <class T>
struct RouterAdapter {
  static constexpr sb_kind kKind = SB_KIND_ROUTER;

  static sb_status Normalize(void* self, const char* request, size_t request_len,
                             const char* context, size_t context_len, const sb_sink* out,
                             sb_error* err) noexcept {
    return Guard(err, [&] {
      WriteSink(out, static_cast<T*>(self)->Normalize(std::string_view(request, request_len),
                                                      std::string_view(context, context_len)));
      return SB_OK;
    });
  }
  static sb_status NormalizeIdentity(void* self, const char* identity, size_t len,
                                     const sb_sink* out, sb_error* err) noexcept {
    return Guard(err, [&] {
      WriteSink(out, static_cast<T*>(self)->NormalizeIdentity(std::string_view(identity, len)));
      return SB_OK;
    });
  }
  static sb_status Policy(void* self, const sb_sink* out, sb_error* err) noexcept {
    return Guard(err, [&] {
      WriteSink(out, "\"" + static_cast<T*>(self)->Policy() + "\"");
      return SB_OK;
    });
  }

  static constexpr sb_router_v1 kTable = {
      sizeof(sb_router_v1), &Create<T>, &Destroy<T>, &Normalize, &NormalizeIdentity, &Policy,
  };
};

template <class T>
struct StoreAdapter {
  static constexpr sb_kind kKind = SB_KIND_STORE;

#define SB_STORE_ADAPTER_OP_(name)                                                              \
  static sb_status op_##name(void* self, const char* in, size_t len, const sb_sink* out,        \
                             sb_error* err) noexcept {                                          \
    return Guard(err, [&] {                                                                     \
      StoreReply reply = static_cast<T*>(self)->name(std::string_view(in, len));                \
      WriteSink(out, reply.output);                                                             \
      if (reply.status != SB_OK) sb_error_set(err, reply.field.c_str(), reply.message.c_str()); \
      return reply.status;                                                                      \
    });                                                                                         \
  }
  SB_STORE_V1_OPERATIONS(SB_STORE_ADAPTER_OP_)
#undef SB_STORE_ADAPTER_OP_

#define SB_STORE_ADAPTER_SLOT_(name) &op_##name,
  static constexpr sb_store_v1 kTable = {sizeof(sb_store_v1), &Create<T>, &Destroy<T>,
                                         SB_STORE_V1_OPERATIONS(SB_STORE_ADAPTER_SLOT_)};
#undef SB_STORE_ADAPTER_SLOT_
};

}  // namespace detail
}  // namespace sb

// Defines the plugin's entry symbol for one component. ADAPTER is RunnerAdapter, RouterAdapter or
// StoreAdapter; CLASS is the author's class, constructible from `const sb::CreateArgs&`.
#define SB_PLUGIN_WITH_ADAPTER_(ADAPTER, CLASS, NAME, VERSION, LICENSE, DESCRIPTION)        \
  namespace {                                                                               \
  constexpr sb_component sb_plugin_component_ = {sizeof(sb_component),                      \
                                                 ::sb::detail::ADAPTER<CLASS>::kKind, NAME, \
                                                 &::sb::detail::ADAPTER<CLASS>::kTable};    \
  }                                                                                         \
  SB_DEFINE_PLUGIN_ENTRY = {sizeof(sb_plugin_entry),                                        \
                            SB_ABI_MAJOR,                                                   \
                            SB_ABI_MINOR,                                                   \
                            NAME,                                                           \
                            VERSION,                                                        \
                            LICENSE,                                                        \
                            DESCRIPTION,                                                    \
                            nullptr,                                                        \
                            nullptr,                                                        \
                            1,                                                              \
                            &sb_plugin_component_};

#define SB_RUNNER_PLUGIN(CLASS, NAME, VERSION, LICENSE, DESCRIPTION) \
  SB_PLUGIN_WITH_ADAPTER_(RunnerAdapter, CLASS, NAME, VERSION, LICENSE, DESCRIPTION)
#define SB_ROUTER_PLUGIN(CLASS, NAME, VERSION, LICENSE, DESCRIPTION) \
  SB_PLUGIN_WITH_ADAPTER_(RouterAdapter, CLASS, NAME, VERSION, LICENSE, DESCRIPTION)
#define SB_STORE_PLUGIN(CLASS, NAME, VERSION, LICENSE, DESCRIPTION) \
  SB_PLUGIN_WITH_ADAPTER_(StoreAdapter, CLASS, NAME, VERSION, LICENSE, DESCRIPTION)

#endif  // SWITCHBOARD_PLUGIN_HPP
