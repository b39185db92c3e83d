// safetensors files: round trips, a hand-written file byte by byte, F16/BF16 widening, every kind of
// malformed file, and assigning a file's tensors to a model's parameters.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "attnlab/io/safetensors.hpp"
#include "test_util.hpp"

using namespace attnlab;
using attnlab::testing::random_tensor;
using attnlab::testing::TestRng;

namespace {

std::string le64(std::uint64_t v) {
    std::string s;
    for (int i = 0; i < 8; ++i) s += char((v >> (8 * i)) & 0xff);
    return s;
}

// A whole file: header length, header, data section.
std::string make_file(const std::string& header, const std::string& data = "") {
    return le64(header.size()) + header + data;
}

// n zero bytes: data for a header whose tensors hold n bytes.
std::string zeros(std::size_t n) { return std::string(n, '\0'); }

// The message of the Error that reading `bytes` throws, or a note that it threw none.
std::string read_error(const std::string& bytes) {
    try {
        read_safetensors(bytes);
    } catch (const Error& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("not an attnlab::Error: ") + e.what();
    }
    return "no error";
}

std::uint32_t bits_of(float f) {
    std::uint32_t b;
    std::memcpy(&b, &f, 4);
    return b;
}

// Bit-for-bit equality (so NaN, -0 and inf count too).
bool same_bits(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (bits_of(a.data()[i]) != bits_of(b.data()[i])) return false;
    return true;
}

// A second, naive reading of a binary16 / bfloat16 pattern straight from the IEEE definition:
// (-1)^s · 2^(e - bias) · (1 + m / 2^mbits), or (-1)^s · 2^(1 - bias) · m / 2^mbits when e = 0.
double naive_half(std::uint16_t h, int ebits, int mbits) {
    const int bias = (1 << (ebits - 1)) - 1;
    const int s = h >> 15, e = (h >> mbits) & ((1 << ebits) - 1), m = h & ((1 << mbits) - 1);
    const double sign = s ? -1.0 : 1.0;
    if (e == (1 << ebits) - 1) return m ? std::nan("") : sign * INFINITY;
    if (e == 0) return sign * std::pow(2.0, 1 - bias) * m / std::pow(2.0, mbits);
    return sign * std::pow(2.0, e - bias) * (1.0 + m / std::pow(2.0, mbits));
}

}  // namespace

TEST_CASE("write then read gives back every tensor bit for bit, incl. a 0-d scalar and an empty one") {
    TestRng rng(11);
    SafeTensors file;
    file.tensors["scalar"] = Tensor(2.5f);  // 0-d
    file.tensors["empty"] = Tensor::from_shape({0, 3});
    file.tensors["vector"] = random_tensor({5}, rng);
    file.tensors["cube"] = random_tensor({2, 3, 4}, rng);
    file.tensors["ones.1.1.1"] = random_tensor({1, 1, 1, 1}, rng);
    file.tensors["special"] = Tensor{-0.0f, INFINITY, -INFINITY, std::nanf(""), 1e-45f, 3.4e38f};
    file.metadata = {{"format", "pt"}, {"note", "h\xc3\xa9llo \"quoted\"\n\ttab"}};

    const std::string bytes = write_safetensors(file);
    const SafeTensors back = read_safetensors(bytes);
    REQUIRE(back.tensors.size() == file.tensors.size());
    for (const auto& entry : file.tensors) {
        const std::string& name = entry.first;
        CAPTURE(name);
        REQUIRE(back.tensors.count(name) == 1);
        CHECK(same_bits(back.tensors.at(name), entry.second));
    }
    CHECK(back.tensors.at("scalar").dimension() == 0);
    CHECK(back.tensors.at("scalar")() == 2.5f);
    CHECK(back.tensors.at("empty").shape() == Shape{0, 3});
    CHECK(back.metadata == file.metadata);
    // deterministic: writing what was read gives the same bytes
    CHECK(write_safetensors(back) == bytes);
}

TEST_CASE("an empty file (no tensors) round-trips as the 8-byte-padded header {}") {
    const std::string bytes = write_safetensors(SafeTensors{});
    CHECK(bytes == make_file("{}      "));
    const SafeTensors back = read_safetensors(bytes);
    CHECK(back.tensors.empty());
    CHECK(back.metadata.empty());
}

