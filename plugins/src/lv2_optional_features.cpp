// Makes the LV2 build load in hosts that pass no features (lv2apply): DPF's
// LV2 wrapper refuses to instantiate without the Options and URID-map
// features. The DPF entry point is compiled under another name
// (-Dlv2_descriptor=csdplugin_dpf_lv2_descriptor on this target); this file
// exports the real lv2_descriptor, whose instantiate() supplies an empty
// options list and a process-wide URID map when the host gives none, then
// calls DPF's. The bundle's TTL lists both features as optional accordingly
// (see fix_lv2_ttl.cmake).
#include "src/lv2/lv2.h"
#include "src/lv2/options.h"
#include "src/lv2/urid.h"

#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#undef lv2_descriptor
extern "C" const LV2_Descriptor* csdplugin_dpf_lv2_descriptor(uint32_t index);

namespace {

// URIDs for hosts without urid:map. Called at instantiation (non-real-time).
struct UridTable {
  std::mutex mutex;
  std::vector<std::string> uris;  // URID n is uris[n - 1]
};

LV2_URID map_uri(LV2_URID_Map_Handle handle, const char* uri) {
  auto* t = static_cast<UridTable*>(handle);
  std::lock_guard<std::mutex> lock(t->mutex);
  for (std::size_t i = 0; i < t->uris.size(); ++i)
    if (t->uris[i] == uri) return static_cast<LV2_URID>(i + 1);
  t->uris.emplace_back(uri);
  return static_cast<LV2_URID>(t->uris.size());
}

UridTable g_urids;
LV2_URID_Map g_map{&g_urids, &map_uri};
LV2_Feature g_map_feature{LV2_URID__map, &g_map};
LV2_Options_Option g_no_options[1] = {{LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, nullptr}};
LV2_Feature g_options_feature{LV2_OPTIONS__options, g_no_options};

const LV2_Descriptor* g_dpf = nullptr;
LV2_Descriptor g_descriptor;

LV2_Handle instantiate(const LV2_Descriptor*, double rate, const char* bundle, const LV2_Feature* const* features) {
  std::vector<const LV2_Feature*> all;
  bool options = false, map = false;
  for (int i = 0; features && features[i]; ++i) {
    options = options || std::strcmp(features[i]->URI, LV2_OPTIONS__options) == 0;
    map = map || std::strcmp(features[i]->URI, LV2_URID__map) == 0;
    all.push_back(features[i]);
  }
  if (!options) all.push_back(&g_options_feature);
  if (!map) all.push_back(&g_map_feature);
  all.push_back(nullptr);
  return g_dpf->instantiate(g_dpf, rate, bundle, all.data());
}

}  // namespace

extern "C" LV2_SYMBOL_EXPORT const LV2_Descriptor* lv2_descriptor(uint32_t index) {
  static const LV2_Descriptor* d = [] {
    g_dpf = csdplugin_dpf_lv2_descriptor(0);
    if (!g_dpf) return static_cast<const LV2_Descriptor*>(nullptr);
    g_descriptor = *g_dpf;
    g_descriptor.instantiate = &instantiate;
    return static_cast<const LV2_Descriptor*>(&g_descriptor);
  }();
  return index == 0 ? d : nullptr;
}
