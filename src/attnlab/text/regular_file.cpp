#include "attnlab/text/regular_file.hpp"

#include <filesystem>
#include <fstream>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

namespace {

std::string bytes_str(std::uint64_t n) {
    if (n >= 10'000'000) return std::to_string(n / 1'000'000) + " MB";
    if (n >= 10'000) return std::to_string(n / 1'000) + " kB";
    return std::to_string(n) + " bytes";
}

}  // namespace

std::string read_regular_file(const std::string& path, std::uint64_t max_bytes) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);  // follows symlinks
    if (ec || !fs::exists(st)) throw Error("cannot read " + path + ": no such file");
    if (!fs::is_regular_file(st))
        throw Error("cannot read " + path + ": not a regular file" +
                    (fs::is_directory(st) ? " (a folder)" : " (a device, FIFO or socket)"));
    const std::uint64_t size = fs::file_size(path, ec);
    if (ec) throw Error("cannot read " + path + ": " + ec.message());
    if (size > max_bytes)
        throw Error(path + " is " + bytes_str(size) + ", more than the " + bytes_str(max_bytes) +
                    " limit for this file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read " + path);
    std::string bytes(std::size_t(size), '\0');
    in.read(bytes.data(), std::streamsize(size));
    if (std::uint64_t(in.gcount()) != size) throw Error("cannot read " + path + ": it changed while being read");
    return bytes;
}

}  // namespace attnlab