TEST_CASE("a hand-written file parses to the right values, and writing it back gives the expected header") {
    // Tensors in "wrong" order in the file (b before a), header padded with trailing spaces.
    const std::string header = R"({"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                               R"("a":{"dtype":"F32","shape":[],"data_offsets":[8,12]},)"
                               R"("__metadata__":{"format":"pt"}}    )";
    // b = [1.0, -2.5] (0x3f800000, 0xc0200000), a = 0.5 (0x3f000000), little-endian
    const std::string data(
        "\x00\x00\x80\x3f"
        "\x00\x00\x20\xc0"
        "\x00\x00\x00\x3f",
        12);
    const SafeTensors f = read_safetensors(make_file(header, data));
    REQUIRE(f.tensors.size() == 2);
    CHECK(f.tensors.at("b") == Tensor{1.0f, -2.5f});
    CHECK(f.tensors.at("a").dimension() == 0);
    CHECK(f.tensors.at("a")() == 0.5f);
    CHECK(f.metadata == std::map<std::string, std::string>{{"format", "pt"}});

    // The writer sorts tensors by name (a, then b), puts __metadata__ first, pads to 8 bytes.
    const std::string expected_header =
        R"({"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},)"
        R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})";
    REQUIRE(expected_header.size() == 138);  // padded with 6 spaces to 144
    const std::string expected_data(
        "\x00\x00\x00\x3f"
        "\x00\x00\x80\x3f"
        "\x00\x00\x20\xc0",
        12);
    const std::string written = write_safetensors(f);
    CHECK(written == le64(144) + expected_header + "      " + expected_data);
    const SafeTensors again = read_safetensors(written);
    CHECK(again.tensors.at("b") == f.tensors.at("b"));
    CHECK(again.tensors.at("a")() == 0.5f);
}

TEST_CASE("F16 and BF16 widen to float exactly on known bit patterns") {
    const float inf = std::numeric_limits<float>::infinity();
    CHECK(f16_to_float(0x3C00) == 1.0f);
    CHECK(f16_to_float(0xC000) == -2.0f);
    CHECK(f16_to_float(0x7BFF) == 65504.0f);                  // largest finite
    CHECK(f16_to_float(0x0001) == std::ldexp(1.0f, -24));     // smallest subnormal
    CHECK(f16_to_float(0x03FF) == std::ldexp(1023.0f, -24));  // largest subnormal
    CHECK(f16_to_float(0x0400) == std::ldexp(1.0f, -14));     // smallest normal
    CHECK(f16_to_float(0x3555) == 0.333251953125f);
    CHECK(f16_to_float(0x7C00) == inf);
    CHECK(f16_to_float(0xFC00) == -inf);
    CHECK(std::isnan(f16_to_float(0x7E00)));
    CHECK(std::isnan(f16_to_float(0x7C01)));              // signalling-style NaN stays NaN
    CHECK(bits_of(f16_to_float(0x8000)) == 0x80000000u);  // -0

    CHECK(bf16_to_float(0x3F80) == 1.0f);
    CHECK(bf16_to_float(0xC000) == -2.0f);
    CHECK(bits_of(bf16_to_float(0x7F7F)) == 0x7F7F0000u);    // largest finite ≈ 3.39e38
    CHECK(bf16_to_float(0x0001) == std::ldexp(1.0f, -133));  // smallest subnormal
    CHECK(bf16_to_float(0x7F80) == inf);
    CHECK(bf16_to_float(0xFF80) == -inf);
    CHECK(std::isnan(bf16_to_float(0x7FC0)));
    CHECK(bits_of(bf16_to_float(0x8000)) == 0x80000000u);
}

TEST_CASE("F16 and BF16 widening agree with the IEEE formula on all 65536 patterns") {
    int f16_bad = 0, bf16_bad = 0;
    for (std::uint32_t h = 0; h < 65536; ++h) {
        const double a = naive_half(std::uint16_t(h), 5, 10), b = naive_half(std::uint16_t(h), 8, 7);
        const float fa = f16_to_float(std::uint16_t(h)), fb = bf16_to_float(std::uint16_t(h));
        if (std::isnan(a) ? !std::isnan(fa) : (double(fa) != a || std::signbit(fa) != bool(h >> 15))) ++f16_bad;
        if (std::isnan(b) ? !std::isnan(fb) : (double(fb) != b || std::signbit(fb) != bool(h >> 15))) ++bf16_bad;
    }
    CHECK(f16_bad == 0);
    CHECK(bf16_bad == 0);
}

