// line_reader.h — reads newline-framed messages from the protocol input (MCP.md §1, §11).
//
// Purpose: splits the input into lines; skips a UTF-8 byte-order mark at the very start; removes
// one `\r` before `\n`; drops empty and whitespace-only lines; discards a final line cut off by
// EOF; and bounds memory: a line over `max_line_bytes` stops being buffered at once, the rest of it
// is discarded up to the next `\n`, and the caller is told once (kOversize). Copes with a
// non-blocking descriptor (poll on EAGAIN) and EINTR. While waiting it also watches `wake_fd`,
// so a signal or a stop request ends the wait.
//
// Threads: one reader thread owns the object.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sb::mcp {

class LineReader {
 public:
  LineReader(int fd, size_t max_line_bytes);

  enum class Event { kLine, kOversize, kEof, kWake };

  // Waits for the next event. On kLine, `line` holds the line without its terminator. kWake means
  // one of `wake_fds` became readable (the caller decides what to do; nothing was consumed).
  Event Next(std::string& line, const std::vector<int>& wake_fds);

 private:
  int fd_;
  size_t max_;
  std::string buffer_;    // bytes read but not yet returned
  size_t scan_from_ = 0;  // where to continue looking for '\n' in buffer_
  bool discarding_ = false;
  bool at_start_ = true;
  bool eof_ = false;
};

}  // namespace sb::mcp
