// safetensors: the weight file format of Hugging Face's safetensors library (what PyTorch models are
// saved in), read and written without Python.
//
//   file = N (8-byte little-endian unsigned) | header (N bytes of UTF-8 JSON) | data section
//   header = { "<name>": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
//              "__metadata__": {"<key>": "<value>", ...} (optional) }
// Offsets are relative to the start of the data section; tensors are row-major, little-endian.
//
// Reading accepts F32, and F16 / BF16 widened exactly to float; every other dtype is an Error naming
// the dtype and the tensor. Like the reference library, the reader requires the tensors to tile the
// data section exactly: no overlap, no hole, no byte left over at the end. Writing produces F32, or
// F16 (each value rounded to the nearest half, ties to even: half the bytes), in the reference
// library's layout (tensors sorted by name, header padded with spaces to a multiple of 8 bytes), so
// the output is deterministic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

struct SafeTensors {
    std::map<std::string, Tensor> tensors;        // name -> tensor (sorted: writing is deterministic)
    std::map<std::string, std::string> metadata;  // the header's "__metadata__"
    std::map<std::string, std::string> dtypes;    // name -> the dtype it was read from ("F32", "F16", "BF16");
                                                  // not used by the writer (its dtype is an argument)
};

// Largest header accepted (the reference library's limit).
constexpr std::uint64_t safetensors_max_header = 100'000'000;
// Largest file load_safetensors reads (attnlab's models are < 2 MB).
constexpr std::uint64_t safetensors_max_file_bytes = 256'000'000;
// Most tensors one file may hold (attnlab's largest model has under 100).
constexpr std::size_t safetensors_max_entries = 10'000;

// bytes: a whole .safetensors file -> its tensors and metadata; throws Error on any malformed file.
SafeTensors read_safetensors(const std::uint8_t* data, std::size_t size);
SafeTensors read_safetensors(const std::string& bytes);
SafeTensors load_safetensors(const std::string& path);
// bytes: a whole .safetensors file -> each tensor's name and shape, the header validated exactly as
// read_safetensors validates it, but no tensor decoded (the bundle loader compares these with the
// config before building anything).
std::map<std::string, Shape> read_safetensors_shapes(const std::string& bytes);

// The dtypes attnlab writes.
enum class WriteDType { f32, f16 };

// tensors + metadata -> the bytes of a .safetensors file, every tensor in `dtype`. F16: a finite value
// beyond float16's range (|x| > 65504, which would round to infinity) is an Error naming the tensor.
std::string write_safetensors(const SafeTensors& file, WriteDType dtype = WriteDType::f32);
void save_safetensors(const SafeTensors& file, const std::string& path, WriteDType dtype = WriteDType::f32);

// One half-precision value (IEEE binary16) / bfloat16 value, given by its bits -> the same number
// as a float (exact: subnormals, ±inf, NaN included).
float f16_to_float(std::uint16_t bits);
float bf16_to_float(std::uint16_t bits);
// A float -> the bits of the nearest half-precision value (ties to even; subnormals included; ±inf
// from |x| ≥ 65520; NaN stays a NaN).
std::uint16_t float_to_f16(float x);

// Copies each expected tensor of `file` into its target, which must already have the right shape.
// Throws one Error listing every missing tensor, every unexpected extra tensor and every shape
// mismatch ("decoder.weight_ih_l0: expected shape (96, 32), file has (96, 16)"); on error no target
// is changed.
void assign_tensors(const SafeTensors& file, const std::vector<std::pair<std::string, Tensor*>>& expected);

}  // namespace attnlab
