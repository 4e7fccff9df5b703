// bench_raw_warm_call: a dependency-free harness that drives `switchboard serve` over raw pipes
// and times it with sub-millisecond precision (spec/MCP.md §16.1, "a second, dependency-free
// harness"; §16.3's warm-call aim of 0.1 ms is for this harness). Reported, never asserted.
//
//   bench_raw_warm_call [--runs R] [--calls N] [--node NODE --everything SCRIPT] [SWITCHBOARD]
//
// Per run, a fresh `SWITCHBOARD serve` with empty temporary SWITCHBOARD_CONFIG_DIR and
// SWITCHBOARD_STATE_DIR: spawn → initialize response line, VmRSS after initialize, first
// tools/list, first `tools/call cache_stats`, ping, VmHWM before close, stdin EOF → exit. In the
// last run, N sequential `tools/call cache_stats` (default 1000). SWITCHBOARD defaults to
// $SWITCHBOARD_EXE, then `switchboard` beside this binary. With --everything, the reference
// server (`NODE SCRIPT stdio`, tool `echo`) runs through the same harness, interleaved, and
// ratios are printed. Exit status: 0, or 1 when a server misbehaves, 2 on bad usage.
//
// Only the direct child's memory is read (switchboard runs no children while idle).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

[[noreturn]] void Fail(const std::string& what) { throw std::runtime_error(what); }

// How to start one server and which cheap tool to call.
struct ServerSpec {
  std::string label;
  std::vector<std::string> argv;
  std::string tool_call_params;  // the JSON of tools/call's params
};

// One spawned server with pipes to its stdin and from its stdout; stderr goes to /dev/null.
class ServerProcess {
 public:
  ServerProcess(const ServerSpec& spec, const std::string& config_dir,
                const std::string& state_dir) {
    int to_child[2];
    int from_child[2];
    if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) Fail("pipe2 failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);

    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string entry = *e;
      if (entry.rfind("SWITCHBOARD_CONFIG_DIR=", 0) == 0 ||
          entry.rfind("SWITCHBOARD_STATE_DIR=", 0) == 0)
        continue;
      env_strings.push_back(entry);
    }
    env_strings.push_back("SWITCHBOARD_CONFIG_DIR=" + config_dir);
    env_strings.push_back("SWITCHBOARD_STATE_DIR=" + state_dir);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = spec.argv;
    std::vector<char*> argv;
    for (auto& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);

    spawned_at_ = Clock::now();
    int rc = posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(to_child[0]);
    close(from_child[1]);
    if (rc != 0) Fail("cannot start " + spec.argv[0] + ": " + std::strerror(rc));
    in_ = to_child[1];
    out_ = from_child[0];
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() {
    if (in_ >= 0) close(in_);
    if (out_ >= 0) close(out_);
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  Clock::time_point spawned_at() const { return spawned_at_; }
  pid_t pid() const { return pid_; }

  void WriteLine(const std::string& line) {
    std::string data = line + "\n";
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = write(in_, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) Fail(std::string("write to the server failed: ") + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
  }

  // The next line from the server's stdout (without the newline); fails on EOF or after 10 s.
  std::string ReadLine() {
    for (;;) {
      size_t nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
      }
      pollfd p{out_, POLLIN, 0};
      int ready = poll(&p, 1, 10000);
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0) Fail("the server sent no complete line within 10 s");
      char chunk[65536];
      ssize_t n = read(out_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) Fail("the server closed its stdout");
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  // Reads lines until the response to `id`, skipping notifications; fails on an error response.
  std::string ReadResponse(long id) {
    const std::string key = "\"id\":" + std::to_string(id);
    for (;;) {
      std::string line = ReadLine();
      size_t at = line.find(key);
      bool is_response = at != std::string::npos && at + key.size() < line.size() &&
                         (line[at + key.size()] == ',' || line[at + key.size()] == '}') &&
                         line.find("\"method\":\"") == std::string::npos;
      if (!is_response) continue;
      if (line.find("\"result\"") == std::string::npos ||
          line.find("\"isError\":true") != std::string::npos) {
        Fail("request " + std::to_string(id) + " failed: " + line.substr(0, 300));
      }
      return line;
    }
  }

  // kB value of a /proc/<pid>/status field, or -1.
  long StatusKb(const std::string& field) const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind(field + ":", 0) == 0)
        return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
    }
    return -1;
  }

  // Closes stdin and waits for the exit; returns milliseconds from the close to the exit.
  double CloseAndWait(int* status) {
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    Clock::time_point t0 = Clock::now();
    close(in_);
    in_ = -1;
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      int ready;
      do {
        ready = poll(&p, 1, 10000);
      } while (ready < 0 && errno == EINTR);
      double ms = MsSince(t0);
      close(pidfd);
      if (ready == 0) Fail("the server did not exit within 10 s of stdin EOF");
      waitpid(pid_, status, 0);
      reaped_ = true;
      return ms;
    }
    waitpid(pid_, status, 0);  // no pidfd (old kernel): the wait itself is the measurement
    reaped_ = true;
    return MsSince(t0);
  }

 private:
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  bool reaped_ = false;
  std::string buffer_;
  Clock::time_point spawned_at_;
};

