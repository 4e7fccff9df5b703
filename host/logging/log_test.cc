// Tests of the logging setup: FlushLogs returns only when every earlier line has been written, so
// an exit path that calls it before _exit keeps its last lines (CLI-183 at process level), and a
// log file is owner-only.
#include "logging/log.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "temp_path.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

// Reads a FIFO slowly on its own thread, so whoever writes to it has to wait. The read end is
// opened (non-blocking) before any writer, and end of file counts only after Finish(): SetupLogging
// opens and closes the file once before its sink opens it for good.
class SlowFifoReader {
 public:
  explicit SlowFifoReader(const fs::path& path)
      : fd_(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)) {
    thread_ = std::thread([this] {
      char buffer[4096];
      for (;;) {
        std::this_thread::sleep_for(std::chrono::microseconds(500));
        std::lock_guard lock(mutex_);
        ssize_t n = read(fd_, buffer, sizeof buffer);
        if (n > 0) {
          read_bytes_ += static_cast<size_t>(n);
        } else if (n == 0 && finishing_.load()) {
          break;  // every writer has closed the FIFO
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
          break;
        }
      }
    });
  }
  ~SlowFifoReader() {
    Finish();
    if (fd_ >= 0) close(fd_);
  }

  bool ok() const { return fd_ >= 0; }

  // Bytes the writer has handed over so far: read, plus still in the pipe.
  size_t WrittenBytes() {
    std::lock_guard lock(mutex_);
    int pending = 0;
    ioctl(fd_, FIONREAD, &pending);
    return read_bytes_ + static_cast<size_t>(pending);
  }

  // Reads until the writers have closed the FIFO; returns everything they wrote.
  size_t Finish() {
    finishing_.store(true);
    if (thread_.joinable()) thread_.join();
    return read_bytes_;
  }

 private:
  int fd_;
  std::thread thread_;
  std::mutex mutex_;
  std::atomic<bool> finishing_{false};
  size_t read_bytes_ = 0;
};

TEST(Logging, FlushLogsWaitsForTheAsyncLoggerToWriteEveryEarlierLine) {
  // The log file is a FIFO read slowly, so the logger thread is still writing when FlushLogs is
  // called; the lines are long (1.6 MB in all, far more than a pipe holds) and fewer than the
  // async queue holds (128), so none is dropped by design. stderr goes to /dev/null meanwhile.
  const fs::path fifo = test::TempPath("sb-log").string() + ".fifo";
  fs::remove(fifo);
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  SlowFifoReader reader(fifo);
  ASSERT_TRUE(reader.ok());
  const int saved_stderr = dup(STDERR_FILENO);
  const int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  dup2(devnull, STDERR_FILENO);

  SetupLogging("info", fifo.string(), /*async=*/true);
  const std::string padding(16 * 1024, 'x');
  for (int i = 0; i < 100; ++i) spdlog::info("{} line {}", padding, i);
  FlushLogs(60000);
  const size_t at_return = reader.WrittenBytes();
  SetupLogging("warn");  // a synchronous logger again; the old one closes the FIFO when done
  const size_t total = reader.Finish();

  dup2(saved_stderr, STDERR_FILENO);
  close(saved_stderr);
  close(devnull);
  fs::remove(fifo);
  EXPECT_GT(total, 100u * padding.size());
  EXPECT_EQ(at_return, total) << "FlushLogs returned before the logger had written every line";
}

TEST(Logging, LogFileIsOwnerOnly) {
  const fs::path file = test::TempPath("sb-log").string() + ".log";
  fs::remove(file);
  SetupLogging("info", file.string());
  spdlog::info("one line");
  FlushLogs(1000);
  const auto perms = fs::status(file).permissions();
  SetupLogging("warn");
  fs::remove(file);
  EXPECT_EQ(perms & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
}

}  // namespace
}  // namespace sb
