// SPDX-License-Identifier: Apache-2.0
// QLoRA base-weight quantization (core/models/quant.h): int8 / NF4 / FP4 round trips against straightforward
// references written here, 4-bit packing, double quantization of the block absmax values, the dequantizing
// linear's gradient, a quantized fixture model's logits against the full-precision ones, the model-loading key
// checks, and the rope_scaling override (load_args.h) against a config.json that carries the same scaling.
#include <cmath>
#include <fstream>
#include <set>

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/models/layers.h"
#include "core/models/load_args.h"
#include "core/models/loader.h"
#include "core/models/quant.h"
#include "core/models/tiny_model.h"
#include "core/models/transformer.h"
#include "tests/models/test_util.h"

namespace fs = std::filesystem;
using namespace td::models;
using td::test::modelFixture;
using td::test::scratchDir;

namespace
{

at::Tensor randomWeight(std::int64_t rows, std::int64_t cols, std::uint64_t seed)
{
    at::manual_seed(static_cast<std::int64_t>(seed));
    return at::randn({rows, cols}, at::kFloat) * 0.02;
}

QuantSpec spec4(QuantType type, bool dq)
{
    QuantSpec s;
    s.bits = 4;
    s.type4 = type;
    s.doubleQuant = dq;
    return s;
}

/// Reference 4-bit check, element by element: the dequantized value is one of code[k] * absmax(block) and no
/// other code value is closer to the original.
void expectNearestCodes(const at::Tensor& w, const at::Tensor& deq, QuantType type)
{
    const float* book = codeBook(type);
    const auto flat = w.contiguous().view(-1);
    const auto got = deq.contiguous().view(-1);
    const auto* wv = flat.data_ptr<float>();
    const auto* gv = got.data_ptr<float>();
    const std::int64_t n = flat.numel();
    for (std::int64_t start = 0; start < n; start += kQuantBlock) {
        const std::int64_t end = std::min(n, start + kQuantBlock);
        float absmax = 0;
        for (std::int64_t i = start; i < end; ++i) {
            absmax = std::max(absmax, std::abs(wv[i]));
        }
        for (std::int64_t i = start; i < end; ++i) {
            float best = INFINITY, onBook = INFINITY;
            for (int k = 0; k < 16; ++k) {
                best = std::min(best, std::abs(book[k] * absmax - wv[i]));
                onBook = std::min(onBook, std::abs(book[k] * absmax - gv[i]));
            }
            ASSERT_LE(onBook, 1e-7F) << "element " << i << " is not a code value times the block absmax";
            ASSERT_LE(std::abs(gv[i] - wv[i]), best + 1e-7F) << "element " << i << " is not mapped to the nearest code";
        }
    }
}

} // namespace

TEST(Quant, Int8RowAbsmaxErrorWithinHalfAStep)
{
    at::Tensor w = randomWeight(37, 100, 1);
    w[5].zero_(); // an all-zero row must not divide by zero
    QuantSpec s;
    s.bits = 8;
    QuantizedWeight q = quantizeWeight(w, s);
    EXPECT_EQ(q.data.scalar_type(), at::kChar);
    EXPECT_EQ(q.data.sizes(), w.sizes());
    EXPECT_EQ(q.absmax.numel(), 37);
    at::Tensor deq = dequantizeWeight(q, at::kFloat);
    at::Tensor bound = w.abs().amax({1}, true) / 127.0 / 2.0 + 1e-7; // absmax / 127 / 2 per row
    EXPECT_TRUE(((deq - w).abs() <= bound).all().item<bool>()) << "max err " << (deq - w).abs().max().item<float>();
    EXPECT_EQ(deq[5].abs().sum().item<float>(), 0.0F);
    EXPECT_EQ(q.bytes(), quantizedBytes(s, 37, 100));
}

TEST(Quant, Nf4AndFp4MapEachValueToTheNearestCodeTimesBlockAbsmax)
{
    // 13 x 50 = 650 weights: 10 full blocks of 64 and a partial one.
    const at::Tensor w = randomWeight(13, 50, 2);
    for (QuantType type : {QuantType::Nf4, QuantType::Fp4}) {
        QuantizedWeight q = quantizeWeight(w, spec4(type, false));
        EXPECT_EQ(q.data.scalar_type(), at::kByte);
        EXPECT_EQ(q.data.numel(), 325);
        EXPECT_EQ(q.absmax.numel(), 11);
        expectNearestCodes(w, dequantizeWeight(q, at::kFloat), type);
        EXPECT_EQ(q.bytes(), quantizedBytes(spec4(type, false), 13, 50));
    }
    // The published NF4 code book (QLoRA paper / bitsandbytes): symmetric ends, zero at code 7.
    const float* nf4 = codeBook(QuantType::Nf4);
    EXPECT_FLOAT_EQ(nf4[0], -1.0F);
    EXPECT_FLOAT_EQ(nf4[1], -0.6961928009986877F);
    EXPECT_FLOAT_EQ(nf4[7], 0.0F);
    EXPECT_FLOAT_EQ(nf4[8], 0.07958029955625534F);
    EXPECT_FLOAT_EQ(nf4[15], 1.0F);
}

