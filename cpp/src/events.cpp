#include "csoundpp/events.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

namespace csoundpp::events {

char letter_of(int kind) {
  switch (kind) {
    case Instr: return 'i';
    case Table: return 'f';
    case End: return 'e';
    default: throw std::invalid_argument("unknown event kind " + std::to_string(kind));
  }
}

void check_type(char type) {
  if (type == 0 || std::strchr("ifaeqdbBsxmnrtvwy", type) == nullptr)
    throw std::invalid_argument(std::string("unknown score event type '") + (type ? type : '?') + "'");
}

void check_pfields(const double* pfields, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(pfields[i]))
      throw std::invalid_argument("p-field " + std::to_string(i + 1) + " is not a finite number");
}

void check_time(double t, const char* what, bool non_negative) {
  if (!std::isfinite(t) || (non_negative && t < 0))
    throw std::invalid_argument(std::string(what) + (non_negative ? " must be finite and >= 0" : " must be finite"));
}

}  // namespace csoundpp::events
