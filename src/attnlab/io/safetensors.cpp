#include "attnlab/io/safetensors.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "attnlab/text/bounded_json.hpp"
#include "attnlab/text/regular_file.hpp"

namespace attnlab {

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& msg) { throw Error("safetensors: " + msg); }

std::string brief(const json& v) { return brief_json(v); }
// A name quoted and escaped as a JSON string: `"decoder.weight"`, one line whatever it holds.
std::string quote(const std::string& name) { return brief(json(name)); }
std::string tensor_ref(const std::string& name) { return "tensor " + quote(name); }

// The dtypes of the safetensors format, with their size in bytes.
struct DType {
    const char* name;
    std::size_t size;
    bool readable;  // attnlab reads it (to float)
};
const DType dtypes[] = {
    {"F32", 4, true},      {"F16", 2, true},  {"BF16", 2, true},  {"F64", 8, false},     {"I64", 8, false},
    {"I32", 4, false},     {"I16", 2, false}, {"I8", 1, false},   {"U64", 8, false},     {"U32", 4, false},
    {"U16", 2, false},     {"U8", 1, false},  {"BOOL", 1, false}, {"F8_E4M3", 1, false}, {"F8_E5M2", 1, false},
    {"F8_E8M0", 1, false}, {"C64", 8, false},
};

const DType* find_dtype(const std::string& name) {
    for (const DType& d : dtypes)
        if (name == d.name) return &d;
    return nullptr;
}

// One tensor entry of the header, validated.
struct Entry {
    std::string name;
    const DType* dtype;
    Shape shape;
    std::uint64_t begin, end;  // data_offsets, relative to the data section
    std::uint64_t count;       // number of elements
};

// Parses the header JSON (linear in its size, nesting bounded), rejecting a key repeated within
// one object (nlohmann keeps the last) and more than safetensors_max_entries tensors.
json parse_header(const char* begin, const char* end) {
    JsonLimits limits;
    limits.max_depth = 3;                              // {"name": {"shape": [...]}}
    limits.max_members = safetensors_max_entries + 1;  // + "__metadata__"
    limits.describe_top_level_duplicate = [](const std::string& key) {
        return key == "__metadata__" ? std::string("duplicate \"__metadata__\"")
                                     : "duplicate tensor name " + quote(key);
    };
    try {
        return parse_json_bounded(std::string_view(begin, std::size_t(end - begin)), "header", limits);
    } catch (const Error& e) {
        fail(e.what());
    }
}

// A JSON value that must be a non-negative integer (a shape entry or an offset).
std::uint64_t get_index(const json& v, const std::string& what) {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_number_integer()) {
        if (v.get<std::int64_t>() >= 0) return std::uint64_t(v.get<std::int64_t>());  // "-0"
        fail(what + " is negative: " + brief(v));
    }
    fail(what + " is not a non-negative integer: " + brief(v));
}

