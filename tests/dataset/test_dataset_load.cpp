// SPDX-License-Identifier: Apache-2.0
// Loading and aligning: dataset_info.json entries, every format (alpaca, sharegpt with tools, openai, preference
// in both forms, KTO in both forms, text), file types (json, jsonl, csv with quotes/newlines, txt, folder) and
// bad input with errors that name the file, row and column.
#include <gtest/gtest.h>

#include "core/data/dataset_format.h"
#include "core/data/dataset_loader.h"
#include "test_paths.h"

using namespace td;
using namespace td::data;

namespace
{

Dataset load(const std::string& name)
{
    auto ds = loadDataset(datasetsDir(), name);
    EXPECT_TRUE(ds.has_value()) << (ds ? "" : ds.error().toString());
    return ds ? *ds : Dataset{};
}

Error loadError(const std::string& name)
{
    auto ds = loadDataset(datasetsDir(), name);
    EXPECT_FALSE(ds.has_value()) << name << " loaded but should fail";
    return ds ? Error{} : ds.error();
}

void expectMsg(const Message& m, Role role, const std::string& content)
{
    EXPECT_EQ(m.role, role);
    EXPECT_EQ(m.content, content);
}

} // namespace

TEST(DatasetLoad, RegistryListsFormats)
{
    std::vector<std::string> ids;
    for (const auto& f : datasetFormats()) {
        ids.emplace_back(f.id);
        EXPECT_NE(f.convert, nullptr);
        EXPECT_EQ(findFormat(f.id), &f);
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"alpaca", "sharegpt", "openai", "text"}));
    EXPECT_EQ(findFormat("nope"), nullptr);
}

TEST(DatasetLoad, DatasetInfoDefaultsAndExplicitColumns)
{
    auto a = parseDatasetAttr("x", R"({"file_name": "f.json"})");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->prompt, "instruction");
    EXPECT_EQ(a->query, "input");
    EXPECT_EQ(a->response, "output");
    EXPECT_EQ(a->messages, "conversations");
    EXPECT_FALSE(a->history);
    auto b = parseDatasetAttr("y", R"({"file_name": "f.json", "columns": {"prompt": "q", "response": "a"}})");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->prompt, "q");
    EXPECT_FALSE(b->query); // a present "columns" object unsets what it does not mention
    auto c = parseDatasetAttr("z", R"({"file_name": "f.json", "formatting": "sharegpt",
        "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant"}})");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->roleTag, "role");
    EXPECT_FALSE(c->systemTag);
    EXPECT_FALSE(c->observationTag);
    auto hub = parseDatasetAttr("h", R"({"hf_hub_url": "a/b", "ms_hub_url": "c/d", "file_name": "x.json"})");
    ASSERT_TRUE(hub);
    EXPECT_EQ(hub->source, SourceKind::HfHub); // hub keys take precedence over file_name
    EXPECT_EQ(hub->sourceValue, "a/b");
    auto ns = parseDatasetAttr("n", R"({"file_name": "f.json", "num_samples": 10, "split": "test", "ranking": true})");
    ASSERT_TRUE(ns);
    EXPECT_EQ(ns->numSamples, 10);
    EXPECT_EQ(ns->split, "test");
    EXPECT_TRUE(ns->ranking);
    EXPECT_FALSE(parseDatasetAttr("bad", R"({"formatting": "alpaca"})")); // no source
}

TEST(DatasetLoad, AlpacaJsonJsonlAndCsvAgree)
{
    const auto json = load("alpaca_small");
    const auto jsonl = load("alpaca_jsonl");
    ASSERT_EQ(json.records.size(), 5u);
    ASSERT_EQ(jsonl.records.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(json.records[i].prompt[0].content, jsonl.records[i].prompt[0].content);
        EXPECT_EQ(json.records[i].response[0].content, jsonl.records[i].response[0].content);
    }
    expectMsg(json.records[1].prompt[0], Role::User, "Add\n2+2");
    expectMsg(json.records[0].prompt[0], Role::User, "Say hi"); // empty input is skipped
    expectMsg(json.records[2].prompt[0], Role::User, "Переведи на английский\nПривет");
    expectMsg(json.records[3].response[0], Role::Assistant, "Hello");
    EXPECT_EQ(json.records[4].source.row, 5);
    EXPECT_EQ(jsonl.records[4].source.row, 5);

    const auto csv = load("alpaca_csv");
    ASSERT_EQ(csv.records.size(), 2u);
    expectMsg(csv.records[0].prompt[0], Role::User, "Quote \"this\"\na, b");
    expectMsg(csv.records[0].response[0], Role::Assistant, "line one\nline two");
    expectMsg(csv.records[1].prompt[0], Role::User, "plain");
}

