// Facts about Csound's plugin structures that a host reading an appended
// opcode's data block needs (computed from csdl.h in cpp/src/opcode_info.cpp).
#pragma once
#include <cstddef>

namespace csoundpp {
// sizeof(OPDS): the argument pointers of an opcode's data block start here.
std::size_t opds_size() noexcept;
}  // namespace csoundpp
