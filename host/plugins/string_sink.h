// string_sink.h — an sb_sink that appends what a plugin writes to a std::string the host owns
// (ABI-032). The string must outlive the call the sink is passed to. Threads: the calling thread.
#pragma once

#include <switchboard/abi.h>

#include <string>

namespace sb {

inline sb_sink StringSink(std::string* out) {
  return sb_sink{sizeof(sb_sink), out, [](void* ctx, const char* data, size_t len) {
                   static_cast<std::string*>(ctx)->append(data, len);
                 }};
}

}  // namespace sb
