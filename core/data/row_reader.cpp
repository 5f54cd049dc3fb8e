// SPDX-License-Identifier: Apache-2.0
// Readers for JSON arrays, JSON lines and plain text, file-type detection and folder expansion.
// The CSV reader lives in csv_reader.cpp.
#include "core/data/row_reader.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/data/csv_reader.h"

namespace td::data
{
namespace
{

using nlohmann::json;

std::string rowPrefix(const std::filesystem::path& file, int64_t row)
{
    return file.string() + " row " + std::to_string(row);
}

void skipBom(std::istream& in)
{
    if (in.peek() == 0xEF) {
        char bom[3] = {};
        in.read(bom, 3);
        if (std::string_view(bom, 3) != "\xEF\xBB\xBF") {
            in.clear();
            in.seekg(0);
        }
    }
}

Status requireObject(const json& v, const std::filesystem::path& file, int64_t row)
{
    if (!v.is_object()) {
        return makeError(ErrorCode::BadDataset,
                         rowPrefix(file, row) + " is not a JSON object (got " + std::string(v.type_name()) + ")",
                         "each row must be an object such as {\"instruction\": \"...\", \"output\": \"...\"}");
    }
    return {};
}

/// JSON lines: one object per non-blank line; the row number is the line number.
class JsonlReader final : public RowReader
{
public:
    JsonlReader(std::filesystem::path file, std::ifstream in) : m_file(std::move(file)), m_in(std::move(in))
    {
        skipBom(m_in);
    }

    Expected<bool> next(RawRow& out) override
    {
        std::string line;
        while (std::getline(m_in, line)) {
            ++m_line;
            if (line.find_first_not_of(" \t\r\n") == std::string::npos) {
                continue;
            }
            try {
                out.value = json::parse(line);
            } catch (const json::parse_error& e) {
                return makeError(ErrorCode::BadJson,
                                 rowPrefix(m_file, m_line) + " (line " + std::to_string(m_line) + ", column " +
                                     std::to_string(e.byte) + "): " + detail::shortJsonError(e.what()),
                                 "each line of a .jsonl file must be one complete JSON object, in UTF-8");
            }
            if (auto ok = requireObject(out.value, m_file, m_line); !ok) {
                return tl::unexpected(ok.error());
            }
            out.ref = RowRef{m_file.string(), m_line};
            return true;
        }
        return false;
    }

private:
    std::filesystem::path m_file;
    std::ifstream m_in;
    int64_t m_line = 0;
};

/// A JSON array parsed whole; rows are its elements.
class JsonArrayReader final : public RowReader
{
public:
    JsonArrayReader(std::filesystem::path file, json array) : m_file(std::move(file)), m_array(std::move(array)) {}

    Expected<bool> next(RawRow& out) override
    {
        if (m_next >= m_array.size()) {
            return false;
        }
        const int64_t row = static_cast<int64_t>(m_next) + 1;
        out.value = std::move(m_array[m_next++]);
        if (auto ok = requireObject(out.value, m_file, row); !ok) {
            return tl::unexpected(ok.error());
        }
        out.ref = RowRef{m_file.string(), row};
        return true;
    }

private:
    std::filesystem::path m_file;
    json m_array;
    std::size_t m_next = 0;
};

/// Which top-level array element (1-based) and line hold byte `offset`.
std::pair<int64_t, int64_t> locate(std::string_view text, std::size_t offset)
{
    int64_t row = 1;
    int64_t line = 1;
    int depth = 0;
    bool inString = false;
    bool escape = false;
    for (std::size_t i = 0; i < std::min(offset, text.size()); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
        }
        if (inString) {
            if (escape) {
                escape = false;
            } else if (c == '\\') {
                escape = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (c == ',' && depth == 1) {
            ++row;
        }
    }
    return {row, line};
}

/// Plain text: every line is a row {"text": line}.
class TextReader final : public RowReader
{
public:
    TextReader(std::filesystem::path file, std::ifstream in) : m_file(std::move(file)), m_in(std::move(in))
    {
        skipBom(m_in);
    }

    Expected<bool> next(RawRow& out) override
    {
        std::string line;
        if (!std::getline(m_in, line)) {
            return false;
        }
        ++m_line;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (const auto bad = findInvalidUtf8(line); bad != std::string::npos) {
            return makeError(ErrorCode::BadDataset,
                             rowPrefix(m_file, m_line) + " column \"text\": invalid UTF-8 at byte " +
                                 std::to_string(bad + 1),
                             "save the file as UTF-8");
        }
        out.value = json{{"text", std::move(line)}};
        out.ref = RowRef{m_file.string(), m_line};
        return true;
    }

private:
    std::filesystem::path m_file;
    std::ifstream m_in;
    int64_t m_line = 0;
};

Expected<std::unique_ptr<RowReader>> openJson(const std::filesystem::path& file, std::ifstream in, bool lines)
{
    skipBom(in);
    if (!lines) {
        in >> std::ws;
        lines = in.peek() != '[';
    }
    if (lines) {
        in.clear();
        in.seekg(0);
        return std::unique_ptr<RowReader>(std::make_unique<JsonlReader>(file, std::move(in)));
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    try {
        return std::unique_ptr<RowReader>(std::make_unique<JsonArrayReader>(file, json::parse(text)));
    } catch (const json::parse_error& e) {
        const auto [row, line] = locate(text, e.byte);
        return makeError(ErrorCode::BadJson,
                         rowPrefix(file, row) + " (line " + std::to_string(line) +
                             "): malformed JSON: " + detail::shortJsonError(e.what()),
                         "check that row for a missing comma, quote or bracket, and that the file is UTF-8");
    }
}

} // namespace

std::size_t findInvalidUtf8(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c >> 5) == 0x6) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c >> 4) == 0xE) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c >> 3) == 0x1E) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) {
                return i;
            }
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        }
        const bool overlong = (n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return i;
        }
        i += n + 1;
    }
    return std::string_view::npos;
}