// The header's entry for one tensor -> its validated description (offsets checked against the
// data section of `data_size` bytes).
Entry parse_entry(const std::string& name, const json& v, std::uint64_t data_size) {
    const std::string who = tensor_ref(name);
    if (!v.is_object()) fail(who + ": entry is not an object but " + brief(v));
    for (auto it = v.begin(); it != v.end(); ++it)
        if (it.key() != "dtype" && it.key() != "shape" && it.key() != "data_offsets")
            fail(who + ": unexpected field " + quote(it.key()));
    for (const char* field : {"dtype", "shape", "data_offsets"})
        if (!v.contains(field)) fail(who + ": missing field \"" + field + "\"");

    Entry e{name, nullptr, {}, 0, 0, 1};
    const json& dtype = v.at("dtype");
    if (!dtype.is_string()) fail(who + ": dtype is not a string: " + brief(dtype));
    e.dtype = find_dtype(dtype.get<std::string>());
    if (!e.dtype) fail(who + ": unknown dtype " + brief(dtype));

    const json& shape = v.at("shape");
    if (!shape.is_array()) fail(who + ": shape is not an array: " + brief(shape));
    // Element count; `span` (the product with zeros counted as ones) must also stay addressable, so
    // that no stride of the tensor overflows either.
    const std::uint64_t limit =
        std::min<std::uint64_t>(std::numeric_limits<std::ptrdiff_t>::max(), std::numeric_limits<std::size_t>::max()) /
        e.dtype->size;
    std::uint64_t span = 1;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        const std::uint64_t d = get_index(shape[i], who + ": shape entry " + std::to_string(i));
        if (d > 1 && span > limit / d)
            fail(who + ": shape " + brief(shape) + " is too large (its byte size overflows)");
        span *= std::max<std::uint64_t>(d, 1);
        e.count *= d;
        e.shape.push_back(std::size_t(d));
    }
    const std::uint64_t nbytes = e.count * e.dtype->size;

    const json& offsets = v.at("data_offsets");
    if (!offsets.is_array() || offsets.size() != 2)
        fail(who + ": data_offsets is not two integers [begin, end]: " + brief(offsets));
    e.begin = get_index(offsets[0], who + ": data_offsets begin");
    e.end = get_index(offsets[1], who + ": data_offsets end");
    if (e.begin > e.end)
        fail(who + ": data_offsets begin " + std::to_string(e.begin) + " > end " + std::to_string(e.end));
    if (e.end > data_size)
        fail(who + ": data_offsets end " + std::to_string(e.end) + " is past the end of the data section (" +
             std::to_string(data_size) + " bytes)");
    if (e.end - e.begin != nbytes)
        fail(who + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + "] hold " +
             std::to_string(e.end - e.begin) + " bytes, but " + e.dtype->name + " " + shape_str(e.shape) + " needs " +
             std::to_string(nbytes));
    if (!e.dtype->readable) fail(who + ": dtype " + e.dtype->name + " is not supported (attnlab reads F32, F16, BF16)");
    return e;
}

// The tensors must tile the data section: sorted by offsets, each begins where the last ended.
void check_coverage(std::vector<const Entry*> entries, std::uint64_t data_size) {
    std::stable_sort(entries.begin(), entries.end(), [](const Entry* a, const Entry* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    std::uint64_t pos = 0;
    const Entry* prev = nullptr;
    for (const Entry* e : entries) {
        if (e->begin < pos) fail(tensor_ref(e->name) + " overlaps " + tensor_ref(prev->name) + " in the data section");
        if (e->begin > pos)
            fail("bytes [" + std::to_string(pos) + ", " + std::to_string(e->begin) +
                 ") of the data section belong to no tensor (a hole before " + tensor_ref(e->name) + ")");
        pos = e->end;
        prev = e;
    }
    if (pos != data_size)
        fail("the data section has " + std::to_string(data_size) + " bytes but the tensors end at " +
             std::to_string(pos) + " (trailing bytes belong to no tensor)");
}

std::uint32_t load_u32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}
std::uint16_t load_u16(const std::uint8_t* p) { return std::uint16_t(p[0] | p[1] << 8); }
float float_from_bits(std::uint32_t bits) {
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

// The entry's bytes (at p) -> a float tensor.
Tensor decode(const Entry& e, const std::uint8_t* p) {
    Tensor t = Tensor::from_shape(e.shape);
    float* out = t.data();
    const std::string dtype = e.dtype->name;
    if (dtype == "F32")
        for (std::uint64_t i = 0; i < e.count; ++i) out[i] = float_from_bits(load_u32(p + 4 * i));
    else if (dtype == "F16")
        for (std::uint64_t i = 0; i < e.count; ++i) out[i] = f16_to_float(load_u16(p + 2 * i));
    else  // BF16
        for (std::uint64_t i = 0; i < e.count; ++i) out[i] = bf16_to_float(load_u16(p + 2 * i));
    return t;
}

void append_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out += char((v >> (8 * i)) & 0xff);
}

// A string as JSON text; Error if it is not valid UTF-8.
std::string json_string(const std::string& s, const std::string& what) {
    try {
        return json(s).dump();
    } catch (const json::exception&) {
        fail(what + " " + quote(s) + " is not valid UTF-8");
    }
}

}  // namespace

float f16_to_float(std::uint16_t h) {
    const std::uint32_t sign = std::uint32_t(h >> 15) << 31;
    const std::uint32_t exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
    if (exponent == 0) {  // zero or subnormal: mantissa · 2^-24, exact in float
        const float v = std::ldexp(float(mantissa), -24);
        return sign ? -v : v;
    }
    if (exponent == 0x1f)  // inf (mantissa 0) or NaN (payload kept)
        return float_from_bits(sign | 0x7f800000u | mantissa << 13);
    // normal: rebias the exponent from 15 to 127, widen the mantissa from 10 to 23 bits
    return float_from_bits(sign | (exponent + 127 - 15) << 23 | mantissa << 13);
}

