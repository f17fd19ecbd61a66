// Which Csound csoundpp was built for, and what that backend supports.
//
// csoundpp builds against Csound 6 (6.18) or Csound 7 (7.0), chosen when it is compiled (the
// CS_VERSION of csound/version.h). Most of the API behaves the same on both; where Csound 7
// removed a function, csoundpp emulates it or, where it cannot, raises a CsoundError naming the
// Csound version and the alternative. One table lists those differences: backend_features().
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace csoundpp {

struct CsoundVersion {
  int major, minor, patch;
};

// The Csound whose headers csoundpp was compiled against (csound/version.h).
CsoundVersion csound_build_version() noexcept;
// csoundGetVersion() of the library loaded at run time (e.g. 6180 or 7000).
int csound_library_version() noexcept;
// The file of the libcsound loaded at run time (dladdr), or "" when unknown.
std::string csound_library_path();

enum class Support {
  Native,       // a libcsound call of this Csound does it
  Emulated,     // csoundpp does it on top of other libcsound calls (see note)
  Unavailable,  // this Csound cannot do it: calling it raises CsoundError (note: the alternative)
};

struct BackendFeature {
  const char* name;  // the canonical (ctcsound camelCase) method name, e.g. "killInstance"
  Support support;
  const char* note;  // how it is done on this backend, or the alternative when unavailable
};

// Every method whose implementation differs between the Csound 6 and Csound 7 backends, with
// how this build (the one Csound it was compiled for) does it.
std::span<const BackendFeature> backend_features() noexcept;
// nullptr when `name` is not in the table (it then behaves the same on both backends).
const BackendFeature* backend_feature(std::string_view name) noexcept;
// Throws CsoundError("<name>() is not available with Csound 7.0 ...: <alternative>") when this
// backend cannot do `name`; returns otherwise.
void require_feature(std::string_view name);

}  // namespace csoundpp
