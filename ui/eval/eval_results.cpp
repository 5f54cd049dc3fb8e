// SPDX-License-Identifier: Apache-2.0
#include "ui/eval/eval_results.h"

#include <algorithm>

#include <QBrush>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPalette>

namespace td::ui
{

namespace
{

constexpr int kDisplayChars = 240;  ///< a cell shows one line of at most this many characters
constexpr int kTooltipChars = 4000; ///< the tooltip shows the full text up to this length

const char* const kPredictions = "generated_predictions.jsonl";
const char* const kScores = "generated_scores.jsonl";
const char* const kAllResults = "all_results.json";

/// Calls `line` for every non-empty line of a JSON-lines file that parses as an object; counts the others.
/// False when the file cannot be opened.
template <class Fn>
bool readJsonLines(const QString& path, int& skipped, Fn&& line)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return false;
    }
    const QByteArray all = f.readAll();
    qsizetype start = 0;
    int n = 0;
    while (start < all.size()) {
        qsizetype end = all.indexOf('\n', start);
        if (end < 0) {
            end = all.size();
        }
        const QByteArray text = all.mid(start, end - start).trimmed();
        start = end + 1;
        if (text.isEmpty()) {
            continue;
        }
        const QJsonDocument doc = QJsonDocument::fromJson(text);
        if (!doc.isObject()) {
            ++skipped; // e.g. the half-written last line of a running evaluation
            ++n;
            continue;
        }
        line(n++, doc.object());
    }
    return true;
}

QString oneLine(const QString& text)
{
    QString s = text.left(kDisplayChars + 1);
    s.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    s.replace(QLatin1Char('\t'), QLatin1Char(' '));
    if (text.size() > kDisplayChars) {
        s = s.left(kDisplayChars) + QStringLiteral("…");
    }
    return s;
}

QString tooltip(const QString& text)
{
    QString s = text.left(kTooltipChars).toHtmlEscaped();
    s.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    if (text.size() > kTooltipChars) {
        s += QStringLiteral("…");
    }
    return QStringLiteral("<qt>%1</qt>").arg(s);
}

} // namespace

const std::array<const char*, 4>& EvalResults::scoreKeys()
{
    static const std::array<const char*, 4> kKeys = {"bleu-4", "rouge-1", "rouge-2", "rouge-l"};
    return kKeys;
}

std::optional<double> EvalResults::metric(const QString& key) const
{
    for (const char* prefix : {"predict_", "eval_"}) {
        const QJsonValue v = metrics.value(QLatin1String(prefix) + key);
        if (v.isDouble()) {
            return v.toDouble();
        }
    }
    return std::nullopt;
}

std::optional<double> EvalResults::mean(int i) const
{
    if (auto m = metric(QLatin1String(scoreKeys()[size_t(i)]))) {
        return m;
    }
    double sum = 0;
    int n = 0;
    for (const EvalSample& s : samples) {
        if (s.hasScores) {
            sum += s.scores[size_t(i)];
            ++n;
        }
    }
    return n > 0 ? std::optional<double>(sum / n) : std::nullopt;
}

int EvalResults::emptyPredictions() const
{
    if (!hasPredictions) {
        return 0;
    }
    int n = 0;
    for (const EvalSample& s : samples) {
        n += s.predict.trimmed().isEmpty() ? 1 : 0;
    }
    return n;
}

bool EvalResults::looksLikeEvalRun(const QString& dir)
{
    const QDir d(dir);
    return d.exists(QLatin1String(kPredictions)) || d.exists(QLatin1String(kScores))
           || d.exists(QStringLiteral("predict_results.json"));
}