TEST(DatasetLoad, AlpacaMappedColumnsHistoryAndSystem)
{
    const auto qa = load("alpaca_mapped");
    ASSERT_EQ(qa.records.size(), 2u);
    EXPECT_EQ(qa.records[0].system, "Be brief.");
    EXPECT_EQ(qa.records[1].system, "");
    expectMsg(qa.records[1].response[0], Role::Assistant, "Paris");

    const auto h = load("alpaca_history");
    ASSERT_EQ(h.records.size(), 1u);
    const auto& r = h.records[0];
    ASSERT_EQ(r.prompt.size(), 3u);
    expectMsg(r.prompt[0], Role::User, "What is 2+2?");
    expectMsg(r.prompt[1], Role::Assistant, "4");
    expectMsg(r.prompt[2], Role::User, "And 3+3?");
    expectMsg(r.response[0], Role::Assistant, "6");
    EXPECT_EQ(r.system, "Be brief.");
}

TEST(DatasetLoad, PreferenceBothForms)
{
    const auto a = load("alpaca_pref");
    ASSERT_EQ(a.records.size(), 1u);
    expectMsg(a.records[0].prompt[0], Role::User, "Greet\npolitely");
    ASSERT_EQ(a.records[0].response.size(), 2u);
    expectMsg(a.records[0].response[0], Role::Assistant, "Good day");
    expectMsg(a.records[0].response[1], Role::Assistant, "Yo");

    const auto s = load("sharegpt_pref");
    ASSERT_EQ(s.records.size(), 1u);
    ASSERT_EQ(s.records[0].prompt.size(), 1u);
    expectMsg(s.records[0].response[0], Role::Assistant, "Hello!");
    expectMsg(s.records[0].response[1], Role::Assistant, "What");
}

TEST(DatasetLoad, KtoBothForms)
{
    for (const char* name : {"alpaca_kto", "kto_sharegpt"}) {
        const auto d = load(name);
        ASSERT_EQ(d.records.size(), 2u) << name;
        ASSERT_EQ(d.records[0].response.size(), 2u);
        EXPECT_FALSE(d.records[0].response[0].content.empty()); // desirable: [answer, ""]
        EXPECT_TRUE(d.records[0].response[1].content.empty());
        EXPECT_TRUE(d.records[1].response[0].content.empty()); // undesirable: ["", answer]
        EXPECT_FALSE(d.records[1].response[1].content.empty());
    }
}

TEST(DatasetLoad, SharegptToolsObservationSystem)
{
    const auto d = load("sharegpt_tools");
    ASSERT_EQ(d.records.size(), 2u);
    const auto& r = d.records[0];
    EXPECT_EQ(r.system, "Use tools."); // the leading system message
    ASSERT_EQ(r.prompt.size(), 3u);
    expectMsg(r.prompt[0], Role::User, "Weather in Paris?");
    EXPECT_EQ(r.prompt[1].role, Role::Function);
    EXPECT_EQ(r.prompt[2].role, Role::Observation);
    expectMsg(r.response[0], Role::Assistant, "18 C");
    EXPECT_NE(r.tools.find("\"weather\""), std::string::npos); // a list is serialized to JSON
    EXPECT_EQ(d.records[1].system, "Be nice.");                // system column when there is no system message
}

TEST(DatasetLoad, OpenaiMessages)
{
    const auto d = load("openai_msgs");
    ASSERT_EQ(d.records.size(), 1u);
    EXPECT_EQ(d.records[0].system, "Sys");
    ASSERT_EQ(d.records[0].prompt.size(), 3u);
    expectMsg(d.records[0].response[0], Role::Assistant, "A2");

    const auto n = load("openai_native");
    ASSERT_EQ(n.records.size(), 1u);
    const auto& r = n.records[0];
    ASSERT_TRUE(r.invalidReason.empty()) << r.invalidReason;
    ASSERT_EQ(r.prompt.size(), 3u);
    EXPECT_EQ(r.prompt[1].role, Role::Function);
    EXPECT_EQ(r.prompt[1].content, R"([{"arguments":"{}","name":"w"}])");
    expectMsg(r.prompt[2], Role::Observation, "18\n</tool_response>\n<tool_response>\n19");
    expectMsg(r.response[0], Role::Assistant, "Warm");
    EXPECT_EQ(r.system, ""); // tools given: no "detailed thinking off"
}

