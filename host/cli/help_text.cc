#include "cli/help_text.h"

#include <map>

#include "version.h"

namespace sb::cli {
namespace {

constexpr const char* kGlobalOptions = R"(Global options:
  --config-dir DIR   configuration directory (default: $SWITCHBOARD_CONFIG_DIR, else
                     $XDG_CONFIG_HOME/switchboard, else ~/.config/switchboard)
  --state-dir DIR    state directory (default: $SWITCHBOARD_STATE_DIR, else [host] state_dir
                     of plugins.toml, else $XDG_STATE_HOME/switchboard)
  --color WHEN       colour: auto (default), always, never
  -h, --help         help for the command given, or this overview
  --version          print the version line
)";

std::string Overview() {
  return std::string(
             "Usage: switchboard [GLOBAL OPTIONS] COMMAND [SUBCOMMAND] [ARGUMENTS] [OPTIONS]\n\n") +
         "Switchboard lets an AI coding agent hand work to other agents, through plugins loaded\n"
         "over a versioned C ABI.\n\n" +
         kGlobalOptions +
         R"(
Commands:
  Processes:
    serve                run the MCP server on stdin/stdout (what Claude Code starts)
  Diagnostics:
    plugins list         show the configured plugins and whether they load
    plugins check PATH   check a plugin file step by step, in a child process
    help [COMMAND]       show help for a command

Run `switchboard COMMAND --help` for a command's options.
)";
}

const std::map<std::string, std::string>& Texts() {
  static const std::map<std::string, std::string> texts = {
      {"help", R"(Usage: switchboard help [COMMAND [SUBCOMMAND]]

Shows the help of a command, the same text as `switchboard COMMAND --help`; without a command,
the overview.

Arguments:
  COMMAND      a command, e.g. plugins
  SUBCOMMAND   a subcommand, e.g. check

Example:
  switchboard help plugins check
)"},
      {"serve", R"(Usage: switchboard serve [--log-level LEVEL] [--log-file PATH]

Runs the MCP server on stdin/stdout: register it with an MCP client such as Claude Code
(`claude mcp add switchboard -- switchboard serve`). stdout carries only protocol messages; logs go
to stderr. The server answers initialize and tools/list at once and loads plugins.toml's plugins
in the background. It exits on stdin EOF, SIGINT or SIGTERM.

Options:
  --log-level LEVEL   trace, debug, info, warn, error or off (default: $SWITCHBOARD_LOG, else
                      [host] log_level of plugins.toml, else info)
  --log-file PATH     also write the log to PATH (created with mode 0600; default: none)

Example:
  claude mcp add -s user switchboard -- /usr/local/bin/switchboard serve
)"},
      {"plugins", R"(Usage: switchboard plugins SUBCOMMAND [OPTIONS]

Shows and checks plugins: the shared libraries that provide runners, routers and stores.

Subcommands:
  list         show the configured plugins and whether they load
  check PATH   check a plugin file step by step, in a child process

Example:
  switchboard plugins list
)"},
      {"plugins list", R"(Usage: switchboard plugins list [--json]

Lists each plugin named in plugins.toml, plus the embedded defaults (store-sqlite,
routing-capability, claude-runner) for the roles the file leaves out. Each plugin is loaded and
created with its configuration; a row shows its name, kind, version, plugin ABI, the roles it is
active in (store, router, runner), its status (loaded, or failed with the reason) and the file
it was loaded from. Exits 0 when every plugin loaded, 1 otherwise.

Options:
  --json   print a JSON array of {name, kinds, version, license, abi, path, active_as,
           status, error?} instead of text (default: off)

Example:
  switchboard plugins list --json
)"},
      {"plugins check",
       R"(Usage: switchboard plugins check PATH [--config JSON | --config-file FILE] [--json]

Checks one plugin file the way the host loads it, each step reported as [OK] or [FAIL]: the file
is a shared library for this platform; it exports sb_plugin_entry_v1 (checked before any of its
code runs); it loads; its ABI version is compatible; its name, version and license are set; init
succeeds; each component is created with the configuration and destroyed; deinit. The steps run
in a child process killed after 30 s, so a crashing plugin is reported, not fatal. plugins.toml
is not read. Exits 0 when every step passed, 1 on any failure, 2 on a usage error.

Arguments:
  PATH                 the plugin file; a bare name that is not a file is looked up in
                       $SWITCHBOARD_PLUGIN_PATH and the installed plugin directory

Options:
  --config JSON        the component configuration as a JSON object (default: {})
  --config-file FILE   read the configuration JSON from FILE instead
  --json               print {path, status, plugin, steps, components} as JSON (default: off)

Example:
  switchboard plugins check build/lib/switchboard/plugins/routing-capability.so --config '{"order": "strict_priority"}'
)"},
  };
  return texts;
}

}  // namespace

std::optional<std::string> HelpText(const std::vector<std::string>& path) {
  if (path.empty()) return Overview();
  std::string key;
  for (const auto& word : path) key += (key.empty() ? "" : " ") + word;
  auto it = Texts().find(key);
  if (it == Texts().end()) return std::nullopt;
  return it->second;
}

std::string ShortUsage() {
  return "Usage: switchboard [GLOBAL OPTIONS] COMMAND ...\n\n"
         "Commands:\n"
         "  serve                run the MCP server on stdin/stdout\n"
         "  plugins list         show the configured plugins\n"
         "  plugins check PATH   check a plugin file\n"
         "  help [COMMAND]       show help\n\n"
         "Run `switchboard --help` for details.\n";
}

std::vector<std::string> TopLevelCommands() { return {"help", "plugins", "serve"}; }

std::vector<std::string> Subcommands(const std::string& command) {
  if (command == "plugins") return {"list", "check"};
  return {};
}

}  // namespace sb::cli
