// SPDX-License-Identifier: Apache-2.0
// The per-stage processors of preprocess.h, written from LLaMA-Factory's data/processor/*.py semantics:
// supervised (turn pairs under a running cutoff budget, infer_seqlen truncation, -100 prompt labels,
// mask_history newest-first, efficient_eos), unsupervised, pairwise, kto (KL answer = the previous example's
// answer within a preprocessing batch) and pretrain. Packing lives in packing.cpp.
#include "core/data/preprocess.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace td::data
{
namespace
{

using Ids = std::vector<TokenId>;

struct Ctx
{
    const chat::ChatTemplate& t;
    const tok::Tokenizer& tok;
    const PreprocessOptions& o;
};

void appendIds(Ids& to, const Ids& from)
{
    to.insert(to.end(), from.begin(), from.end());
}

std::vector<Message> concat(const std::vector<Message>& a, const Message& b)
{
    std::vector<Message> out = a;
    out.push_back(b);
    return out;
}

Expected<TokenizedExample> encodeSupervised(const Ctx& c, const Record& r)
{
    std::vector<Message> messages = r.prompt;
    messages.insert(messages.end(), r.response.begin(), r.response.end());
    auto pairs = chat::encodeMultiturn(c.t, c.tok, messages, r.system, r.tools);
    if (!pairs) {
        return tl::unexpected(pairs.error());
    }
    const bool effEos = c.t.efficientEos && c.tok.eosId();
    const TokenId eos = c.tok.eosId().value_or(0);
    TokenizedExample ex;
    int64_t total = effEos ? 1 : 0;
    ex.fullLength = total;
    for (const auto& p : *pairs) {
        ex.fullLength += static_cast<int64_t>(p.prompt.size() + p.response.size());
    }
    if (c.o.maskHistory) {
        std::reverse(pairs->begin(), pairs->end());
    }
    for (std::size_t turn = 0; turn < pairs->size(); ++turn) {
        if (total >= c.o.cutoffLen) {
            break;
        }
        Ids source = (*pairs)[turn].prompt;
        Ids target = (*pairs)[turn].response;
        const auto [sl, tl] = inferSeqlen(static_cast<int64_t>(source.size()), static_cast<int64_t>(target.size()),
                                          c.o.cutoffLen - total);
        source.resize(static_cast<std::size_t>(sl));
        target.resize(static_cast<std::size_t>(tl));
        total += sl + tl;
        Ids sourceLabel;
        if (c.o.trainOnPrompt) {
            sourceLabel = source;
        } else {
            sourceLabel.assign(source.size(), kIgnoreIndex);
            if (effEos && turn != 0 && !sourceLabel.empty()) {
                sourceLabel[0] = eos;
            }
        }
        Ids targetLabel = c.o.maskHistory && turn != 0 ? Ids(target.size(), kIgnoreIndex) : target;
        if (c.o.maskHistory) {
            Ids ids = source, labels = sourceLabel;
            appendIds(ids, target);
            appendIds(labels, targetLabel);
            appendIds(ids, ex.inputIds);
            appendIds(labels, ex.labels);
            ex.inputIds = std::move(ids);
            ex.labels = std::move(labels);
        } else {
            appendIds(ex.inputIds, source);
            appendIds(ex.inputIds, target);
            appendIds(ex.labels, sourceLabel);
            appendIds(ex.labels, targetLabel);
        }
    }
    if (effEos) {
        ex.inputIds.push_back(eos);
        ex.labels.push_back(eos);
    }
    ex.truncated = static_cast<int64_t>(ex.inputIds.size()) < ex.fullLength;
    return ex;
}

/// encode_oneturn of prompt + answer, with efficient_eos appended to the answer.
Expected<chat::TurnIds> oneturn(const Ctx& c, const Record& r, const Message& answer)
{
    auto turn = chat::encodeOneturn(c.t, c.tok, concat(r.prompt, answer), r.system, r.tools);
    if (turn && c.t.efficientEos && c.tok.eosId()) {
        turn->response.push_back(*c.tok.eosId());
    }
    return turn;
}

/// Truncates prompt/answer with infer_seqlen; returns the source length kept.
int64_t truncatePair(Ids& prompt, Ids& answer, int64_t cutoff, int64_t targetForBudget)
{
    const auto [sl, tl] = inferSeqlen(static_cast<int64_t>(prompt.size()), targetForBudget, cutoff);
    prompt.resize(static_cast<std::size_t>(std::min<int64_t>(sl, static_cast<int64_t>(prompt.size()))));
    answer.resize(static_cast<std::size_t>(std::min<int64_t>(tl, static_cast<int64_t>(answer.size()))));
    return static_cast<int64_t>(prompt.size());
}

void joinLabeled(const Ids& prompt, const Ids& answer, Ids& ids, Ids& labels)
{
    ids = prompt;
    appendIds(ids, answer);
    labels.assign(prompt.size(), kIgnoreIndex);
    appendIds(labels, answer);
}

Expected<TokenizedExample> encodeUnsupervised(const Ctx& c, const Record& r)
{
    const Message answer = r.response.size() == 1 ? r.response[0] : Message{Role::Assistant, ""};
    auto turn = oneturn(c, r, answer);
    if (!turn) {
        return tl::unexpected(turn.error());
    }
    TokenizedExample ex;
    ex.fullLength = static_cast<int64_t>(turn->prompt.size() + turn->response.size());
    const auto [sl, tl] = inferSeqlen(static_cast<int64_t>(turn->prompt.size()),
                                      static_cast<int64_t>(turn->response.size()), c.o.cutoffLen);
    ex.inputIds.assign(turn->prompt.begin(), turn->prompt.begin() + sl);
    ex.labels.assign(turn->response.begin(), turn->response.begin() + tl);
    ex.truncated = sl + tl < ex.fullLength;
    return ex;
}

Expected<TokenizedExample> encodePairwise(const Ctx& c, const Record& r)
{
    auto chosen = oneturn(c, r, r.response[0]);
    auto rejected = oneturn(c, r, r.response[1]);
    if (!chosen || !rejected) {
        return tl::unexpected(!chosen ? chosen.error() : rejected.error());
    }
    TokenizedExample ex;
    Ids prompt = chosen->prompt;
    const auto longer = static_cast<int64_t>(std::max(chosen->response.size(), rejected->response.size()));
    ex.fullLength = static_cast<int64_t>(prompt.size()) + longer;
    const auto [sl, tl] = inferSeqlen(static_cast<int64_t>(prompt.size()), longer, c.o.cutoffLen);
    prompt.resize(static_cast<std::size_t>(sl));
    Ids ch = chosen->response, rj = rejected->response;
    ch.resize(std::min<std::size_t>(ch.size(), static_cast<std::size_t>(tl)));
    rj.resize(std::min<std::size_t>(rj.size(), static_cast<std::size_t>(tl)));
    joinLabeled(prompt, ch, ex.inputIds, ex.labels);
    joinLabeled(prompt, rj, ex.rejectedIds, ex.rejectedLabels);
    ex.truncated = sl + tl < ex.fullLength;
    return ex;
}

Expected<TokenizedExample> encodeKto(const Ctx& c, const Record& r, const Record& klSource)
{
    const bool desirable = !r.response[0].content.empty();
    auto main = oneturn(c, r, desirable ? r.response[0] : r.response[1]);
    const auto& klr = klSource.response;
    const Message klAnswer = klr.size() >= 2 ? (!klr[0].content.empty() ? klr[0] : klr[1])
                                             : (klr.empty() ? Message{Role::Assistant, ""} : klr[0]);
    auto kl = oneturn(c, r, klAnswer);
    if (!main || !kl) {
        return tl::unexpected(!main ? main.error() : kl.error());
    }
    TokenizedExample ex;
    ex.ktoTag = desirable;
    ex.fullLength = static_cast<int64_t>(main->prompt.size() + main->response.size());
    truncatePair(main->prompt, main->response, c.o.cutoffLen, static_cast<int64_t>(main->response.size()));
    truncatePair(kl->prompt, kl->response, c.o.cutoffLen, static_cast<int64_t>(kl->response.size()));
    joinLabeled(main->prompt, main->response, ex.inputIds, ex.labels);
    joinLabeled(kl->prompt, kl->response, ex.klIds, ex.klLabels);
    ex.truncated = static_cast<int64_t>(ex.inputIds.size()) < ex.fullLength;
    return ex;
}

/// Runs fn(i) for every record on `workers` threads; results stay in record order.
Expected<std::vector<std::optional<TokenizedExample>>>
parallelEncode(std::size_t n, int workers, const CancelToken* cancel,
               const std::function<Expected<std::optional<TokenizedExample>>(std::size_t)>& fn)
{
    std::vector<std::optional<TokenizedExample>> out(n);
    std::atomic<std::size_t> next{0};
    std::mutex errorMutex;
    std::optional<Error> firstError;
    std::atomic<bool> stop{false};
    auto work = [&] {
        for (std::size_t i; !stop && (i = next.fetch_add(1)) < n;) {
            if (cancel && cancel->isCancelled()) {
                std::lock_guard lock(errorMutex);
                firstError = Error{ErrorCode::Cancelled, "preprocessing was cancelled", ""};
                stop = true;
                return;
            }
            auto r = fn(i);
            if (!r) {
                std::lock_guard lock(errorMutex);
                if (!firstError) {
                    firstError = r.error();
                }
                stop = true;
                return;
            }
            out[i] = std::move(*r);
        }
    };
    const int threads = std::max(1, std::min<int>(workers, static_cast<int>(n / 64) + 1));
    std::vector<std::thread> pool;
    for (int k = 1; k < threads; ++k) {
        pool.emplace_back(work);
    }
    work();
    for (auto& th : pool) {
        th.join();
    }
    if (firstError) {
        return tl::unexpected(*firstError);
    }
    return out;
}

Expected<PreprocessResult> preprocessPretrain(const std::vector<Record>& records, const Ctx& c);

} // namespace

std::pair<int64_t, int64_t> inferSeqlen(int64_t sourceLen, int64_t targetLen, int64_t cutoffLen)
{
    int64_t maxTarget;
    if (targetLen * 2 < cutoffLen) {
        maxTarget = cutoffLen;
    } else if (sourceLen * 2 < cutoffLen) {
        maxTarget = cutoffLen - sourceLen;
    } else {
        maxTarget = static_cast<int64_t>(static_cast<double>(cutoffLen) *
                                         (static_cast<double>(targetLen) / static_cast<double>(sourceLen + targetLen)));
    }
    const int64_t newTarget = std::min(maxTarget, targetLen);
    const int64_t maxSource = std::max<int64_t>(cutoffLen - newTarget, 0);
    return {std::min(maxSource, sourceLen), newTarget};
}

std::string recordProblem(const Record& r, Stage stage)
{
    if (!r.invalidReason.empty()) {
        return r.invalidReason;
    }
    const std::string where = r.source.describe() + ": ";
    switch (stage) {
    case Stage::Pt:
        return r.prompt.empty() ? where + "no text" : "";
    case Stage::Sft:
        if (r.prompt.size() % 2 != 1 || r.response.size() != 1) {
            return where + (r.response.empty()
                                ? "no response (the answer column is missing or null)"
                                : "needs exactly one response, has " + std::to_string(r.response.size()));
        }
        return "";
    case Stage::Pairwise:
    case Stage::Kto:
        if (r.prompt.size() % 2 != 1 || r.response.size() < 2) {
            return where + (stage == Stage::Kto ? "not a KTO row (needs a kto_tag)"
                                                : "not a preference row (needs chosen and rejected; ranking: true)");
        }
        return "";
    case Stage::Unsupervised:
        return r.prompt.size() % 2 != 1 ? where + "the prompt must end with a user message" : "";
    }
    return "";
}

Expected<PreprocessResult> preprocess(const std::vector<Record>& records, Stage stage, const chat::ChatTemplate& tmpl,
                                      const tok::Tokenizer& tokenizer, const PreprocessOptions& options)
{
    if (options.cutoffLen <= 0) {
        return makeError(ErrorCode::InvalidConfig, "cutoff_len must be positive");
    }
    const Ctx c{tmpl, tokenizer, options};
    if (stage == Stage::Pt) {
        return preprocessPretrain(records, c);
    }
    const std::size_t batch = std::max<std::size_t>(options.batchSize, 1);
    auto encoded = parallelEncode(records.size(), options.workers, options.cancel,
                                  [&](std::size_t i) -> Expected<std::optional<TokenizedExample>> {
                                      const Record& r = records[i];
                                      if (!recordProblem(r, stage).empty()) {
                                          return std::optional<TokenizedExample>();
                                      }
                                      Expected<TokenizedExample> ex = makeError(ErrorCode::Internal, "unreachable");
                                      switch (stage) {
                                      case Stage::Sft:
                                          ex = encodeSupervised(c, r);
                                          break;
                                      case Stage::Unsupervised:
                                          ex = encodeUnsupervised(c, r);
                                          break;
                                      case Stage::Pairwise:
                                          ex = encodePairwise(c, r);
                                          break;
                                      case Stage::Kto: {
                                          // KL answer: the previous record's response within the same preprocessing
                                          // batch (the first of a batch takes the batch's last).
                                          const std::size_t start = i / batch * batch;
                                          const std::size_t end = std::min(records.size(), start + batch);
                                          ex = encodeKto(c, r, records[i == start ? end - 1 : i - 1]);
                                          break;
                                      }
                                      case Stage::Pt:
                                          break;
                                      }
                                      if (!ex) {
                                          return tl::unexpected(ex.error().withContext(r.source.describe()));
                                      }
                                      ex->sourceIndex = static_cast<int64_t>(i);
                                      return std::optional<TokenizedExample>(std::move(*ex));
                                  });
    if (!encoded) {
        return tl::unexpected(encoded.error());
    }
    PreprocessResult result;
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto& slot = (*encoded)[i];
        if (!slot) {
            result.dropped.push_back({records[i].source, recordProblem(records[i], stage)});
            continue;
        }
        result.truncatedCount += slot->truncated ? 1 : 0;
        result.examples.push_back(std::move(*slot));
    }
    if (stage == Stage::Sft && (options.packing || options.neatPacking)) {
        std::vector<TokenizedExample> fit;
        for (auto& ex : result.examples) {
            if (static_cast<int64_t>(ex.inputIds.size()) > options.cutoffLen) {
                result.dropped.push_back(
                    {records[static_cast<std::size_t>(ex.sourceIndex)].source,
                     "longer than cutoff_len for packing (" + std::to_string(ex.inputIds.size()) + " tokens)"});
            } else {
                fit.push_back(std::move(ex));
            }
        }
        const TokenId pad = tokenizer.padId().value_or(tokenizer.eosId().value_or(0));
        result.examples = packExamples(std::move(fit), options.cutoffLen, pad, options.neatPacking);
    }
    return result;
}

