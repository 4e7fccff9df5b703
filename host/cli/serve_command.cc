#include <fcntl.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#include "agents/agents_repository.h"
#include "cli/serve_command.h"
#include "config/paths.h"
#include "logging/log.h"
#include "mcp/server.h"
#include "serve/serve_context.h"
#include "tools/serve_tools.h"
#include "version.h"

namespace sb::cli {
namespace {

// Blocks the shutdown signals in every thread (threads inherit the mask) and returns a signalfd
// that reports them to the reader's poll loop: no work ever happens in a signal handler.
int BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

// MCP.md §1 "Protecting the stream": the protocol keeps private close-on-exec copies of stdin
// and stdout; descriptor 0 becomes /dev/null and descriptor 1 becomes stderr, so stray writes and
// children can neither corrupt the stream nor steal its input.
bool ProtectStdio(int& in_fd, int& out_fd) {
  in_fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
  out_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (in_fd < 0 || out_fd < 0) return false;
  int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull >= 0) {
    dup2(devnull, STDIN_FILENO);
    close(devnull);
  }
  dup2(STDERR_FILENO, STDOUT_FILENO);
  return true;
}

}  // namespace

int RunServe(const GlobalOptions& globals, const ServeOptions& options) {
  const int signal_fd = BlockShutdownSignals();
  int in_fd = -1;
  int out_fd = -1;
  if (!ProtectStdio(in_fd, out_fd)) {
    std::cerr << "Error: cannot set up the protocol descriptors\n";
    return 1;
  }
  const bool stdin_is_terminal = isatty(in_fd) == 1;

  // Log level: --log-level, then SWITCHBOARD_LOG, then [host] log_level, then info. The logger
  // starts at warn (errors in plugins.toml are shown); its level is set once plugins.toml, which
  // is parsed synchronously, is known.
  const char* env_level = std::getenv("SWITCHBOARD_LOG");
  const bool env_ok = env_level != nullptr && *env_level != '\0' && IsLogLevelName(env_level);
  SetupLogging("warn", options.log_file, true);
  ServeContext context(ResolveConfigDir(globals.config_dir), globals.state_dir);
  std::string level = options.log_level ? *options.log_level
                      : env_ok          ? std::string(env_level)
                                        : context.plugins_config().host.log_level;
  SetLogLevel(level);
  if (env_level != nullptr && *env_level != '\0' && !env_ok && !options.log_level) {
    spdlog::warn("SWITCHBOARD_LOG={} is not a log level; using {}", env_level, level);
  }
  if (stdin_is_terminal) {
    spdlog::warn(
        "switchboard serve speaks MCP on stdin/stdout and expects an MCP client, not a terminal");
  }
  spdlog::info("switchboard {} serving MCP on stdio (config {}, state {})", SWITCHBOARD_VERSION,
               context.config_dir().string(), context.state_dir());

  mcp::ToolRegistry registry;
  tools::RegisterServeTools(registry, context);
  context.StartPluginLoading();

  mcp::ServerOptions server_options;
  server_options.server_version = SWITCHBOARD_VERSION;
  server_options.max_message_bytes =
      static_cast<size_t>(context.plugins_config().host.mcp_max_message_bytes);
  server_options.max_inflight = static_cast<size_t>(context.plugins_config().host.mcp_max_inflight);
  // The server lives until _exit: its threads may be inside tool calls that never return.
  auto* server = new mcp::Server(server_options, registry, in_fd, out_fd);
  mcp::Server::StopReason reason = server->Run(signal_fd);
  switch (reason) {
    case mcp::Server::StopReason::kEof:
      spdlog::info("stdin closed; shutting down");
      break;
    case mcp::Server::StopReason::kSignal:
      break;
    case mcp::Server::StopReason::kOutputClosed:
      spdlog::info("stdout closed; shutting down");
      break;
    case mcp::Server::StopReason::kStopped:
      break;
  }
  server->BeginShutdown();
  // Let an agents.toml write that is under way finish (it takes milliseconds), within a bound.
  AgentsRepository::StopWritesAndWait(std::chrono::milliseconds(200));
  server->FlushOutput(std::chrono::milliseconds(100));
  FlushLogs(250);
  // Exit without running destructors: no plugin, thread or static destructor can hold the exit.
  _exit(0);
}

}  // namespace sb::cli
