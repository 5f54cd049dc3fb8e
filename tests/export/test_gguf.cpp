// SPDX-License-Identifier: Apache-2.0
// GGUF export: an independent reader written here (not core/export/gguf_reader) parses our files and checks
// every key and every tensor against the source model; our own reader rebuilds a CausalLM from the file and
// must give the source model's logits (tolerances per type below); the tokenizer keys are checked for the
// byte-level BPE and SentencePiece-style tokenizers of the fixtures.
//
// Logit tolerances for the demo model, relative to its max |logit| (≈ 1.0), with the measured values:
// f32 1e-5 (measured 0), f16 2e-3 (5e-4), bf16 2e-2 (3.9e-3), q8_0 2e-2 (1.2e-2), q4_0 3e-1 (0.18: 4-bit
// weights of a random model; the file itself is checked exactly through the dequantized values above).
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../models/test_util.h"
#include "core/export/exporter.h"
#include "core/export/gguf_reader.h"
#include "core/export/gguf_vocab.h"
#include "core/models/loader.h"
#include "core/models/tiny_model.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"

namespace fs = std::filesystem;
using namespace td;

namespace
{

// ---------------------------------------------------------------------------------------------------------
// Independent GGUF reader (from the format description; shares no code with core/export).

struct RawTensor
{
    std::vector<std::uint64_t> ne;
    std::uint32_t type = 0;
    std::uint64_t offset = 0;
};

struct RawGguf
{
    std::uint32_t version = 0;
    std::map<std::string, nlohmann::json> kv;
    std::map<std::string, std::uint32_t> kvType;
    std::vector<std::string> order;
    std::map<std::string, RawTensor> tensors;
    std::string bytes;
    std::uint64_t dataStart = 0;
};

class Rd
{
public:
    explicit Rd(const std::string& b) : m_b(b) {}
    template <class T>
    T get()
    {
        if (m_pos + sizeof(T) > m_b.size()) {
            throw std::runtime_error("truncated");
        }
        T v;
        std::memcpy(&v, m_b.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }
    std::string str()
    {
        const auto n = get<std::uint64_t>();
        std::string s = m_b.substr(m_pos, n);
        m_pos += n;
        return s;
    }
    std::uint64_t pos() const { return m_pos; }

private:
    const std::string& m_b;
    std::uint64_t m_pos = 0;
};

nlohmann::json readValue(Rd& r, std::uint32_t type)
{
    switch (type) {
    case 0: return r.get<std::uint8_t>();
    case 1: return r.get<std::int8_t>();
    case 2: return r.get<std::uint16_t>();
    case 3: return r.get<std::int16_t>();
    case 4: return r.get<std::uint32_t>();
    case 5: return r.get<std::int32_t>();
    case 6: return r.get<float>();
    case 7: return r.get<std::uint8_t>() != 0;
    case 8: return r.str();
    case 9: {
        const auto t = r.get<std::uint32_t>();
        const auto n = r.get<std::uint64_t>();
        nlohmann::json a = nlohmann::json::array();
        for (std::uint64_t i = 0; i < n; ++i) {
            a.push_back(readValue(r, t));
        }
        return a;
    }
    case 10: return r.get<std::uint64_t>();
    case 11: return r.get<std::int64_t>();
    case 12: return r.get<double>();
    }
    throw std::runtime_error("bad value type " + std::to_string(type));
}

RawGguf parseGguf(const fs::path& path)
{
    RawGguf g;
    std::ifstream in(path, std::ios::binary);
    g.bytes.assign(std::istreambuf_iterator<char>(in), {});
    Rd r(g.bytes);
    if (r.get<std::uint32_t>() != 0x46554747u) { // "GGUF" read as little-endian u32
        throw std::runtime_error("bad magic");
    }
    g.version = r.get<std::uint32_t>();
    const auto nt = r.get<std::uint64_t>();
    const auto nkv = r.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < nkv; ++i) {
        const std::string key = r.str();
        const auto type = r.get<std::uint32_t>();
        g.kvType[key] = type;
        g.kv[key] = readValue(r, type);
        g.order.push_back(key);
    }
    for (std::uint64_t i = 0; i < nt; ++i) {
        const std::string name = r.str();
        RawTensor t;
        const auto nd = r.get<std::uint32_t>();
        for (std::uint32_t d = 0; d < nd; ++d) {
            t.ne.push_back(r.get<std::uint64_t>());
        }
        t.type = r.get<std::uint32_t>();
        t.offset = r.get<std::uint64_t>();
        g.tensors[name] = t;
    }
    const std::uint64_t align = g.kv.count("general.alignment") ? g.kv["general.alignment"].get<std::uint64_t>() : 32;
    g.dataStart = (r.pos() + align - 1) / align * align;
    return g;
}

float half(const std::uint8_t* p)
{
    const unsigned h = p[0] | (p[1] << 8);
    const int e = (h >> 10) & 31;
    const int m = h & 1023;
    const float s = (h & 0x8000) ? -1.0f : 1.0f;
    if (e == 0) {
        return s * std::ldexp(static_cast<float>(m), -24);
    }
    if (e == 31) {
        return m ? NAN : s * INFINITY;
    }
    return s * std::ldexp(1.0f + m / 1024.0f, e - 15);
}

/// Values of a tensor in ne[0]-fastest order, plus the per-element scale d for quantized types.
std::vector<float> values(const RawGguf& g, const RawTensor& t, std::vector<float>* scales = nullptr)
{
    std::uint64_t n = 1;
    for (auto d : t.ne) {
        n *= d;
    }
    const auto* p = reinterpret_cast<const std::uint8_t*>(g.bytes.data() + g.dataStart + t.offset);
    std::vector<float> v(n);
    if (scales) {
        scales->assign(n, 0.0f);
    }
    for (std::uint64_t i = 0; i < n; ++i) {
        switch (t.type) {
        case 0:
            std::memcpy(&v[i], p + 4 * i, 4);
            break;
        case 1:
            v[i] = half(p + 2 * i);
            break;
        case 30: {
            const std::uint32_t x = static_cast<std::uint32_t>(p[2 * i] | (p[2 * i + 1] << 8)) << 16;
            std::memcpy(&v[i], &x, 4);
            break;
        }
        case 8: {
            const auto* b = p + (i / 32) * 34;
            v[i] = half(b) * static_cast<float>(static_cast<std::int8_t>(b[2 + i % 32]));
            if (scales) {
                (*scales)[i] = half(b);
            }
            break;
        }
        case 2: {
            const auto* b = p + (i / 32) * 18;
            const unsigned j = i % 32;
            const int q = j < 16 ? (b[2 + j] & 15) : (b[2 + j - 16] >> 4);
            v[i] = half(b) * static_cast<float>(q - 8);
            if (scales) {
                (*scales)[i] = std::fabs(half(b));
            }
            break;
        }
        default:
            throw std::runtime_error("unexpected ggml type " + std::to_string(t.type));
        }
    }
    return v;
}

// ---------------------------------------------------------------------------------------------------------

/// llama.cpp's names for a llama (written out here independently of core/export/gguf_arch).
std::string ggufName(const std::string& hf)
{
    static const std::vector<std::pair<std::string, std::string>> kMap = {
        {"input_layernorm", "attn_norm"},  {"self_attn.q_proj", "attn_q"}, {"self_attn.k_proj", "attn_k"},
        {"self_attn.v_proj", "attn_v"},    {"self_attn.o_proj", "attn_output"},
        {"post_attention_layernorm", "ffn_norm"}, {"mlp.gate_proj", "ffn_gate"}, {"mlp.up_proj", "ffn_up"},
        {"mlp.down_proj", "ffn_down"}};
    if (hf == "model.embed_tokens.weight") {
        return "token_embd.weight";
    }
    if (hf == "model.norm.weight") {
        return "output_norm.weight";
    }
    if (hf == "lm_head.weight") {
        return "output.weight";
    }
    const auto layerEnd = hf.find('.', 13);
    const std::string layer = hf.substr(13, layerEnd - 13);
    const std::string rest = hf.substr(layerEnd + 1, hf.rfind('.') - layerEnd - 1);
    for (const auto& [h, g] : kMap) {
        if (rest == h) {
            return "blk." + layer + "." + g + ".weight";
        }
    }
    return "?" + hf;
}

struct Demo
{
    fs::path dir;
    models::LoadedModel model;
};

const Demo& demo()
{
    static Demo d = [] {
        Demo x;
        x.dir = test::scratchDir("gguf", "demo_model") / "model";
        auto cfg = models::tinyConfigJson("llama", models::TinyShape::demo());
        const char* src = std::getenv("TD_SOURCE_DIR");
        const fs::path tok = fs::path(src ? src : ".") / "resources" / "demo" / "tokenizer";
        if (!cfg || !models::writeTinyModel(x.dir, *cfg, 42, "float32", tok)) {
            throw std::runtime_error("cannot write the demo model");
        }
        models::LoadOptions lo;
        lo.dtype = "fp32";
        x.model = *models::loadModel(x.dir, lo);
        return x;
    }();
    return d;
}

/// ../shared/fixtures/tokenizers (the tokenizer.json files are not copied into tests/data).
fs::path sharedTokenizers()
{
    const char* shared = std::getenv("TD_SHARED_DIR");
    return fs::path(shared ? shared : "../shared") / "fixtures" / "tokenizers";
}

at::Tensor probe()
{
    return at::arange(0, 40, at::kLong).mul(37).remainder(320).view({2, 20});
}

at::Tensor logitsOf(models::CausalLM& m)
{
    at::NoGradGuard g;
    return m.forward(probe()).to(at::kFloat);
}

fs::path exportGguf(const fs::path& model, const std::string& type, const std::string& name,
                    const fs::path& adapter = {}, double* seconds = nullptr)
{
    exporter::ExportArgs a;
    a.modelPath = model;
    if (!adapter.empty()) {
        a.adapterPaths = {adapter};
    }
    a.exportDir = test::scratchDir("gguf", name) / "out";
    a.format = exporter::ExportFormat::Gguf;
    a.ggufType = type;
    auto r = exporter::runExport(a);
    EXPECT_TRUE(r) << r.error().toString();
    if (!r) {
        return {};
    }
    EXPECT_TRUE(r->verification.passed);
    if (seconds) {
        *seconds = r->seconds;
    }
    std::printf("[ gguf %-5s ] %s: %llu bytes, %.3f s, verification max diff %.3g, vs fp32 %.3g\n", type.c_str(),
                name.c_str(), static_cast<unsigned long long>(r->bytes), r->seconds, r->verification.maxAbsDiff,
                r->verification.maxAbsDiffVsFp32);
    return a.exportDir / ("model-" + type + ".gguf");
}

} // namespace

