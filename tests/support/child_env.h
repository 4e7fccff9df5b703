// child_env.h — shared by the tests that start processes: the environment for a child (this
// process's environment plus overrides, "" unsetting a variable, as the argv/envp arrays spawn
// wants) and the time-scale factor that multiplies every upper bound on elapsed time
// (SWITCHBOARD_TEST_TIME_SCALE, ≥ 1; sanitizer presets set 4).
//
// Threads: reads the environment; call from the test thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

extern char** environ;

namespace sb::test {

// `bound` multiplied by SWITCHBOARD_TEST_TIME_SCALE.
inline std::chrono::milliseconds Scaled(std::chrono::milliseconds bound) {
  const char* scale = std::getenv("SWITCHBOARD_TEST_TIME_SCALE");
  double factor = scale != nullptr ? std::atof(scale) : 1.0;
  if (factor < 1.0) factor = 1.0;
  return std::chrono::milliseconds(
      static_cast<int64_t>(static_cast<double>(bound.count()) * factor));
}

// "KEY=VALUE" strings: the current environment with `overrides` applied.
inline std::vector<std::string> ChildEnvironment(
    const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : overrides) {
    if (v.empty()) {
      merged.erase(k);
    } else {
      merged[k] = v;
    }
  }
  std::vector<std::string> out;
  for (const auto& [k, v] : merged) out.push_back(k + "=" + v);
  return out;
}

// NULL-terminated pointer arrays over `strings` (which must outlive the result).
inline std::vector<char*> CArray(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace sb::test
