// sha256.h — SHA-256 (FIPS 180-4) of a byte string, as lowercase hex.
//
// Purpose: the result cache's key and the agent profile fingerprint (TOOLS.md §7) are SHA-256
// digests; this small implementation keeps OpenSSL out of the host. Not meant for secrets (no
// constant-time guarantees are needed or given).
//
// Threads: Sha256 objects are plain values (one thread at a time per object); Sha256Hex is a pure
// function.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sb {

// Incremental hashing: Update any number of times, then Finish once.
class Sha256 {
 public:
  Sha256();

  void Update(std::string_view bytes);

  // The 32-byte digest. REQUIRES: called once; the object is spent afterwards.
  std::array<std::uint8_t, 32> Finish();

 private:
  void Compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// The SHA-256 digest of `bytes` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);

}  // namespace sb
