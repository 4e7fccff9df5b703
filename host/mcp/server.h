// server.h — one MCP session over a pair of descriptors (MCP.md): lifecycle and version
// negotiation, the method table, tools/list and tools/call, progress and log notifications,
// cancellation, concurrency limits and the start of shutdown.
//
// Purpose: Run() reads lines on the calling thread and answers cheap requests (initialize, ping,
// tools/list, logging/setLevel, unknown methods, envelope errors) there at once; each tools/call
// runs on a pool thread that grows to cover every in-flight call, so a waiting tool never delays
// another request. Every outgoing message goes through one MessageWriter. After Run() returns, the
// owner calls BeginShutdown() (nothing more is written for requests still in flight; their calls
// see cancelled()) and FlushOutput().
//
// Ownership: the server does not own the descriptors, and `tools` must outlive it.
// Threads: Run() on one thread; Stop() from any thread (including signal-driven code paths);
// everything else is internal.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "mcp/message_writer.h"
#include "mcp/request_pool.h"
#include "mcp/tool_registry.h"

namespace sb::mcp {

// The versions this server speaks, newest first (MCP.md §3.3).
extern const std::vector<std::string> kSupportedVersions;

struct ServerOptions {
  std::string server_version;                    // serverInfo.version
  size_t max_message_bytes = size_t{16} << 20;   // [host] mcp_max_message_bytes
  size_t max_inflight = 256;                     // [host] mcp_max_inflight
  size_t max_outgoing_bytes = size_t{8} << 20;   // MCP.md §6.4
  size_t max_pending_output = size_t{64} << 20;  // MCP.md §1
};

class InFlightCall;

class Server {
 public:
  Server(ServerOptions options, const ToolRegistry& tools, int in_fd, int out_fd);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  enum class StopReason { kEof, kSignal, kOutputClosed, kStopped };

  // Serves until stdin EOF, a readable `signal_fd` (a non-blocking signalfd, when >= 0), a broken
  // output, or Stop().
  StopReason Run(int signal_fd = -1);

  // Makes Run() return (kStopped). Safe from any thread.
  void Stop();

  // Closing: drops every response and notification of requests still in flight and cancels them.
  void BeginShutdown();

  // Waits until queued output is written (or `timeout` passes).
  bool FlushOutput(std::chrono::milliseconds timeout);

 private:
  friend class InFlightCall;

  void HandleLine(const std::string& line);
  void HandleRequest(const Json& message, const std::string& method, const Json& id);
  void HandleNotification(const Json& message, const std::string& method);
  void HandleInitialize(const Json& id, const Json& params);
  void HandleToolsList(const Json& id, const Json& params);
  void HandleSetLevel(const Json& id, const Json& params);
  void HandleToolsCall(const Json& id, const Json& params);
  void RunToolCall(const std::shared_ptr<InFlightCall>& call);

  void SendResult(const Json& id, const Json& result);
  void SendError(const Json& id, int code, std::string_view message,
                 const std::optional<Json>& data = std::nullopt);
  // Sends a notification unless the server is closing. Returns false when not sent.
  bool SendNotification(std::string_view method, const Json& params);
  // Writes the response of a finished call unless it was cancelled; removes it from in-flight.
  void FinishCall(const std::shared_ptr<InFlightCall>& call, const std::string& line);

  // Progress lines waiting for their rate window; flushed by the ticker thread.
  void SchedulePendingFlush(const std::shared_ptr<InFlightCall>& call);
  void TickerLoop();

  ServerOptions options_;
  const ToolRegistry& tools_;
  int in_fd_;
  MessageWriter writer_;
  RequestPool pool_;
  int wake_pipe_[2] = {-1, -1};

  std::atomic<bool> initialized_{false};
  std::atomic<bool> closing_{false};
  std::atomic<bool> output_broken_{false};
  std::atomic<int> log_level_{1};  // LogLevel::kInfo
  std::string protocol_version_ = "2025-11-25";

  std::mutex inflight_mutex_;
  std::map<std::string, std::shared_ptr<InFlightCall>> inflight_;

  std::mutex ticker_mutex_;
  std::condition_variable ticker_wake_;
  std::vector<std::weak_ptr<InFlightCall>> pending_flush_;
  bool ticker_stop_ = false;
  std::thread ticker_;
};

}  // namespace sb::mcp
