// Reading a whole file that an untrusted path names: only a regular file (a symlink is followed to
// what it names; /dev/zero, a FIFO or a folder is refused before it is opened), and its size is
// checked against a ceiling before a byte is read, so no file makes attnlab allocate without bound
// or block.
#pragma once

#include <cstdint>
#include <string>

namespace attnlab {

// path -> its bytes. Errors (one line, naming the path): missing, not a regular file, larger than
// max_bytes ("… is 300 MB, more than the 256 MB limit for a model.safetensors"), unreadable.
std::string read_regular_file(const std::string& path, std::uint64_t max_bytes);

}  // namespace attnlab