class GgufTypes : public ::testing::TestWithParam<const char*>
{
};

TEST_P(GgufTypes, IndependentReaderSeesEveryKeyAndTensor)
{
    const std::string type = GetParam();
    const Demo& d = demo();
    const fs::path file = exportGguf(d.dir, type, "demo_" + type);
    ASSERT_FALSE(file.empty());
    const RawGguf g = parseGguf(file);
    EXPECT_EQ(g.version, 3u);

    // Keys llama.cpp needs to load and chat.
    const auto& kv = g.kv;
    EXPECT_EQ(kv.at("general.architecture"), "llama");
    EXPECT_EQ(kv.at("general.name"), "model");
    const std::map<std::string, std::uint32_t> fileTypes = {{"f32", 0}, {"f16", 1}, {"q4_0", 2}, {"q8_0", 7}, {"bf16", 32}};
    EXPECT_EQ(kv.at("general.file_type"), fileTypes.at(type));
    EXPECT_EQ(g.kvType.at("general.file_type"), 4u); // u32
    EXPECT_EQ(kv.at("llama.context_length"), 2048);
    EXPECT_EQ(kv.at("llama.embedding_length"), 128);
    EXPECT_EQ(kv.at("llama.block_count"), 4);
    EXPECT_EQ(kv.at("llama.feed_forward_length"), 256);
    EXPECT_EQ(kv.at("llama.attention.head_count"), 4);
    EXPECT_EQ(kv.at("llama.attention.head_count_kv"), 2);
    EXPECT_EQ(kv.at("llama.rope.dimension_count"), 32);
    EXPECT_EQ(kv.at("llama.vocab_size"), 320);
    EXPECT_FLOAT_EQ(kv.at("llama.rope.freq_base").get<float>(), static_cast<float>(d.model.config.rope_theta));
    EXPECT_FLOAT_EQ(kv.at("llama.attention.layer_norm_rms_epsilon").get<float>(),
                    static_cast<float>(d.model.config.rms_norm_eps));
    EXPECT_EQ(g.kvType.at("llama.rope.freq_base"), 6u); // f32

    std::ifstream tj(d.dir / "tokenizer.json");
    const auto tokJson = nlohmann::json::parse(tj);
    std::ifstream tcj(d.dir / "tokenizer_config.json");
    const auto tokConfig = nlohmann::json::parse(tcj);
    EXPECT_EQ(kv.at("tokenizer.ggml.model"), "gpt2");
    EXPECT_EQ(kv.at("tokenizer.ggml.pre"), "gpt-2");
    const auto& tokens = kv.at("tokenizer.ggml.tokens");
    ASSERT_EQ(tokens.size(), 320u);
    for (auto it = tokJson["model"]["vocab"].begin(); it != tokJson["model"]["vocab"].end(); ++it) {
        EXPECT_EQ(tokens[it.value().get<std::size_t>()], it.key());
    }
    EXPECT_EQ(tokens[319], "<|im_end|>");
    EXPECT_EQ(kv.at("tokenizer.ggml.token_type")[319], 3); // control
    EXPECT_EQ(kv.at("tokenizer.ggml.token_type")[100], 1); // normal
    EXPECT_EQ(kv.at("tokenizer.ggml.merges"), tokJson["model"]["merges"]);
    EXPECT_EQ(kv.at("tokenizer.ggml.eos_token_id"), 319);
    EXPECT_EQ(kv.at("tokenizer.ggml.padding_token_id"), 317);
    EXPECT_FALSE(kv.count("tokenizer.ggml.bos_token_id")); // the demo tokenizer has no BOS
    EXPECT_EQ(kv.at("tokenizer.ggml.add_bos_token"), false);
    EXPECT_EQ(kv.at("tokenizer.chat_template"), tokConfig["chat_template"]);

    // Every tensor: names, dims (ne[0] = in features), 32-byte aligned offsets, values.
    std::size_t expectedTensors = 0;
    for (const auto& item : d.model.model->named_parameters()) {
        ++expectedTensors;
        const std::string hf = item.key();
        const std::string name = ggufName(hf);
        SCOPED_TRACE(hf + " → " + name);
        ASSERT_TRUE(g.tensors.count(name));
        const RawTensor& t = g.tensors.at(name);
        EXPECT_EQ(t.offset % 32, 0u);
        at::Tensor w = item.value().detach().to(at::kFloat).contiguous();
        ASSERT_EQ(t.ne.size(), static_cast<std::size_t>(w.dim()));
        for (std::int64_t i = 0; i < w.dim(); ++i) {
            EXPECT_EQ(t.ne[i], static_cast<std::uint64_t>(w.size(w.dim() - 1 - i)));
        }
        // llama.cpp rotates interleaved pairs: q/k rows are permuted per head from HF's rotate_half halves.
        const bool isQ = hf.find("q_proj") != std::string::npos;
        if (isQ || hf.find("k_proj") != std::string::npos) {
            const std::int64_t heads = isQ ? 4 : 2;
            w = w.reshape({heads, 2, w.size(0) / heads / 2, w.size(1)}).transpose(1, 2).reshape(w.sizes()).contiguous();
        }
        std::vector<float> scales;
        const std::vector<float> got = values(g, t, &scales);
        const float* ref = w.data_ptr<float>();
        if (w.dim() == 1 || type == "f32") {
            EXPECT_EQ(t.type, 0u);
            EXPECT_EQ(std::memcmp(got.data(), ref, got.size() * 4), 0);
            continue;
        }
        if (type == "f16" || type == "bf16") {
            EXPECT_EQ(t.type, type == "f16" ? 1u : 30u);
            const at::Tensor rounded = w.to(type == "f16" ? at::kHalf : at::kBFloat16).to(at::kFloat).contiguous();
            EXPECT_EQ(std::memcmp(got.data(), rounded.data_ptr<float>(), got.size() * 4), 0);
            continue;
        }
        EXPECT_EQ(t.type, type == "q8_0" ? 8u : 2u);
        // q8_0: |x - d·q| <= d/2 (+ the fp16 rounding of d); q4_0: <= d (clamping at the top code).
        double worst = 0.0;
        for (std::size_t i = 0; i < got.size(); ++i) {
            const double tol = (type == "q8_0" ? 0.6 : 1.05) * scales[i] + 1e-7;
            worst = std::max(worst, std::fabs(got[i] - ref[i]) / tol);
        }
        EXPECT_LE(worst, 1.0);
    }
    EXPECT_EQ(g.tensors.size(), expectedTensors); // tied: no output.weight
    EXPECT_FALSE(g.tensors.count("output.weight"));
}