TEST(Quant, PackingIsExact)
{
    at::manual_seed(3);
    at::Tensor codes = at::randint(0, 16, {101}, at::kByte); // odd length: the last byte is half used
    at::Tensor packed = pack4bit(codes);
    ASSERT_EQ(packed.numel(), 51);
    EXPECT_TRUE(at::equal(unpack4bit(packed, 101), codes));
    at::Tensor two = at::tensor(at::ArrayRef<std::uint8_t>({1, 2}), at::kByte);
    EXPECT_EQ(pack4bit(two)[0].item<std::uint8_t>(), 0x12); // first element in the high nibble
    at::Tensor all = at::arange(16, at::kByte);
    EXPECT_TRUE(at::equal(nearestCode(at::tensor(at::ArrayRef<float>(codeBook(QuantType::Nf4), 16)), QuantType::Nf4), all));
}

TEST(Quant, DoubleQuantizationRoundTrip)
{
    at::manual_seed(4);
    at::Tensor absmax = at::rand({1000}, at::kFloat) * 0.05 + 0.01; // 4 second-level blocks, the last partial
    Int8Absmax dq = quantizeAbsmax(absmax);
    EXPECT_EQ(dq.codes.scalar_type(), at::kChar);
    EXPECT_EQ(dq.scales.numel(), 4);
    at::Tensor back = dequantizeAbsmax(dq.codes, dq.scales, dq.offset);
    at::Tensor step = dq.scales.repeat_interleave(kQuantBlock2).narrow(0, 0, 1000);
    EXPECT_TRUE(((back - absmax).abs() <= step / 2 + 1e-7).all().item<bool>());

    // Through a weight: the double-quantized dequantization differs from the plain one only by the absmax
    // error (|code| <= 1), and the storage is what quantizedBytes says.
    const at::Tensor w = randomWeight(64, 300, 5); // 300 blocks of 64: two second-level blocks
    QuantizedWeight plain = quantizeWeight(w, spec4(QuantType::Nf4, false));
    QuantizedWeight compressed = quantizeWeight(w, spec4(QuantType::Nf4, true));
    ASSERT_TRUE(compressed.doubleQuantized());
    EXPECT_EQ(compressed.absmax.scalar_type(), at::kChar);
    EXPECT_TRUE(at::equal(plain.data, compressed.data));
    at::Tensor diff = (dequantizeWeight(plain, at::kFloat) - dequantizeWeight(compressed, at::kFloat)).abs();
    EXPECT_LE(diff.max().item<float>(), compressed.absmaxScale.max().item<float>() / 2 + 1e-7F);
    EXPECT_EQ(compressed.bytes(), quantizedBytes(spec4(QuantType::Nf4, true), 64, 300));
    EXPECT_LT(compressed.bytes(), plain.bytes());
}

TEST(Quant, LinearGradientMatchesTheDequantizedWeight)
{
    const at::Tensor w = randomWeight(24, 40, 6);
    const at::Tensor bias = at::randn({24}, at::kFloat) * 0.1;
    QuantizedWeight q = quantizeWeight(w, spec4(QuantType::Nf4, true));
    const at::Tensor wq = dequantizeWeight(q, at::kFloat);
    at::Tensor x = at::randn({3, 5, 40}, at::kFloat).requires_grad_(true);
    at::Tensor y = quantLinear(x, q, bias); // (3, 5, 24)
    at::Tensor gy = at::randn_like(y);
    y.backward(gy);
    at::Tensor xr = x.detach().clone().requires_grad_(true);
    at::Tensor yr = at::linear(xr, wq, bias);
    yr.backward(gy);
    EXPECT_TRUE(td::test::allClose(y.detach(), yr.detach(), 1e-5, 1e-5));
    EXPECT_TRUE(td::test::allClose(x.grad(), xr.grad(), 1e-5, 1e-5));
}

