// normalize.h — the field rules of the routing-capability router (ROUTING.md §1, §3, §10.1).
//
// Purpose: one function per routing field. Each checks a JSON value as received and returns it in
// its normalized form, or throws sb::Error(SB_INVALID_ARGUMENT, <field>, <message>) whose message
// names the field, says what was expected, shows what was received and how to fix it. A JSON null
// means "not given" everywhere (the caller passes null for an absent key).
//
// Ownership: arguments are borrowed for the call; results are returned by value.
//
// Threads: pure functions with no state; safe from any thread at once.
#ifndef SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_NORMALIZE_H
#define SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_NORMALIZE_H

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::routing_capability {

inline constexpr std::size_t kMaxNameLength = 128;           // routing name rule (§1)
inline constexpr std::size_t kMaxCapabilityLength = 128;     // code points, after trimming
inline constexpr std::size_t kMaxRequiredCapabilities = 32;  // after de-duplication (§3)
inline constexpr int64_t kMaxDeadlineSeconds = 31536000;     // 365 days (§3)
inline constexpr const char* kNamePattern = "^[A-Za-z0-9][A-Za-z0-9_-]*$";

// Parses `text` as a JSON object; empty text counts as {}. Anything else (invalid JSON, another
// type) throws SB_INVALID_ARGUMENT with an empty field and a message naming `what`.
nlohmann::json ParseObject(std::string_view text, std::string_view what);

// Throws SB_INVALID_ARGUMENT with field = the key for the first key of `object` (in byte-wise
// order) that is not in `allowed`; the message names the key, `what` and the allowed keys.
void RejectUnknownKeys(const nlohmann::json& object, const std::vector<std::string_view>& allowed,
                       std::string_view what);

// object[key], or a JSON null when `object` has no such key (absent and null mean the same).
const nlohmann::json& Member(const nlohmann::json& object, std::string_view key);

// The routing name rule of §1: 1-128 characters matching kNamePattern, taken as given (no
// trimming).
bool IsRoutingName(std::string_view name);

// The integer parameter rule of §1: a JSON integer, a number with no fractional part (10.0), or a
// string holding a base-10 integer with an optional sign and optional surrounding ASCII whitespace
// (" -5 "). nullopt for anything else (fractions, other strings, booleans, arrays, objects, null)
// and for values outside the 64-bit signed range. The caller applies the field's own range.
std::optional<int64_t> ParseIntegerParameter(const nlohmann::json& value);

// A short, single-line JSON rendering of `value` for error messages (at most about 60 bytes).
std::string DescribeValue(const nlohmann::json& value);

// `target_agent_name` of a request. null -> nullopt (untargeted). A string that is empty or only
// whitespace is an error worded "target_agent_name is required …" (so it also satisfies
// send_to_agent's "agent_name is required"); any other string must satisfy the routing name rule
// as given; other types are errors.
std::optional<std::string> NormalizeTargetName(const nlohmann::json& value);

// `name` of a worker identity. null -> nullopt (an identity without a name, W(null)); otherwise the
// routing name rule as given.
std::optional<std::string> NormalizeIdentityName(const nlohmann::json& value);

// A capability list (`required_capabilities`, an identity's `capabilities`), reported under
// `field`. null or [] -> []. Accepts an array of strings, or a string whose content parses as a
// JSON array of strings. Each item is trimmed of ASCII whitespace and must then be 1-128 code
// points with no control characters (U+0000-U+001F, U+007F-U+009F). Duplicates are dropped,
// keeping first-seen order; case is kept. When `max_items` is set, more distinct items than that
// are an error.
std::vector<std::string> NormalizeCapabilities(const nlohmann::json& value, std::string_view field,
                                               std::optional<std::size_t> max_items);

// `priority`: null -> 0; otherwise an integer parameter in the 32-bit signed range.
int64_t NormalizePriority(const nlohmann::json& value);

// `deadline_seconds`: null -> nullopt; otherwise an integer parameter with
// 1 <= n <= kMaxDeadlineSeconds (0 is an error, not "no deadline").
std::optional<int64_t> NormalizeDeadlineSeconds(const nlohmann::json& value);

// `accepts_untargeted` of an identity: null -> true; otherwise a JSON boolean.
bool NormalizeAcceptsUntargeted(const nlohmann::json& value);

}  // namespace sb::routing_capability

#endif  // SWITCHBOARD_PLUGINS_ROUTING_CAPABILITY_NORMALIZE_H
