// SPDX-License-Identifier: Apache-2.0
// make_tiny_model: writes a random-weight Hugging Face model folder (config.json, generation_config.json,
// model.safetensors, optionally tokenizer files) of any registered architecture and shape. Used at build time
// for the bundled demo model (<build>/demo/model) and by hand for the SmolLM2-135M-like bench shape:
//   make_tiny_model --arch llama --preset smollm2-135m --dtype bf16 --out /tmp/smol
// Weights: N(0, 0.02) per tensor seeded by hash(name) + seed; norms 1; biases 0.
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/models/tiny_model.h"

namespace
{

void usage()
{
    std::puts("usage: make_tiny_model --out DIR [--arch llama] [--preset tiny|demo|smollm2-135m]\n"
              "       [--hidden N --layers N --heads N --kv-heads N --intermediate N --vocab N --max-positions N]\n"
              "       [--tied | --untied] [--seed 0] [--dtype fp32|bf16] [--tokenizer DIR]\n"
              "       [--bos-id N|none --eos-id N --pad-id N]");
}

} // namespace

int main(int argc, char** argv)
{
    std::map<std::string, std::string> opt;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            usage();
            return 0;
        }
        if (a == "--tied" || a == "--untied") {
            opt["tied"] = a == "--tied" ? "1" : "0";
            continue;
        }
        if (a.rfind("--", 0) != 0 || i + 1 >= argc) {
            std::fprintf(stderr, "error: bad argument '%s'\n", a.c_str());
            usage();
            return 2;
        }
        opt[a.substr(2)] = argv[++i];
    }
    if (!opt.count("out")) {
        usage();
        return 2;
    }
    const std::string arch = opt.count("arch") ? opt["arch"] : "llama";
    const std::string preset = opt.count("preset") ? opt["preset"] : "tiny";
    td::models::TinyShape s;
    if (preset == "smollm2-135m") {
        s = td::models::TinyShape::smolLm2();
    } else if (preset == "demo") {
        s = td::models::TinyShape::demo();
    } else if (preset != "tiny") {
        std::fprintf(stderr, "error: unknown preset '%s' (tiny, demo, smollm2-135m)\n", preset.c_str());
        return 2;
    }
    auto num = [&](const char* key, std::int64_t& field) {
        if (opt.count(key)) {
            field = std::stoll(opt[key]);
        }
    };
    try {
        num("hidden", s.hidden);
        num("layers", s.layers);
        num("heads", s.heads);
        num("kv-heads", s.kvHeads);
        num("intermediate", s.intermediate);
        num("vocab", s.vocab);
        num("max-positions", s.maxPositions);
        num("sliding-window", s.slidingWindow);
    } catch (const std::exception&) {
        std::fprintf(stderr, "error: a shape option is not a number\n");
        return 2;
    }
    if (opt.count("tied")) {
        s.tied = opt["tied"] == "1";
    }
    auto cfg = td::models::tinyConfigJson(arch, s);
    if (!cfg) {
        std::fprintf(stderr, "error: %s\n", cfg.error().toString().c_str());
        return 1;
    }
    if (preset == "demo") { // the demo tokenizer's special tokens (resources/demo/tokenizer)
        (*cfg)["bos_token_id"] = nullptr;
        (*cfg)["eos_token_id"] = 319;
        (*cfg)["pad_token_id"] = 317;
    }
    for (const char* key : {"bos-id", "eos-id", "pad-id"}) {
        if (opt.count(key)) {
            std::string field = std::string(key, std::strlen(key) - 3) + "_token_id";
            (*cfg)[field] = opt[key] == "none" ? nlohmann::json(nullptr) : nlohmann::json(std::stoll(opt[key]));
        }
    }
    const std::uint64_t seed = opt.count("seed") ? std::stoull(opt["seed"]) : 0;
    auto status = td::models::writeTinyModel(opt["out"], *cfg, seed, opt.count("dtype") ? opt["dtype"] : "fp32",
                                             opt.count("tokenizer") ? opt["tokenizer"] : "");
    if (!status) {
        std::fprintf(stderr, "error: %s\n", status.error().toString().c_str());
        return 1;
    }
    std::printf("wrote %s (%s, preset %s)\n", opt["out"].c_str(), arch.c_str(), preset.c_str());
    return 0;
}
