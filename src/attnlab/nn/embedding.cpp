#include "attnlab/nn/embedding.hpp"

#include "attnlab/autograd/ops.hpp"

namespace attnlab {

Embedding make_embedding(std::size_t num_embeddings, std::size_t dim, Rng& rng) {
    if (num_embeddings == 0 || dim == 0) throw Error("make_embedding: num_embeddings and dim must be positive");
    if (!rng.draws()) return {parameter(xt::zeros<float>({num_embeddings, dim}))};
    Tensor w = Tensor::from_shape({num_embeddings, dim});
    for (auto& v : w) v = rng.normal(0.0f, 1.0f);
    return {parameter(std::move(w))};
}

Var embedding_forward(const Embedding& emb, const IntTensor& ids) { return embedding(emb.weight, ids); }

void add_parameters(NamedVars& out, const std::string& prefix, const Embedding& emb) {
    out.emplace_back(join_name(prefix, "weight"), emb.weight);
}

}  // namespace attnlab