TEST_CASE("F16 and BF16 tensors in a file are read and widened to float") {
    const std::string header = R"({"h":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]},)"
                               R"("g":{"dtype":"BF16","shape":[3],"data_offsets":[8,14]}})";
    // h = [[1, -2], [65504, 2^-24]], g = [1, -2, inf]; little-endian 16-bit words
    const std::string data(
        "\x00\x3c"
        "\x00\xc0"
        "\xff\x7b"
        "\x01\x00"
        "\x80\x3f"
        "\x00\xc0"
        "\x80\x7f",
        14);
    const SafeTensors f = read_safetensors(make_file(header, data));
    const Tensor h = {{1.0f, -2.0f}, {65504.0f, std::ldexp(1.0f, -24)}};
    CHECK(f.tensors.at("h") == h);
    CHECK(f.tensors.at("g") == Tensor{1.0f, -2.0f, INFINITY});
}

TEST_CASE("float_to_f16 gives back every half-precision pattern that f16_to_float widens (NaNs stay NaNs)") {
    int bad = 0;
    for (std::uint32_t h = 0; h < 65536; ++h) {
        const float f = f16_to_float(std::uint16_t(h));
        const std::uint16_t back = float_to_f16(f);
        const bool nan = ((h >> 10) & 0x1f) == 0x1f && (h & 0x3ff);
        if (nan ? !std::isnan(f16_to_float(back)) : back != h) ++bad;
    }
    CHECK(bad == 0);
}

TEST_CASE("float_to_f16 rounds to the nearest half at every rounding boundary, ties to even, beyond 65504 to inf") {
    // Between each two neighbouring finite halves a < b (both signs): a and just above a give a, b and just
    // below b give b, the midpoint (exact in float) gives the one with an even mantissa.
    int bad = 0;
    for (std::uint32_t h = 0; h < 0x7bff; ++h) {
        for (const std::uint32_t sign : {0u, 0x8000u}) {
            const std::uint16_t lo = std::uint16_t(h | sign), hi = std::uint16_t((h + 1) | sign);
            const float a = f16_to_float(lo), b = f16_to_float(hi), mid = (a + b) / 2;
            REQUIRE(double(mid) == (double(a) + double(b)) / 2);
            const std::uint16_t even = (h & 1) ? hi : lo;
            const float toward_b = std::nextafter(mid, b), toward_a = std::nextafter(mid, a);
            bad += float_to_f16(a) != lo;
            bad += float_to_f16(b) != hi;
            bad += float_to_f16(mid) != even;
            bad += float_to_f16(toward_b) != hi;
            bad += float_to_f16(toward_a) != lo;
        }
    }
    CHECK(bad == 0);
    CHECK(float_to_f16(65504.0f) == 0x7bff);
    CHECK(float_to_f16(std::nextafter(65520.0f, 0.0f)) == 0x7bff);
    CHECK(float_to_f16(65520.0f) == 0x7c00);  // the midpoint to 65536 rounds to even: inf
    CHECK(float_to_f16(-1e30f) == 0xfc00);
    CHECK(float_to_f16(INFINITY) == 0x7c00);
    CHECK(float_to_f16(std::ldexp(1.0f, -25)) == 0x0000);  // half the smallest subnormal: ties to even (0)
    CHECK(float_to_f16(std::nextafter(std::ldexp(1.0f, -25), 1.0f)) == 0x0001);
    CHECK(float_to_f16(-0.0f) == 0x8000);
    CHECK(float_to_f16(1e-30f) == 0x0000);
}

