// toml_json.h — converts a TOML table to JSON text for plugin configuration (ARCHITECTURE §11.9).
//
// Purpose: tables → objects, arrays → arrays, strings, booleans, 64-bit integers (no precision
// lost), floats; dates and times → RFC 3339 strings. Keeps toml++ out of every other header.
// Threads: pure function.
#pragma once

#include <string>

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace sb {

// The JSON text of `table` (compact, UTF-8 kept raw).
std::string TomlTableToJson(const toml::table& table);

}  // namespace sb
