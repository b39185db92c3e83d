// What a SequenceModel trains on: pairs of id sequences, and a padded batch of them (made by
// train/batching.hpp):
//   source:     x₁ … xₙ <eos>        decoder input:  <bos> y₁ … yₘ        decoder output: y₁ … yₘ <eos>
#pragma once

#include <cstdint>
#include <vector>

#include "attnlab/tensor/tensor.hpp"
#include "attnlab/text/vocab.hpp"

namespace attnlab {

struct TokenPair {
    std::vector<std::int32_t> source, target;  // ids without <bos>/<eos>
};

struct Batch {
    IntTensor source;                  // (B, Ts) with <eos> after each sentence, <pad> after that
    IntTensor source_lengths;          // (B) counting the <eos>
    IntTensor target_in;               // (B, Tt): <bos> y₁ … yₘ <pad>…
    IntTensor target_out;              // (B, Tt): y₁ … yₘ <eos> <pad>…
    std::vector<std::size_t> indices;  // positions of these pairs in the data set
    // non-padding entries of target_out
    std::size_t target_tokens() const {
        std::size_t n = 0;
        for (auto id : target_out) n += id != kPad;
        return n;
    }
};

}  // namespace attnlab
