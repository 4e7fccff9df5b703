#include "normalize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "switchboard/plugin.hpp"

namespace sb::routing_capability {
namespace {

using nlohmann::json;

constexpr std::string_view kAsciiSpace = " \t\n\r\f\v";
constexpr std::size_t kDescribeMax = 60;

[[noreturn]] void Fail(std::string_view field, const std::string& message) {
  throw Error(SB_INVALID_ARGUMENT, std::string(field), message);
}

std::string_view TrimAscii(std::string_view text) {
  const std::size_t first = text.find_first_not_of(kAsciiSpace);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(kAsciiSpace);
  return text.substr(first, last - first + 1);
}

// Code points of valid UTF-8 (the JSON parser has already rejected invalid sequences).
std::size_t CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// C0 controls, DEL, and C1 controls (U+0080-U+009F, encoded as C2 80 .. C2 9F).
bool HasControlCharacter(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7F) return true;
    if (byte == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

std::optional<int64_t> ParseIntegerText(std::string_view text) {
  text = TrimAscii(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  // Accumulate as a magnitude so that INT64_MIN parses too.
  const uint64_t limit =
      negative ? uint64_t{1} << 63 : uint64_t{std::numeric_limits<int64_t>::max()};
  uint64_t magnitude = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  if (!negative) return static_cast<int64_t>(magnitude);
  if (magnitude == uint64_t{1} << 63) return std::numeric_limits<int64_t>::min();
  return -static_cast<int64_t>(magnitude);
}

// Shared by target and identity names: `field` is the key, `null_meaning` ends the type message.
std::string CheckRoutingNameString(const json& value, std::string_view field,
                                   std::string_view null_meaning) {
  const std::string rule = "1–128 characters matching " + std::string(kNamePattern);
  if (!value.is_string()) {
    Fail(field, std::string(field) + " must be a string holding an agent name (" + rule +
                    "), or null " + std::string(null_meaning) + "; got " + DescribeValue(value) +
                    ".");
  }
  const std::string& name = value.get_ref<const std::string&>();
  if (IsRoutingName(name)) return name;
  std::string got = "got " + DescribeValue(value);
  if (name.size() > kMaxNameLength) got += " (" + std::to_string(name.size()) + " characters)";
  Fail(field, std::string(field) + " must be " + rule +
                  ", exactly as given (names are not trimmed or case-folded); " + got +
                  ". Use the agent's exact name, e.g. \"reviewer\" or \"build-2\".");
}

std::string CapabilityRule(std::string_view field) {
  return std::string(field) + " must be a list of strings, each 1–" +
         std::to_string(kMaxCapabilityLength) +
         " characters after trimming and without control characters";
}

}  // namespace

json ParseObject(std::string_view text, std::string_view what) {
  if (text.empty()) return json::object();
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded()) {
    Fail("", std::string(what) + " is not valid UTF-8 JSON; pass a JSON object.");
  }
  if (!parsed.is_object()) {
    Fail("", std::string(what) + " must be a JSON object; got " + DescribeValue(parsed) + ".");
  }
  return parsed;
}

void RejectUnknownKeys(const json& object, const std::vector<std::string_view>& allowed,
                       std::string_view what) {
  for (const auto& item : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) != allowed.end()) continue;
    std::string names;
    for (std::string_view name : allowed) names += (names.empty() ? "" : ", ") + std::string(name);
    Fail(item.key(), "unknown key '" + item.key() + "' in " + std::string(what) +
                         "; allowed keys: " + names + ". Remove or rename it.");
  }
}

const json& Member(const json& object, std::string_view key) {
  static const json kNull;
  const auto it = object.find(std::string(key));
  return it == object.end() ? kNull : *it;
}

bool IsRoutingName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  auto alnum = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name.front())) return false;
  for (char c : name) {
    if (!alnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

std::optional<int64_t> ParseIntegerParameter(const json& value) {
  switch (value.type()) {
    case json::value_t::number_integer:
      return value.get<int64_t>();
    case json::value_t::number_unsigned: {
      const auto u = value.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
      return static_cast<int64_t>(u);
    }
    case json::value_t::number_float: {
      const double d = value.get<double>();
      // 2^63 is exactly representable; every double in [-2^63, 2^63) fits in int64.
      constexpr double kTwo63 = 9223372036854775808.0;
      if (!std::isfinite(d) || std::trunc(d) != d || d < -kTwo63 || d >= kTwo63) {
        return std::nullopt;
      }
      return static_cast<int64_t>(d);
    }
    case json::value_t::string:
      return ParseIntegerText(value.get_ref<const std::string&>());
    default:
      return std::nullopt;
  }
}

std::string DescribeValue(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() <= kDescribeMax) return text;
  std::size_t cut = kDescribeMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "…";
}

std::optional<std::string> NormalizeTargetName(const json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string() && TrimAscii(value.get_ref<const std::string&>()).empty()) {
    Fail("target_agent_name",
         "target_agent_name is required to be a non-empty agent name when it is given; got " +
             DescribeValue(value) +
             ". Pass the exact agent name (e.g. \"reviewer\"), or leave it out for an untargeted "
             "job.");
  }
  return CheckRoutingNameString(value, "target_agent_name", "for an untargeted job");
}

