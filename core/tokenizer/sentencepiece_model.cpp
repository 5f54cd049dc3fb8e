// SPDX-License-Identifier: Apache-2.0
// The tokenizer model for folders that ship only tokenizer.model: SentencePiece (static 0.1.97 built against
// the system protobuf, see tools/build-sentencepiece.sh) encodes each text piece between added tokens and
// decodes runs of ids itself.
#include <sentencepiece_processor.h>

#include "core/tokenizer/tokenizer_impl.h"

namespace td::tok
{
namespace
{

class SentencePieceModel : public Model
{
public:
    sentencepiece::SentencePieceProcessor sp;

    void tokenize(std::string_view piece, std::vector<int32_t>& out) const override
    {
        std::vector<int> ids;
        if (sp.Encode(piece, &ids).ok()) {
            out.insert(out.end(), ids.begin(), ids.end());
        }
    }

    std::optional<int32_t> tokenToId(std::string_view token) const override
    {
        const int id = sp.PieceToId(token);
        if (id < 0 || (id == sp.unk_id() && sp.IdToPiece(id) != token)) {
            return std::nullopt;
        }
        return id;
    }

    const std::string* idToToken(int32_t id) const override
    {
        if (id < 0 || id >= sp.GetPieceSize()) {
            return nullptr;
        }
        return &sp.IdToPiece(id);
    }

    int32_t vocabSize() const override { return sp.GetPieceSize(); }
    std::string typeName() const override { return "SentencePiece"; }
    bool decodesIds() const override { return true; }

    void decodeIds(std::span<const int32_t> ids, std::string& out) const override
    {
        const std::vector<int> v(ids.begin(), ids.end());
        if (!sp.Decode(v, &out).ok()) {
            out.clear();
        }
    }
};

} // namespace

Expected<std::unique_ptr<Model>> makeSentencePieceModel(const std::filesystem::path& modelFile)
{
    auto m = std::make_unique<SentencePieceModel>();
    const auto status = m->sp.Load(modelFile.string());
    if (!status.ok()) {
        return makeError(ErrorCode::BadTokenizer,
                         "cannot load SentencePiece model " + modelFile.string() + ": " + status.ToString(),
                         "the file must be a SentencePiece ModelProto (tokenizer.model)");
    }
    return m;
}

SpmSpecialIds sentencePieceSpecialIds(const Model& model)
{
    const auto* m = dynamic_cast<const SentencePieceModel*>(&model);
    if (!m) {
        return {};
    }
    return SpmSpecialIds{m->sp.bos_id(), m->sp.eos_id(), m->sp.unk_id(), m->sp.pad_id()};
}

} // namespace td::tok
