// SPDX-License-Identifier: Apache-2.0
// HF folder → CausalLM (see loader.h). Phases add context to errors: "reading config", "loading weights".
#include "core/models/loader.h"

#include <fstream>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/common/guard.h"
#include "core/common/log.h"
#include "core/common/torch_compat.h"
#include "core/models/layers.h"
#include "core/models/quant.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"

namespace td::models
{

namespace
{

bool isLoraName(const std::string& name)
{
    return name.find("lora_A.") != std::string::npos || name.find("lora_B.") != std::string::npos ||
           name.find("lora_magnitude_vector") != std::string::npos;
}

std::string shapeString(at::IntArrayRef s)
{
    std::string out = "[";
    for (std::size_t i = 0; i < s.size(); ++i) {
        out += (i ? ", " : "") + std::to_string(s[i]);
    }
    return out + "]";
}

} // namespace

std::string dtypeName(c10::ScalarType type)
{
    switch (type) {
    case at::kFloat:
        return "float32";
    case at::kBFloat16:
        return "bfloat16";
    case at::kHalf:
        return "float16";
    case at::kDouble:
        return "float64";
    default:
        return c10::toString(type);
    }
}

Expected<c10::Device> resolveDevice(std::string_view requested)
{
    if (requested.empty() || requested == "auto") {
        return compat::cudaAvailable() ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    }
    if (requested == "cpu") {
        return c10::Device(c10::kCPU);
    }
    if (requested.substr(0, 4) == "cuda") {
        if (!compat::cudaAvailable()) {
            return makeError(ErrorCode::Unsupported, "device '" + std::string(requested) + "' requested but CUDA is not available",
                             "this build or machine has no usable GPU; use --device cpu");
        }
        return c10::Device(std::string(requested));
    }
    return makeError(ErrorCode::InvalidArgument, "unknown device '" + std::string(requested) + "'",
                     "use auto, cpu, cuda or cuda:N");
}

Expected<c10::ScalarType> resolveDtype(std::string_view r, const c10::Device& device, std::string_view ckpt)
{
    if (r == "fp32" || r == "float32") {
        return at::kFloat;
    }
    if (r == "bf16" || r == "bfloat16") {
        return at::kBFloat16;
    }
    if (r == "fp16" || r == "float16") {
        if (device.is_cpu()) {
            return makeError(ErrorCode::Unsupported, "fp16 compute is not supported on the CPU", "use bf16 or fp32");
        }
        return at::kHalf;
    }
    if (!r.empty() && r != "auto") {
        return makeError(ErrorCode::InvalidArgument, "unknown dtype '" + std::string(r) + "'", "use auto, fp32, bf16 or fp16");
    }
    if (device.is_cuda()) {
        return compat::cudaPrefersBf16() ? at::kBFloat16 : at::kHalf;
    }
    return (ckpt == "BF16" || ckpt == "F16") ? at::kBFloat16 : at::kFloat;
}

Status loadWeights(CausalLM& model, const st::CheckpointReader& reader, const LoadOptions& options)
{
    at::NoGradGuard noGrad;
    auto params = model.named_parameters();
    std::vector<std::string> missing;
    std::int64_t done = 0;
    const auto total = static_cast<std::int64_t>(params.size());
    for (auto& item : params) {
        const std::string& name = item.key();
        if (isLoraName(name)) {
            ++done;
            continue;
        }
        const st::TensorInfo* info = reader.info(name);
        if (info == nullptr) {
            missing.push_back(name);
            continue;
        }
        at::Tensor& p = item.value();
        if (at::IntArrayRef(info->shape) != p.sizes()) {
            return makeError(ErrorCode::BadCheckpoint,
                             "tensor '" + name + "' has shape " + shapeString(info->shape) + " but config.json implies " +
                                 shapeString(p.sizes()),
                             "config.json and the weights do not belong together");
        }
        if (st::toScalarType(info->dtype) == at::kBool || info->dtype[0] == 'I' || info->dtype[0] == 'U') {
            return makeError(ErrorCode::BadCheckpoint, "tensor '" + name + "' has integer dtype " + info->dtype,
                             "quantized checkpoints are not supported; use a float16/bfloat16/float32 model");
        }
        auto t = reader.tensor(name);
        if (!t) {
            return tl::unexpected(t.error());
        }
        p.copy_(*t);
        ++done;
        if (options.cancel && options.cancel->isCancelled()) {
            return makeError(ErrorCode::Cancelled, "loading cancelled");
        }
        if (options.progress && !options.progress(done, total)) {
            return makeError(ErrorCode::Cancelled, "loading cancelled");
        }
    }
    if (!missing.empty()) {
        std::string list;
        for (std::size_t i = 0; i < missing.size() && i < 8; ++i) {
            list += (i ? ", " : "") + missing[i];
        }
        if (missing.size() > 8) {
            list += ", ... (" + std::to_string(missing.size()) + " in all)";
        }
        return makeError(ErrorCode::BadCheckpoint, "checkpoint is missing tensors: " + list,
                         "the weights do not match config.json (wrong folder, or an incomplete download)");
    }
    return {};
}

Status loadQuantizedLinears(CausalLM& model, const st::CheckpointReader& reader, const QuantSpec& spec,
                            c10::ScalarType dtype, const LoadOptions& options)
{
    at::NoGradGuard noGrad;
    for (auto& [path, lin] : model.linears()) {
        if (path.rfind("model.layers.", 0) != 0) {
            continue; // lm_head stays in the compute dtype, as bitsandbytes keeps it
        }
        const std::string name = path + ".weight";
        const st::TensorInfo* info = reader.info(name);
        if (info == nullptr) {
            return makeError(ErrorCode::BadCheckpoint, "checkpoint is missing tensor " + name,
                             "the weights do not match config.json (wrong folder, or an incomplete download)");
        }
        if (at::IntArrayRef(info->shape) != at::IntArrayRef({lin->outFeatures(), lin->inFeatures()})) {
            return makeError(ErrorCode::BadCheckpoint,
                             "tensor '" + name + "' has shape " + shapeString(info->shape) + " but config.json implies " +
                                 shapeString({lin->outFeatures(), lin->inFeatures()}),
                             "config.json and the weights do not belong together");
        }
        auto t = reader.tensor(name);
        if (!t) {
            return tl::unexpected(t.error());
        }
        // Quantize from the checkpoint's values rounded to the compute dtype, as bitsandbytes quantizes the
        // fp16/bf16 weights transformers loaded.
        QuantizedWeight q = quantizeWeight(t->to(dtype), spec);
        q.computeDtype = dtype;
        lin->setQuantized(std::move(q));
        if (options.cancel && options.cancel->isCancelled()) {
            return makeError(ErrorCode::Cancelled, "loading cancelled");
        }
    }
    return {};
}

ModelInfo describe(CausalLM& model, const std::filesystem::path& dir, const std::string& checkpointDtype)
{
    const auto& c = model.config();
    ModelInfo info;
    info.path = dir.string();
    info.modelType = c.model_type;
    info.architecture = c.architectures.empty() ? "" : c.architectures.front();
    info.parameters = model.parameterCount();
    info.dtype = dtypeName(model.dtype());
    info.checkpointDtype = checkpointDtype;
    info.device = model.device().str();
    info.contextLength = c.max_position_embeddings;
    info.layers = c.num_hidden_layers;
    info.hiddenSize = c.hidden_size;
    info.vocabSize = c.vocab_size;
    info.tiedEmbeddings = c.tie_word_embeddings;
    return info;
}

std::string ModelInfo::toJson() const
{
    nlohmann::json j = {{"path", path},
                        {"model_type", modelType},
                        {"architecture", architecture},
                        {"parameters", parameters},
                        {"dtype", dtype},
                        {"checkpoint_dtype", checkpointDtype},
                        {"device", device},
                        {"context_length", contextLength},
                        {"layers", layers},
                        {"hidden_size", hiddenSize},
                        {"vocab_size", vocabSize},
                        {"tied_embeddings", tiedEmbeddings},
                        {"quantization", quantization}};
    return j.dump();
}

Expected<LoadedModel> loadModel(const std::filesystem::path& dir, const LoadOptions& options)
{
    auto config = loadModelConfig(dir);
    if (!config) {
        return tl::unexpected(config.error().withContext("reading config"));
    }
    const ModelLoadArgs& margs = options.modelArgs;
    if (auto s = validateModelLoadArgs(margs); !s) {
        return tl::unexpected(s.error());
    }
    auto logger = log::get("engine.loader");
    std::vector<std::string> notes;
    applyRopeScaling(*config, margs.ropeScaling, options.modelMaxLength, &notes);
    for (const auto& n : notes) {
        logger->info("{}", n);
    }
    if (margs.flashAttn == "fa2") {
        logger->info("flash_attn fa2: FlashAttention-2 is a CUDA Python package; TuneDesk runs its own attention kernel");
    }
    for (const auto& w : boosterWarnings(margs)) {
        logger->warn("{}", w);
    }
    auto reader = st::CheckpointReader::openFolder(dir);
    if (!reader) {
        return tl::unexpected(reader.error().withContext("opening weights"));
    }
    std::string ckptDtype;
    for (const auto& name : reader->names()) {
        const std::string& d = reader->info(name)->dtype;
        ckptDtype = ckptDtype.empty() || ckptDtype == d ? d : "mixed";
    }
    auto device = resolveDevice(options.device);
    if (!device) {
        return tl::unexpected(device.error());
    }
    auto dtype = resolveDtype(options.dtype, *device, ckptDtype);
    if (!dtype) {
        return tl::unexpected(dtype.error());
    }
    LoadedModel out;
    out.config = *config;
    const auto status = guarded("loading weights", [&]() -> Status {
        // Load on the CPU in the target dtype, then move (keeps peak device memory at one copy).
        out.model = std::make_shared<CausalLM>(*config, at::TensorOptions().dtype(*dtype));
        if (margs.quantized()) {
            if (auto s = loadQuantizedLinears(*out.model, *reader, margs.quantSpec(), *dtype, options); !s) {
                return tl::unexpected(s.error().withContext("quantizing weights"));
            }
        }
        if (auto s = loadWeights(*out.model, *reader, options); !s) {
            return tl::unexpected(s.error().withContext("loading weights"));
        }
        if (!device->is_cpu()) {
            out.model->to(*device);
        }
        out.model->eval();
        return {};
    });
    if (!status) {
        return tl::unexpected(status.error());
    }
    out.info = describe(*out.model, dir, ckptDtype);
    if (margs.quantized()) {
        out.info.quantization = margs.quantizationBit == 8 ? "int8" : margs.quantizationType;
    }
    logger->info("loaded {} ({}, {} parameters, {}{}) from {}", out.info.modelType, out.info.architecture,
                 out.info.parameters, out.info.dtype,
                 margs.quantized() ? ", base weights in " + std::to_string(margs.quantizationBit) + " bits" : "",
                 dir.string());
    return out;
}

Status saveModel(CausalLM& model, const nlohmann::json& configJson, const std::filesystem::path& dir,
                 std::optional<c10::ScalarType> dtype)
{
    for (const auto& [path, lin] : model.linears()) {
        if (lin->isQuantized()) {
            return makeError(ErrorCode::Unsupported, "cannot save a model loaded with quantization_bit (" + path + " is quantized)",
                             "load the model without quantization_bit to save or merge it; a QLoRA adapter is a normal "
                             "PEFT adapter for the full-precision base");
        }
    }
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return makeError(ErrorCode::Io, "cannot create " + dir.string() + ": " + ec.message());
    }
    st::NamedTensors tensors;
    for (const auto& item : model.named_parameters()) {
        if (isLoraName(item.key()) || !item.value().defined()) {
            continue;
        }
        at::Tensor t = item.value().detach();
        tensors.emplace_back(item.key(), dtype ? t.to(*dtype) : t);
    }
    if (auto s = st::save(dir / "model.safetensors", tensors, {{"format", "pt"}}); !s) {
        return s;
    }
    const auto cfgPath = dir / "config.json";
    std::ofstream out(cfgPath);
    out << configJson.dump(2) << "\n";
    if (!out) {
        return makeError(ErrorCode::Io, "cannot write " + cfgPath.string());
    }
    return {};
}

} // namespace td::models
