#pragma once
/// The demo catalog loaded by `cloudretail seed`, and the tiny PNG encoder that
/// draws each product's placeholder image.
#include <cstdint>
#include <string>
#include <vector>

namespace cloudretail::product {

struct DemoProduct {
  const char* product_id;
  const char* name;
  const char* category;
  int64_t price_minor;
  int64_t stock;
  uint32_t color;  // 0xRRGGBB of the generated image
};

const std::vector<DemoProduct>& demo_catalog();

/// A valid PNG (8-bit RGB, zlib-compressed) of width x height pixels.
std::string encode_png(int width, int height, const std::vector<uint8_t>& rgb);

/// A 64x64 image: a frame and a centred square in shades of `color`.
std::string demo_image(uint32_t color);

}  // namespace cloudretail::product