TEST_CASE("an F16 file holds each value rounded to the nearest half, in half the data bytes") {
    TestRng rng(5);
    SafeTensors file;
    file.tensors["w"] = random_tensor({7, 5}, rng, -3.0f, 3.0f);
    file.tensors["b"] = Tensor{0.1f, -65504.0f, 1e-6f, -0.0f};
    file.metadata = {{"format", "pt"}};
    const std::string f32 = write_safetensors(file), f16 = write_safetensors(file, WriteDType::f16);
    CHECK(f16.find(R"("w":{"dtype":"F16","shape":[7,5],"data_offsets":[8,78]})") != std::string::npos);
    const auto data_bytes = [](const std::string& f) {  // the file's size less its header
        std::uint64_t n = 0;
        for (int i = 7; i >= 0; --i) n = n << 8 | std::uint8_t(f[std::size_t(i)]);
        return f.size() - 8 - n;
    };
    CHECK(data_bytes(f32) == 4 * 39);
    CHECK(data_bytes(f16) == 2 * 39);
    const SafeTensors back = read_safetensors(f16);
    CHECK(back.metadata == file.metadata);
    for (const auto& entry : file.tensors) {
        const std::string& name = entry.first;
        const Tensor& t = entry.second;
        CAPTURE(name);
        const Tensor& u = back.tensors.at(name);
        REQUIRE(u.shape() == t.shape());
        for (std::size_t i = 0; i < t.size(); ++i)
            CHECK(bits_of(u.data()[i]) == bits_of(f16_to_float(float_to_f16(t.data()[i]))));
    }
    CHECK(write_safetensors(back, WriteDType::f16) == f16);  // rounding again changes nothing
}

TEST_CASE("writing F16 refuses a finite value beyond float16's range, naming the tensor and the element") {
    SafeTensors file;
    file.tensors["ok"] = Tensor{1.0f};
    file.tensors["big"] = Tensor{1.0f, 70000.0f};
    CHECK_THROWS_WITH_AS(write_safetensors(file, WriteDType::f16),
                         "safetensors: tensor \"big\"[1] = 70000.000000 is beyond float16's range (largest 65504): it "
                         "cannot be written as F16",
                         Error);
    CHECK_NOTHROW(write_safetensors(file));  // F32 holds it
}