struct RunResult {
  std::map<std::string, double> values;  // metric name → value
  std::vector<double> warm_us;
};

const char* const kInitialize =
    R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
    R"("capabilities":{},"clientInfo":{"name":"bench_raw_warm_call","version":"0"}}})";

std::string TempDir(const char* prefix) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp failed");
  return pattern;
}

RunResult RunOnce(const ServerSpec& spec, int warm_calls) {
  std::string config_dir = TempDir("sb-bench-config.");
  std::string state_dir = TempDir("sb-bench-state.");
  RunResult r;
  {
    ServerProcess server(spec, config_dir, state_dir);
    server.WriteLine(kInitialize);  // waits in the pipe until the server reads it
    server.ReadResponse(0);
    r.values["init_ms"] = MsSince(server.spawned_at());
    r.values["idle_rss_mb"] = static_cast<double>(server.StatusKb("VmRSS")) / 1000.0;
    server.WriteLine(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");

    long id = 1;
    auto timed = [&](const std::string& method, const std::string& params) {
      std::string request = R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")" +
                            method + "\"" + (params.empty() ? "" : ",\"params\":" + params) + "}";
      Clock::time_point t0 = Clock::now();
      server.WriteLine(request);
      server.ReadResponse(id++);
      return MsSince(t0);
    };
    r.values["list_ms"] = timed("tools/list", "");
    r.values["call1_ms"] = timed("tools/call", spec.tool_call_params);
    r.values["ping_ms"] = timed("ping", "");
    for (int i = 0; i < warm_calls; ++i)
      r.warm_us.push_back(timed("tools/call", spec.tool_call_params) * 1000.0);
    r.values["peak_rss_mb"] = static_cast<double>(server.StatusKb("VmHWM")) / 1000.0;
    int status = 0;
    r.values["exit_ms"] = server.CloseAndWait(&status);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      Fail(spec.label + " did not exit with status 0 on stdin EOF (wait status " +
           std::to_string(status) + ")");
    }
  }
  std::filesystem::remove_all(config_dir);
  std::filesystem::remove_all(state_dir);
  return r;
}

struct Stats {
  double median, min, max, p90, mean;
};

Stats Summarize(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  size_t n = xs.size();
  double sum = 0;
  for (double x : xs) sum += x;
  double median = n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  size_t p90 = static_cast<size_t>(std::ceil(0.9 * static_cast<double>(n))) - 1;
  return {median, xs.front(), xs.back(), xs[p90], sum / static_cast<double>(n)};
}

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::string SelfDir() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : self.parent_path().string();
}

