// Every private libcsound layout csoundpp relies on, in one place. These come from
// csoundCore.h (not a header for hosts) of Csound 6.18 and are checked by the tests
// (string channels, namedGens). A Csound 7 backend starts here.
#pragma once

namespace csoundpp::layouts {

// The payload of a string channel (csoundCore.h's STRINGDAT) differs between Csound 6 and 7:
// it is capi::StringDat in capi.hpp, with the other version differences.

// One entry of the list csoundGetNamedGens returns (csoundCore.h's NAMEDGEN).
struct NamedGen {
  char* name;
  int genum;
  NamedGen* next;
};

}  // namespace csoundpp::layouts
