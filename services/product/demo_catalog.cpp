#include "product/demo_catalog.hpp"

#include <zlib.h>

#include <stdexcept>

namespace cloudretail::product {

const std::vector<DemoProduct>& demo_catalog() {
  static const std::vector<DemoProduct> kCatalog{
      {"P001", "Wireless Mouse", "Electronics", 2999, 100, 0x2E86DE},
      {"P002", "Mechanical Keyboard", "Electronics", 4999, 100, 0x34495E},
      {"P003", "USB-C Hub", "Electronics", 3499, 100, 0x7F8C8D},
      {"P004", "Noise-Cancelling Headphones", "Electronics", 12999, 100, 0x8E44AD},
      {"P005", "27-inch Monitor", "Electronics", 21999, 100, 0x2C3E50},
      {"P006", "Webcam 1080p", "Electronics", 5999, 100, 0x16A085},
      {"P007", "Cotton T-Shirt", "Clothing", 1499, 100, 0xE74C3C},
      {"P008", "Denim Jacket", "Clothing", 7999, 100, 0x2980B9},
      {"P009", "Running Shoes", "Clothing", 8999, 100, 0xF39C12},
      {"P010", "Wool Beanie", "Clothing", 1999, 100, 0xC0392B},
      {"P011", "Stainless Water Bottle", "Home", 2499, 100, 0x1ABC9C},
      {"P012", "Ceramic Coffee Mug", "Home", 1299, 100, 0xD35400},
      {"P013", "Desk Lamp", "Home", 3999, 100, 0xF1C40F},
      {"P014", "Throw Blanket", "Home", 4599, 100, 0x9B59B6},
      {"P015", "Chef's Knife", "Kitchen", 6999, 100, 0x95A5A6},
      {"P016", "Cast Iron Skillet", "Kitchen", 3799, 100, 0x212F3D},
      {"P017", "Bamboo Cutting Board", "Kitchen", 2299, 100, 0xA0522D},
      {"P018", "The Pragmatic Programmer", "Books", 4250, 100, 0x27AE60},
      {"P019", "Designing Data-Intensive Applications", "Books", 5499, 100, 0xC71585},
      {"P020", "Yoga Mat", "Sports", 2999, 100, 0x00A86B},
      {"P021", "Adjustable Dumbbells", "Sports", 14999, 100, 0x555555},
  };
  return kCatalog;
}

namespace {

void put_u32(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

void chunk(std::string& out, const char* type, const std::string& data) {
  put_u32(out, static_cast<uint32_t>(data.size()));
  std::string body(type, 4);
  body += data;
  out += body;
  // The CRC covers the chunk type and data, not the length.
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  put_u32(out, static_cast<uint32_t>(crc));
}

}  // namespace

std::string encode_png(int width, int height, const std::vector<uint8_t>& rgb) {
  if (width <= 0 || height <= 0 || rgb.size() != static_cast<size_t>(width) * height * 3)
    throw std::invalid_argument("encode_png: size mismatch");
  // Each scanline starts with its filter type (0 = none).
  std::string raw;
  raw.reserve(static_cast<size_t>(height) * (width * 3 + 1));
  for (int y = 0; y < height; ++y) {
    raw.push_back('\0');
    raw.append(reinterpret_cast<const char*>(rgb.data()) + static_cast<size_t>(y) * width * 3,
               static_cast<size_t>(width) * 3);
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), 9) != Z_OK)
    throw std::runtime_error("encode_png: compression failed");
  packed.resize(packed_size);

  std::string out("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  put_u32(ihdr, static_cast<uint32_t>(width));
  put_u32(ihdr, static_cast<uint32_t>(height));
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit, RGB, deflate, adaptive filters, no interlace
  chunk(out, "IHDR", ihdr);
  chunk(out, "IDAT", packed);
  chunk(out, "IEND", "");
  return out;
}

std::string demo_image(uint32_t color) {
  constexpr int kSize = 64;
  const uint8_t r = color >> 16, g = (color >> 8) & 0xff, b = color & 0xff;
  auto lighten = [](uint8_t c) { return static_cast<uint8_t>(c + (255 - c) / 2); };
  std::vector<uint8_t> rgb(kSize * kSize * 3);
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      bool frame = x < 4 || y < 4 || x >= kSize - 4 || y >= kSize - 4;
      bool centre = x >= 20 && x < 44 && y >= 20 && y < 44;
      uint8_t* px = &rgb[(static_cast<size_t>(y) * kSize + x) * 3];
      if (frame) {
        px[0] = px[1] = px[2] = 255;
      } else if (centre) {
        px[0] = lighten(r), px[1] = lighten(g), px[2] = lighten(b);
      } else {
        px[0] = r, px[1] = g, px[2] = b;
      }
    }
  return encode_png(kSize, kSize, rgb);
}

}  // namespace cloudretail::product
