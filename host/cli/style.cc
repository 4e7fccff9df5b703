#include "cli/style.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace sb::cli {

bool UseColor(ColorMode mode, std::FILE* stream) {
  if (mode == ColorMode::kAlways) return true;
  if (mode == ColorMode::kNever) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::strcmp(term, "dumb") == 0) return false;
  return isatty(fileno(stream)) == 1;
}

std::string Paint(std::string_view text, Tone tone, bool color) {
  if (!color) return std::string(text);
  const char* code = "";
  switch (tone) {
    case Tone::kGreen:
      code = "\x1b[32m";
      break;
    case Tone::kYellow:
      code = "\x1b[33m";
      break;
    case Tone::kRed:
      code = "\x1b[31m";
      break;
    case Tone::kCyan:
      code = "\x1b[36m";
      break;
    case Tone::kBold:
      code = "\x1b[1m";
      break;
  }
  return std::string(code) + std::string(text) + "\x1b[0m";
}

}  // namespace sb::cli