// bfloat16 is the top half of a float.
float bf16_to_float(std::uint16_t bits) { return float_from_bits(std::uint32_t(bits) << 16); }

std::uint16_t float_to_f16(float f) {
    std::uint32_t x;
    std::memcpy(&x, &f, 4);
    const auto sign = std::uint16_t((x >> 16) & 0x8000);
    x &= 0x7fffffffu;
    if (x > 0x7f800000u) return std::uint16_t(sign | 0x7e00 | ((x >> 13) & 0x3ff));  // NaN: a quiet NaN
    if (x >= 0x477ff000u) return std::uint16_t(sign | 0x7c00);  // ≥ 65520, halfway past 65504: inf
    if (x < 0x38800000u) {  // below 2^-14, the smallest normal: a subnormal m · 2^-24 (m = 1024 is 2^-14)
        const float scaled = std::ldexp(std::fabs(f), 24);                   // exact
        return std::uint16_t(sign | std::uint16_t(std::nearbyint(scaled)));  // ties to even
    }
    // normal: rebias the exponent from 127 to 15, round the mantissa from 23 to 10 bits, ties to even
    // (a carry out of the mantissa moves to the next exponent, as it should)
    std::uint32_t h = (x - 0x38000000u) >> 13;
    const std::uint32_t rest = x & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1))) ++h;
    return std::uint16_t(sign | h);
}

namespace {

// The file's header, validated (offsets, dtypes, the data section tiled exactly): its entries and
// where the data section starts, and its metadata into `metadata` when given; nothing decoded.
struct Header {
    std::vector<Entry> entries;
    std::uint64_t data_start;
};
Header read_header(const std::uint8_t* data, std::size_t size, std::map<std::string, std::string>* metadata) {
    if (size < 8) fail("file is " + std::to_string(size) + " bytes, shorter than the 8-byte header length");
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = n << 8 | data[i];
    if (n > safetensors_max_header) fail("header length " + std::to_string(n) + " is larger than the 100 MB limit");
    if (n > size - 8)
        fail("header length " + std::to_string(n) + " runs past the end of the file (" + std::to_string(size) +
             " bytes)");
    const char* text = reinterpret_cast<const char*>(data + 8);
    const json header = parse_header(text, text + n);
    if (!header.is_object()) fail("header is not a JSON object but " + brief(header));

    const std::uint64_t data_size = size - 8 - n;
    std::vector<Entry> entries;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (!it->is_object()) fail("__metadata__ is not an object but " + brief(*it));
            for (auto m = it->begin(); m != it->end(); ++m) {
                if (!m->is_string())
                    fail("__metadata__ value for " + quote(m.key()) + " is not a string: " + brief(*m));
                if (metadata) (*metadata)[m.key()] = m->get<std::string>();
            }
        } else {
            entries.push_back(parse_entry(it.key(), *it, data_size));
        }
    }
    if (entries.size() > safetensors_max_entries)
        fail("the header lists " + std::to_string(entries.size()) + " tensors, more than the limit of " +
             std::to_string(safetensors_max_entries));
    std::vector<const Entry*> order;
    for (const Entry& e : entries) order.push_back(&e);
    check_coverage(order, data_size);
    return {std::move(entries), 8 + n};
}

}  // namespace

SafeTensors read_safetensors(const std::uint8_t* data, std::size_t size) {
    SafeTensors out;
    const Header header = read_header(data, size, &out.metadata);
    for (const Entry& e : header.entries) {
        out.tensors[e.name] = decode(e, data + header.data_start + e.begin);
        out.dtypes[e.name] = e.dtype->name;
    }
    return out;
}

std::map<std::string, Shape> read_safetensors_shapes(const std::string& bytes) {
    std::map<std::string, Shape> shapes;
    for (const Entry& e :
         read_header(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), nullptr).entries)
        shapes[e.name] = e.shape;
    return shapes;
}

