#include "attnlab/nn/attention_cache.hpp"

#include "attnlab/autograd/ops.hpp"

namespace attnlab {

AttentionOutput multi_head_attention_step(const MultiHeadAttention& m, const Var& query, const Var& key,
                                          const Var& value, KeyValueCache& cache) {
    for (const Var* x : {&query, &key, &value})
        if (x->dimension() != 3 || x->shape(1) != 1 || x->shape(2) != m.embed_dim)
            throw Error("multi_head_attention_step: query, key and value must be one step (B, 1, " +
                        std::to_string(m.embed_dim) + "), got " + shape_str(x->value()));
    const std::size_t B = query.shape(0);
    if (key.shape(0) != B || value.shape(0) != B)
        throw Error("multi_head_attention_step: query, key and value differ in batch size");
    if (cache.length() > 0 && cache.keys.shape(0) != B)
        throw Error("multi_head_attention_step: batch of " + std::to_string(B) + " does not match the cache's " +
                    std::to_string(cache.keys.shape(0)));

    const Var k = project_heads(m, key, 1), v = project_heads(m, value, 2);  // (B, h, 1, d/h)
    const bool first = cache.length() == 0;
    cache.keys = first ? k : concat({cache.keys, k}, 2);  // keys of positions 0 … t
    cache.values = first ? v : concat({cache.values, v}, 2);
    const Var q = project_heads(m, query, 0);
    AttentionOutput heads = scaled_dot_product_attention(q, cache.keys, cache.values, Tensor());
    return {combine_heads(m, heads.output), heads.weights, heads.scores, cache.values, heads.output};
}

}  // namespace attnlab
