// Sizes of Csound structures a host needs to read an appended opcode's data
// block (csdl.h is the plugin header; it is kept out of every other file).
#include <csound/csdl.h>

#include <cstddef>

namespace csoundpp {
std::size_t opds_size() noexcept { return sizeof(OPDS); }
}  // namespace csoundpp
