#include "attnlab/nn/positional_encoding.hpp"

#include <cmath>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/tensor/checked_size.hpp"

namespace attnlab {

Tensor sinusoidal_positions(std::size_t max_len, std::size_t d) {
    if (d == 0) throw Error("sinusoidal_positions: d must be positive");
    checked_size(checked_mul(max_len, d, "sinusoidal_positions: max_len × d"), "sinusoidal_positions: max_len × d",
                 sizeof(float));  // wasm32: 2^26 × 64 floats would wrap
    Tensor pe = Tensor::from_shape({max_len, d});
    for (std::size_t pos = 0; pos < max_len; ++pos)
        for (std::size_t j = 0; j < d; ++j) {
            const std::size_t two_i = j - j % 2;  // columns 2i and 2i+1 share one frequency
            const double angle = double(pos) / std::pow(10000.0, double(two_i) / double(d));
            pe(pos, j) = float(j % 2 == 0 ? std::sin(angle) : std::cos(angle));
        }
    return pe;
}

namespace {

// Throws unless x: (B, T, D) fits rows [start, start + T) of a (max_len, D) table.
void check_positions(const Var& x, const Tensor& table, std::size_t start) {
    if (x.dimension() != 3) throw Error("add_positions: input " + shape_str(x.value()) + " is not (B, T, D)");
    if (table.dimension() != 2)
        throw Error("add_positions: position table " + shape_str(table) + " is not (max_len, D)");
    const std::size_t T = x.shape(1), max_len = table.shape(0);
    if (x.shape(2) != table.shape(1))
        throw Error("add_positions: input " + shape_str(x.value()) + " has D = " + std::to_string(x.shape(2)) +
                    " but the position table has " + std::to_string(table.shape(1)));
    if (start + T > max_len)
        throw Error("add_positions: sequence of length " + std::to_string(start + T) + " is longer than the " +
                    std::to_string(max_len) + " positions of the table");
}

}  // namespace

Var add_positions(const Var& x, const Tensor& table, std::size_t start) {
    check_positions(x, table, start);
    Tensor rows = xt::view(table, xt::range(start, start + x.shape(1)), xt::all());  // (T, D)
    return add(x, constant(std::move(rows)));                                        // (B, T, D) + (T, D)
}

}  // namespace attnlab
