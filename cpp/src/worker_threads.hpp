// Ending libcsound's -j N worker threads before csoundReset/csoundDestroy (worker_threads.cpp).
#pragma once

#include <csound/csound.h>

namespace csoundpp::detail {

// Whether end_worker_threads can act on this instance (libcsound 6.18's layout, verified).
bool worker_threads_supported(CSOUND* cs) noexcept;

// Releases and joins the instance's k-cycle worker threads, if it has any. Only between
// k-cycles, and never on an instance an exit jump left locked.
void end_worker_threads(CSOUND* cs) noexcept;

}  // namespace csoundpp::detail
