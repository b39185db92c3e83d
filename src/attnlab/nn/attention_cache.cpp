#include "attnlab/nn/attention_cache.hpp"

#include <algorithm>
#include <cmath>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/tensor/gemm.hpp"
#include "attnlab/tensor/softmax.hpp"

namespace attnlab {

namespace {

// buffer (B, h, capacity, d/h) -> its first t positions, copied: (B, h, t, d/h)
Tensor first_positions(const Tensor& buffer, std::size_t t) {
    if (buffer.dimension() != 4) return Tensor();
    const std::size_t N = buffer.shape(0) * buffer.shape(1), cap = buffer.shape(2), dh = buffer.shape(3);
    Tensor out = Tensor::from_shape({buffer.shape(0), buffer.shape(1), t, dh});
    for (std::size_t i = 0; i < N; ++i) std::copy_n(buffer.data() + i * cap * dh, t * dh, out.data() + i * t * dh);
    return out;
}

// buffer (B, h, old capacity, d/h) with t positions -> the same positions in a (B, h, capacity, d/h) buffer
Tensor with_capacity(const Tensor& buffer, std::size_t t, std::size_t B, std::size_t h, std::size_t capacity,
                     std::size_t dh) {
    Tensor out = xt::zeros<float>({B, h, capacity, dh});
    if (t == 0) return out;
    const std::size_t old = buffer.shape(2);
    for (std::size_t i = 0; i < B * h; ++i)
        std::copy_n(buffer.data() + i * old * dh, t * dh, out.data() + i * capacity * dh);
    return out;
}

}  // namespace

void KeyValueCache::append(const Tensor& k, const Tensor& v) {
    if (k.dimension() != 4 || k.shape(2) != 1 || v.shape() != k.shape())
        throw Error("key/value cache: a step's keys and values must be (B, h, 1, d/h), got " + shape_str(k) + " and " +
                    shape_str(v));
    if (length > 0 && (k.shape(0) != keys.shape(0) || k.shape(1) != keys.shape(1) || k.shape(3) != keys.shape(3)))
        throw Error("key/value cache: a step " + shape_str(k) + " does not match the cache " + shape_str(keys));
    const std::size_t B = k.shape(0), h = k.shape(1), dh = k.shape(3);
    if (length == capacity() || keys.shape(0) != B) {
        const std::size_t room = std::max(initial_capacity, 2 * capacity());
        keys = with_capacity(keys, length, B, h, room, dh);
        values = with_capacity(values, length, B, h, room, dh);
    }
    const std::size_t N = B * h, cap = capacity();
    for (std::size_t i = 0; i < N; ++i) {
        std::copy_n(k.data() + i * dh, dh, keys.data() + (i * cap + length) * dh);
        std::copy_n(v.data() + i * dh, dh, values.data() + (i * cap + length) * dh);
    }
    ++length;
}

Tensor KeyValueCache::keys_so_far() const { return first_positions(keys, length); }
Tensor KeyValueCache::values_so_far() const { return first_positions(values, length); }

void KeyValueCache::take_rows(const std::vector<std::size_t>& parents) {
    if (capacity() == 0) return;
    keys = take(keys, parents, 0);
    values = take(values, parents, 0);
}

AttentionOutput multi_head_attention_step(const MultiHeadAttention& m, const Var& query, const Var& key,
                                          const Var& value, KeyValueCache& cache) {
    for (const Var* x : {&query, &key, &value})
        if (x->dimension() != 3 || x->shape(1) != 1 || x->shape(2) != m.embed_dim)
            throw Error("multi_head_attention_step: query, key and value must be one step (B, 1, " +
                        std::to_string(m.embed_dim) + "), got " + shape_str(x->value()));
    const std::size_t B = query.shape(0);
    if (key.shape(0) != B || value.shape(0) != B)
        throw Error("multi_head_attention_step: query, key and value differ in batch size");
    if (cache.length > 0 && cache.keys.shape(0) != B)
        throw Error("multi_head_attention_step: batch of " + std::to_string(B) + " does not match the cache's " +
                    std::to_string(cache.keys.shape(0)));

    const Var k = project_heads(m, key, 1), v = project_heads(m, value, 2);  // (B, h, 1, d/h)
    cache.append(k.value(), v.value());                                      // keys of positions 0 … t
    const Var q = project_heads(m, query, 0);

    // scaled_dot_product_attention over the cache's first t positions, read in place: per head the
    // same gemm calls as its bmm (only the row stride between heads differs: capacity, not t).
    const std::size_t h = q.shape(1), dh = q.shape(3), t = cache.length, cap = cache.capacity();
    const std::size_t N = B * h;
    const Tensor& qv = q.value();
    Tensor scores = Tensor::from_shape({B, h, 1, t});  // Q Kᵀ / √d_k
    for (std::size_t i = 0; i < N; ++i)
        gemm(1, t, dh, {qv.data() + i * dh, dh, 1}, {cache.keys.data() + i * cap * dh, 1, dh}, scores.data() + i * t, t,
             false);
    scores *= 1.0f / std::sqrt(float(dh));
    Tensor weights = attnlab::softmax(scores);
    Tensor heads = Tensor::from_shape({B, h, 1, dh});  // weights · V
    for (std::size_t i = 0; i < N; ++i)
        gemm(1, dh, t, {weights.data() + i * t, t, 1}, {cache.values.data() + i * cap * dh, dh, 1},
             heads.data() + i * dh, dh, false);
    // §10's per-head sums (kept by a session that asks for them): this step's value v (the newest in the
    // cache; the older ones were returned at their own steps) and the head's output o_t = Σ_i α_i v_i.
    const Var head_context = constant(std::move(heads));
    return {combine_heads(m, head_context), constant(std::move(weights)), std::move(scores), v, head_context};
}

}  // namespace attnlab
