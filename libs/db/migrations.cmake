# cloudretail_service_migrations(<name>): compiles services/<name>/migrations/*.sql
# into cloudretail_<name> as `cloudretail::<name>::migration_files()` (declared by the
# service, see db/migrations.hpp for the file names and what they mean). The files
# are found by a glob on purpose: a migration left out of a hand-kept list would
# silently never run. embed_migrations.cmake writes the C++ at build time, as
# services/apidocs/embed_document.cmake does for the OpenAPI document.
function(cloudretail_service_migrations name)
  set(script ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embed_migrations.cmake)
  set(dir ${CMAKE_CURRENT_SOURCE_DIR}/migrations)
  file(GLOB files CONFIGURE_DEPENDS RELATIVE ${dir} ${dir}/*.sql)
  if(NOT files)
    message(FATAL_ERROR "services/${name}: no migrations/*.sql")
  endif()
  list(SORT files)
  set(paths ${files})
  list(TRANSFORM paths PREPEND ${dir}/)
  string(REPLACE ";" "|" files_arg "${files}")
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}_migration_files.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DSERVICE=${name} -DDIR=${dir} -DFILES=${files_arg} -DOUT=${out}
            -P ${script}
    DEPENDS ${paths} ${script}
    COMMENT "Embedding services/${name}/migrations"
    VERBATIM)
  target_sources(cloudretail_${name} PRIVATE ${out})
endfunction()
