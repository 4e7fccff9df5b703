#include "mcp/argument_validation.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace sb::mcp {
namespace {

std::string Describe(const Json& value) {
  std::string text = Dump(value);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  const char* kind = value.is_string()           ? "a string"
                     : value.is_boolean()        ? "a boolean"
                     : value.is_number_integer() ? "an integer"
                     : value.is_number()         ? "a number"
                     : value.is_array()          ? "an array"
                     : value.is_object()         ? "an object"
                                                 : "null";
  return fmt::format("{} ({})", kind, text);
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::optional<int64_t> ParseIntegerText(const std::string& raw) {
  std::string s = Trim(raw);
  if (s.empty()) return std::nullopt;
  size_t i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  for (size_t k = i; k < s.size(); ++k) {
    if (!std::isdigit(static_cast<unsigned char>(s[k]))) return std::nullopt;
  }
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno == ERANGE) return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<Json> CoerceInteger(const Json& v) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() &&
        v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return Json(v.get<int64_t>());
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || std::floor(d) != d || d < -9.2e18 || d > 9.2e18) return std::nullopt;
    return Json(static_cast<int64_t>(d));
  }
  if (v.is_string()) {
    auto parsed = ParseIntegerText(v.get<std::string>());
    if (parsed) return Json(*parsed);
  }
  return std::nullopt;
}

std::optional<Json> CoerceNumber(const Json& v) {
  if (v.is_number()) return v;
  if (v.is_string()) {
    std::string s = Trim(v.get<std::string>());
    if (s.empty()) return std::nullopt;
    for (char c : s) {
      if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' ||
            c == 'e' || c == 'E')) {
        return std::nullopt;  // no "nan", "inf", hex
      }
    }
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end == nullptr || *end != '\0' || !std::isfinite(d)) return std::nullopt;
    return Json(d);
  }
  return std::nullopt;
}

std::optional<Json> CoerceBoolean(const Json& v) {
  if (v.is_boolean()) return v;
  if (v.is_number_integer()) {
    int64_t i = v.get<int64_t>();
    if (i == 0 || i == 1) return Json(i == 1);
    return std::nullopt;
  }
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s == "true" || s == "1" || s == "yes") return Json(true);
    if (s == "false" || s == "0" || s == "no") return Json(false);
  }
  return std::nullopt;
}

Failure Invalid(const std::string& field, const std::string& message, const std::string& hint) {
  return MakeFailure("invalid_argument", message, hint, field);
}

std::string TypeWord(const std::string& type) {
  if (type == "integer") return "an integer";
  if (type == "number") return "a number";
  if (type == "boolean") return "a boolean (true or false)";
  if (type == "array") return "an array";
  if (type == "object") return "an object";
  return "a string";
}

// Coerces one value to `schema`; `path` names it in errors.
Result<Json> Coerce(const Json& schema, const Json& value, const std::string& path) {
  const std::string type = schema.contains("type") && schema["type"].is_string()
                               ? schema["type"].get<std::string>()
                               : "";
  std::optional<Json> out;
  if (type == "string") {
    if (value.is_string()) out = value;
  } else if (type == "integer") {
    out = CoerceInteger(value);
  } else if (type == "number") {
    out = CoerceNumber(value);
  } else if (type == "boolean") {
    out = CoerceBoolean(value);
  } else if (type == "object") {
    if (value.is_object()) out = value;
  } else if (type == "array") {
    if (value.is_array()) {
      Json items = Json::array();
      const Json item_schema = schema.contains("items") ? schema["items"] : Json::object();
      for (size_t i = 0; i < value.size(); ++i) {
        auto item = Coerce(item_schema, value[i], fmt::format("{}[{}]", path, i));
        if (!item) return item.failure();
        items.push_back(std::move(item).value());
      }
      out = std::move(items);
    }
  } else {
    out = value;  // no declared type: anything goes
  }
  if (!out) {
    return Invalid(path,
                   fmt::format("{} must be {}; got {}", path, TypeWord(type), Describe(value)),
                   fmt::format("pass {} as {}", path, TypeWord(type)));
  }
  if (schema.contains("enum") && schema["enum"].is_array()) {
    bool found = false;
    for (const auto& allowed : schema["enum"]) found = found || allowed == *out;
    if (!found) {
      std::string list;
      for (const auto& allowed : schema["enum"]) list += (list.empty() ? "" : ", ") + Dump(allowed);
      return Invalid(path, fmt::format("{} must be one of {}; got {}", path, list, Describe(value)),
                     fmt::format("use one of {}", list));
    }
  }
  if (out->is_number()) {
    double d = out->get<double>();
    if (schema.contains("minimum") && d < schema["minimum"].get<double>()) {
      return Invalid(
          path,
          fmt::format("{} must be at least {}; got {}", path, Dump(schema["minimum"]), Dump(*out)),
          fmt::format("pass a value >= {}", Dump(schema["minimum"])));
    }
    if (schema.contains("maximum") && d > schema["maximum"].get<double>()) {
      return Invalid(
          path,
          fmt::format("{} must be at most {}; got {}", path, Dump(schema["maximum"]), Dump(*out)),
          fmt::format("pass a value <= {}", Dump(schema["maximum"])));
    }
  }
  return std::move(*out);
}

}  // namespace

Result<Json> ValidateArguments(const Json& input_schema, const Json& arguments) {
  static const Json kEmpty = Json::object();
  const Json& properties =
      input_schema.contains("properties") ? input_schema["properties"] : kEmpty;
  std::string names;
  for (auto it = properties.begin(); it != properties.end(); ++it)
    names += (names.empty() ? "" : ", ") + it.key();

  // 1. Unknown names.
  for (auto it = arguments.begin(); it != arguments.end(); ++it) {
    if (!properties.contains(it.key())) {
      return Invalid(it.key(), fmt::format("unknown argument '{}'", Echo(it.key())),
                     names.empty() ? "this tool takes no arguments" : "valid arguments: " + names);
    }
  }
  // 2. Missing required ones (null counts as missing).
  if (input_schema.contains("required")) {
    for (const auto& required : input_schema["required"]) {
      const std::string name = required.get<std::string>();
      auto it = arguments.find(name);
      if (it == arguments.end() || it->is_null()) {
        return Invalid(name, fmt::format("missing required argument '{}'", name),
                       fmt::format("pass {}", name));
      }
    }
  }
  // 3. Each present argument, in schema order.
  Json out = Json::object();
  for (auto it = properties.begin(); it != properties.end(); ++it) {
    auto arg = arguments.find(it.key());
    if (arg == arguments.end() || arg->is_null()) continue;
    auto coerced = Coerce(it.value(), *arg, it.key());
    if (!coerced) return coerced.failure();
    out[it.key()] = std::move(coerced).value();
  }
  return out;
}

}  // namespace sb::mcp