TEST_CASE("every malformed file is an Error whose message names the problem and the tensor") {
    // A well-formed entry for tensor "a" with the given fields replaced.
    const std::string ok_a = R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
    struct Case {
        const char* what;
        std::string bytes;
        const char* message;  // a part of the expected message
    };
    const Case cases[] = {
        {"empty file", "", "file is 0 bytes, shorter than the 8-byte header length"},
        {"7 bytes", std::string(7, '\0'), "file is 7 bytes"},
        {"header past the end", le64(100) + "{}", "header length 100 runs past the end of the file (10 bytes)"},
        {"header absurdly large", le64(200000000) + "{}", "header length 200000000 is larger than the 100 MB limit"},
        {"header length 2^64-1", le64(~0ull) + "{}", "larger than the 100 MB limit"},
        {"truncated JSON", make_file(R"({"a":)"), "header: not valid JSON"},
        {"trailing garbage", make_file("{} x"), "header: not valid JSON"},
        {"invalid UTF-8", make_file("{\"\xff\":1}"), "header: not valid JSON"},
        {"NUL inside the header", make_file(std::string("{}\0 x", 4)),
         "header: not valid JSON: it contains a NUL byte"},
        {"header an array", make_file("[1,2]"), "header is not a JSON object but [1,2]"},
        {"entry not an object", make_file(R"({"a":[1]})"), "tensor \"a\": entry is not an object"},
        {"missing data_offsets", make_file(R"({"a":{"dtype":"F32","shape":[2]}})", zeros(8)),
         "tensor \"a\": missing field \"data_offsets\""},
        {"missing dtype", make_file(R"({"a":{"shape":[2],"data_offsets":[0,8]}})", zeros(8)),
         "tensor \"a\": missing field \"dtype\""},
        {"extra field", make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}})", zeros(8)),
         "tensor \"a\": unexpected field \"x\""},
        {"dtype not a string", make_file(R"({"a":{"dtype":4,"shape":[2],"data_offsets":[0,8]}})", zeros(8)),
         "tensor \"a\": dtype is not a string"},
        {"unknown dtype", make_file(R"({"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}})", zeros(8)),
         "tensor \"a\": unknown dtype \"F33\""},
        {"unsupported dtype", make_file(R"({"a":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}})", zeros(16)),
         "tensor \"a\": dtype I64 is not supported"},
        {"unsupported BOOL", make_file(R"({"m":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}})", zeros(2)),
         "tensor \"m\": dtype BOOL is not supported"},
        {"shape not an array", make_file(R"({"a":{"dtype":"F32","shape":2,"data_offsets":[0,8]}})", zeros(8)),
         "tensor \"a\": shape is not an array"},
        {"negative dimension", make_file(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", zeros(8)),
         "tensor \"a\": shape entry 0 is negative"},
        {"fractional dimension", make_file(R"({"a":{"dtype":"F32","shape":[1,2.5],"data_offsets":[0,8]}})", zeros(8)),
         "tensor \"a\": shape entry 1 is not a non-negative integer: 2.5"},
        {"string dimension", make_file(R"({"a":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}})", zeros(8)),
         "tensor \"a\": shape entry 0 is not a non-negative integer"},
        {"byte size overflows",
         make_file(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,2],"data_offsets":[0,8]}})", zeros(8)),
         "tensor \"a\": shape [4294967296,4294967296,2] is too large (its byte size overflows)"},
        {"dimension beyond 2^64", make_file(R"({"a":{"dtype":"F32","shape":[1e30],"data_offsets":[0,8]}})", zeros(8)),
         "tensor \"a\": shape entry 0 is not a non-negative integer"},
        {"one offset", make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8]}})", zeros(8)),
         "tensor \"a\": data_offsets is not two integers"},
        {"three offsets", make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,8]}})", zeros(8)),
         "tensor \"a\": data_offsets is not two integers"},
        {"offsets an object", make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":{"0":8}}})", zeros(8)),
         "tensor \"a\": data_offsets is not two integers"},
        {"string offset", make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,"8"]}})", zeros(8)),
         "tensor \"a\": data_offsets end is not a non-negative integer"},
        {"negative offset", make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}})", zeros(8)),
         "tensor \"a\": data_offsets begin is negative"},
        {"begin > end", make_file(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}})", zeros(8)),
         "tensor \"a\": data_offsets begin 8 > end 4"},
        {"end past the data", make_file("{" + ok_a + "}", zeros(4)),
         "tensor \"a\": data_offsets end 8 is past the end of the data section (4 bytes)"},
        {"huge end",
         make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551615]}})", zeros(8)),
         "tensor \"a\": data_offsets end 18446744073709551615 is past the end of the data section"},
        {"length not shape x dtype", make_file(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", zeros(8)),
         "tensor \"a\": data_offsets [0, 8] hold 8 bytes, but F32 (3) needs 12"},
        {"F16 length mismatch", make_file(R"({"a":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}})", zeros(8)),
         "tensor \"a\": data_offsets [0, 8] hold 8 bytes, but F16 (3) needs 6"},
        {"overlapping tensors",
         make_file("{" + ok_a + R"(,"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", zeros(12)),
         "tensor \"b\" overlaps tensor \"a\""},
        {"empty tensor inside another",
         make_file("{" + ok_a + R"(,"z":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}})", zeros(8)),
         "tensor \"z\" overlaps tensor \"a\""},
        {"hole between tensors",
         make_file("{" + ok_a + R"(,"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}})", zeros(16)),
         "bytes [8, 12) of the data section belong to no tensor (a hole before tensor \"b\")"},
        {"hole at the start", make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", zeros(8)),
         "bytes [0, 4) of the data section belong to no tensor"},
        {"trailing data", make_file("{" + ok_a + "}", zeros(12)),
         "the data section has 12 bytes but the tensors end at 8"},
        {"duplicate tensor name", make_file("{" + ok_a + "," + ok_a + "}", zeros(8)), "duplicate tensor name \"a\""},
        {"duplicate field",
         make_file(R"({"a":{"dtype":"F32","dtype":"F16","shape":[2],"data_offsets":[0,8]}})", zeros(8)),
         "duplicate key \"dtype\" inside \"a\""},
        {"duplicate metadata key", make_file(R"({"__metadata__":{"k":"1","k":"2"}})"),
         "duplicate key \"k\" inside \"__metadata__\""},
        {"duplicate __metadata__", make_file(R"({"__metadata__":{},"__metadata__":{}})"), "duplicate \"__metadata__\""},
        {"__metadata__ a string", make_file(R"({"__metadata__":"pt"})"), "__metadata__ is not an object but \"pt\""},
        {"__metadata__ value a number", make_file(R"({"__metadata__":{"epoch":3}})"),
         "__metadata__ value for \"epoch\" is not a string: 3"},
        {"__metadata__ null", make_file(R"({"__metadata__":null})"), "__metadata__ is not an object"},
    };
    for (const Case& c : cases) {
        const std::string what = c.what;
        CAPTURE(what);
        const std::string msg = read_error(c.bytes);
        CAPTURE(msg);
        CHECK(msg.rfind("safetensors: ", 0) == 0);
        CHECK(msg.find(c.message) != std::string::npos);
        CHECK(msg.find('\n') == std::string::npos);  // one line
    }
    // ...while the well-formed versions of these files read fine.
    CHECK(read_safetensors(make_file("{" + ok_a + "}", zeros(8))).tensors.at("a") == Tensor{0.0f, 0.0f});
    CHECK(read_safetensors(make_file(R"({"a":{"dtype":"F32","shape":[0,100000000],"data_offsets":[0,0]}})"))
              .tensors.at("a")
              .size() == 0);
}

