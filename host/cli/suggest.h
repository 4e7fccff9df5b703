// suggest.h — "did you mean" for unknown commands (CLI.md §1.2): the known word within edit
// distance 2 of what was typed. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::cli {

// Levenshtein distance (insert, delete, substitute; adjacent transposition counts as one).
size_t EditDistance(std::string_view a, std::string_view b);

// The closest of `known` within distance 2 of `word`, if any.
std::optional<std::string> Suggest(std::string_view word, const std::vector<std::string>& known);

}  // namespace sb::cli
