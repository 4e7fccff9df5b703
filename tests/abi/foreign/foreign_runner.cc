// A runner plugin built with clang++-14 and libc++ (linked statically, symbols hidden), loaded by
// the g++/libstdc++ host to prove the C ABI (ARCHITECTURE §5 item 1, BUILD.md §11). Internally it
// uses std::string, std::map and std::vector and throws and catches its own exceptions; its
// create refuses unknown configuration keys through sb::Error, which the wrapper turns into a
// status at the boundary.
#include <switchboard/plugin.hpp>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

class ForeignRunner : public sb::Runner {
 public:
  explicit ForeignRunner(const sb::CreateArgs& args) {
    if (args.config_json.find('"') != std::string_view::npos) {
      throw sb::Error(SB_INVALID_ARGUMENT, "config",
                      "foreign-runner takes no settings; remove its [plugin.config] keys");
    }
  }

  std::optional<std::string> Run(std::string_view request, sb::RunControl& control) override {
    std::map<std::string, int> counts;
    std::vector<std::string> words;
    std::string word;
    for (char c : request) {
      if (c == ' ') {
        if (!word.empty()) words.push_back(word);
        word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty()) words.push_back(word);
    for (const auto& w : words) counts[w]++;
    int caught = 0;
    try {
      throw std::runtime_error("thrown and caught inside libc++");
    } catch (const std::exception&) {
      caught = 1;
    }
    control.Progress("counted " + std::to_string(words.size()) + " words");
    if (request == "throw") throw std::runtime_error("the foreign runner was asked to fail");
    return "{\"agent\":\"foreign\",\"success\":true,\"result\":\"" + std::to_string(counts.size()) +
           " distinct, caught " + std::to_string(caught) + "\"}";
  }

  std::string Probe() override {
    return "{\"ready\":true,\"message\":\"built with clang and libc++\"}";
  }
};

}  // namespace

SB_RUNNER_PLUGIN(ForeignRunner, "foreign-runner", "1.0.0", "Apache-2.0",
                 "A runner built with clang and libc++.")
