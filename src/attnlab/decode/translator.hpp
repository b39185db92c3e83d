// What translating text needs: a model and the codecs of its two languages. A bundle (io/bundle.hpp)
// is one, read from its files; the decoders take this, so decode does not depend on io.
#pragma once

#include <memory>

#include "attnlab/models/sequence_model.hpp"
#include "attnlab/text/text_codec.hpp"

namespace attnlab {

struct Translator {
    std::unique_ptr<SequenceModel> model;
    TextCodec source, target;
};

}  // namespace attnlab
