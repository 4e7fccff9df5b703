#include "mcp/server.h"

#include <fcntl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>

#include "mcp/argument_validation.h"
#include "mcp/instructions.h"
#include "mcp/line_reader.h"
#include "testing/faults.h"
#include "text/utf8.h"

namespace sb::mcp {

const std::vector<std::string> kSupportedVersions = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                     "2024-11-05"};

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kProgressInterval = std::chrono::milliseconds(100);  // 10 per second
constexpr size_t kProgressChars = 300;
constexpr int kLogsPerSecond = 20;
constexpr size_t kCancelReasonChars = 200;

constexpr std::array<std::string_view, 8> kLevelNames = {
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};

bool AtLeast(const std::string& version, const std::string& minimum) { return version >= minimum; }

}  // namespace

// ---- One tools/call in flight ---------------------------------------------------------------

class InFlightCall : public ToolCall, public std::enable_shared_from_this<InFlightCall> {
 public:
  InFlightCall(Server* server, Json id, std::string key, std::string tool, Json arguments,
               std::optional<Json> progress_token, std::string version)
      : server_(server),
        id_(std::move(id)),
        key_(std::move(key)),
        tool_(std::move(tool)),
        arguments_(std::move(arguments)),
        progress_token_(std::move(progress_token)),
        version_(std::move(version)) {}

  const Json& id() const { return id_; }
  const std::string& key() const { return key_; }

  const Json& arguments() const override { return arguments_; }
  const std::string& tool_name() const override { return tool_; }
  const std::string& protocol_version() const override { return version_; }

  bool cancelled() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return cancelled_;
  }

  std::string cancel_reason() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return reason_;
  }

  void OnCancel(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (cancelled_) {
      lock.unlock();
      fn();
      return;
    }
    on_cancel_.push_back(std::move(fn));
  }

  // Marks the call cancelled and runs the callbacks. Returns false when it had already finished.
  bool Cancel(std::string reason) {
    std::vector<std::function<void()>> fns;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (finished_ || cancelled_) return false;
      cancelled_ = true;
      reason_ = Abbreviate(reason, kCancelReasonChars);
      fns.swap(on_cancel_);
      pending_.reset();
    }
    for (auto& fn : fns) fn();
    return true;
  }

  // Marks the call finished; returns false when the response must not be written (cancelled).
  bool Finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    FlushPendingLocked(true);
    if (cancelled_ || finished_) return false;
    finished_ = true;
    return true;
  }

  void Progress(std::string_view raw) override {
    std::string line = Abbreviate(raw, kProgressChars);
    Log(LogLevel::kInfo, line);
    if (!progress_token_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_ || cancelled_) return;
    auto now = Clock::now();
    if (!last_progress_ || now - *last_progress_ >= kProgressInterval) {
      if (pending_) ++skipped_;  // the pending line is superseded by this newer one
      pending_.reset();
      SendProgressLocked(line, now);
      return;
    }
    if (pending_) ++skipped_;
    pending_ = line;
    due_ = *last_progress_ + kProgressInterval;
    if (!scheduled_) {
      scheduled_ = true;
      server_->SchedulePendingFlush(shared_from_this());
    }
  }

  // Called by the ticker: sends the pending line when its window has opened. Returns true while
  // a line is still waiting.
  bool FlushPendingIfDue() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!pending_ || finished_ || cancelled_) {
      scheduled_ = false;
      return false;
    }
    if (Clock::now() < due_) return true;
    FlushPendingLocked(false);
    scheduled_ = false;
    return false;
  }

  void Log(LogLevel level, std::string_view text) override {
    if (static_cast<int>(level) < server_->log_level_.load()) return;
    if (!server_->initialized_.load()) return;
    std::string data;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (finished_ || cancelled_) return;
      auto now = Clock::now();
      if (now - log_window_start_ >= std::chrono::seconds(1)) {
        log_window_start_ = now;
        logs_in_window_ = 0;
      }
      if (logs_in_window_ >= kLogsPerSecond) {
        ++logs_dropped_;
        return;
      }
      ++logs_in_window_;
      data = std::string(text);
      if (logs_dropped_ > 0) {
        data += fmt::format(" ({} earlier messages dropped)", logs_dropped_);
        logs_dropped_ = 0;
      }
    }
    Json params = Json::object();
    params["level"] = std::string(kLevelNames[static_cast<size_t>(level)]);
    params["logger"] = "switchboard";
    params["data"] = std::move(data);
    server_->SendNotification("notifications/message", params);
  }

 private:
  void FlushPendingLocked(bool finishing) {
    if (!pending_ || cancelled_ || finished_) return;
    std::string line = *pending_;
    pending_.reset();
    (void)finishing;
    SendProgressLocked(line, Clock::now());
  }

  void SendProgressLocked(const std::string& line, Clock::time_point now) {
    std::string message = line;
    if (skipped_ > 0) {
      std::string suffix = fmt::format(" (+{} more)", skipped_);
      message = Abbreviate(line, kProgressChars - suffix.size()) + suffix;
      skipped_ = 0;
    }
    Json params = Json::object();
    params["progressToken"] = *progress_token_;
    params["progress"] = ++progress_;
    if (AtLeast(version_, "2025-03-26")) params["message"] = std::move(message);
    server_->SendNotification("notifications/progress", params);
    last_progress_ = now;
  }

  Server* server_;
  Json id_;
  std::string key_;
  std::string tool_;
  Json arguments_;
  std::optional<Json> progress_token_;
  std::string version_;

  mutable std::mutex mutex_;
  bool cancelled_ = false;
  bool finished_ = false;
  std::string reason_;
  std::vector<std::function<void()>> on_cancel_;

  int64_t progress_ = 0;
  std::optional<Clock::time_point> last_progress_;
  std::optional<std::string> pending_;
  Clock::time_point due_{};
  size_t skipped_ = 0;
  bool scheduled_ = false;

  Clock::time_point log_window_start_{};
  int logs_in_window_ = 0;
  size_t logs_dropped_ = 0;
};

