// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/args_file.h"

#include <cmath>

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <yaml-cpp/yaml.h>

namespace td::jobs
{

namespace
{

QVariant scalarToVariant(const YAML::Node& n)
{
    const std::string s = n.Scalar();
    // Quoted scalars (tag "!") stay strings: "1e-4" in quotes is a string, 1e-4 bare is a number.
    if (n.Tag() != "!") {
        if (s == "true" || s == "True" || s == "TRUE") {
            return true;
        }
        if (s == "false" || s == "False" || s == "FALSE") {
            return false;
        }
        const QString q = QString::fromStdString(s);
        bool ok = false;
        const qlonglong i = q.toLongLong(&ok);
        if (ok) {
            return i;
        }
        const double d = q.toDouble(&ok);
        if (ok) {
            return d;
        }
        if (s == "null" || s == "~" || s.empty()) {
            return {};
        }
    }
    return QString::fromStdString(s);
}

QVariant toVariant(const YAML::Node& n)
{
    if (n.IsSequence()) {
        QVariantList list;
        for (const auto& item : n) {
            list.push_back(toVariant(item));
        }
        return list;
    }
    if (n.IsMap()) {
        QVariantMap map;
        for (const auto& kv : n) {
            map.insert(QString::fromStdString(kv.first.as<std::string>()), toVariant(kv.second));
        }
        return map;
    }
    if (n.IsScalar()) {
        return scalarToVariant(n);
    }
    return {};
}

/// The shortest text that reads back as the same double (0.7, not yaml-cpp's 0.69999999999999996), with a dot
/// in the mantissa so that YAML 1.1 readers (PyYAML, so LLaMA-Factory) read a float too: 5.0e-05, 3.0.
std::string doubleText(double d)
{
    if (std::isnan(d)) {
        return ".nan";
    }
    if (std::isinf(d)) {
        return d > 0 ? ".inf" : "-.inf";
    }
    QString s = QString::number(d, 'g', QLocale::FloatingPointShortest);
    const qsizetype e = s.indexOf(QLatin1Char('e'));
    if (!(e < 0 ? s : s.left(e)).contains(QLatin1Char('.'))) {
        s.insert(e < 0 ? s.size() : e, QStringLiteral(".0"));
    }
    return s.toStdString();
}

void emitValue(YAML::Emitter& out, const QVariant& v)
{
    switch (v.typeId()) {
    case QMetaType::Bool: out << v.toBool(); break;
    case QMetaType::Int:
    case QMetaType::LongLong: out << v.toLongLong(); break;
    case QMetaType::Double: out << doubleText(v.toDouble()); break;
    case QMetaType::QVariantList:
    case QMetaType::QStringList:
        out << YAML::BeginSeq;
        for (const QVariant& item : v.toList()) {
            emitValue(out, item);
        }
        out << YAML::EndSeq;
        break;
    default:
        if (v.isNull()) {
            out << YAML::Null;
        } else {
            out << v.toString().toStdString();
        }
    }
}

} // namespace

td::Expected<QVariantMap> readArgsFile(const QString& path)
{
    QFile f(path);
    if (!f.exists()) {
        return td::makeError(td::ErrorCode::FileNotFound, "arguments file not found: " + path.toStdString());
    }
    if (!f.open(QIODevice::ReadOnly)) {
        return td::makeError(td::ErrorCode::Io, "cannot read " + path.toStdString() + ": " + f.errorString().toStdString());
    }
    const QByteArray bytes = f.readAll();
    try {
        const YAML::Node root = YAML::Load(bytes.toStdString());
        if (root.IsNull()) {
            return QVariantMap{};
        }
        if (!root.IsMap()) {
            return td::makeError(td::ErrorCode::BadJson, path.toStdString() + ": expected a mapping of argument names",
                                 "an arguments file looks like 'learning_rate: 1.0e-4', one key per line");
        }
        return toVariant(root).toMap();
    } catch (const YAML::Exception& e) {
        return td::makeError(td::ErrorCode::BadJson,
                             path.toStdString() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg,
                             "fix the YAML syntax at that line");
    }
}

QString argsToYaml(const QVariantMap& args, const QStringList& order)
{
    QStringList keys;
    for (const QString& k : order) {
        if (args.contains(k)) {
            keys << k;
        }
    }
    for (auto it = args.begin(); it != args.end(); ++it) {
        if (!keys.contains(it.key())) {
            keys << it.key();
        }
    }
    YAML::Emitter out;
    out << YAML::BeginMap;
    for (const QString& k : keys) {
        out << YAML::Key << k.toStdString() << YAML::Value;
        emitValue(out, args.value(k));
    }
    out << YAML::EndMap;
    return QString::fromUtf8(out.c_str()) + QLatin1Char('\n');
}

td::Status writeArgsFile(const QString& path, const QVariantMap& args, const QStringList& order)
{
    QSaveFile f(path); // writes a temp file and renames it on commit()
    if (!f.open(QIODevice::WriteOnly)) {
        return td::makeError(td::ErrorCode::Io, "cannot write " + path.toStdString() + ": " + f.errorString().toStdString());
    }
    f.write(argsToYaml(args, order).toUtf8());
    if (!f.commit()) {
        return td::makeError(td::ErrorCode::Io, "cannot write " + path.toStdString() + ": " + f.errorString().toStdString(),
                             "check free disk space and permissions");
    }
    return {};
}

} // namespace td::jobs
