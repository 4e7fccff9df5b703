// request_pool.h — the threads that run tool calls (MCP.md §10).
//
// Purpose: a task is handed to an idle thread when there is one; otherwise a new thread starts,
// up to `max_threads` (the in-flight limit), so every in-flight call has a thread and a waiting
// tool never delays another. Threads stay for reuse (warm calls pay no thread start).
//
// Threads: Submit from any thread. The destructor waits for running tasks to return; the server
// cancels them first. (`switchboard serve` exits with _exit and never runs the destructor.)
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sb::mcp {

class RequestPool {
 public:
  explicit RequestPool(size_t max_threads);
  ~RequestPool();
  RequestPool(const RequestPool&) = delete;
  RequestPool& operator=(const RequestPool&) = delete;

  void Submit(std::function<void()> task);
  // Waits for running tasks to return and stops the threads (idempotent; the destructor calls it).
  void Shutdown();
  size_t threads() const;

 private:
  void Loop();

  size_t max_threads_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stop_ = false;
};

}  // namespace sb::mcp
