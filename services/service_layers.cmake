# The layers between services, made visible to the compiler. A service may use of a
# peer only its client: services/<name>/<name>_client.hpp (the interface and its
# types), <name>_codec.hpp (the wire format), <name>_http_client.hpp, and any header
# those include (HEADERS below, e.g. order_status.hpp). No target
# gets services/ as an include root; each service gets two roots in the build tree,
# made of links to its sources:
#   layers/<name>/client/<name>/<the client headers>   cloudretail::<name>_client
#   layers/<name>/full/<name> -> services/<name>        cloudretail::<name>
# A service links its own library's sources and its peers' *_client targets, so
# `#include "order/order_repository.hpp"` in services/payment does not compile.
# The composition root (apps/cloudretail) and the tests link full libraries.
# tests/architecture/layers_test.sh checks the same rule on the sources, reading the
# client headers from layers/<name>/client.
set(CLOUDRETAIL_LAYERS_DIR ${CMAKE_BINARY_DIR}/layers)

# An include root holding `<name>/<file>` links for `files` of the current folder
# (or, with no files, `<name>` linking the whole folder).
function(cloudretail_layer_root root name)
  file(REMOVE_RECURSE ${root})
  if(ARGN)
    file(MAKE_DIRECTORY ${root}/${name})
    foreach(file IN LISTS ARGN)
      if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${file})
        message(FATAL_ERROR "services/${name}: no ${file}")
      endif()
      file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/${file} ${root}/${name}/${file} SYMBOLIC)
    endforeach()
  else()
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${name} SYMBOLIC)
  endif()
endfunction()

# cloudretail_service_client(<name> <sources>... [HEADERS <header>...]): what peers
# of <name> may link; HEADERS are more headers the client headers include.
function(cloudretail_service_client name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "HEADERS")
  set(target cloudretail_${name}_client)
  add_library(${target} ${arg_UNPARSED_ARGUMENTS})
  add_library(cloudretail::${name}_client ALIAS ${target})
  set(root ${CLOUDRETAIL_LAYERS_DIR}/${name}/client)
  cloudretail_layer_root(${root} ${name} ${name}_client.hpp ${name}_codec.hpp ${name}_http_client.hpp
                         ${arg_HEADERS})
  target_include_directories(${target} PUBLIC ${root})
  target_link_libraries(${target} PUBLIC cloudretail::http_client cloudretail::core)
  cloudretail_target_defaults(${target})
endfunction()

# cloudretail_service(<name> <sources>...): the service itself; sees its own folder
# and, through what it links, its peers' clients.
function(cloudretail_service name)
  set(target cloudretail_${name})
  add_library(${target} ${ARGN})
  add_library(cloudretail::${name} ALIAS ${target})
  set(root ${CLOUDRETAIL_LAYERS_DIR}/${name}/full)
  cloudretail_layer_root(${root} ${name})
  target_include_directories(${target} PUBLIC ${root})
  if(TARGET cloudretail_${name}_client)
    target_link_libraries(${target} PUBLIC cloudretail::${name}_client)
  endif()
  cloudretail_target_defaults(${target})
endfunction()
