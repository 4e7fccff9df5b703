#include "testing/faults.h"

#ifdef SWITCHBOARD_TEST_HOOKS

#include <cstdlib>
#include <mutex>
#include <set>
#include <string>

namespace sb {
namespace {

struct FaultSet {
  std::mutex mutex;
  bool loaded = false;
  std::set<std::string, std::less<>> names;
};

FaultSet& Faults() {
  static FaultSet faults;
  return faults;
}

// REQUIRES: faults.mutex held.
void LoadLocked(FaultSet& faults) {
  faults.names.clear();
  const char* env = std::getenv("SWITCHBOARD_TEST_FAULTS");
  std::string_view text = env == nullptr ? std::string_view() : std::string_view(env);
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) faults.names.emplace(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  faults.loaded = true;
}

}  // namespace

bool FaultActive(std::string_view name) {
  FaultSet& faults = Faults();
  std::lock_guard lock(faults.mutex);
  if (!faults.loaded) LoadLocked(faults);
  return faults.names.find(name) != faults.names.end();
}

void ReloadFaultsForTesting() {
  FaultSet& faults = Faults();
  std::lock_guard lock(faults.mutex);
  LoadLocked(faults);
}

}  // namespace sb

#endif  // SWITCHBOARD_TEST_HOOKS
