// The C++ error types of csoundpp. The Python bindings translate them to the
// csoundpp.CsoundError hierarchy (see cpp/bindings/module.cpp).
#pragma once

#include <stdexcept>
#include <string>

namespace csoundpp {

// A Csound call failed; status() is the Csound status code (CSOUND_ERROR, ...).
class CsoundError : public std::runtime_error {
 public:
  explicit CsoundError(const std::string& what, int status = -1)
      : std::runtime_error(what), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

// Orchestra / CSD / score compilation failed; what() carries Csound's diagnostics.
class CompileError : public CsoundError {
 public:
  using CsoundError::CsoundError;
};

// The instance (or thread) is in a state where the operation is not possible
// (destroyed, not started, performance already ended, ...).
class StateError : public CsoundError {
 public:
  using CsoundError::CsoundError;
};

// A bounded queue is full; nothing was enqueued.
class QueueFullError : public CsoundError {
 public:
  using CsoundError::CsoundError;
};

// A wait ran out of time.
class TimeoutError : public CsoundError {
 public:
  using CsoundError::CsoundError;
};

}  // namespace csoundpp