// ---- ToolOutcome ------------------------------------------------------------------------------

ToolOutcome ToolOutcome::Error(const Failure& failure) {
  return Error(failure.code, failure.message, failure.hint, failure.field);
}

ToolOutcome ToolOutcome::Error(std::string code, std::string message, std::string hint,
                               std::string field) {
  Json envelope = Json::object();
  envelope["error"] = std::move(message);
  envelope["code"] = std::move(code);
  if (!field.empty()) envelope["field"] = std::move(field);
  if (!hint.empty()) envelope["hint"] = std::move(hint);
  return ToolOutcome(std::move(envelope), true);
}

// ---- Server -----------------------------------------------------------------------------------

Server::Server(ServerOptions options, const ToolRegistry& tools, int in_fd, int out_fd)
    : options_(std::move(options)),
      tools_(tools),
      in_fd_(in_fd),
      writer_(out_fd, options_.max_pending_output),
      pool_(options_.max_inflight) {
  if (pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    wake_pipe_[0] = wake_pipe_[1] = -1;
  }
  writer_.Start([this] {
    output_broken_.store(true);
    Stop();
  });
  ticker_ = std::thread([this] { TickerLoop(); });
}

Server::~Server() {
  BeginShutdown();
  {
    std::lock_guard<std::mutex> lock(ticker_mutex_);
    ticker_stop_ = true;
  }
  ticker_wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  // Handlers (cancelled above) and the writer may still use the wake pipe: stop them first.
  pool_.Shutdown();
  writer_.Shutdown();
  if (wake_pipe_[0] >= 0) close(wake_pipe_[0]);
  if (wake_pipe_[1] >= 0) close(wake_pipe_[1]);
}

void Server::Stop() {
  if (wake_pipe_[1] >= 0) {
    char byte = 1;
    ssize_t n = write(wake_pipe_[1], &byte, 1);
    (void)n;
  }
}