TEST(Quant, QuantizedFixtureLogitsStayCloseToFullPrecision)
{
    const fs::path dir = modelFixture("llama");
    LoadOptions full;
    full.dtype = "fp32";
    auto ref = loadModel(dir, full);
    ASSERT_TRUE(ref.has_value()) << ref.error().message;
    at::NoGradGuard noGrad;
    const at::Tensor ids = at::tensor(at::ArrayRef<std::int64_t>({302, 238, 160, 3, 23, 36, 24, 314}), at::kLong).view({1, 8});
    const at::Tensor refLogits = ref->model->forward(ids);
    const double refNorm = refLogits.norm().item<double>();
    // Measured on this fixture (hidden 64, weights ~N(0, 0.02), 8 tokens): relative L2 error of the logits
    // int8 0.0078 (max abs diff 0.005), nf4 0.102 (0.061), nf4 + double quantization 0.102 (0.061),
    // fp4 + double quantization 0.145 (0.093). The fixture is deterministic; bounds leave 1.5-2.5x headroom.
    struct Case
    {
        int bits;
        const char* type;
        bool dq;
        double bound;
    };
    for (const Case& c : {Case{8, "nf4", false, 0.02}, Case{4, "nf4", false, 0.15}, Case{4, "nf4", true, 0.15},
                          Case{4, "fp4", true, 0.3}}) {
        LoadOptions o = full;
        o.modelArgs.quantizationBit = c.bits;
        o.modelArgs.quantizationType = c.type;
        o.modelArgs.doubleQuantization = c.dq;
        auto m = loadModel(dir, o);
        ASSERT_TRUE(m.has_value()) << m.error().message;
        std::int64_t quantized = 0;
        for (const auto& [path, lin] : m->model->linears()) {
            EXPECT_EQ(lin->isQuantized(), path != "lm_head") << path;
            quantized += lin->isQuantized() ? 1 : 0;
        }
        EXPECT_EQ(quantized, 2 * 7); // q, k, v, o, gate, up, down per layer
        EXPECT_EQ(m->model->parameterCount(), ref->model->parameterCount());
        const at::Tensor logits = m->model->forward(ids);
        const double rel = (logits - refLogits).norm().item<double>() / refNorm;
        std::printf("quantization_bit %d %s dq=%d: relative logits error %.4f, max abs diff %.4f\n", c.bits, c.type,
                    c.dq ? 1 : 0, rel, (logits - refLogits).abs().max().item<double>());
        EXPECT_LT(rel, c.bound);
        // The quantized model is exactly the model whose weights are the dequantized ones.
        auto copy = loadModel(dir, full);
        ASSERT_TRUE(copy.has_value());
        auto mine = m->model->linears();
        auto theirs = copy->model->linears();
        for (std::size_t i = 0; i < mine.size(); ++i) {
            theirs[i].second->weight.copy_(mine[i].second->baseWeight());
        }
        EXPECT_TRUE(td::test::allClose(logits, copy->model->forward(ids), 1e-5, 1e-5));
    }
}

TEST(Quant, FusedProjectionsOfPhi3AreQuantized)
{
    const fs::path dir = scratchDir("models", "quant_phi3");
    auto config = tinyConfigJson("phi3", TinyShape{});
    ASSERT_TRUE(config.has_value());
    ASSERT_TRUE(writeTinyModel(dir, *config, 11, "float32").has_value());
    LoadOptions o;
    o.dtype = "bf16";
    o.modelArgs.quantizationBit = 4;
    auto m = loadModel(dir, o);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    std::set<std::string> leaves;
    for (const auto& [path, lin] : m->model->linears()) {
        if (lin->isQuantized()) {
            leaves.insert(path.substr(path.rfind('.') + 1));
        }
    }
    EXPECT_EQ(leaves, (std::set<std::string>{"qkv_proj", "o_proj", "gate_up_proj", "down_proj"}));
    at::NoGradGuard noGrad;
    const at::Tensor logits = m->model->forward(at::arange(6, at::kLong).view({1, 6}));
    EXPECT_EQ(logits.scalar_type(), at::kBFloat16);
    EXPECT_TRUE(at::isfinite(logits).all().item<bool>());
}

