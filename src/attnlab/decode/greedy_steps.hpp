// Greedy decoding one step at a time, for the page's step-through (primer §3): at each step the
// previous output token is fed back (its row of the decoder's embedding matrix E), the decoder
// attends (this step's attention rows), and the next-token distribution gives the top-k candidates;
// the most likely one is output. The tokens are those of greedy_decode (a doctest checks it).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "attnlab/decode/translator.hpp"

namespace attnlab {

struct Candidate {
    std::string token;
    double probability = 0;
};

struct GreedyStep {
    std::string input_token;             // the previous output, fed back: "<bos>" at the first step
    std::vector<float> input_embedding;  // its row of the decoder embedding (empty if the model has none by that name)
    std::map<std::string, std::vector<float>> attention;  // this step's rows, flattened: "cross": (Ts), a
                                                          // Transformer's: (L, H, Ts) or (L, H, t+1)
    std::map<std::string, std::vector<std::size_t>> attention_shape;
    std::map<std::string, std::vector<float>> scores;  // the raw scores behind `attention` (before the
                                                       // softmax, −inf where masked), the same shapes
    std::vector<Candidate> top;                        // the k most likely next tokens, most likely first
    std::string output_token;                          // top[0]: what greedy decoding outputs
};

struct GreedySteps {
    std::vector<std::string> source_tokens;  // ending with "<eos>"
    std::vector<GreedyStep> steps;           // until <eos> or max_length
};

// Errors as translate(): empty sentence, too many tokens, invalid UTF-8. max_length 0: 2 × source + 10.
GreedySteps greedy_steps(const Translator& bundle, const std::string& sentence, std::size_t top_k = 5,
                         std::size_t max_length = 0);

}  // namespace attnlab
