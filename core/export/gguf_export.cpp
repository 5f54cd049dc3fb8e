// SPDX-License-Identifier: Apache-2.0
// CausalLM → GGUF (see gguf_export.h).
#include "core/export/gguf_export.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/export/gguf_arch.h"
#include "core/export/gguf_vocab.h"
#include "core/export/gguf_writer.h"
#include "core/models/transformer.h"

namespace td::exporter
{

namespace
{

/// ggml dims of a torch tensor: reversed sizes ([out, in] → {in, out}).
std::vector<std::int64_t> ggmlDims(const at::Tensor& t)
{
    auto s = t.sizes().vec();
    return {s.rbegin(), s.rend()};
}

std::vector<float> toVector(const at::Tensor& t)
{
    at::Tensor c = t.detach().to(at::kFloat).contiguous().cpu();
    const float* p = c.data_ptr<float>();
    return {p, p + c.numel()};
}

} // namespace

Status writeGguf(models::CausalLM& model, const nlohmann::json& configJson, const std::filesystem::path& file,
                 const GgufExportOptions& o)
{
    const auto& config = model.config();
    auto arch = gguf::archFor(config.model_type);
    if (!arch) {
        return tl::unexpected(arch.error());
    }
    gguf::Metadata kv = gguf::archMetadata(config, configJson, *arch, o.name, o.type);
    auto vocab = gguf::vocabMetadata(o.tokenizerDir, config.vocab_size, o.chatTemplate);
    if (!vocab) {
        return tl::unexpected(vocab.error());
    }
    kv.insert(kv.end(), vocab->begin(), vocab->end());

    std::vector<gguf::TensorSpec> specs;
    if (at::Tensor freqs = gguf::ropeFreqFactors(config); freqs.defined()) {
        // Only llama.cpp's llama graph reads rope_freqs (src/models/llama.cpp); other architectures would
        // drop the llama3 scaling, and an unread tensor fails the load ("wrong number of tensors").
        if (arch->ggufArch != "llama") {
            return makeError(ErrorCode::Unsupported,
                             "llama.cpp's " + arch->ggufArch + " architecture does not apply llama3 rope scaling",
                             "export as export_format: hf instead");
        }
        specs.push_back({"rope_freqs.weight", ggmlDims(freqs), gguf::GgmlType::F32,
                         [freqs]() -> Expected<std::vector<float>> { return toVector(freqs); }});
    }
    for (const auto& item : model.named_parameters()) {
        const std::string hf = item.key();
        // llama.cpp's gemma/gemma2 never read output.weight (the output projection is token_embd, tied), and an
        // unread tensor fails the load ("wrong number of tensors"); convert_hf_to_gguf.py drops lm_head there.
        if (hf == "lm_head.weight" && (arch->ggufArch == "gemma" || arch->ggufArch == "gemma2")) {
            return makeError(ErrorCode::Unsupported,
                             "llama.cpp's " + arch->ggufArch + " ties the output projection to the embedding; this "
                             "model has a separate lm_head",
                             "export as export_format: hf instead");
        }
        auto name = gguf::toGgufName(hf, config);
        if (!name) {
            return makeError(ErrorCode::Unsupported, "tensor '" + hf + "' has no GGUF name for " + config.model_type,
                             "export as export_format: hf instead");
        }
        at::Tensor p = item.value();
        const auto ne = ggmlDims(p);
        const gguf::ArchInfo a = *arch;
        specs.push_back({*name, ne, gguf::tensorType(o.type, ne), [p, hf, &config, a]() -> Expected<std::vector<float>> {
                             at::NoGradGuard noGrad;
                             return toVector(gguf::toGgufValues(hf, p.detach().to(at::kFloat), config, a));
                         }});
    }
    const std::uint64_t size = gguf::fileSize(kv, specs);
    if (o.budget) {
        if (auto s = o.budget->reserve(size, file); !s) {
            return s;
        }
    }
    gguf::WriteOptions wo;
    wo.cancel = o.cancel;
    wo.progress = o.progress;
    return gguf::writeFile(file, kv, specs, wo);
}

Status roundTripGguf(models::CausalLM& model, gguf::GgmlType type)
{
    const auto& config = model.config();
    auto arch = gguf::archFor(config.model_type);
    if (!arch) {
        return tl::unexpected(arch.error());
    }
    at::NoGradGuard noGrad;
    for (auto& item : model.named_parameters()) {
        at::Tensor& p = item.value();
        at::Tensor g = gguf::toGgufValues(item.key(), p.detach().to(at::kFloat), config, *arch).contiguous();
        const auto ne = ggmlDims(g);
        const gguf::GgmlType t = gguf::tensorType(type, ne);
        std::vector<std::uint8_t> bytes(gguf::ggmlBytes(t, g.numel()));
        gguf::encode(t, g.data_ptr<float>(), g.numel(), bytes.data());
        at::Tensor back = at::empty_like(g);
        gguf::decode(t, bytes.data(), g.numel(), back.data_ptr<float>());
        p.copy_(gguf::fromGgufValues(item.key(), back, config, *arch));
    }
    return {};
}

} // namespace td::exporter