EvalResults EvalResults::read(const QString& dir)
{
    EvalResults r;
    r.dir = dir;
    const QDir d(dir);
    r.hasPredictions = readJsonLines(d.filePath(QLatin1String(kPredictions)), r.skippedLines,
                                     [&r](int n, const QJsonObject& o) {
                                         r.samples.resize(std::max<qsizetype>(r.samples.size(), n + 1));
                                         EvalSample& s = r.samples[n];
                                         s.prompt = o.value(QLatin1String("prompt")).toString();
                                         s.predict = o.value(QLatin1String("predict")).toString();
                                         s.label = o.value(QLatin1String("label")).toString();
                                     });
    r.hasScores = readJsonLines(d.filePath(QLatin1String(kScores)), r.skippedLines,
                                [&r](int n, const QJsonObject& o) {
                                    r.samples.resize(std::max<qsizetype>(r.samples.size(), n + 1));
                                    EvalSample& s = r.samples[n];
                                    s.hasScores = true;
                                    for (size_t i = 0; i < scoreKeys().size(); ++i) {
                                        s.scores[i] = o.value(QLatin1String(scoreKeys()[i])).toDouble();
                                    }
                                });
    QFile all(d.filePath(QLatin1String(kAllResults)));
    if (all.open(QIODevice::ReadOnly)) {
        r.metrics = QJsonDocument::fromJson(all.readAll()).object();
    }
    return r;
}

EvalResultsModel::EvalResultsModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvalResultsModel::setResults(std::shared_ptr<const EvalResults> results)
{
    beginResetModel();
    m_results = std::move(results);
    endResetModel();
}

const EvalSample* EvalResultsModel::sample(int row) const
{
    if (!m_results || row < 0 || row >= m_results->samples.size()) {
        return nullptr;
    }
    return &m_results->samples[row];
}

int EvalResultsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_results ? 0 : int(m_results->samples.size());
}

int EvalResultsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvalResultsModel::data(const QModelIndex& index, int role) const
{
    const EvalSample* s = sample(index.row());
    if (!s) {
        return {};
    }
    const int col = index.column();
    if (col == Index) {
        if (role == Qt::DisplayRole || role == SortRole) {
            return index.row() + 1;
        }
        return role == Qt::TextAlignmentRole ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    }
    if (col >= Bleu4) {
        if (!s->hasScores) {
            return {};
        }
        const double v = s->scores[size_t(col - Bleu4)];
        switch (role) {
        case Qt::DisplayRole: return QString::number(v, 'f', 2);
        case SortRole: return v;
        case Qt::ToolTipRole: return QStringLiteral("%1: %2").arg(scoreName(col - Bleu4), QString::number(v, 'f', 4));
        case Qt::TextAlignmentRole: return QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
        default: return {};
        }
    }
    const QString& text = col == Prompt ? s->prompt : col == Prediction ? s->predict : s->label;
    const bool missing = col == Prediction && m_results->hasPredictions && text.trimmed().isEmpty();
    switch (role) {
    case Qt::DisplayRole: return missing ? tr("(empty)") : oneLine(text);
    case SortRole: return text;
    case Qt::ToolTipRole: return text.isEmpty() ? QVariant() : QVariant(tooltip(text));
    case Qt::ForegroundRole: return missing ? QVariant(QPalette().brush(QPalette::PlaceholderText)) : QVariant();
    default: return {};
    }
}

QVariant EvalResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Index: return QStringLiteral("#");
        case Prompt: return tr("Prompt");
        case Prediction: return tr("Prediction");
        case Reference: return tr("Reference");
        default: return scoreName(section - Bleu4);
        }
    }
    if (role == Qt::ToolTipRole && section >= Bleu4 && section < ColumnCount) {
        return scoreExplanation(section - Bleu4);
    }
    return {};
}

QString EvalResultsModel::scoreName(int i)
{
    static const char* const kNames[] = {"BLEU-4", "ROUGE-1", "ROUGE-2", "ROUGE-L"};
    return QLatin1String(kNames[i]);
}

QString EvalResultsModel::scoreExplanation(int i)
{
    // How LLaMA-Factory computes them (llamaboard.md §5.1): users compare them with other libraries and ask why
    // they differ (LLaMA-Factory#4286, #6267).
    if (i == 0) {
        return tr("BLEU-4 on characters (NLTK sentence_bleu, one reference, smoothing method 3), ×100: how many "
                  "1- to 4-character sequences of the prediction occur in the reference.");
    }
    const QString overlap = i == 1   ? tr("words")
                            : i == 2 ? tr("word pairs")
                                     : tr("the longest common word sequence");
    return tr("%1 F-measure of %2 between prediction and reference, ×100; words are segmented with jieba "
              "(rouge-chinese), so Chinese and English are scored alike. An empty prediction scores 0.")
        .arg(scoreName(i), overlap);
}

} // namespace td::ui
