#include "mcp/message_writer.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace sb::mcp {

MessageWriter::MessageWriter(int fd, size_t max_pending_bytes)
    : fd_(fd), max_pending_(max_pending_bytes) {}

MessageWriter::~MessageWriter() { Shutdown(); }

void MessageWriter::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MessageWriter::Start(std::function<void()> on_broken) {
  on_broken_ = std::move(on_broken);
  thread_ = std::thread([this] { Loop(); });
}

bool MessageWriter::Send(std::string line, Kind kind) {
  line.push_back('\n');
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (broken_ || stop_) return false;
    if (pending_bytes_ + line.size() > max_pending_) {
      if (kind == Kind::kNotification) {
        ++dropped_;
        return false;
      }
      // A response is never dropped: make room by dropping queued notifications.
      for (auto it = queue_.begin();
           it != queue_.end() && pending_bytes_ + line.size() > max_pending_;) {
        if (it->kind == Kind::kNotification) {
          pending_bytes_ -= it->line.size();
          ++dropped_;
          it = queue_.erase(it);
        } else {
          ++it;
        }
      }
    }
    pending_bytes_ += line.size();
    queue_.push_back(Item{std::move(line), kind});
  }
  wake_.notify_one();
  return true;
}

bool MessageWriter::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return broken_ || (queue_.empty() && !writing_); });
}

size_t MessageWriter::dropped_notifications() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

bool MessageWriter::broken() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return broken_;
}

bool MessageWriter::WriteAll(const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd_, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd pfd{fd_, POLLOUT, 0};
      poll(&pfd, 1, -1);
      continue;
    }
    return false;  // EPIPE or another permanent error
  }
  return true;
}

void MessageWriter::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty() && stop_) return;
    // Write every queued message in one batch (fewer system calls under load).
    std::string batch;
    while (!queue_.empty()) {
      batch += queue_.front().line;
      pending_bytes_ -= queue_.front().line.size();
      queue_.pop_front();
    }
    writing_ = true;
    lock.unlock();
    bool ok = WriteAll(batch);
    lock.lock();
    writing_ = false;
    if (!ok) {
      broken_ = true;
      queue_.clear();
      pending_bytes_ = 0;
      idle_.notify_all();
      lock.unlock();
      if (on_broken_) on_broken_();
      lock.lock();
      // Stay alive (idle) until stopped, discarding whatever arrives.
      wake_.wait(lock, [this] { return stop_; });
      return;
    }
    if (queue_.empty()) idle_.notify_all();
  }
}

}  // namespace sb::mcp
