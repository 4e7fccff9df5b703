// result.h — the host's one error type and Result<T>, from the plugin boundary up to the handler.
//
// Purpose: a Failure names what is wrong (`message`), the input at fault (`field`, may be empty),
// the fix (`hint`, may be empty) and a stable `code` (e.g. "invalid_argument", "plugin_refused",
// "config_unreadable"). Result<T> holds either a value or a Failure. Tool handlers turn a Failure
// into the {"error", "code", "field", "hint"} envelope; the CLI prints "Error: <message>".
//
// Threads: plain values; no shared state.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace sb {

struct Failure {
  std::string code;
  std::string message;
  std::string field;
  std::string hint;
};

inline Failure MakeFailure(std::string code, std::string message, std::string hint = {},
                           std::string field = {}) {
  return Failure{std::move(code), std::move(message), std::move(field), std::move(hint)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Result(Failure failure) : state_(std::move(failure)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Failure& failure() const { return std::get<1>(state_); }

 private:
  std::variant<T, Failure> state_;
};

// Result<void>: success or a Failure.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Failure failure) : failure_(std::move(failure)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return !failure_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Failure& failure() const { return *failure_; }

 private:
  std::optional<Failure> failure_;
};

using Status = Result<void>;

}  // namespace sb
