// Looking at orchestra and score text before libcsound does (score_text.cpp): the lines outside
// /* */ comments, and the score shapes libcsound's score reader takes the process down on.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <csound/csound.h>

namespace csoundpp::detail {

// The lines of `text` outside /* */ block comments, leading blanks removed; blank lines and
// lines opening a block comment are skipped. `lineno()` is the 1-based line number of the last
// line returned. Views into `text`, which must outlive the walk.
class CodeLines {
 public:
  explicit CodeLines(std::string_view text) noexcept : text_(text) {}
  bool next(std::string_view& line) noexcept;
  std::size_t lineno() const noexcept { return lineno_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t lineno_ = 0;
  bool in_block_comment_ = false;
};

// Csound 7's score reader and csoundParseOrc report an #include'd file they cannot open through
// csoundDie, a longjmp csoundpp cannot arm there: the process would end. So csoundpp looks for
// every #include'd file of `text` first (nested ones too, where Csound looks: as given, then the
// INCDIR, SSDIR, SFDIR, SADIR folders) and returns the error Csound would report for the first
// one missing ("Cannot open #include'd file NAME\n"), "" when all are there or there is none.
std::string missing_include_error(CSOUND* cs, const std::string& text);

// Throws std::invalid_argument naming `what` and the score line when `text` holds a shape
// libcsound's score reader (sread.c) crashes or loops forever on: `#undef` with no name or of a
// macro the same text did not #define, and `n NAME` repeating an `m NAME` of its own section.
// Conservative: only those shapes, outside `;` and /* */ comments.
void refuse_fatal_score_text(const char* what, std::string_view text);

// The same for the <CsScore> of CSD text (not one an external program generates: bin=...).
void refuse_fatal_csd_score(std::string_view csd);

}  // namespace csoundpp::detail