TEST_P(GgufTypes, OurReaderReproducesTheSourceLogits)
{
    const std::string type = GetParam();
    const Demo& d = demo();
    const fs::path file = exportGguf(d.dir, type, "logits_" + type);
    ASSERT_FALSE(file.empty());
    auto loaded = gguf::loadGgufModel(file);
    ASSERT_TRUE(loaded) << loaded.error().toString();
    const at::Tensor ref = logitsOf(*d.model.model);
    const at::Tensor got = logitsOf(*loaded->model);
    const double scale = ref.abs().max().item<double>();
    const std::map<std::string, double> rel = {{"f32", 1e-5}, {"f16", 2e-3}, {"bf16", 2e-2}, {"q8_0", 2e-2}, {"q4_0", 3e-1}};
    const double diff = (got - ref).abs().max().item<double>();
    std::printf("[ gguf %-5s ] demo logits: max |logit| %.4f, max diff %.3g (%.3g relative)\n", type.c_str(), scale, diff,
                diff / scale);
    EXPECT_LE(diff, rel.at(type) * scale);
    // Greedy decisions are what chat sees: a random model has near-ties, so most (not all) agree.
    const double agree = got.argmax(-1).eq(ref.argmax(-1)).to(at::kDouble).mean().item<double>();
    std::printf("[ gguf %-5s ] greedy tokens agree at %.0f%% of positions\n", type.c_str(), 100 * agree);
    if (type != "q4_0") {
        EXPECT_GE(agree, 0.9);
    }
}

