# Turns the plugin's `lv2:requiredFeature opts:options, urid:map` in the TTL
# that DPF generated into lv2:optionalFeature: lv2_optional_features.cpp
# supplies both when the host does not. Fails if DPF wrote something else.
# Usage: cmake -DTTL=<file> -P fix_lv2_ttl.cmake
file(READ ${TTL} ttl)
string(REGEX MATCH "lv2:requiredFeature opts:options ,[ \n]*<http://lv2plug.in/ns/ext/urid#map> ;" req "${ttl}")
if(NOT req)
  message(FATAL_ERROR "${TTL}: DPF's required features are not the expected opts:options, urid:map")
endif()
string(REPLACE "${req}" "lv2:optionalFeature opts:options , <http://lv2plug.in/ns/ext/urid#map> ;" ttl "${ttl}")
file(WRITE ${TTL} "${ttl}")
