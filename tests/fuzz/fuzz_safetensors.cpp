// libFuzzer target for the safetensors reader (built by CMake with clang and ATTNLAB_SANITIZE=ON; run
// by scripts/fuzz.sh, seeds in tests/fuzz/corpus/fuzz_safetensors).
//
// The first input byte b0 picks what the rest is (b0 % 3):
//   0: a whole .safetensors file, as is;
//   1: only the header JSON; the target adds the 8-byte length in front and (b0 >> 2) bytes of data
//      after it, so the fuzzer need not find a consistent length first;
//   2: a recipe: the bytes choose tensor names, dtypes, shapes and (nearly right) offsets, from which
//      the target writes a nearly valid file, so that the checks after JSON parsing (offsets, sizes,
//      overlaps, holes, duplicates, metadata) get explored as much as the JSON parser.
// Every input must either be read, or be rejected with attnlab::Error (any other exception, a crash or
// a sanitizer report is a bug). What is read must survive write -> read bit for bit, and writing it
// again must give the same bytes.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "attnlab/io/safetensors.hpp"

using namespace attnlab;

namespace {

bool same_bits(const Tensor& a, const Tensor& b) {
    return a.shape() == b.shape() && (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// Reads the recipe's bytes one at a time (0 once they run out).
struct Recipe {
    const std::uint8_t* p;
    std::size_t n;
    unsigned next() { return n ? (--n, *p++) : 0u; }
    template <std::size_t N>
    const char* pick(const char* const (&options)[N]) {
        return options[next() % N];
    }
};

std::string le64(std::uint64_t v) {
    std::string s;
    for (int i = 0; i < 8; ++i) s += char((v >> (8 * i)) & 0xff);
    return s;
}

// A nearly valid file from a recipe.
std::string from_recipe(Recipe r) {
    static const char* const names[] = {"a", "b", "c", "__metadata__", "a.weight", "\\u00e9"};
    static const char* const dtypes[] = {"F32", "F16", "BF16", "I64", "BOOL", "F33", "f32"};
    static const char* const fields[] = {"dtype", "shape", "data_offsets", "extra"};
    std::string header = "{";
    std::uint64_t offset = 0;
    const unsigned count = r.next() % 5;
    for (unsigned t = 0; t < count; ++t) {
        if (t) header += ',';
        const std::string name = r.pick(names);
        header += "\"" + name + "\":";
        const unsigned form = r.next();
        if (name == "__metadata__" && form % 2) {
            header += form % 4 == 1 ? "{\"k\":\"v\",\"n\":\"\"}" : "{\"k\":1}";
            continue;
        }
        const std::string dtype = r.pick(dtypes);
        const std::uint64_t size = dtype == "F32" || dtype == "F33" || dtype == "f32" ? 4
                                   : dtype == "I64"                                   ? 8
                                   : dtype == "BOOL"                                  ? 1
                                                                                      : 2;
        std::string shape = "[";
        std::uint64_t count_el = 1;
        const unsigned rank = r.next() % 4;
        for (unsigned i = 0; i < rank; ++i) {
            const unsigned b = r.next();
            const std::uint64_t d = b == 255 ? (1ull << 32) : b == 254 ? (1ull << 62) : b % 4;
            shape += (i ? "," : "") + std::to_string(d);
            count_el *= d;  // may wrap: the reader must catch it
        }
        shape += "]";
        const std::uint64_t begin = offset + (form & 4 ? r.next() % 3 : 0) - (form & 8 ? r.next() % 3 : 0);
        const std::uint64_t end = begin + count_el * size + (form & 16 ? r.next() % 5 : 0);
        offset = end;
        const std::string offsets = "[" + std::to_string(begin) + "," + std::to_string(end) + "]";
        header += "{";
        const unsigned nfields = form & 32 ? 2 + r.next() % 3 : 3;
        for (unsigned f = 0; f < nfields; ++f) {
            const std::string field = form & 32 ? r.pick(fields) : fields[f];
            if (f) header += ',';
            header += "\"" + field + "\":";
            header += field == "dtype" ? "\"" + dtype + "\"" : field == "shape" ? shape : offsets;
        }
        header += "}";
    }
    header += "}";
    header.append(r.next() % 8, ' ');
    const std::uint64_t data_size = offset + r.next() % 3 - r.next() % 3;
    std::string file = le64(header.size()) + header;
    for (std::uint64_t i = 0; i < data_size && i < 4096; ++i) file += char(r.next());
    return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string file;
    if (data[0] % 3 == 0) {
        file.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    } else if (data[0] % 3 == 1) {
        file = le64(size - 1);
        file.append(reinterpret_cast<const char*>(data + 1), size - 1);
        for (int i = 0; i < data[0] >> 2; ++i) file += char(i * 37 + 11);
    } else {
        file = from_recipe(Recipe{data + 1, size - 1});
    }
    // An exact-size heap copy, so AddressSanitizer sees any read past the end.
    std::uint8_t* copy = static_cast<std::uint8_t*>(std::malloc(file.size() ? file.size() : 1));
    std::memcpy(copy, file.data(), file.size());
    SafeTensors st;
    bool ok = true;
    try {
        st = read_safetensors(copy, file.size());
    } catch (const Error&) {
        ok = false;
    }
    std::free(copy);
    if (!ok) return 0;

    const std::string written = write_safetensors(st);
    const SafeTensors back = read_safetensors(written);
    if (back.metadata != st.metadata || back.tensors.size() != st.tensors.size()) __builtin_trap();
    for (const auto& [name, t] : st.tensors) {
        const auto it = back.tensors.find(name);
        if (it == back.tensors.end() || !same_bits(it->second, t)) __builtin_trap();
    }
    if (write_safetensors(back) != written) __builtin_trap();
    return 0;
}
