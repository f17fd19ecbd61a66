// The one copy of the score-event rules: event letters, Csound 7 event kinds,
// p-field and time checks. Used by Csound, PerformanceThread and BlockProcessor.
#pragma once

#include <cstddef>

namespace csoundpp::events {

// Csound 7's event kinds (CS_INSTR_EVENT, CS_TABLE_EVENT, CS_END_EVENT) as score letters.
enum Kind : int { Instr = 0, Table = 1, End = 2 };

// 'i', 'f' or 'e' for a Csound 7 kind; throws std::invalid_argument for another value.
char letter_of(int kind);

// Throws std::invalid_argument unless type is a score statement letter Csound accepts
// from the API (i f a e q d b B s x m n r t v w y).
void check_type(char type);

// Throws std::invalid_argument naming the first p-field (1-based) that is NaN or infinite.
void check_pfields(const double* pfields, std::size_t n);

// Throws std::invalid_argument("<what> must be finite[ and >= 0]").
void check_time(double t, const char* what, bool non_negative = false);

}  // namespace csoundpp::events
