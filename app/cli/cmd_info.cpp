// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli info`: what this build runs on, as one JSON object (versions, threads, BLAS, devices).
// Useful in bug reports and as a smoke test that libtorch loads in this process.
#include <cstdio>

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>
#include <torch/version.h>

#include "args.h"
#include "commands.h"
#include "core/common/torch_compat.h"

namespace td::cli
{

int cmdInfo(int argc, char** argv)
{
    auto args = parseArgs(argc, argv, 1, {}, {"help"});
    if (!args) {
        return reportError(args.error());
    }
    if (args->has("help")) {
        std::puts("usage: tunedesk-cli info\nPrints versions, thread counts and devices as JSON.");
        return 0;
    }
    nlohmann::json j;
    j["tunedesk"] = TD_VERSION;
    j["torch"] = TORCH_VERSION;
    j["intra_op_threads"] = at::get_num_threads();
    j["inter_op_threads"] = at::get_num_interop_threads();
    j["mkldnn"] = at::hasMKLDNN();
    j["openmp"] = at::hasOpenMP();
    j["cuda_available"] = torch::cuda::is_available();
    j["cuda_devices"] = torch::cuda::device_count();
    j["public_sdpa"] = compat::kHasPublicSdpa;
    j["parallel_info"] = at::get_parallel_info();
    std::puts(j.dump(2).c_str());
    return 0;
}

} // namespace td::cli