int Usage(const char* msg) {
  std::fprintf(stderr,
               "bench_raw_warm_call: %s\nusage: bench_raw_warm_call [--runs R] [--calls N] "
               "[--node NODE --everything SCRIPT] [SWITCHBOARD]\n",
               msg);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 20;
  int calls = 1000;
  std::string node = "node";
  std::string everything;
  std::string exe;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    std::optional<std::string> v;
    if (a == "--runs" && (v = value())) {
      runs = std::atoi(v->c_str());
    } else if (a == "--calls" && (v = value())) {
      calls = std::atoi(v->c_str());
    } else if (a == "--node" && (v = value())) {
      node = *v;
    } else if (a == "--everything" && (v = value())) {
      everything = *v;
    } else if (!a.empty() && a[0] == '-') {
      return Usage(("bad option " + a).c_str());
    } else {
      exe = a;
    }
  }
  if (runs < 1 || calls < 1) return Usage("--runs and --calls must be at least 1");
  if (exe.empty()) {
    const char* env = std::getenv("SWITCHBOARD_EXE");
    exe = env != nullptr && *env != '\0' ? env : SelfDir() + "/switchboard";
  }
  signal(SIGPIPE, SIG_IGN);

  std::vector<ServerSpec> specs = {
      {"switchboard", {exe, "serve"}, R"({"name":"cache_stats","arguments":{}})"},
  };
  if (!everything.empty()) {
    specs.push_back({"server-everything",
                     {node, everything, "stdio"},
                     R"({"name":"echo","arguments":{"message":"bench"}})"});
  }

  std::vector<std::vector<RunResult>> results(specs.size());
  try {
    for (int run = 0; run < runs; ++run) {
      for (size_t s = 0; s < specs.size(); ++s) {
        results[s].push_back(RunOnce(specs[s], run == runs - 1 ? calls : 0));
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_raw_warm_call: %s\n", e.what());
    return 1;
  }

  const char* const metrics[] = {"init_ms", "list_ms",     "call1_ms",   "ping_ms",
                                 "exit_ms", "idle_rss_mb", "peak_rss_mb"};
  std::printf(
      "# bench_raw_warm_call: raw pipes, no client library; %d fresh spawns per server, "
      "interleaved; "
      "%d sequential warm calls in the last process\n",
      runs, calls);
  std::printf("switchboard: %s serve (tool cache_stats)\n", exe.c_str());
  if (!everything.empty())
    std::printf("server-everything: %s %s stdio (tool echo)\n", node.c_str(), everything.c_str());
  for (size_t s = 0; s < specs.size(); ++s) {
    std::printf("\n## %s\nfirst spawn:", specs[s].label.c_str());
    for (const char* m : metrics)
      std::printf(" %s=%s", m, Fmt(results[s].front().values[m]).c_str());
    std::printf("\n");
    for (const char* m : metrics) {
      std::vector<double> xs;
      for (auto& r : results[s]) xs.push_back(r.values[m]);
      Stats st = Summarize(xs);
      std::printf("%s median=%s min=%s max=%s p90=%s", m, Fmt(st.median).c_str(),
                  Fmt(st.min).c_str(), Fmt(st.max).c_str(), Fmt(st.p90).c_str());
      if (s == 0 && specs.size() > 1) {
        std::vector<double> ps;
        for (auto& r : results[1]) ps.push_back(r.values[m]);
        double peer = Summarize(ps).median;
        std::printf(" | %s %s ratio=%.3f", specs[1].label.c_str(), Fmt(peer).c_str(),
                    st.median / peer);
      }
      std::printf("\n");
    }
    Stats w = Summarize(results[s].back().warm_us);
    std::printf("warm_call_us median=%.1f p90=%.1f min=%.1f max=%.1f mean=%.1f (%d calls)",
                w.median, w.p90, w.min, w.max, w.mean, calls);
    if (s == 0 && specs.size() > 1) {
      Stats p = Summarize(results[1].back().warm_us);
      std::printf(" | %s median=%.1f ratio=%.3f", specs[1].label.c_str(), p.median,
                  w.median / p.median);
    }
    std::printf("\n");
  }
  Stats w = Summarize(results[0].back().warm_us);
  std::printf(
      "\ntarget (spec/MCP.md §16.3): warm cache_stats call aim <= 100 us: %s; alarm > 500 us: %s\n",
      w.median <= 100 ? "met" : "NOT met", w.median > 500 ? "RAISED" : "clear");
  return 0;
}
