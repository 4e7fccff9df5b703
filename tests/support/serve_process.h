// serve_process.h — a real `switchboard serve` child for tests: its stdin, stdout and stderr are
// pipes the test owns, so a test writes protocol lines, reads them back with a deadline, closes
// stdin, sends signals and waits for the exit status. No shell is involved.
//
// Threads: one test thread uses an instance. stderr is collected by a background thread so a
// chatty server never blocks on a full pipe.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "child_env.h"

namespace sb::test {

class ServeProcess {
 public:
  // Starts `argv` with the current environment plus `env` (a value of "" unsets the variable).
  ServeProcess(const std::vector<std::string>& argv,
               const std::map<std::string, std::string>& env) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
      return;
    std::vector<std::string> env_strings = ChildEnvironment(env);
    std::vector<char*> envp = CArray(env_strings);
    std::vector<std::string> argv_strings = argv;
    std::vector<char*> args = CArray(argv_strings);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    started_ = posix_spawn(&pid_, argv[0].c_str(), &actions, &attr, args.data(), envp.data()) == 0;
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    stderr_ = err[0];
    stderr_reader_ = std::thread([this] {
      char buf[4096];
      for (;;) {
        ssize_t n = read(stderr_, buf, sizeof buf);
        if (n <= 0) {
          std::lock_guard<std::mutex> lock(stderr_mutex_);
          stderr_eof_ = true;
          stderr_cv_.notify_all();
          return;
        }
        std::lock_guard<std::mutex> lock(stderr_mutex_);
        stderr_text_.append(buf, static_cast<size_t>(n));
      }
    });
  }

  ~ServeProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      Wait(std::chrono::seconds(5));
    }
    CloseStdin();
    if (stdout_ >= 0) close(stdout_);
    if (stderr_reader_.joinable()) stderr_reader_.join();
    if (stderr_ >= 0) close(stderr_);
  }

  bool started() const { return started_; }
  pid_t pid() const { return pid_; }

  bool Write(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = write(stdin_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }
  bool Send(const std::string& line) { return Write(line + "\n"); }

  void CloseStdin() {
    if (stdin_ >= 0) {
      close(stdin_);
      stdin_ = -1;
    }
  }
  void CloseStdout() {
    if (stdout_ >= 0) {
      close(stdout_);
      stdout_ = -1;
    }
  }

  // The next stdout line, or nullopt at EOF or after `timeout`.
  std::optional<std::string> ReadLine(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        all_stdout_ += line + "\n";
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0 || stdout_ < 0) return std::nullopt;
      pollfd pfd{stdout_, POLLIN, 0};
      if (poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
      char chunk[65536];
      ssize_t n = read(stdout_, chunk, sizeof chunk);
      if (n <= 0) {
        stdout_eof_ = true;
        return std::nullopt;
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  // Reads stdout to EOF (or `timeout`) and returns everything read so far, including earlier lines.
  std::string DrainStdout(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    while (ReadLine(timeout)) {
    }
    return all_stdout_ + buffer_;
  }

  void Signal(int sig) {
    if (pid_ > 0) kill(pid_, sig);
  }

  // The exit status (WIFEXITED → code, signalled → 128 + signal), or nullopt after `timeout`.
  std::optional<int> Wait(std::chrono::milliseconds timeout) {
    if (exited_) return status_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int status = 0;
      pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exited_ = true;
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return status_;
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  // Everything the server wrote to stderr so far; once it has exited, everything it wrote.
  std::string Stderr() {
    std::unique_lock<std::mutex> lock(stderr_mutex_);
    if (exited_) stderr_cv_.wait_for(lock, std::chrono::seconds(5), [this] { return stderr_eof_; });
    return stderr_text_;
  }

 private:
  pid_t pid_ = -1;
  bool started_ = false;
  bool exited_ = false;
  int status_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int stderr_ = -1;
  bool stdout_eof_ = false;
  std::string buffer_;
  std::string all_stdout_;
  std::thread stderr_reader_;
  std::mutex stderr_mutex_;
  std::condition_variable stderr_cv_;
  bool stderr_eof_ = false;
  std::string stderr_text_;
};

}  // namespace sb::test
