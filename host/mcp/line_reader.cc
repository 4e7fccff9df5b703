#include "mcp/line_reader.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace sb::mcp {
namespace {

bool IsBlank(const std::string& s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v') return false;
  }
  return true;
}

constexpr size_t kChunk = 65536;

}  // namespace

LineReader::LineReader(int fd, size_t max_line_bytes) : fd_(fd), max_(max_line_bytes) {}

LineReader::Event LineReader::Next(std::string& line, const std::vector<int>& wake_fds) {
  for (;;) {
    // 1. A complete line in the buffer?
    size_t nl = buffer_.find('\n', scan_from_);
    if (nl != std::string::npos) {
      if (discarding_) {
        buffer_.erase(0, nl + 1);
        scan_from_ = 0;
        discarding_ = false;
        return Event::kOversize;
      }
      line.assign(buffer_, 0, nl);
      buffer_.erase(0, nl + 1);
      scan_from_ = 0;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.size() > max_) return Event::kOversize;
      if (IsBlank(line)) continue;
      return Event::kLine;
    }
    scan_from_ = buffer_.size();
    if (!discarding_ && buffer_.size() > max_) {
      // Over the limit without a terminator: stop buffering, discard to the next '\n'.
      discarding_ = true;
    }
    if (discarding_) {
      buffer_.clear();
      scan_from_ = 0;
    }
    if (eof_) {
      buffer_.clear();
      if (discarding_) {
        discarding_ = false;
        return Event::kOversize;
      }
      return Event::kEof;
    }

    // 2. Read more, watching the wake descriptors too.
    std::vector<pollfd> fds;
    fds.push_back({fd_, POLLIN, 0});
    for (int w : wake_fds) fds.push_back({w, POLLIN, 0});
    int ready = poll(fds.data(), fds.size(), -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      eof_ = true;
      continue;
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if (fds[i].revents != 0) return Event::kWake;
    }
    if (fds[0].revents == 0) continue;
    char chunk[kChunk];
    ssize_t n = read(fd_, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      eof_ = true;
      continue;
    }
    if (n == 0) {
      eof_ = true;
      continue;
    }
    size_t offset = 0;
    if (at_start_) {
      // A UTF-8 byte-order mark at the very start of the stream is skipped.
      buffer_.append(chunk, static_cast<size_t>(n));
      if (buffer_.size() < 3 &&
          std::string("\xEF\xBB\xBF").compare(0, buffer_.size(), buffer_) == 0)
        continue;
      if (buffer_.compare(0, 3, "\xEF\xBB\xBF") == 0) buffer_.erase(0, 3);
      at_start_ = false;
      continue;
    }
    buffer_.append(chunk + offset, static_cast<size_t>(n) - offset);
  }
}

}  // namespace sb::mcp
