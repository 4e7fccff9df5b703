// Tests of SHA-256 against the FIPS 180-4 / NIST example vectors and the padding boundaries.
#include "crypto/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace sb {
namespace {

std::string Hex(const std::array<std::uint8_t, 32>& digest) {
  std::string hex;
  for (auto byte : digest) {
    hex.push_back("0123456789abcdef"[byte >> 4]);
    hex.push_back("0123456789abcdef"[byte & 0x0F]);
  }
  return hex;
}

TEST(Sha256, NistEmptyMessage) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, NistAbc) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, Nist448BitMessage) {
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, Nist896BitMessage) {
  EXPECT_EQ(
      Sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmn"
                "opqklmnopqrlmnopqrsmnopqrstnopqrstu"),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, NistOneMillionA) {
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths around the 56- and 64-byte padding boundaries (expected values from `sha256sum`).
TEST(Sha256, PaddingBoundaries) {
  const std::pair<std::size_t, const char*> cases[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
      {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
      {128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
  };
  for (const auto& [length, expected] : cases) {
    EXPECT_EQ(Sha256Hex(std::string(length, 'a')), expected) << length << " bytes";
  }
}

TEST(Sha256, IncrementalUpdatesMatchOneShot) {
  const std::string message(1000, 'x');
  const std::string expected = Sha256Hex(message);
  for (std::size_t split : {0, 1, 55, 63, 64, 65, 127, 128, 999, 1000}) {
    for (std::size_t chunk : {1, 7, 64, 100}) {
      Sha256 hash;
      hash.Update(std::string_view(message).substr(0, split));
      for (std::size_t pos = split; pos < message.size(); pos += chunk) {
        hash.Update(std::string_view(message).substr(pos, chunk));
      }
      EXPECT_EQ(Hex(hash.Finish()), expected) << "split " << split << " chunk " << chunk;
    }
  }
}

TEST(Sha256, HashesBytesNotCharacters) {
  // Non-ASCII and NUL bytes are hashed as they are.
  EXPECT_EQ(Sha256Hex("{\"a\":1,\"b\":\"\xC3\xA9\"}"),
            "09ad9fd2fb648cb2f62141215828ea00a62c299db05d20aa9ade2f527a301cc6");
  EXPECT_NE(Sha256Hex(std::string("a\0b", 3)), Sha256Hex("ab"));
}

}  // namespace
}  // namespace sb
