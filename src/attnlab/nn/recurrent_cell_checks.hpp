// Shape checks shared by the three recurrent cells (rnn_cell, lstm_cell, gru_cell): a cell with
// G gates has w_ih (G·H, in) and w_hh (G·H, H); its step takes x (B, in) and h (B, H).
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"

namespace attnlab {

// Throws unless w_hh is (gates·H, H) and h is (B, H); returns H.
inline std::size_t check_hidden(const char* what, std::size_t gates, const Var& w_hh, const Var& h) {
    if (w_hh.dimension() != 2 || w_hh.shape(1) == 0 || w_hh.shape(0) != gates * w_hh.shape(1))
        throw Error(std::string(what) + ": weight_hh " + shape_str(w_hh.value()) + " is not (" + std::to_string(gates) +
                    "·H, H)");
    const std::size_t H = w_hh.shape(1);
    if (h.dimension() != 2 || h.shape(1) != H)
        throw Error(std::string(what) + ": hidden state " + shape_str(h.value()) + " is not (B, " + std::to_string(H) +
                    ")");
    return H;
}

// x: (B, in), h: (B, H) against w_ih: (G·H, in), w_hh: (G·H, H).
inline void check_cell_inputs(const char* what, std::size_t gates, const Var& w_ih, const Var& w_hh, const Var& x,
                              const Var& h) {
    const std::size_t H = check_hidden(what, gates, w_hh, h);
    if (w_ih.dimension() != 2 || w_ih.shape(0) != gates * H)
        throw Error(std::string(what) + ": weight_ih " + shape_str(w_ih.value()) + " is not (" +
                    std::to_string(gates * H) + ", in)");
    if (x.dimension() != 2 || x.shape(1) != w_ih.shape(1) || x.shape(0) != h.shape(0))
        throw Error(std::string(what) + ": input " + shape_str(x.value()) + " is not (" + std::to_string(h.shape(0)) +
                    ", " + std::to_string(w_ih.shape(1)) + ")");
}

// x_proj = W_ih x + b_ih: (B, G·H), h: (B, H) against w_hh: (G·H, H).
inline void check_projected_inputs(const char* what, std::size_t gates, const Var& w_hh, const Var& x_proj,
                                   const Var& h) {
    const std::size_t H = check_hidden(what, gates, w_hh, h);
    if (x_proj.dimension() != 2 || x_proj.shape(1) != gates * H || x_proj.shape(0) != h.shape(0))
        throw Error(std::string(what) + ": projected input " + shape_str(x_proj.value()) + " is not (" +
                    std::to_string(h.shape(0)) + ", " + std::to_string(gates * H) + ")");
}

}  // namespace attnlab