INSTANTIATE_TEST_SUITE_P(Types, GgufTypes, ::testing::Values("f32", "f16", "bf16", "q8_0", "q4_0"));

TEST(Gguf, EveryFixtureArchitectureRoundTripsWithItsMergedAdapter)
{
    for (const char* arch : {"llama", "llama_rope_llama3", "mistral", "qwen2", "gemma", "gemma2", "phi3"}) {
        SCOPED_TRACE(arch);
        const fs::path fixture = test::modelFixture(arch);
        const fs::path file = exportGguf(fixture, "f32", std::string("fixture_") + arch, fixture / "lora_adapter");
        ASSERT_FALSE(file.empty());
        auto loaded = gguf::loadGgufModel(file);
        ASSERT_TRUE(loaded) << loaded.error().toString();
        auto ref = st::SafetensorsFile::open(fixture / "reference.safetensors");
        ASSERT_TRUE(ref);
        at::NoGradGuard g;
        const at::Tensor logits = loaded->model->forward(*ref->get()->tensor("input_ids"));
        EXPECT_TRUE(test::allClose(logits, *ref->get()->tensor("merged_logits"), 2e-5, 1e-5));
        if (std::string(arch) == "llama_rope_llama3") {
            EXPECT_TRUE(gguf::GgufFile::open(file)->tensorInfo("rope_freqs.weight") != nullptr);
        }
    }
}

