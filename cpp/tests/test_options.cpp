// split_options: an option string as a command line would pass it to Csound, one option per
// csoundSetOption() call.
#include "csoundpp/options.hpp"
#include "testing.hpp"

using csoundpp::split_options;
using V = std::vector<std::string>;

TEST(short_option_with_its_value_after_a_space) {
  CHECK((split_options("-k 9600") == V{"-k9600"}));
  CHECK((split_options("-k9600") == V{"-k9600"}));
  CHECK((split_options("-o dac -dm0") == V{"-odac", "-dm0"}));
  CHECK((split_options("-dm 0") == V{"-dm0"}));
  CHECK((split_options("-W -s") == V{"-W", "-s"}));
}

TEST(long_and_cfgvar_options_with_a_space) {
  CHECK((split_options("--sample-rate 48000 --nodisplays") == V{"--sample-rate=48000", "--nodisplays"}));
  CHECK((split_options("--output=x.wav") == V{"--output=x.wav"}));
  CHECK((split_options("-+rtaudio jack -+jack_client=cs") == V{"-+rtaudio=jack", "-+jack_client=cs"}));
  CHECK((split_options("--sched 0 --limiter") == V{"--sched=0", "--limiter"}));
  CHECK((split_options("--devices out --midi-devices") == V{"--devices=out", "--midi-devices"}));
}

TEST(quotes_and_optional_values) {
  CHECK((split_options("-o 'my take.wav'") == V{"-omy take.wav"}));
  CHECK((split_options("--output=\"a b.wav\"") == V{"--output=a b.wav"}));
  CHECK((split_options("-o a\\ b.wav") == V{"-oa b.wav"}));
  CHECK((split_options("-F -T") == V{"-F", "-T"}));
  CHECK((split_options("-F song.mid") == V{"-Fsong.mid"}));
  CHECK((split_options("-v3 -H2 -z1") == V{"-v3", "-H2", "-z1"}));
  CHECK(split_options("   ").empty());
}

TEST(errors) {
  CHECK_THROWS(split_options("-o"), csoundpp::OptionSyntaxError);
  CHECK_THROWS(split_options("--sample-rate"), csoundpp::OptionSyntaxError);
  CHECK_THROWS(split_options("-o 'x"), csoundpp::OptionSyntaxError);
  CHECK_THROWS(split_options("-o \"x"), csoundpp::OptionSyntaxError);
}

CSOUNDPP_TEST_MAIN()
