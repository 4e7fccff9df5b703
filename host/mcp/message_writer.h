// message_writer.h — the one serialized writer of the protocol output (MCP.md §1).
//
// Purpose: every outgoing message, from any thread, is queued here and written by one writer
// thread as a whole line followed by `\n`, so two messages never interleave. The queue is bounded
// (64 MiB of pending bytes by default): when it is full, notifications are dropped first (and
// counted); responses are never dropped. Short writes, EINTR and a non-blocking descriptor (poll on
// EAGAIN) are handled. A permanent write error (EPIPE: the client is gone) marks the writer broken,
// discards what is queued, and calls the `on_broken` callback once.
//
// Threads: Send and Flush may be called from any thread; Start and the destructor from one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace sb::mcp {

class MessageWriter {
 public:
  enum class Kind { kResponse, kNotification };

  explicit MessageWriter(int fd, size_t max_pending_bytes = size_t{64} << 20);
  ~MessageWriter();
  MessageWriter(const MessageWriter&) = delete;
  MessageWriter& operator=(const MessageWriter&) = delete;

  void Start(std::function<void()> on_broken);
  // Writes what is queued (unless broken), then stops the writer thread (idempotent; the
  // destructor calls it). Send fails afterwards.
  void Shutdown();

  // Queues `line` (no terminator). Returns false when it was dropped (queue full, or broken).
  bool Send(std::string line, Kind kind);

  // Waits until everything queued has been written, or `timeout` passes. True when flushed.
  bool Flush(std::chrono::milliseconds timeout);

  size_t dropped_notifications() const;
  bool broken() const;

 private:
  struct Item {
    std::string line;
    Kind kind;
  };
  void Loop();
  bool WriteAll(const std::string& data);

  int fd_;
  size_t max_pending_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Item> queue_;
  size_t pending_bytes_ = 0;
  bool writing_ = false;
  bool stop_ = false;
  bool broken_ = false;
  size_t dropped_ = 0;
  std::function<void()> on_broken_;
  std::thread thread_;
};

}  // namespace sb::mcp
