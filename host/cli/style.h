// style.h — colour for CLI output (CLI.md §1.6): only on a terminal, with `--color auto`, NO_COLOR
// unset or empty and TERM not "dumb"; `--color always|never` override. Every status is also text.
// Threads: set once from main, read afterwards.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace sb::cli {

enum class ColorMode { kAuto, kAlways, kNever };

// Decides whether `stream` gets colour under `mode`.
bool UseColor(ColorMode mode, std::FILE* stream);

enum class Tone { kGreen, kYellow, kRed, kCyan, kBold };

// `text` wrapped in the SGR sequence of `tone` when `color`, else unchanged.
std::string Paint(std::string_view text, Tone tone, bool color);

}  // namespace sb::cli