std::optional<std::string> NormalizeIdentityName(const json& value) {
  if (value.is_null()) return std::nullopt;
  return CheckRoutingNameString(value, "name", "for an identity without a name");
}

std::vector<std::string> NormalizeCapabilities(const json& value, std::string_view field,
                                               std::optional<std::size_t> max_items) {
  if (value.is_null()) return {};
  json parsed;
  const json* list = &value;
  if (value.is_string()) {
    // Some clients send nested values as JSON text: accept a string that parses as an array.
    parsed = json::parse(value.get_ref<const std::string&>(), nullptr, false);
    if (!parsed.is_discarded() && parsed.is_array()) list = &parsed;
  }
  if (!list->is_array()) {
    Fail(field, std::string(field) +
                    " must be a list of strings (a JSON array such as [\"python\",\"pytest\"], or "
                    "that array as JSON text); got " +
                    DescribeValue(value) +
                    ". Send one string per capability; comma-separated text is not split.");
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& item = (*list)[i];
    const std::string where = std::string(field) + "[" + std::to_string(i) + "]";
    if (!item.is_string()) {
      Fail(field,
           CapabilityRule(field) + ": " + where + " is " + DescribeValue(item) + ", not a string.");
    }
    const std::string_view trimmed = TrimAscii(item.get_ref<const std::string&>());
    if (trimmed.empty()) {
      Fail(field, CapabilityRule(field) + ": " + where + " (" + DescribeValue(item) +
                      ") is empty after trimming. Remove it or name the capability.");
    }
    if (HasControlCharacter(trimmed)) {
      Fail(field, CapabilityRule(field) + ": " + where + " (" + DescribeValue(item) +
                      ") contains a control character. Remove it.");
    }
    const std::size_t length = CountCodePoints(trimmed);
    if (length > kMaxCapabilityLength) {
      Fail(field, CapabilityRule(field) + ": " + where + " has " + std::to_string(length) +
                      " characters. Shorten it.");
    }
    std::string capability(trimmed);
    if (std::find(out.begin(), out.end(), capability) == out.end()) {
      out.push_back(std::move(capability));
    }
  }
  if (max_items.has_value() && out.size() > *max_items) {
    Fail(field, std::string(field) + " must be a list of strings with at most " +
                    std::to_string(*max_items) + " distinct items; got " +
                    std::to_string(out.size()) + ". Require fewer capabilities.");
  }
  return out;
}

int64_t NormalizePriority(const json& value) {
  if (value.is_null()) return 0;
  const std::optional<int64_t> n = ParseIntegerParameter(value);
  if (!n || *n < std::numeric_limits<int32_t>::min() || *n > std::numeric_limits<int32_t>::max()) {
    Fail("priority",
         "priority must be an integer from -2147483648 to 2147483647 (a JSON integer, a whole "
         "number like 10.0, or a string like \"10\"); got " +
             DescribeValue(value) + ". Higher is more urgent; leave it out for 0.");
  }
  return *n;
}

std::optional<int64_t> NormalizeDeadlineSeconds(const json& value) {
  if (value.is_null()) return std::nullopt;
  const std::optional<int64_t> n = ParseIntegerParameter(value);
  if (!n || *n < 1 || *n > kMaxDeadlineSeconds) {
    Fail(
        "deadline_seconds",
        "deadline_seconds must be an integer ≥ 1 and ≤ 31536000 (seconds, at most 365 days); got " +
            DescribeValue(value) + ". Leave it out for no deadline.");
  }
  return *n;
}

bool NormalizeAcceptsUntargeted(const json& value) {
  if (value.is_null()) return true;
  if (!value.is_boolean()) {
    Fail("accepts_untargeted",
         "accepts_untargeted must be a boolean (true or false); got " + DescribeValue(value) + ".");
  }
  return value.get<bool>();
}

}  // namespace sb::routing_capability