namespace
{

Expected<PreprocessResult> preprocessPretrain(const std::vector<Record>& records, const Ctx& c)
{
    const std::string eos = c.o.templateName == "llama3" ? "<|end_of_text|>" : c.tok.eosToken();
    const bool addBos = c.tok.config().addBosToken.value_or(false) && c.tok.bosId();
    const std::size_t batch = std::max<std::size_t>(c.o.batchSize, 1);
    PreprocessResult result;
    for (std::size_t start = 0; start < records.size(); start += batch) {
        if (c.o.cancel && c.o.cancel->isCancelled()) {
            return makeError(ErrorCode::Cancelled, "preprocessing was cancelled");
        }
        Ids concatenated;
        for (std::size_t i = start; i < std::min(records.size(), start + batch); ++i) {
            const Record& r = records[i];
            if (const auto why = recordProblem(r, Stage::Pt); !why.empty()) {
                result.dropped.push_back({r.source, why});
                continue;
            }
            std::string text = r.prompt[0].content + eos;
            if (!c.o.packing && addBos) {
                text = c.tok.bosToken() + text;
            }
            auto ids = c.tok.encode(text, false);
            if (!ids) {
                return tl::unexpected(ids.error().withContext(r.source.describe()));
            }
            if (c.o.packing) {
                appendIds(concatenated, *ids);
                continue;
            }
            TokenizedExample ex;
            ex.fullLength = static_cast<int64_t>(ids->size());
            ex.truncated = ex.fullLength > c.o.cutoffLen;
            result.truncatedCount += ex.truncated ? 1 : 0;
            ids->resize(std::min<std::size_t>(ids->size(), static_cast<std::size_t>(c.o.cutoffLen)));
            ex.inputIds = std::move(*ids);
            ex.labels = ex.inputIds;
            ex.sourceIndex = static_cast<int64_t>(i);
            result.examples.push_back(std::move(ex));
        }
        const auto block = static_cast<std::size_t>(c.o.cutoffLen);
        for (std::size_t k = 0; k + block <= concatenated.size(); k += block) {
            TokenizedExample ex;
            ex.inputIds.assign(concatenated.begin() + static_cast<std::ptrdiff_t>(k),
                               concatenated.begin() + static_cast<std::ptrdiff_t>(k + block));
            if (addBos) {
                ex.inputIds[0] = *c.tok.bosId();
            }
            ex.labels = ex.inputIds;
            ex.fullLength = static_cast<int64_t>(block);
            result.examples.push_back(std::move(ex));
        }
    }
    return result;
}

} // namespace

Expected<Stage> parseStage(std::string_view s)
{
    if (s == "pt")
        return Stage::Pt;
    if (s == "sft")
        return Stage::Sft;
    if (s == "rm" || s == "dpo" || s == "pairwise")
        return Stage::Pairwise;
    if (s == "kto")
        return Stage::Kto;
    if (s == "ppo" || s == "predict" || s == "unsupervised")
        return Stage::Unsupervised;
    return makeError(ErrorCode::InvalidConfig, "unknown stage \"" + std::string(s) + "\"",
                     "use pt, sft, rm, dpo, kto, ppo or predict");
}

const char* stageName(Stage s)
{
    switch (s) {
    case Stage::Pt:
        return "pt";
    case Stage::Sft:
        return "sft";
    case Stage::Pairwise:
        return "pairwise";
    case Stage::Kto:
        return "kto";
    case Stage::Unsupervised:
        return "unsupervised";
    }
    return "?";
}

} // namespace td::data
