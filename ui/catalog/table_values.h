// Reading catalog::Table cells (the catalog's generic listings) by column name as Qt values.
#pragma once

#include <QString>
#include <QVariant>
#include <string>
#include <variant>

#include "catalog/catalog.h"

namespace planelab::ui {

// Column position by name; table.columns.size() when absent.
inline std::size_t columnOf(const catalog::Table& table, const std::string& name) {
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (table.columns[c] == name) return c;
  }
  return table.columns.size();
}

// A NULL or absent cell is an invalid QVariant.
inline QVariant cellValue(const catalog::Table& table, std::size_t row, const std::string& name) {
  const std::size_t c = columnOf(table, name);
  if (c == table.columns.size() || row >= table.rows.size()) return {};
  const catalog::Value& v = table.rows[row][c];
  if (const auto* i = std::get_if<std::int64_t>(&v)) return QVariant::fromValue<qlonglong>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) return QString::fromStdString(*s);
  return {};
}

inline QString cellText(const catalog::Table& table, std::size_t row, const std::string& name) {
  return cellValue(table, row, name).toString();
}

}  // namespace planelab::ui
