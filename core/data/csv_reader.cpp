// SPDX-License-Identifier: Apache-2.0
// A streaming RFC 4180 CSV reader: the first record is the header; fields may be quoted, quotes inside quoted
// fields are doubled, quoted fields may hold commas and newlines; CRLF and LF line ends are accepted. Every
// value is a string (no type inference). A record with a different number of fields than the header is an
// error naming the file, the record and the line where it starts.
#include "core/data/csv_reader.h"

#include <fstream>

namespace td::data::detail
{
namespace
{

class CsvReader final : public RowReader
{
public:
    CsvReader(std::filesystem::path file, std::ifstream in) : m_file(std::move(file)), m_in(std::move(in)) {}

    Status readHeader()
    {
        if (m_in.peek() == 0xEF) {
            char bom[3];
            m_in.read(bom, 3);
            if (std::string_view(bom, 3) != "\xEF\xBB\xBF") {
                m_in.seekg(0);
            }
        }
        auto rec = readRecord();
        if (!rec) {
            return tl::unexpected(rec.error());
        }
        if (!*rec) {
            return makeError(ErrorCode::BadDataset, m_file.string() + " is empty",
                             "a CSV data file needs a header row and at least one data row");
        }
        m_header = std::move(m_fields);
        return {};
    }

    Expected<bool> next(RawRow& out) override
    {
        auto rec = readRecord();
        if (!rec) {
            return tl::unexpected(rec.error());
        }
        if (!*rec) {
            return false;
        }
        ++m_row;
        if (m_fields.size() != m_header.size()) {
            return makeError(ErrorCode::BadDataset,
                             m_file.string() + " row " + std::to_string(m_row) + " (line " +
                                 std::to_string(m_recordLine) + ") has " + std::to_string(m_fields.size()) +
                                 " fields, the header has " + std::to_string(m_header.size()),
                             "quote fields that contain commas, newlines or quotes (\"a, b\"; \"say \"\"hi\"\"\")");
        }
        out.value = nlohmann::json::object();
        for (std::size_t i = 0; i < m_fields.size(); ++i) {
            if (const auto bad = findInvalidUtf8(m_fields[i]); bad != std::string::npos) {
                return makeError(ErrorCode::BadDataset,
                                 m_file.string() + " row " + std::to_string(m_row) + " column \"" + m_header[i] +
                                     "\": invalid UTF-8 at byte " + std::to_string(bad),
                                 "save the file as UTF-8");
            }
            out.value[m_header[i]] = std::move(m_fields[i]);
        }
        out.ref = RowRef{m_file.string(), m_row};
        return true;
    }

private:
    /// Reads one record into m_fields; false at end of file.
    Expected<bool> readRecord()
    {
        m_fields.clear();
        std::string field;
        bool quoted = false;    // inside a quoted field
        bool wasQuoted = false; // the current field was quoted (text after the closing quote is an error)
        bool any = false;
        m_recordLine = m_line;
        int c;
        while ((c = m_in.get()) != std::char_traits<char>::eof()) {
            any = true;
            if (quoted) {
                if (c == '"') {
                    if (m_in.peek() == '"') {
                        m_in.get();
                        field += '"';
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        ++m_line;
                    }
                    field += static_cast<char>(c);
                }
                continue;
            }
            if (c == '"' && field.empty() && !wasQuoted) {
                quoted = wasQuoted = true;
            } else if (c == ',') {
                m_fields.push_back(std::move(field));
                field.clear();
                wasQuoted = false;
            } else if (c == '\r' && m_in.peek() == '\n') {
                continue;
            } else if (c == '\n') {
                ++m_line;
                if (m_fields.empty() && field.empty() && !wasQuoted) {
                    m_recordLine = m_line; // blank line: skip
                    any = false;
                    continue;
                }
                m_fields.push_back(std::move(field));
                return true;
            } else if (wasQuoted) {
                return makeError(ErrorCode::BadDataset,
                                 m_file.string() + " line " + std::to_string(m_line) +
                                     ": text after a closing quote in field " + std::to_string(m_fields.size() + 1),
                                 "a quote inside a quoted field must be doubled (\"\")");
            } else {
                field += static_cast<char>(c);
            }
        }
        if (quoted) {
            return makeError(ErrorCode::BadDataset,
                             m_file.string() + ": a quoted field opened on line " + std::to_string(m_recordLine) +
                                 " is never closed",
                             "close the quote, or double quotes inside the field");
        }
        if (!any) {
            return false;
        }
        m_fields.push_back(std::move(field));
        return true;
    }

    std::filesystem::path m_file;
    std::ifstream m_in;
    std::vector<std::string> m_header;
    std::vector<std::string> m_fields;
    int64_t m_row = 0;
    int64_t m_line = 1;
    int64_t m_recordLine = 1;
};

} // namespace

std::string shortJsonError(const std::string& what)
{
    auto pos = what.find("column ");
    if (pos != std::string::npos) {
        pos = what.find(": ", pos);
        if (pos != std::string::npos) {
            return what.substr(pos + 2);
        }
    }
    pos = what.find("] ");
    return pos == std::string::npos ? what : what.substr(pos + 2);
}

Expected<std::unique_ptr<RowReader>> openCsvReader(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return makeError(ErrorCode::FileNotFound, "cannot open " + file.string());
    }
    auto reader = std::make_unique<CsvReader>(file, std::move(in));
    if (auto ok = reader->readHeader(); !ok) {
        return tl::unexpected(ok.error());
    }
    return std::unique_ptr<RowReader>(std::move(reader));
}

} // namespace td::data::detail
