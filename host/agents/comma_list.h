// comma_list.h — the comma-list arguments of the agent tools and the CLI (TOOLS §2.3).
//
// Purpose: `allowed_tools`, `disallowed_tools`, `capabilities` and `risky_capabilities` arrive
// as one string. They split on commas outside parentheses (`Bash(git add, git commit)` stays one
// item), every item is trimmed and empty items are dropped, so `","` is an explicit empty list.
// Capabilities are also de-duplicated keeping the first occurrence. The `"none"` keyword of
// update_agent is recognised here too.
//
// Threads: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

// `text` without leading and trailing ASCII white space.
std::string_view TrimAscii(std::string_view text);

// Splits on commas outside parentheses, trims and drops empty items. "" and "," give {}.
std::vector<std::string> SplitCommaList(std::string_view text);

// `items` with later repeats removed (first occurrence kept, order kept).
std::vector<std::string> DedupeKeepFirst(std::vector<std::string> items);

// A comma-list tool argument: "" (or only white space) means "not given" (nullopt); anything
// else is the split list, so "," gives an explicit empty list.
std::optional<std::vector<std::string>> ParseListArgument(std::string_view text);

// True for "none" in any case, after trimming (update_agent's "clear this field").
bool IsNoneKeyword(std::string_view text);

}  // namespace sb
