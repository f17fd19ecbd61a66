#include "score_text.hpp"

#include <cctype>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include <unistd.h>

namespace csoundpp::detail {

bool CodeLines::next(std::string_view& out) noexcept {
  while (pos_ < text_.size()) {
    std::size_t eol = text_.find('\n', pos_);
    if (eol == std::string_view::npos) eol = text_.size();
    std::string_view line = text_.substr(pos_, eol - pos_);
    pos_ = eol + 1;
    ++lineno_;
    if (in_block_comment_) {
      std::size_t close = line.find("*/");
      if (close == std::string_view::npos) continue;
      line.remove_prefix(close + 2);
      in_block_comment_ = false;
    }
    std::size_t i = line.find_first_not_of(" \t\r");
    if (i == std::string_view::npos) continue;
    line.remove_prefix(i);
    if (line.substr(0, 2) == "/*") {
      if (line.find("*/", 2) == std::string_view::npos) in_block_comment_ = true;
      continue;
    }
    out = line;
    return true;
  }
  return false;
}

namespace {
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string_view word_after(std::string_view rest) {
  std::size_t i = rest.find_first_not_of(" \t\r");
  if (i == std::string_view::npos) return {};
  std::size_t j = i;
  while (j < rest.size() && name_char(rest[j])) ++j;
  return rest.substr(i, j - i);
}

// Csound's search for an #include'd file: as given, then the INCDIR, SSDIR, SFDIR, SADIR folders.
bool readable_file(const std::string& path) { return access(path.c_str(), R_OK) == 0; }

std::string find_include(CSOUND* cs, const std::string& name) {
  if (readable_file(name)) return name;
  if (!name.empty() && name[0] == '/') return {};
  for (const char* var : {"INCDIR", "SSDIR", "SFDIR", "SADIR"}) {
    const char* dirs = csoundGetEnv(cs, var);
    if (!dirs) continue;
    std::string all(dirs);
    std::size_t start = 0;
    while (start <= all.size()) {
      std::size_t end = all.find_first_of(";:", start);
      if (end == std::string::npos) end = all.size();
      std::string dir = all.substr(start, end - start);
      if (!dir.empty() && readable_file(dir + "/" + name)) return dir + "/" + name;
      start = end + 1;
    }
  }
  return {};
}

std::string missing_include(CSOUND* cs, const std::string& code, int depth) {
  CodeLines lines(code);
  std::string_view line;
  while (lines.next(line)) {
    if (line.substr(0, 8) != "#include" || line.substr(0, 11) == "#includestr") continue;
    line.remove_prefix(8);
    std::size_t i = line.find_first_not_of(" \t");
    if (i == std::string_view::npos) continue;
    const char delim = line[i];
    std::size_t close = line.find(delim, i + 1);
    if (close == std::string_view::npos) continue;  // Csound's own syntax error
    std::string name(line.substr(i + 1, close - i - 1));
    std::string found = find_include(cs, name);
    if (found.empty()) return name;
    if (depth < 16) {
      if (FILE* f = std::fopen(found.c_str(), "rb")) {
        std::string text;
        char buf[8192];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && text.size() < (64u << 20)) text.append(buf, n);
        std::fclose(f);
        std::string nested = missing_include(cs, text, depth + 1);
        if (!nested.empty()) return nested;
      }
    }
  }
  return {};
}
}  // namespace

std::string missing_include_error(CSOUND* cs, const std::string& text) {
  if (text.find("#include") == std::string::npos) return {};
  std::string missing = missing_include(cs, text, 0);
  return missing.empty() ? std::string() : "Cannot open #include'd file " + missing + "\n";
}

void refuse_fatal_score_text(const char* what, std::string_view text) {
  if (text.find("#undef") == std::string_view::npos && text.find('m') == std::string_view::npos) return;  // n needs an m
  std::unordered_set<std::string> defined;
  std::unordered_set<std::string> marks;  // m statements of the current section
  CodeLines lines(text);
  std::string_view line;
  auto refuse = [&](const std::string& shape, const char* why) {
    throw std::invalid_argument(std::string(what) + ": score line " + std::to_string(lines.lineno()) + " (" +
                                shape + ") " + why);
  };
  while (lines.next(line)) {
    std::size_t semi = line.find(';');
    if (semi != std::string_view::npos) line = line.substr(0, semi);
    if (line.empty()) continue;
    if (line.substr(0, 7) == "#define") {
      defined.insert(std::string(word_after(line.substr(7))));
    } else if (line.substr(0, 6) == "#undef") {
      std::string name(word_after(line.substr(6)));
      if (name.empty()) refuse("#undef with no macro name", "would crash libcsound's score reader");
      if (!defined.erase(name))
        refuse("#undef " + name,
               "names a macro this score text does not #define; libcsound's score reader would crash on it");
    } else if (line[0] == 's') {
      marks.clear();
    } else if (line[0] == 'm') {
      marks.insert(std::string(word_after(line.substr(1))));
    } else if (line[0] == 'n') {
      std::string name(word_after(line.substr(1)));
      const std::string shown = name.empty() ? std::string() : " " + name;
      if (marks.count(name))
        refuse("n" + shown, ("repeats the m" + shown +
                             " of its own section; libcsound's score reader would loop forever or crash on it "
                             "(put an s between them)").c_str());
    }
  }
}

void refuse_fatal_csd_score(std::string_view csd) {
  std::size_t open = csd.find("<CsScore");
  if (open == std::string_view::npos) return;
  std::size_t body = csd.find('>', open);
  if (body == std::string_view::npos) return;
  if (csd.substr(open, body - open).find("bin") != std::string_view::npos) return;
  std::size_t close = csd.find("</CsScore>", body);
  refuse_fatal_score_text("compileCsdText() <CsScore>",
                          csd.substr(body + 1, close == std::string_view::npos ? std::string_view::npos : close - body - 1));
}

}  // namespace csoundpp::detail