TEST(Gguf, SentencePieceStyleVocabulary)
{
    const fs::path dir = sharedTokenizers() / "mistral";
    if (!fs::exists(dir / "tokenizer.json")) {
        GTEST_SKIP() << "no shared tokenizer fixtures at " << dir;
    }
    auto kv = gguf::vocabMetadata(dir, 32000, "");
    ASSERT_TRUE(kv) << kv.error().toString();
    std::map<std::string, gguf::Value> m(kv->begin(), kv->end());
    EXPECT_EQ(m["tokenizer.ggml.model"].s, "llama");
    EXPECT_EQ(m["tokenizer.ggml.tokens"].strings.size(), 32000u);
    EXPECT_EQ(m["tokenizer.ggml.scores"].floats.size(), 32000u);
    EXPECT_FALSE(m.count("tokenizer.ggml.merges"));
    int bytes = 0;
    for (auto t : m["tokenizer.ggml.token_type"].ints) {
        bytes += t == static_cast<std::int64_t>(gguf::TokenType::Byte);
    }
    EXPECT_EQ(bytes, 256);
    EXPECT_EQ(m["tokenizer.ggml.bos_token_id"].i, 1);
    EXPECT_EQ(m["tokenizer.ggml.eos_token_id"].i, 2);
    EXPECT_EQ(m["tokenizer.ggml.unknown_token_id"].i, 0);
    EXPECT_EQ(m["tokenizer.ggml.add_bos_token"].i, 1);
    EXPECT_EQ(m["tokenizer.ggml.add_space_prefix"].i, 1);
    EXPECT_EQ(m["tokenizer.ggml.token_type"].ints[0], static_cast<std::int64_t>(gguf::TokenType::Control)); // <unk> is an added special
    // Earlier merges score higher: "▁t" (the first merge) beats "▁the", which is built from it later.
    const auto& toks = m["tokenizer.ggml.tokens"].strings;
    const auto pos = [&](const std::string& t) { return std::find(toks.begin(), toks.end(), t) - toks.begin(); };
    const auto& scores = m["tokenizer.ggml.scores"].floats;
    EXPECT_GT(scores[pos("\xE2\x96\x81t")], scores[pos("\xE2\x96\x81the")]);
    EXPECT_LT(scores[pos("\xE2\x96\x81the")], 0.0);
}

