#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include "cli/child_process.h"
#include "cli/plugin_commands.h"
#include "config/paths.h"
#include "plugins/loader.h"

namespace sb::cli {
namespace {

namespace fs = std::filesystem;

constexpr auto kChildTimeout = std::chrono::seconds(30);

// The check's report, assembled from the child's lines.
struct Report {
  std::string path;
  nlohmann::json plugin;  // null until known
  nlohmann::json steps = nlohmann::json::array();
  nlohmann::json components = nlohmann::json::array();
  bool failed = false;
};

void AddStep(Report& report, const std::string& step, bool ok, const std::string& message) {
  report.steps.push_back({{"step", step}, {"status", ok ? "ok" : "fail"}, {"message", message}});
  if (!ok) report.failed = true;
}

// Reads the child's protocol lines into `report`; returns the step or component begun last and
// not finished (where a crash happened).
std::string ReadLines(const std::string& text, Report& report, nlohmann::json& open_component) {
  std::string open_step;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;  // a plugin may print to stdout; ignore it
    if (j.contains("begin")) {
      open_step = j["begin"].get<std::string>();
    } else if (j.contains("step")) {
      AddStep(report, j["step"].get<std::string>(), j["status"] == "ok", j.value("message", ""));
      open_step.clear();
    } else if (j.contains("plugin")) {
      report.plugin = j["plugin"];
    } else if (j.contains("begin_component")) {
      open_component = j["begin_component"];
      open_step = "component";
    } else if (j.contains("component")) {
      report.components.push_back(j["component"]);
      if (j["component"].value("status", "") != "ok") report.failed = true;
      open_component = nullptr;
      open_step.clear();
    }
  }
  return open_step;
}

// Resolves PATH: an existing file, or a bare name looked up in the plugin search path.
fs::path ResolveCheckPath(const std::string& arg) {
  std::error_code ec;
  if (arg.find('/') != std::string::npos || fs::exists(arg, ec)) return fs::absolute(arg, ec);
  auto found = ResolvePluginFile(arg, std::nullopt);
  return found ? *found : fs::absolute(arg, ec);
}

void PrintHuman(const Report& report, bool color) {
  auto print_components = [&] {
    for (const auto& c : report.components) {
      bool ok = c.value("status", "") == "ok";
      std::cout << (ok ? Paint("[OK]  ", Tone::kGreen, color) : Paint("[FAIL]", Tone::kRed, color))
                << " component " << c.value("kind", "") << " '" << c.value("id", "")
                << "': " << c.value("message", "") << "\n";
      if (c.contains("probe"))
        std::cout << "       probe: " << c["probe"].get<std::string>() << "\n";
    }
  };
  std::cout << "Checking " << report.path << "\n";
  bool components_printed = false;
  for (const auto& step : report.steps) {
    // Components are created after init and before deinit (or the abnormal end).
    if (!components_printed && (step["step"] == "deinit" || step["step"] == "exit")) {
      print_components();
      components_printed = true;
    }
    bool ok = step["status"] == "ok";
    std::cout << (ok ? Paint("[OK]  ", Tone::kGreen, color) : Paint("[FAIL]", Tone::kRed, color))
              << " " << step["step"].get<std::string>() << ": "
              << step["message"].get<std::string>() << "\n";
  }
  if (!components_printed) print_components();
  std::cout << (report.failed ? Paint("FAIL", Tone::kRed, color) : Paint("OK", Tone::kGreen, color))
            << "\n";
}

}  // namespace

int RunPluginsCheck(const GlobalOptions& globals, const PluginsCheckOptions& options) {
  std::string config = "{}";
  if (options.config_json) {
    config = *options.config_json;
  } else if (options.config_file) {
    std::ifstream in(*options.config_file, std::ios::binary);
    if (!in) {
      std::cerr << "Error: --config-file " << *options.config_file << " cannot be read\n";
      return 1;
    }
    std::ostringstream text;
    text << in.rdbuf();
    config = text.str();
  }
  auto parsed = nlohmann::json::parse(config, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    std::cerr << "Error: " << (options.config_json ? "--config" : "--config-file")
              << " must be a JSON object, e.g. '{\"order\": \"strict_priority\"}'\n";
    return options.config_json ? 2 : 1;
  }

  Report report;
  const fs::path path = ResolveCheckPath(options.path);
  report.path = path.string();

  // A private state directory, so checking a store touches nothing of the user's.
  std::string state_template = (fs::temp_directory_path() / "switchboard-check-XXXXXX").string();
  const char* state_dir = mkdtemp(state_template.data());
  std::vector<std::string> argv = {(ExecutableDir() / "switchboard").string()};
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) argv[0] = self.string();
  argv.insert(argv.end(), {"__plugin-probe", path.string(), "--config-json", parsed.dump()});
  if (state_dir != nullptr) argv.insert(argv.end(), {"--state-dir", state_dir});
  (void)globals;

  auto outcome = RunChild(argv, kChildTimeout);
  if (state_dir != nullptr) fs::remove_all(state_dir, ec);
  if (!outcome) {
    std::cerr << "Error: " << outcome.failure().message << "\n";
    return 1;
  }
  nlohmann::json open_component;
  std::string open_step = ReadLines(outcome->stdout_text, report, open_component);

  std::string ending;
  if (outcome->timed_out) {
    ending = fmt::format("did not finish within {} s and was killed", kChildTimeout.count());
  } else if (!outcome->exited) {
    ending = fmt::format("crashed with {}", SignalName(outcome->signal));
  } else if (outcome->exit_code != 0) {
    ending = fmt::format("exited with code {}", outcome->exit_code);
  }
  if (!ending.empty()) {
    if (open_step == "component" && open_component.is_object()) {
      open_component["status"] = "fail";
      open_component["message"] = "the plugin " + ending;
      report.components.push_back(open_component);
      report.failed = true;
    } else {
      AddStep(report, open_step.empty() ? "exit" : open_step, false, "the plugin " + ending);
    }
  }
  if (report.steps.empty()) AddStep(report, "file", false, "the check produced no result");

  const bool color = UseColor(globals.color, stdout);
  if (options.json) {
    nlohmann::json out = {{"path", report.path}, {"status", report.failed ? "fail" : "ok"}};
    if (!report.plugin.is_null()) out["plugin"] = report.plugin;
    out["steps"] = report.steps;
    out["components"] = report.components;
    std::cout << out.dump(2, ' ', false) << "\n";
  } else {
    PrintHuman(report, color);
  }
  return report.failed ? 1 : 0;
}

}  // namespace sb::cli
