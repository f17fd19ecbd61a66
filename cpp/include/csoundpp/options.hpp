#pragma once
// Command-line option strings as callers mean them.
//
// csoundSetOption() takes ONE option per call; given "-k 9600" or "-o dac -dm0" in one string,
// Csound 6 decodes the whole string as one argument (kr " 9600" happens to work, the output
// file becomes " dac -dm0"). split_options() turns such a string into the separate
// arguments a command line would have given: words split like a POSIX shell (quotes and
// backslashes), and an option whose value follows after a space joined with it the way
// Csound's argdecode reads it ("-k 9600" -> "-k9600", "--sample-rate 48000" ->
// "--sample-rate=48000", "-+rtaudio jack" -> "-+rtaudio=jack"). No libcsound call here.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace csoundpp {

// Thrown for an unterminated quote or an option that needs a value and has none.
struct OptionSyntaxError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Words of `text` split like a POSIX shell: whitespace separates, '...' and "..." quote,
// a backslash escapes the next character (outside single quotes).
std::vector<std::string> split_words(std::string_view text);

// The options of `text`, one per element, each ready for csoundSetOption().
std::vector<std::string> split_options(std::string_view text);

}  // namespace csoundpp
