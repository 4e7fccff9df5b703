// jsonrpc.h — JSON-RPC 2.0 envelopes for the MCP server (MCP.md §2): classifying an incoming line
// and building the strict outgoing shapes (`jsonrpc`, `id`, `result` | `error`; notifications with
// `method` and `params`), serialized compactly with raw UTF-8 and invalid bytes repaired.
//
// Threads: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace sb::mcp {

// The JSON type of the MCP layer: keeps insertion order, so documents keep the field order of the
// tool specifications.
using Json = nlohmann::ordered_json;

// JSON-RPC error codes used by the server (MCP.md §2.3).
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerBusy = -32000;

// Maximum nesting depth of an input line.
inline constexpr int kMaxDepth = 128;

struct Incoming {
  enum class Kind {
    kRequest,       // method + id (valid envelope)
    kNotification,  // method, no id
    kResponse,      // a response to a server request: ignored
    kError,         // answer with `error_code` / `error_message`, echoing `error_id`
  };
  Kind kind = Kind::kError;
  Json message;        // the parsed object (requests and notifications)
  std::string method;  // requests and notifications
  Json id;             // requests: the id as received (string or integer)
  int error_code = 0;
  std::string error_message;
  Json error_id;  // null when the id is unknown or invalid
};

// Classifies one input line (BOM and line terminator already removed).
Incoming Classify(std::string_view line);

// True for a JSON-RPC id this server accepts: a string, or an integer that fits in int64.
bool IsValidId(const Json& id);

// A key that tells ids apart by type ("s:abc" vs "n:5").
std::string IdKey(const Json& id);

// Serializes compactly with raw UTF-8; invalid UTF-8 becomes U+FFFD.
std::string Dump(const Json& value);

std::string ResultLine(const Json& id, const Json& result);
std::string ErrorLine(const Json& id, int code, std::string_view message,
                      const std::optional<Json>& data = std::nullopt);
std::string NotificationLine(std::string_view method, const Json& params);

// A client-supplied string cut to `max` code points for echoing in messages.
std::string Echo(std::string_view text, size_t max = 100);

}  // namespace sb::mcp
