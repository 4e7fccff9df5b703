// tool.h — what a tool is to the MCP server: its definition (name, title, description, input and
// output schema, annotations, handler), the context a handler runs in (ToolCall), and how it ends
// (ToolOutcome: a success document, or an error envelope). MCP.md §5–§6, TOOLS.md §1.
//
// Threads: a handler runs on a pool thread, several at once. ToolCall's members are safe to call
// from the handler's thread and from threads the handler starts, until the handler returns.
// Ownership: the ToolCall outlives the handler call; `arguments()` is valid for that long.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "errors/result.h"
#include "mcp/jsonrpc.h"

namespace sb::mcp {

// MCP log levels (RFC 5424 names), lowest first.
enum class LogLevel { kDebug, kInfo, kNotice, kWarning, kError, kCritical, kAlert, kEmergency };

// How a handler ends: a document (object or array) or an error envelope.
class ToolOutcome {
 public:
  static ToolOutcome Success(Json document) { return ToolOutcome(std::move(document), false); }
  // {"error", "code", "field"?, "hint"?} from a Failure.
  static ToolOutcome Error(const Failure& failure);
  static ToolOutcome Error(std::string code, std::string message, std::string hint = {},
                           std::string field = {});

  const Json& document() const { return document_; }
  bool is_error() const { return is_error_; }

 private:
  ToolOutcome(Json document, bool is_error) : document_(std::move(document)), is_error_(is_error) {}
  Json document_;
  bool is_error_;
};

// The running call, as its handler sees it.
class ToolCall {
 public:
  virtual ~ToolCall() = default;
  // The validated, coerced arguments (an object; defaults are not filled in).
  virtual const Json& arguments() const = 0;
  virtual const std::string& tool_name() const = 0;
  virtual const std::string& protocol_version() const = 0;
  // True once the client cancelled the request or the server is shutting down.
  virtual bool cancelled() const = 0;
  // Runs `fn` once when the call is cancelled (at once if it already is). `fn` must not block.
  virtual void OnCancel(std::function<void()> fn) = 0;
  // The reason the client gave with its cancellation ("" when none).
  virtual std::string cancel_reason() const = 0;
  // One progress line: a `notifications/progress` when the request carried a progress token, and a
  // `notifications/message` at level info. Rate-limited as MCP.md §7–§8 say.
  virtual void Progress(std::string_view line) = 0;
  // A `notifications/message` at `level` (sent when at or above the client's level).
  virtual void Log(LogLevel level, std::string_view text) = 0;
};

struct ToolAnnotations {
  bool read_only = true;
  bool destructive = false;
  bool idempotent = false;
  bool open_world = false;
};

struct ToolDefinition {
  std::string name;
  std::string title;
  std::string description;
  Json input_schema;                  // {"type":"object","properties":{…},"required":[…],…}
  std::optional<Json> output_schema;  // declared only where every success document fits it
  ToolAnnotations annotations;
  std::function<ToolOutcome(ToolCall&)> handler;
};

}  // namespace sb::mcp
