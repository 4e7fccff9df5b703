// json_depth.h — a cheap pre-scan that bounds JSON nesting before the parser sees a line
// (MCP.md §2.1: nesting deeper than 128 levels is a parse error; nlohmann's parser has no limit).
// Pure function; counts brackets outside strings, honouring backslash escapes.
#pragma once

#include <string_view>

namespace sb::mcp {

// True when `text` opens more than `max_depth` arrays/objects inside each other.
inline bool ExceedsDepth(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

}  // namespace sb::mcp