TEST(Quant, BadKeysAndRefusals)
{
    ModelLoadArgs a;
    a.quantizationBit = 4;
    a.quantizationMethod = "hqq";
    auto st = validateModelLoadArgs(a);
    ASSERT_FALSE(st.has_value());
    EXPECT_EQ(st.error().code, td::ErrorCode::Unsupported);
    EXPECT_NE(st.error().hint.find("bnb"), std::string::npos);
    a.quantizationMethod = "bnb";
    a.quantizationBit = 3;
    st = validateModelLoadArgs(a);
    ASSERT_FALSE(st.has_value());
    EXPECT_EQ(st.error().code, td::ErrorCode::InvalidConfig);
    a.quantizationBit = 4;
    a.quantizationType = "int4";
    EXPECT_FALSE(validateModelLoadArgs(a).has_value());
    a.quantizationType = "nf4";
    EXPECT_TRUE(validateModelLoadArgs(a).has_value());
    ModelLoadArgs parsed;
    EXPECT_FALSE(parseModelLoadKey(parsed, "quantization_bit", "four").has_value());
    EXPECT_TRUE(*parseModelLoadKey(parsed, "quantization_bit", "4"));
    EXPECT_FALSE(*parseModelLoadKey(parsed, "lora_rank", 8));
    EXPECT_EQ(parsed.quantizationBit, 4);

    // Merging into, or saving, a quantized model is refused.
    LoadOptions o;
    o.dtype = "fp32";
    o.modelArgs.quantizationBit = 8;
    auto m = loadModel(modelFixture("llama"), o);
    ASSERT_TRUE(m.has_value());
    auto lin = m->model->linears().front().second;
    lin->attachLora(at::zeros({2, lin->inFeatures()}), at::zeros({lin->outFeatures(), 2}), 1.0);
    EXPECT_THROW(m->model->mergeLora(), c10::Error);
    auto saved = saveModel(*m->model, nlohmann::json::object(), scratchDir("models", "quant_save"));
    ASSERT_FALSE(saved.has_value());
    EXPECT_EQ(saved.error().code, td::ErrorCode::Unsupported);
}

TEST(RopeScaling, OverrideEqualsConfigJsonScaling)
{
    // Training with rope_scaling linear and cutoff_len = 2 x max_position_embeddings (256) must give the
    // logits of a model whose config.json says {"rope_type": "linear", "factor": 2}.
    const fs::path src = modelFixture("llama");
    const fs::path scaled = scratchDir("models", "rope_linear");
    for (const char* f : {"model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json"}) {
        fs::copy_file(src / f, scaled / f);
    }
    nlohmann::json cfg = nlohmann::json::parse(std::ifstream(src / "config.json"));
    cfg["rope_scaling"] = {{"rope_type", "linear"}, {"factor", 2.0}};
    cfg["max_position_embeddings"] = 512;
    std::ofstream(scaled / "config.json") << cfg.dump(2);

    LoadOptions o;
    o.dtype = "fp32";
    auto plain = loadModel(src, o);
    auto fromConfig = loadModel(scaled, o);
    o.modelArgs.ropeScaling = "linear";
    o.modelMaxLength = 512;
    auto overridden = loadModel(src, o);
    ASSERT_TRUE(plain && fromConfig && overridden);
    EXPECT_EQ(overridden->config.rope_scaling.rope_type, "linear");
    EXPECT_DOUBLE_EQ(overridden->config.rope_scaling.factor, 2.0);
    EXPECT_EQ(overridden->config.max_position_embeddings, 512);
    at::NoGradGuard noGrad;
    const at::Tensor ids = at::arange(3, 43, at::kLong).view({1, 40});
    const at::Tensor a = overridden->model->forward(ids);
    EXPECT_TRUE(td::test::allClose(a, fromConfig->model->forward(ids), 0, 0));
    EXPECT_FALSE(td::test::allClose(a, plain->model->forward(ids), 1e-4, 0)); // the scaling does change them

    // cutoff_len not larger than max_position_embeddings: LLaMA-Factory's warning, no scaling.
    ModelConfig c = plain->config;
    std::vector<std::string> notes;
    applyRopeScaling(c, "linear", 256, &notes);
    EXPECT_EQ(c.rope_scaling.rope_type, "default");
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find("rope scaling disabled"), std::string::npos);
    // Inference (no model_max_length): factor 2; llama3 keeps the old length and LLaMA-Factory's freq factors.
    c = plain->config;
    applyRopeScaling(c, "llama3", std::nullopt, nullptr);
    EXPECT_DOUBLE_EQ(c.rope_scaling.factor, 2.0);
    EXPECT_EQ(c.rope_scaling.original_max_position_embeddings, 256);
    EXPECT_DOUBLE_EQ(c.rope_scaling.high_freq_factor, 4.0);
    // ceil(600 / 256) = 3
    c = plain->config;
    applyRopeScaling(c, "yarn", 600, nullptr);
    EXPECT_DOUBLE_EQ(c.rope_scaling.factor, 3.0);
    EXPECT_EQ(c.max_position_embeddings, 768);
}
