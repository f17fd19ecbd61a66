#include "csoundpp/options.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace csoundpp {
namespace {

// Short flags of Csound 6.18's argdecode that read a value: attached ("-k9600") or the next
// argument ("-k 9600").
constexpr std::string_view kShortWithValue = "UiobBrkmxtLMQOj@";
// Short flags that take an optional attached digit and nothing else.
constexpr std::string_view kShortOptionalDigits = "vHzZ";

// Long options of `csound --help` written --name=VALUE.
constexpr std::array<std::string_view, 34> kLongWithValue = {
    "format", "iobufsamps", "hardwarebufsamps", "midifile", "midioutfile", "midi-device",
    "heartbeat", "input", "output", "logfile", "tempo", "control-rate", "sample-rate",
    "score-in", "messagelevel", "messageolevel", "m-amps", "m-range", "m-warnings", "m-raw",
    "m-dB", "m-colours", "m-benchmarks", "csd-line-nums", "extract-score", "utility",
    "opcode-dir", "opcode-lib", "opcode-omit", "midi-key", "midi-key-cps", "midi-key-oct",
    "midi-key-pch", "midi-velocity"};
constexpr std::array<std::string_view, 11> kLongWithValue2 = {
    "midi-velocity-amp", "nchnls", "nchnls_i", "0dbfs", "port", "vbr-quality", "ksmps",
    "fftlib", "default-ksmps", "recursion-depth", "sinesize"};
// Long options whose value is optional: joined only with a value of the expected shape.
constexpr std::array<std::string_view, 6> kLongOptional = {"sched", "limiter", "devices", "midi-devices",
                                                          "keep-sorted-score", "simple-sorted-score"};

bool in(std::string_view name, auto const& list) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

bool is_number(std::string_view s) {
  if (s.empty()) return false;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool digit = false, dot = false;
  for (; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) digit = true;
    else if (s[i] == '.' && !dot) dot = true;
    else return false;
  }
  return digit;
}

bool optional_value_fits(std::string_view name, std::string_view value) {
  if (name == "devices" || name == "midi-devices") return value == "in" || value == "out";
  if (name == "sched" || name == "limiter") return is_number(value);
  return !value.starts_with("-");  // a score file name
}

}  // namespace

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\'' ) {
      const auto end = text.find('\'', i + 1);
      if (end == std::string_view::npos) throw OptionSyntaxError("unterminated ' quote in options");
      cur.append(text.substr(i + 1, end - i - 1));
      i = end;
      in_word = true;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < text.size() && text[j] != '"'; ++j) {
        if (text[j] == '\\' && j + 1 < text.size() && (text[j + 1] == '"' || text[j + 1] == '\\')) ++j;
        cur.push_back(text[j]);
      }
      if (j >= text.size()) throw OptionSyntaxError("unterminated \" quote in options");
      i = j;
      in_word = true;
    } else if (c == '\\' && i + 1 < text.size()) {
      cur.push_back(text[++i]);
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(std::move(cur));
      cur.clear();
      in_word = false;
    } else {
      cur.push_back(c);
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(cur));
  return words;
}

std::vector<std::string> split_options(std::string_view text) {
  const auto words = split_words(text);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    const bool has_next = i + 1 < words.size();
    if (w.size() > 2 && w[0] == '-' && w[1] == '-') {  // --long[=value]
      const std::string_view name = std::string_view(w).substr(2);
      if (name.find('=') == std::string_view::npos) {
        if (in(name, kLongWithValue) || in(name, kLongWithValue2)) {
          if (!has_next) throw OptionSyntaxError("option " + w + " needs a value");
          out.push_back(w + "=" + words[++i]);
          continue;
        }
        if (in(name, kLongOptional) && has_next && optional_value_fits(name, words[i + 1])) {
          out.push_back(w + "=" + words[++i]);
          continue;
        }
      }
      out.push_back(w);
    } else if (w.size() > 2 && w[0] == '-' && w[1] == '+') {  // -+cfgvar=value
      if (w.find('=') == std::string::npos) {
        if (!has_next) throw OptionSyntaxError("option " + w + " needs a value");
        out.push_back(w + "=" + words[++i]);
        continue;
      }
      out.push_back(w);
    } else if (w.size() > 1 && w[0] == '-') {  // a cluster of short flags, e.g. -dm0 or -o
      bool needs_next = false, optional_next = false;
      for (std::size_t k = 1; k < w.size(); ++k) {
        const char c = w[k];
        if (kShortWithValue.find(c) != std::string_view::npos) {
          needs_next = (k + 1 == w.size());  // else the rest of the word is the value
          break;
        }
        if (c == 'F') {  // -F [midifile]: without a name it only switches MIDI file input on
          optional_next = (k + 1 == w.size());
          break;
        }
        if (kShortOptionalDigits.find(c) != std::string_view::npos)
          while (k + 1 < w.size() && std::isdigit(static_cast<unsigned char>(w[k + 1]))) ++k;
      }
      if (needs_next) {
        if (!has_next) throw OptionSyntaxError("option " + w + " needs a value");
        out.push_back(w + words[++i]);
      } else if (optional_next && has_next && !words[i + 1].starts_with("-")) {
        out.push_back(w + words[++i]);
      } else {
        out.push_back(w);
      }
    } else {
      out.push_back(w);  // an orchestra, score or .csd name
    }
  }
  return out;
}

}  // namespace csoundpp