TEST(DatasetLoad, TextFileAndFolder)
{
    const auto t = load("pt_text");
    ASSERT_EQ(t.records.size(), 2u);
    expectMsg(t.records[0].prompt[0], Role::User, "first line of text");
    EXPECT_TRUE(t.records[0].response.empty());
    const auto f = load("pt_folder");
    ASSERT_EQ(f.records.size(), 3u);
    EXPECT_EQ(f.records[2].prompt[0].content, "c");
    EXPECT_EQ(f.records[2].source.describe(), "part2.jsonl row 1");

    auto direct = loadDataset({}, attrForFile(datasetsDir() / "corpus.txt"));
    ASSERT_TRUE(direct) << direct.error().toString();
    EXPECT_EQ(direct->records.size(), 2u);
    auto single = loadDataset({}, attrForFile(datasetsDir() / "alpaca_small.jsonl"));
    ASSERT_TRUE(single);
    EXPECT_EQ(single->records.size(), 5u);
}

TEST(DatasetLoad, NumSamplesAndMaxSamples)
{
    const auto d = load("num_sampled");
    EXPECT_EQ(d.records.size(), 7u); // 5 rows resampled to 7 (permutation + draws)
    LoadOptions o;
    o.maxSamples = 2;
    auto m = loadDataset(datasetsDir(), "alpaca_small", o);
    ASSERT_TRUE(m);
    ASSERT_EQ(m->records.size(), 2u);
    EXPECT_EQ(m->records[1].source.row, 2); // the first N rows
}

TEST(DatasetLoad, BadInputNamesFileRowColumn)
{
    auto e = loadError("bad_json");
    EXPECT_EQ(e.code, ErrorCode::BadJson);
    EXPECT_NE(e.message.find("bad_row3.json row 3"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("line 4"), std::string::npos) << e.message;

    e = loadError("bad_jsonl");
    EXPECT_EQ(e.code, ErrorCode::BadJson);
    EXPECT_NE(e.message.find("bad_row3.jsonl row 3 (line 3, column"), std::string::npos) << e.message;

    e = loadError("bad_type");
    EXPECT_EQ(e.code, ErrorCode::BadDataset);
    EXPECT_NE(e.message.find("row 2 column \"output\": expected a string, got number"), std::string::npos) << e.message;

    e = loadError("missing_col");
    EXPECT_NE(e.message.find("missing column \"instruction\""), std::string::npos) << e.message;
    EXPECT_NE(e.hint.find("question"), std::string::npos) << e.hint;

    e = loadError("empty");
    EXPECT_NE(e.message.find("empty.jsonl is empty"), std::string::npos) << e.message;

    e = loadError("no_such_dataset");
    EXPECT_NE(e.message.find("unknown dataset \"no_such_dataset\""), std::string::npos);
    EXPECT_NE(e.hint.find("alpaca_small"), std::string::npos);

    e = loadError("ragged_csv");
    EXPECT_NE(e.message.find("ragged.csv row 2 (line 3) has 4 fields, the header has 3"), std::string::npos)
        << e.message;

    e = loadError("bad_utf8");
    EXPECT_NE(e.message.find("bad_utf8.csv row 2 column \"instruction\": invalid UTF-8"), std::string::npos)
        << e.message;

    e = loadError("bad_utf8_jsonl");
    EXPECT_NE(e.message.find("bad_utf8.jsonl row 2 (line 2, column"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("UTF-8"), std::string::npos) << e.message;

    e = loadError("hub_only");
    EXPECT_EQ(e.code, ErrorCode::Unsupported);
    EXPECT_NE(e.message.find("offline"), std::string::npos);

    e = loadError("parquet_one");
    EXPECT_EQ(e.code, ErrorCode::Unsupported);
    EXPECT_NE(e.hint.find("Debian"), std::string::npos);
}

TEST(DatasetLoad, BomIsSkipped)
{
    const auto d = load("bom_jsonl");
    ASSERT_EQ(d.records.size(), 1u);
    EXPECT_EQ(d.records[0].prompt[0].content, "Say hi");
}

TEST(DatasetLoad, RolesThatDoNotAlternate)
{
    const auto d = load("roles_bad");
    ASSERT_EQ(d.records.size(), 2u);
    EXPECT_NE(d.records[0].invalidReason.find("roles_bad.json row 1 column \"conversations\": message 2"),
              std::string::npos)
        << d.records[0].invalidReason;
    EXPECT_TRUE(d.records[1].invalidReason.empty());
    LoadOptions strict;
    strict.strict = true;
    auto s = loadDataset(datasetsDir(), "roles_bad", strict);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("roles must alternate"), std::string::npos);
}
