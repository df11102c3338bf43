#pragma once
/// A string handed out in pieces to a C library's read callback, in libcurl's
/// CURLOPT_READFUNCTION shape (fill `buffer` with up to size * count bytes; 0 ends it).
/// Used by the S3 object store's upload and the SMTP transport's message body.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace cloudretail {

struct ChunkedReader {
  std::string_view data;
  size_t offset = 0;

  /// `self` is the ChunkedReader (CURLOPT_READDATA).
  static size_t read(char* buffer, size_t size, size_t count, void* self) {
    auto* reader = static_cast<ChunkedReader*>(self);
    const size_t n = std::min(size * count, reader->data.size() - reader->offset);
    std::memcpy(buffer, reader->data.data() + reader->offset, n);
    reader->offset += n;
    return n;
  }
};

}  // namespace cloudretail
