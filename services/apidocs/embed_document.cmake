# cmake -DIN=openapi.json -DOUT=openapi_document.cpp -P embed_document.cmake
file(READ ${IN} content)
string(FIND "${content}" ")openapi\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter )openapi\"")
endif()
file(WRITE ${OUT} "// Generated from services/apidocs/openapi.json by embed_document.cmake: do not edit.\n"
  "#include \"apidocs/openapi_document.hpp\"\n\n"
  "namespace cloudretail::apidocs {\n\n"
  "std::string_view openapi_document() {\n"
  "  static constexpr char kDocument[] = R\"openapi(${content})openapi\";\n"
  "  return {kDocument, sizeof(kDocument) - 1};\n"
  "}\n\n"
  "}  // namespace cloudretail::apidocs\n")