Expected<FileType> fileTypeOf(const std::filesystem::path& file)
{
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".json") {
        return FileType::Json;
    }
    if (ext == ".jsonl") {
        return FileType::Jsonl;
    }
    if (ext == ".csv") {
        return FileType::Csv;
    }
    if (ext == ".txt") {
        return FileType::Txt;
    }
    if (ext == ".parquet" || ext == ".arrow") {
        return makeError(ErrorCode::Unsupported,
                         file.string() + ": " + ext.substr(1) + " files cannot be read by this build",
                         "Apache Arrow/Parquet is not packaged in Debian, so TuneDesk does not link it; convert the "
                         "file to JSON lines (e.g. pandas.read_parquet(f).to_json(out, orient='records', lines=True))");
    }
    return makeError(ErrorCode::Unsupported, file.string() + ": unknown data file type \"" + ext + "\"",
                     "use .json, .jsonl, .csv or .txt");
}

Expected<std::unique_ptr<RowReader>> openRowReader(const std::filesystem::path& file)
{
    auto type = fileTypeOf(file);
    if (!type) {
        return tl::unexpected(type.error());
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        return makeError(ErrorCode::FileNotFound, "data file not found: " + file.string());
    }
    if (std::filesystem::file_size(file, ec) == 0) {
        return makeError(ErrorCode::BadDataset, file.string() + " is empty", "the data file has no rows");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return makeError(ErrorCode::Io, "cannot open " + file.string(), "check the file's permissions");
    }
    switch (*type) {
    case FileType::Json:
        return openJson(file, std::move(in), false);
    case FileType::Jsonl:
        return openJson(file, std::move(in), true);
    case FileType::Csv:
        in.close();
        return detail::openCsvReader(file);
    case FileType::Txt:
        return std::unique_ptr<RowReader>(std::make_unique<TextReader>(file, std::move(in)));
    }
    return makeError(ErrorCode::Internal, "unhandled file type");
}

Expected<std::vector<std::filesystem::path>> resolveDataFiles(const std::filesystem::path& path)
{
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) {
        return std::vector<std::filesystem::path>{path};
    }
    if (!std::filesystem::is_directory(path, ec)) {
        return makeError(ErrorCode::FileNotFound, "data file or folder not found: " + path.string(),
                         "file_name is relative to the dataset directory");
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
        const auto name = entry.path().filename().string();
        if (entry.is_regular_file() && !name.empty() && name[0] != '.') {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        return makeError(ErrorCode::BadDataset, "data folder " + path.string() + " holds no files");
    }
    auto first = fileTypeOf(files.front());
    if (!first) {
        return tl::unexpected(first.error());
    }
    for (const auto& f : files) {
        auto t = fileTypeOf(f);
        if (!t) {
            return tl::unexpected(t.error());
        }
        const bool jsonFamily =
            (*t == FileType::Json || *t == FileType::Jsonl) && (*first == FileType::Json || *first == FileType::Jsonl);
        if (*t != *first && !jsonFamily) {
            return makeError(ErrorCode::BadDataset,
                             "data folder " + path.string() + " mixes file types (" +
                                 files.front().filename().string() + ", " + f.filename().string() + ")",
                             "all files of a dataset folder must have the same type");
        }
    }
    return files;
}

} // namespace td::data
