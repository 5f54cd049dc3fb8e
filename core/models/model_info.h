// SPDX-License-Identifier: Apache-2.0
// What the model picker shows about a loaded model. Torch-free and Qt-free (core/jobs copies it to the UI).
#pragma once

#include <cstdint>
#include <string>

namespace td::models
{

struct ModelInfo
{
    std::string path;
    std::string modelType;        ///< config.json model_type ("llama")
    std::string architecture;     ///< config.json architectures[0] ("LlamaForCausalLM"), may be empty
    std::int64_t parameters = 0;  ///< scalar parameters (tied embeddings once)
    std::string dtype;            ///< compute dtype: "float32", "bfloat16", "float16"
    std::string checkpointDtype;  ///< dtype of the stored weights ("F32", "BF16", ... mixed = "mixed")
    std::string device;           ///< "cpu", "cuda:0"
    std::int64_t contextLength = 0; ///< max_position_embeddings
    std::int64_t layers = 0;
    std::int64_t hiddenSize = 0;
    std::int64_t vocabSize = 0;
    bool tiedEmbeddings = false;
    std::string quantization = "none"; ///< base weights: "none", "int8", "nf4" or "fp4" (quantization_bit)
    std::string toJson() const;   ///< one JSON object with the fields above
};

} // namespace td::models