TEST(Gguf, PreTokenizerNamesAndPadding)
{
    const fs::path base = sharedTokenizers();
    if (!fs::exists(base / "qwen3" / "tokenizer.json")) {
        GTEST_SKIP() << "no shared tokenizer fixtures at " << base;
    }
    for (const auto& [name, pre] : std::vector<std::pair<std::string, std::string>>{{"qwen3", "qwen2"}, {"llama3_1", "llama-bpe"}}) {
        auto kv = gguf::vocabMetadata(base / name, 0, "");
        ASSERT_TRUE(kv) << kv.error().toString();
        std::map<std::string, gguf::Value> m(kv->begin(), kv->end());
        EXPECT_EQ(m["tokenizer.ggml.model"].s, "gpt2") << name;
        EXPECT_EQ(m["tokenizer.ggml.pre"].s, pre) << name;
        EXPECT_FALSE(m["tokenizer.ggml.merges"].strings.empty());
    }
    // A model whose embedding has more rows than the tokenizer has ids: [PAD<i>] tokens of type unused.
    auto kv = gguf::vocabMetadata(base / "tiny", 330, "");
    ASSERT_TRUE(kv);
    std::map<std::string, gguf::Value> m(kv->begin(), kv->end());
    ASSERT_EQ(m["tokenizer.ggml.tokens"].strings.size(), 330u);
    EXPECT_EQ(m["tokenizer.ggml.tokens"].strings[325], "[PAD325]");
    EXPECT_EQ(m["tokenizer.ggml.token_type"].ints[325], static_cast<std::int64_t>(gguf::TokenType::Unused));
}

TEST(Gguf, TruncatedFileIsAnErrorNotACrash)
{
    const fs::path file = exportGguf(demo().dir, "q8_0", "truncated");
    ASSERT_FALSE(file.empty());
    const auto size = fs::file_size(file);
    for (auto cut : {size / 2, std::uintmax_t{100}, std::uintmax_t{10}}) {
        fs::resize_file(file, cut);
        auto f = gguf::GgufFile::open(file);
        EXPECT_FALSE(f);
        if (!f) {
            EXPECT_EQ(f.error().code, ErrorCode::BadCheckpoint);
        }
    }
}

TEST(Gguf, UnsupportedArchitectureSaysWhatToDo)
{
    const fs::path scratch = test::scratchDir("gguf", "unsupported");
    auto cfg = models::tinyConfigJson("starcoder2", models::TinyShape{});
    ASSERT_TRUE(cfg);
    const char* src = std::getenv("TD_SOURCE_DIR");
    ASSERT_TRUE(models::writeTinyModel(scratch / "m", *cfg, 1, "float32",
                                       fs::path(src ? src : ".") / "resources" / "demo" / "tokenizer"));
    exporter::ExportArgs a;
    a.modelPath = scratch / "m";
    a.exportDir = scratch / "out";
    a.format = exporter::ExportFormat::Gguf;
    auto r = exporter::runExport(a);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::Unsupported);
    EXPECT_NE(r.error().hint.find("export_format: hf"), std::string::npos);
    EXPECT_FALSE(fs::exists(scratch / "out"));
}