Server::StopReason Server::Run(int signal_fd) {
  LineReader reader(in_fd_, options_.max_message_bytes);
  std::vector<int> wake_fds;
  if (wake_pipe_[0] >= 0) wake_fds.push_back(wake_pipe_[0]);
  if (signal_fd >= 0) wake_fds.push_back(signal_fd);
  std::string line;
  for (;;) {
    switch (reader.Next(line, wake_fds)) {
      case LineReader::Event::kLine:
        HandleLine(line);
        break;
      case LineReader::Event::kOversize: {
        Json data = Json::object();
        data["limit"] = options_.max_message_bytes;
        SendError(nullptr, kInvalidRequest,
                  fmt::format("Invalid Request: the message is longer than the limit of {} bytes "
                              "(mcp_max_message_bytes)",
                              options_.max_message_bytes),
                  data);
        break;
      }
      case LineReader::Event::kEof:
        return StopReason::kEof;
      case LineReader::Event::kWake:
        if (signal_fd >= 0) {
          signalfd_siginfo info;
          if (read(signal_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
            spdlog::info("received signal {}; shutting down", info.ssi_signo);
            return StopReason::kSignal;
          }
        }
        return output_broken_.load() ? StopReason::kOutputClosed : StopReason::kStopped;
    }
  }
}

void Server::BeginShutdown() {
  closing_.store(true);
  std::vector<std::shared_ptr<InFlightCall>> calls;
  {
    std::lock_guard<std::mutex> lock(inflight_mutex_);
    for (auto& [key, call] : inflight_) calls.push_back(call);
  }
  for (auto& call : calls) call->Cancel("the server is shutting down");
}

bool Server::FlushOutput(std::chrono::milliseconds timeout) { return writer_.Flush(timeout); }

void Server::SendResult(const Json& id, const Json& result) {
  writer_.Send(ResultLine(id, result), MessageWriter::Kind::kResponse);
}

void Server::SendError(const Json& id, int code, std::string_view message,
                       const std::optional<Json>& data) {
  writer_.Send(ErrorLine(id, code, message, data), MessageWriter::Kind::kResponse);
}

bool Server::SendNotification(std::string_view method, const Json& params) {
  if (closing_.load()) return false;
  return writer_.Send(NotificationLine(method, params), MessageWriter::Kind::kNotification);
}

void Server::HandleLine(const std::string& line) {
  Incoming in = Classify(line);
  switch (in.kind) {
    case Incoming::Kind::kError:
      SendError(in.error_id, in.error_code, in.error_message);
      return;
    case Incoming::Kind::kResponse:
      spdlog::debug("ignoring a response message: this server sends no requests");
      return;
    case Incoming::Kind::kNotification:
      HandleNotification(in.message, in.method);
      return;
    case Incoming::Kind::kRequest:
      HandleRequest(in.message, in.method, in.id);
      return;
  }
}

void Server::HandleNotification(const Json& message, const std::string& method) {
  if (method == "notifications/cancelled") {
    auto params = message.find("params");
    if (params == message.end() || !params->is_object()) return;
    auto request_id = params->find("requestId");
    if (request_id == params->end() || !IsValidId(*request_id)) return;
    std::string reason;
    auto r = params->find("reason");
    if (r != params->end() && r->is_string()) reason = r->get<std::string>();
    std::shared_ptr<InFlightCall> call;
    {
      std::lock_guard<std::mutex> lock(inflight_mutex_);
      auto it = inflight_.find(IdKey(*request_id));
      if (it != inflight_.end()) call = it->second;
    }
    if (call && call->Cancel(reason)) {
      spdlog::debug("request {} cancelled by the client", Dump(*request_id));
    }
    return;
  }
  if (method == "notifications/initialized") {
    spdlog::debug("client sent notifications/initialized");
    return;
  }
  // Any other notification is ignored.
}

void Server::HandleRequest(const Json& message, const std::string& method, const Json& id) {
  static const std::vector<std::string> kKnown = {"initialize", "ping", "tools/list", "tools/call",
                                                  "logging/setLevel"};
  if (std::find(kKnown.begin(), kKnown.end(), method) == kKnown.end()) {
    SendError(id, kMethodNotFound, "Method not found: " + Echo(method));
    return;
  }
  {
    std::lock_guard<std::mutex> lock(inflight_mutex_);
    if (inflight_.count(IdKey(id)) > 0) {
      SendError(id, kInvalidRequest, "Invalid Request: a request with this id is still in flight");
      return;
    }
  }
  const bool ready = initialized_.load();
  if (!ready && method != "initialize" && method != "ping") {
    SendError(id, kInvalidRequest,
              "Invalid Request: the session must be initialized first (send initialize)");
    return;
  }
  static const Json kEmpty = Json::object();
  auto params_it = message.find("params");
  const bool has_params = params_it != message.end() && !params_it->is_null();
  if (has_params && !params_it->is_object()) {
    SendError(id, kInvalidParams, "Invalid params: params must be an object");
    return;
  }
  const Json& params = has_params ? *params_it : kEmpty;
  if (method == "initialize") {
    HandleInitialize(id, params);
  } else if (method == "ping") {
    SendResult(id, Json::object());
  } else if (method == "tools/list") {
    HandleToolsList(id, params);
  } else if (method == "logging/setLevel") {
    HandleSetLevel(id, params);
  } else {
    HandleToolsCall(id, params);
  }
}

void Server::HandleInitialize(const Json& id, const Json& params) {
  if (initialized_.load()) {
    SendError(id, kInvalidRequest, "Invalid Request: the session is already initialized");
    return;
  }
  auto version = params.find("protocolVersion");
  if (version == params.end() || !version->is_string()) {
    SendError(id, kInvalidParams, "Invalid params: initialize needs protocolVersion (a string)");
    return;
  }
  std::string requested = version->get<std::string>();
  std::string negotiated = kSupportedVersions.front();
  if (std::find(kSupportedVersions.begin(), kSupportedVersions.end(), requested) !=
      kSupportedVersions.end()) {
    negotiated = requested;
  }
  auto info = params.find("clientInfo");
  if (info != params.end() && info->is_object()) {
    spdlog::info("client {} {} connected (protocol {})", Echo(info->value("name", "?")),
                 Echo(info->value("version", "?")), negotiated);
  }
  protocol_version_ = negotiated;

  Json result = Json::object();
  result["protocolVersion"] = negotiated;
  Json capabilities = Json::object();
  capabilities["tools"] = Json::object();
  capabilities["logging"] = Json::object();
  result["capabilities"] = std::move(capabilities);
  Json server_info = Json::object();
  server_info["name"] = "switchboard";
  if (AtLeast(negotiated, "2025-06-18")) server_info["title"] = "Switchboard";
  server_info["version"] = options_.server_version;
  result["serverInfo"] = std::move(server_info);
  result["instructions"] = std::string(kInstructions);
  SendResult(id, result);
  initialized_.store(true);
}

void Server::HandleToolsList(const Json& id, const Json& params) {
  auto cursor = params.find("cursor");
  if (cursor != params.end() && !cursor->is_null()) {
    SendError(id, kInvalidParams, "Invalid params: this server never issues cursors; omit cursor");
    return;
  }
  const std::string& text = tools_.ListResultText(protocol_version_);
  std::string line = R"({"jsonrpc":"2.0","id":)" + Dump(id) + R"(,"result":)" + text + "}";
  writer_.Send(std::move(line), MessageWriter::Kind::kResponse);
}

void Server::HandleSetLevel(const Json& id, const Json& params) {
  auto level = params.find("level");
  if (level != params.end() && level->is_string()) {
    for (size_t i = 0; i < kLevelNames.size(); ++i) {
      if (level->get<std::string>() == kLevelNames[i]) {
        log_level_.store(static_cast<int>(i));
        SendResult(id, Json::object());
        return;
      }
    }
  }
  SendError(id, kInvalidParams,
            "Invalid params: level must be one of debug, info, notice, warning, error, critical, "
            "alert, emergency");
}

void Server::HandleToolsCall(const Json& id, const Json& params) {
  auto name_it = params.find("name");
  if (name_it == params.end() || !name_it->is_string()) {
    SendError(id, kInvalidParams, "Invalid params: tools/call needs a tool name (a string)");
    return;
  }
  const std::string name = name_it->get<std::string>();
  const ToolDefinition* tool = tools_.Find(name);
  if (tool == nullptr) {
    SendError(id, kInvalidParams,
              "Invalid params: unknown tool '" + Echo(name) + "'; tools/list names every tool");
    return;
  }
  Json arguments = Json::object();
  auto args_it = params.find("arguments");
  if (args_it != params.end() && !args_it->is_null()) {
    if (!args_it->is_object()) {
      SendError(id, kInvalidParams, "Invalid params: arguments must be an object");
      return;
    }
    arguments = *args_it;
  }
  std::optional<Json> token;
  auto meta = params.find("_meta");
  if (meta != params.end() && meta->is_object()) {
    auto t = meta->find("progressToken");
    if (t != meta->end() && (t->is_string() || (t->is_number_integer() && IsValidId(*t))))
      token = *t;
  }

  std::shared_ptr<InFlightCall> call;
  {
    std::lock_guard<std::mutex> lock(inflight_mutex_);
    if (inflight_.size() >= options_.max_inflight) {
      SendError(
          id, kServerBusy,
          fmt::format("Server busy: {} requests are in flight (mcp_max_inflight); retry later",
                      inflight_.size()));
      return;
    }
  }
  auto validated = ValidateArguments(tool->input_schema, arguments);
  if (!validated) {
    // Invalid arguments: an error result at once, without running the tool.
    ToolOutcome outcome = ToolOutcome::Error(validated.failure());
    Json result = Json::object();
    Json item = Json::object();
    item["type"] = "text";
    item["text"] = outcome.document().dump(2, ' ', false, Json::error_handler_t::replace);
    result["content"] = Json::array({std::move(item)});
    result["isError"] = true;
    SendResult(id, result);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(inflight_mutex_);
    std::string key = IdKey(id);
    call = std::make_shared<InFlightCall>(this, id, key, name, std::move(validated).value(), token,
                                          protocol_version_);
    inflight_[key] = call;
  }
  pool_.Submit([this, call] { RunToolCall(call); });
}

void Server::RunToolCall(const std::shared_ptr<InFlightCall>& call) {
  const ToolDefinition* tool = tools_.Find(call->tool_name());
  std::optional<ToolOutcome> outcome;
  try {
#ifdef SWITCHBOARD_TEST_HOOKS
    // TOOLS.md T-014: `tool_throw_<name>` in SWITCHBOARD_TEST_FAULTS makes that handler throw.
    if (FaultActive("tool_throw_" + call->tool_name())) throw std::runtime_error("injected fault");
#endif
    outcome = tool->handler(*call);
  } catch (const std::exception& e) {
    spdlog::error("tool {} failed: {}", call->tool_name(), e.what());
  } catch (...) {
    spdlog::error("tool {} failed with an unknown exception", call->tool_name());
  }
  if (!outcome) {
    outcome = ToolOutcome::Error(
        "internal_error",
        fmt::format("An internal error happened in the tool {}; the server log (stderr) "
                    "has the details.",
                    call->tool_name()),
        "retry the call; if it keeps failing, report the log lines");
  }

  Json result = Json::object();
  Json item = Json::object();
  item["type"] = "text";
  item["text"] = outcome->document().dump(2, ' ', false, Json::error_handler_t::replace);
  result["content"] = Json::array({std::move(item)});
  if (outcome->is_error()) {
    result["isError"] = true;
  } else if (AtLeast(call->protocol_version(), "2025-06-18")) {
    if (outcome->document().is_object()) {
      result["structuredContent"] = outcome->document();
    } else {
      Json wrapped = Json::object();
      wrapped["items"] = outcome->document();
      result["structuredContent"] = std::move(wrapped);
    }
  }
  std::string line = ResultLine(call->id(), result);
  if (line.size() > options_.max_outgoing_bytes) {
    ToolOutcome too_large = ToolOutcome::Error(
        "result_too_large",
        fmt::format("The result of {} is {} bytes, over the {}-byte limit of one message.",
                    call->tool_name(), line.size(), options_.max_outgoing_bytes),
        "fetch the data in parts, for example with fetch_result and max_chars");
    Json small = Json::object();
    Json text = Json::object();
    text["type"] = "text";
    text["text"] = too_large.document().dump(2, ' ', false, Json::error_handler_t::replace);
    small["content"] = Json::array({std::move(text)});
    small["isError"] = true;
    line = ResultLine(call->id(), small);
  }
  FinishCall(call, line);
}

void Server::FinishCall(const std::shared_ptr<InFlightCall>& call, const std::string& line) {
  // Remove from in-flight first so a cancel that arrives now finds nothing; Finish() decides.
  {
    std::lock_guard<std::mutex> lock(inflight_mutex_);
    auto it = inflight_.find(call->key());
    if (it != inflight_.end() && it->second == call) inflight_.erase(it);
  }
  if (!call->Finish()) return;  // cancelled: no response, ever
  if (closing_.load()) return;
  writer_.Send(line, MessageWriter::Kind::kResponse);
}

void Server::SchedulePendingFlush(const std::shared_ptr<InFlightCall>& call) {
  {
    std::lock_guard<std::mutex> lock(ticker_mutex_);
    pending_flush_.push_back(call);
  }
  ticker_wake_.notify_one();
}

void Server::TickerLoop() {
  std::unique_lock<std::mutex> lock(ticker_mutex_);
  for (;;) {
    if (pending_flush_.empty()) {
      ticker_wake_.wait(lock, [this] { return ticker_stop_ || !pending_flush_.empty(); });
    } else {
      ticker_wake_.wait_for(lock, std::chrono::milliseconds(20), [this] { return ticker_stop_; });
    }
    if (ticker_stop_) return;
    std::vector<std::weak_ptr<InFlightCall>> items;
    items.swap(pending_flush_);
    lock.unlock();
    std::vector<std::weak_ptr<InFlightCall>> still;
    for (auto& weak : items) {
      if (auto call = weak.lock()) {
        if (call->FlushPendingIfDue()) still.push_back(weak);
      }
    }
    lock.lock();
    pending_flush_.insert(pending_flush_.end(), still.begin(), still.end());
  }
}

}  // namespace sb::mcp
