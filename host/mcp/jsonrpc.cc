#include "mcp/jsonrpc.h"

#include <cstdint>
#include <limits>

#include "mcp/json_depth.h"
#include "text/utf8.h"

namespace sb::mcp {
namespace {

Incoming Error(int code, std::string message, Json id = nullptr) {
  Incoming in;
  in.kind = Incoming::Kind::kError;
  in.error_code = code;
  in.error_message = std::move(message);
  in.error_id = std::move(id);
  return in;
}

}  // namespace

bool IsValidId(const Json& id) {
  if (id.is_string()) return true;
  if (id.is_number_integer() && !id.is_number_unsigned()) return true;
  if (id.is_number_unsigned()) {
    return id.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  }
  return false;
}

std::string IdKey(const Json& id) {
  if (id.is_string()) return "s:" + id.get<std::string>();
  return "n:" + id.dump();
}

Incoming Classify(std::string_view line) {
  if (ExceedsDepth(line, kMaxDepth)) {
    return Error(kParseError, "Parse error: the message nests deeper than 128 levels");
  }
  Json value = Json::parse(line.begin(), line.end(), nullptr, false);
  if (value.is_discarded())
    return Error(kParseError, "Parse error: the line is not valid JSON (or not UTF-8)");
  if (value.is_array()) return Error(kInvalidRequest, "Invalid Request: batches are not supported");
  if (!value.is_object())
    return Error(kInvalidRequest, "Invalid Request: a message must be a JSON object");

  const bool has_id = value.contains("id");
  const Json id = has_id ? value["id"] : Json();
  const bool id_ok = has_id && IsValidId(id);
  auto method_it = value.find("method");

  if (method_it == value.end()) {
    if (has_id && (value.contains("result") || value.contains("error"))) {
      Incoming in;
      in.kind = Incoming::Kind::kResponse;
      return in;
    }
    return Error(kInvalidRequest, "Invalid Request: no method", id_ok ? id : Json());
  }

  if (!has_id) {
    // A notification: never answered, even when malformed.
    Incoming in;
    in.kind = Incoming::Kind::kNotification;
    in.method = method_it->is_string() ? method_it->get<std::string>() : std::string();
    in.message = std::move(value);
    return in;
  }
  if (!id_ok) return Error(kInvalidRequest, "Invalid Request: id must be a string or an integer");
  auto version = value.find("jsonrpc");
  if (version == value.end() || !version->is_string() || version->get<std::string>() != "2.0") {
    return Error(kInvalidRequest, "Invalid Request: jsonrpc must be \"2.0\"", id);
  }
  if (!method_it->is_string())
    return Error(kInvalidRequest, "Invalid Request: method must be a string", id);

  Incoming in;
  in.kind = Incoming::Kind::kRequest;
  in.method = method_it->get<std::string>();
  in.id = id;
  in.message = std::move(value);
  return in;
}

std::string Dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ResultLine(const Json& id, const Json& result) {
  Json out;
  out["jsonrpc"] = "2.0";
  out["id"] = id;
  out["result"] = result;
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ErrorLine(const Json& id, int code, std::string_view message,
                      const std::optional<Json>& data) {
  Json error;
  error["code"] = code;
  error["message"] = std::string(message);
  if (data && !data->is_null()) error["data"] = *data;
  Json out;
  out["jsonrpc"] = "2.0";
  out["id"] = id;
  out["error"] = std::move(error);
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string NotificationLine(std::string_view method, const Json& params) {
  Json out;
  out["jsonrpc"] = "2.0";
  out["method"] = std::string(method);
  out["params"] = params;
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string Echo(std::string_view text, size_t max) { return Abbreviate(text, max); }

}  // namespace sb::mcp
