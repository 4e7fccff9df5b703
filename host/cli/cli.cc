#include "cli/cli.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/help_text.h"
#include "cli/plugin_commands.h"
#include "cli/serve_command.h"
#include "cli/style.h"
#include "cli/suggest.h"
#include "logging/log.h"
#include "version.h"

namespace sb::cli {
namespace {

// The hidden child command of `plugins check`.
constexpr const char* kProbeCommand = "__plugin-probe";

// Global options that take a value (used to skip their values when looking for the command).
bool TakesValue(const std::string& arg) {
  return arg == "--config-dir" || arg == "--state-dir" || arg == "--color";
}

bool IsOption(const std::string& arg) { return arg.size() > 1 && arg[0] == '-'; }

// The leading command words of `args` (global options skipped), stopping at the first word that
// is not a known command or subcommand.
std::vector<std::string> CommandPath(const std::vector<std::string>& args, std::string* unknown) {
  std::vector<std::string> path;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (IsOption(arg)) {
      if (TakesValue(arg)) ++i;
      continue;
    }
    if (path.empty()) {
      auto top = TopLevelCommands();
      top.push_back(kProbeCommand);
      if (std::find(top.begin(), top.end(), arg) == top.end()) {
        if (unknown != nullptr) *unknown = arg;
        break;
      }
      path.push_back(arg);
      continue;
    }
    auto subs = Subcommands(path[0]);
    if (path.size() == 1 && std::find(subs.begin(), subs.end(), arg) != subs.end()) {
      path.push_back(arg);
      continue;
    }
    break;
  }
  return path;
}

bool HasHelpFlag(const std::vector<std::string>& args) {
  for (const auto& arg : args) {
    if (arg == "--") return false;
    if (arg == "-h" || arg == "--help") return true;
  }
  return false;
}

int UnknownCommand(const std::string& word) {
  std::string message = fmt::format("Error: unknown command '{}'", word);
  if (auto near = Suggest(word, TopLevelCommands()))
    message += fmt::format("; did you mean '{}'?", *near);
  std::cerr << message << "\n  Run `switchboard --help` for the list of commands.\n";
  return 2;
}

// `help [COMMAND [SUBCOMMAND]]` and `--help` anywhere: prints help, reads nothing else.
int PrintHelp(const std::vector<std::string>& path) {
  auto text = HelpText(path);
  if (!text) {
    std::string joined;
    for (const auto& w : path) joined += (joined.empty() ? "" : " ") + w;
    return UnknownCommand(joined);
  }
  std::cout << *text;
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << ShortUsage();
    return 2;
  }

  // Help first: it works whatever else is on the line.
  if (args[0] == "help") {
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (HasHelpFlag(rest)) return PrintHelp({"help"});
    std::string unknown;
    auto path = CommandPath(rest, &unknown);
    if (!unknown.empty()) return UnknownCommand(unknown);
    return PrintHelp(path);
  }
  if (HasHelpFlag(args)) return PrintHelp(CommandPath(args, nullptr));

  std::string unknown;
  auto path = CommandPath(args, &unknown);
  if (path.empty() && unknown.empty()) {
    for (const auto& arg : args) {
      if (arg == "--version") {
        std::cout << "switchboard " << SWITCHBOARD_VERSION << " (plugin ABI "
                  << SWITCHBOARD_ABI_VERSION << ")\n";
        return 0;
      }
    }
  }
  if (!unknown.empty()) return UnknownCommand(unknown);

  const char* env_level = std::getenv("SWITCHBOARD_LOG");
  SetupLogging(env_level != nullptr && IsLogLevelName(env_level) ? env_level : "error");

  GlobalOptions globals;
  std::string color = "auto";
  CLI::App app{"switchboard"};
  app.set_help_flag();
  app.fallthrough();
  app.require_subcommand(1);
  app.add_option("--config-dir", globals.config_dir);
  app.add_option("--state-dir", globals.state_dir);
  app.add_option("--color", color)->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--version");

  auto* plugins = app.add_subcommand("plugins");
  plugins->require_subcommand(1);
  plugins->fallthrough();

  PluginsListOptions list_options;
  auto* list = plugins->add_subcommand("list");
  list->fallthrough();
  list->add_flag("--json", list_options.json);

  PluginsCheckOptions check_options;
  auto* check = plugins->add_subcommand("check");
  check->fallthrough();
  check->add_option("PATH", check_options.path)->required();
  auto* config_opt = check->add_option("--config", check_options.config_json);
  auto* config_file_opt = check->add_option("--config-file", check_options.config_file);
  config_opt->excludes(config_file_opt);
  check->add_flag("--json", check_options.json);

  ServeOptions serve_options;
  auto* serve = app.add_subcommand("serve");
  serve->fallthrough();
  serve->add_option("--log-level", serve_options.log_level)
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  serve->add_option("--log-file", serve_options.log_file);

  PluginProbeOptions probe_options;
  auto* probe = app.add_subcommand(kProbeCommand);
  probe->group("");
  probe->add_option("PATH", probe_options.path)->required();
  probe->add_option("--config-json", probe_options.config_json);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::cerr << "Error: " << e.what() << "\n  Run `switchboard "
              << (path.empty() ? std::string() : path[0] + " ")
              << (path.size() > 1 ? path[1] + " " : "") << "--help` for usage.\n";
    return 2;
  }

  globals.color = color == "always"  ? ColorMode::kAlways
                  : color == "never" ? ColorMode::kNever
                                     : ColorMode::kAuto;
  if (serve->parsed()) return RunServe(globals, serve_options);
  if (probe->parsed()) return RunPluginProbe(globals, probe_options);
  if (list->parsed()) return RunPluginsList(globals, list_options);
  if (check->parsed()) return RunPluginsCheck(globals, check_options);
  std::cerr << ShortUsage();
  return 2;
}

}  // namespace sb::cli