SafeTensors read_safetensors(const std::string& bytes) {
    return read_safetensors(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

SafeTensors load_safetensors(const std::string& path) {
    const std::string bytes = read_regular_file(path, safetensors_max_file_bytes);
    try {
        return read_safetensors(bytes);
    } catch (const Error& e) {
        throw Error(std::string(e.what()) + " (in " + quote(path) + ")");
    }
}

std::string write_safetensors(const SafeTensors& file, WriteDType dtype) {
    const bool half = dtype == WriteDType::f16;
    const std::uint64_t width = half ? 2 : 4;
    // The header in the reference library's layout: __metadata__ first, then the tensors in data
    // order, each {"dtype", "shape", "data_offsets"}, compact JSON.
    std::string header = "{";
    if (!file.metadata.empty()) {
        header += "\"__metadata__\":{";
        for (const auto& [key, value] : file.metadata) {
            if (header.back() != '{') header += ',';
            header += json_string(key, "metadata key") + ":" + json_string(value, "metadata value");
        }
        header += '}';
    }
    std::uint64_t offset = 0;
    for (const auto& [name, t] : file.tensors) {
        if (name == "__metadata__") fail("\"__metadata__\" cannot be a tensor name");
        if (header.size() > 1) header += ',';
        header += json_string(name, "tensor name") + ":{\"dtype\":\"" + (half ? "F16" : "F32") + "\",\"shape\":[";
        for (std::size_t i = 0; i < t.dimension(); ++i) header += (i ? "," : "") + std::to_string(t.shape(i));
        const std::uint64_t bytes = width * std::uint64_t(t.size());
        header += "],\"data_offsets\":[" + std::to_string(offset) + "," + std::to_string(offset + bytes) + "]}";
        offset += bytes;
    }
    header += '}';
    header.append((8 - header.size() % 8) % 8, ' ');  // pad to a multiple of 8, as the reference

    std::string out;
    out.reserve(8 + header.size() + offset);
    append_u64(out, header.size());
    out += header;
    for (const auto& [name, t] : file.tensors) {
        for (std::size_t i = 0; i < t.size(); ++i) {
            std::uint32_t bits;
            if (half) {
                bits = float_to_f16(t.data()[i]);
                if (std::isfinite(t.data()[i]) && (bits & 0x7fff) == 0x7c00)
                    fail(tensor_ref(name) + "[" + std::to_string(i) + "] = " + std::to_string(t.data()[i]) +
                         " is beyond float16's range (largest 65504): it cannot be written as F16");
            } else {
                std::memcpy(&bits, t.data() + i, 4);
            }
            for (std::uint64_t b = 0; b < width; ++b) out += char((bits >> (8 * b)) & 0xff);
        }
    }
    return out;
}

void save_safetensors(const SafeTensors& file, const std::string& path, WriteDType dtype) {
    const std::string bytes = write_safetensors(file, dtype);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) fail("cannot open " + quote(path) + " for writing");
    out.write(bytes.data(), std::streamsize(bytes.size()));
    out.close();
    if (!out) fail("cannot write " + quote(path));
}

void assign_tensors(const SafeTensors& file, const std::vector<std::pair<std::string, Tensor*>>& expected) {
    std::set<std::string> names;
    std::vector<std::string> missing, extra, mismatched;
    for (const auto& [name, target] : expected) {
        if (!target) throw Error("assign_tensors: no target tensor for " + name);
        if (!names.insert(name).second) throw Error("assign_tensors: " + name + " is listed twice");
        const auto it = file.tensors.find(name);
        if (it == file.tensors.end()) {
            missing.push_back(name);
        } else {
            const Shape want(target->shape().begin(), target->shape().end());
            const Shape have(it->second.shape().begin(), it->second.shape().end());
            if (want != have)
                mismatched.push_back(name + ": expected shape " + shape_str(want) + ", file has " + shape_str(have));
        }
    }
    for (const auto& entry : file.tensors)
        if (!names.count(entry.first)) extra.push_back(entry.first);

    if (!missing.empty() || !extra.empty() || !mismatched.empty()) {
        std::vector<std::string> parts;
        auto join = [](const std::vector<std::string>& v, const char* sep) {
            std::string s;
            for (const std::string& x : v) s += (s.empty() ? "" : sep) + x;
            return s;
        };
        if (!missing.empty()) parts.push_back("missing tensors: " + join(missing, ", "));
        if (!extra.empty()) parts.push_back("unexpected tensors: " + join(extra, ", "));
        if (!mismatched.empty()) parts.push_back(join(mismatched, "; "));
        throw Error("assign_tensors: " + join(parts, "; "));
    }
    for (const auto& [name, target] : expected) *target = file.tensors.at(name);
}

}  // namespace attnlab
