// SPDX-License-Identifier: Apache-2.0
#include "model_args.h"

#include <cstdlib>

#include <ATen/Parallel.h>

#include <nlohmann/json.hpp>

#include "core/common/strings.h"
#include "core/models/lora.h"

namespace td::cli
{

Expected<std::vector<std::vector<std::int64_t>>> parseIdList(const std::string& text)
{
    std::vector<std::vector<std::int64_t>> rows(1);
    std::string cur;
    auto flush = [&]() -> Status {
        if (cur.empty()) {
            return {};
        }
        try {
            std::size_t used = 0;
            const long long v = std::stoll(cur, &used);
            if (used != cur.size() || v < 0) {
                throw std::invalid_argument(cur);
            }
            rows.back().push_back(v);
        } catch (const std::exception&) {
            return makeError(ErrorCode::InvalidArgument, "--ids: '" + cur + "' is not a token id",
                             "write ids as 1,2,3 and separate sequences with ';'");
        }
        cur.clear();
        return {};
    };
    for (char c : text) {
        if (c == ',' || c == ';') {
            if (auto s = flush(); !s) {
                return tl::unexpected(s.error());
            }
            if (c == ';') {
                rows.emplace_back();
            }
        } else if (c != ' ') {
            cur.push_back(c);
        }
    }
    if (auto s = flush(); !s) {
        return tl::unexpected(s.error());
    }
    for (const auto& r : rows) {
        if (r.empty()) {
            return makeError(ErrorCode::InvalidArgument, "--ids: empty sequence", "example: --ids 1,2,3;4,5,6");
        }
    }
    return rows;
}

void applyThreads(const Args& args)
{
    // Without --threads libtorch's default stays (OMP_NUM_THREADS, else one thread per physical core as
    // libtorch counts them: 1 on the 2-vCPU build machines), so tests run side by side do not oversubscribe.
    // On an idle machine two threads decode faster (README, Speed: 166 vs 101-112 tok/s in bf16).
    if (auto t = args.get("threads")) {
        at::set_num_threads(std::max(1, std::atoi(t->c_str())));
    }
}

Expected<models::LoadedModel> loadModelFromArgs(const Args& args, const std::string& defaultDtype)
{
    auto dir = args.get("model");
    if (!dir) {
        return makeError(ErrorCode::InvalidArgument, "--model DIR is required", "point it to a Hugging Face model folder");
    }
    models::LoadOptions o;
    o.dtype = args.getOr("dtype", defaultDtype);
    o.device = args.getOr("device", "auto");
    for (const char* key : {"quantization_bit", "quantization_type", "double_quantization", "rope_scaling"}) {
        if (auto v = args.get(key)) {
            if (auto used = models::parseModelLoadKey(o.modelArgs, key, nlohmann::json(*v)); !used) {
                return tl::unexpected(used.error());
            }
        }
    }
    auto loaded = models::loadModel(*dir, o);
    if (!loaded) {
        return loaded;
    }
    if (auto adapter = args.get("adapter")) {
        // --adapter a,b,c: the earlier adapters are merged into the base, the last one attached (LLaMA-Factory).
        const auto dirs = splitCommaList(*adapter);
        if (!dirs.empty()) {
            if (auto m = models::mergeLoraAdapters(*loaded->model, std::vector<std::filesystem::path>(dirs.begin(), dirs.end() - 1)); !m) {
                return tl::unexpected(m.error());
            }
            auto n = models::loadLoraAdapter(*loaded->model, dirs.back());
            if (!n) {
                return tl::unexpected(n.error().withContext("loading adapter " + dirs.back()));
            }
        }
    }
    return loaded;
}

} // namespace td::cli
