// Keeps function-table memory that a long-lived view (a numpy array, a TableView) points
// into from being freed by libcsound under it.
//
// libcsound 6.18 frees a table's sample block when the table is redefined with another
// size (an 'f' event, ftgen), reallocates it for ftresize, and frees the FUNC header (which
// holds the GEN arguments) on deletion. A view made before would then read and write freed
// memory. While a pin lives, the instance's csound->Free / csound->ReAlloc (members of the
// CSOUND struct, csoundCore.h) are routed through csoundpp: freeing a pinned block is
// deferred until the last pin goes, and reallocating one copies it to a new block instead.
// Csound carries on with new memory; the view keeps the old block, detached from the table.
// csoundReset restores libcsound's own functions (it copies its defaults over the struct).
#pragma once

#include <csound/csound.h>

#include <cstddef>
#include <memory>

namespace csoundpp {
class Engine;
namespace detail {

// An owner for `bytes` bytes at `block`, a block libcsound allocated with csound->Malloc /
// Calloc for the instance `engine`. The owner keeps `engine` alive too. Call with no k-cycle
// running on the instance (the caller holds its engine lock). When the hooks cannot be
// installed (a borrowed instance, Csound 7, an unexpected layout) the owner only keeps the
// engine alive, as before.
std::shared_ptr<void> pin_block(const std::shared_ptr<Engine>& engine, void* block, std::size_t bytes);

// Where the GEN arguments start inside Csound 6's FUNC header (offsetof(FUNC, args)), and
// the header's size; 0 on Csound 7.
std::size_t func_args_offset() noexcept;
std::size_t func_size() noexcept;

// Blocks pinned now (all instances): for the tests.
std::size_t pinned_blocks() noexcept;

}  // namespace detail
}  // namespace csoundpp