TEST_CASE("a file that is cut short anywhere is an Error, never a crash") {
    TestRng rng(5);
    SafeTensors file;
    file.tensors["w"] = random_tensor({3, 4}, rng);
    file.tensors["b"] = random_tensor({4}, rng);
    file.metadata["format"] = "pt";
    const std::string bytes = write_safetensors(file);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        CAPTURE(n);
        CHECK(read_error(bytes.substr(0, n)).rfind("safetensors: ", 0) == 0);
    }
}

TEST_CASE("writing rejects a tensor named __metadata__ and names that are not UTF-8") {
    SafeTensors bad;
    bad.tensors["__metadata__"] = Tensor{1.0f};
    CHECK_THROWS_AS(write_safetensors(bad), Error);
    SafeTensors bad_name;
    bad_name.tensors["\xff"] = Tensor{1.0f};
    CHECK_THROWS_WITH_AS(write_safetensors(bad_name), "safetensors: tensor name \"\xEF\xBF\xBD\" is not valid UTF-8",
                         Error);
}

TEST_CASE("save then load through a file on disk, and a missing file is a clear error") {
    TestRng rng(2);
    SafeTensors file;
    file.tensors["encoder.embedding.weight"] = random_tensor({7, 3}, rng);
    const std::string path = "test_safetensors_roundtrip.safetensors";
    save_safetensors(file, path);
    const SafeTensors back = load_safetensors(path);
    std::remove(path.c_str());
    CHECK(same_bits(back.tensors.at("encoder.embedding.weight"), file.tensors.at("encoder.embedding.weight")));
    CHECK_THROWS_WITH_AS(load_safetensors("/nonexistent/x.safetensors"),
                         "cannot read /nonexistent/x.safetensors: no such file", Error);
}

TEST_CASE("assign_tensors copies expected tensors into their targets") {
    TestRng rng(3);
    SafeTensors file;
    file.tensors["w"] = random_tensor({2, 3}, rng);
    file.tensors["b"] = random_tensor({2}, rng);
    Tensor w = Tensor::from_shape({2, 3}), b = Tensor::from_shape({2});
    assign_tensors(file, {{"w", &w}, {"b", &b}});
    CHECK(w == file.tensors.at("w"));
    CHECK(b == file.tensors.at("b"));
}

TEST_CASE("assign_tensors lists missing, unexpected and wrongly shaped tensors, and changes nothing") {
    SafeTensors file;
    file.tensors["decoder.weight_ih_l0"] = xt::ones<float>({96, 16});
    file.tensors["decoder.bias"] = xt::ones<float>({96});
    file.tensors["extra.bias"] = xt::ones<float>({3});
    file.tensors["zz.unused"] = xt::ones<float>({1});
    Tensor w = xt::zeros<float>({96, 32}), bias = xt::zeros<float>({96}), emb = xt::zeros<float>({5, 2}),
           scalar = xt::zeros<float>({1});
    file.tensors["scale"] = Tensor(1.0f);  // 0-d in the file, (1) in the model
    CHECK_THROWS_WITH_AS(assign_tensors(file, {{"decoder.weight_ih_l0", &w},
                                               {"decoder.bias", &bias},
                                               {"encoder.embedding.weight", &emb},
                                               {"scale", &scalar}}),
                         "assign_tensors: missing tensors: encoder.embedding.weight; "
                         "unexpected tensors: extra.bias, zz.unused; "
                         "decoder.weight_ih_l0: expected shape (96, 32), file has (96, 16); "
                         "scale: expected shape (1), file has ()",
                         Error);
    CHECK(bias == Tensor(xt::zeros<float>({96})));  // the good one was not copied either

    CHECK_THROWS_WITH_AS(assign_tensors(file, {{"decoder.bias", &bias}, {"decoder.bias", &bias}}),
                         "assign_tensors: decoder.bias is listed twice", Error);
}
