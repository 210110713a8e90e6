#include "dicom/dicom_format.h"

#include <cmath>
#include <cstdio>

namespace planelab::dicom {

std::string formatDs(double value) {
  if (!std::isfinite(value) || std::abs(value) < 1e-9) return "0";
  char buffer[64];
  for (int decimals = 6; decimals >= 0; --decimals) {
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text(buffer);
    if (text.find('.') != std::string::npos) {
      while (!text.empty() && text.back() == '0') text.pop_back();
      if (!text.empty() && text.back() == '.') text.pop_back();
    }
    if (text == "-0") text = "0";
    if (text.size() <= 16) return text;
  }
  // Beyond 1e15 mm nothing in the phantom is meaningful; keep the string legal anyway.
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string formatDsList(const std::vector<double>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += '\\';
    out += formatDs(values[i]);
  }
  return out;
}

namespace {

// Days since 1970-01-01 -> civil date (H. Hinnant's algorithm), for the rare day roll-over.
void civilFromDays(long long z, int& y, int& m, int& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

constexpr long long kStudyDayNumber = 20454;  // 2026-01-01 in days since 1970-01-01

}  // namespace

DateTime studyDateTime(double offset_s) {
  const double clamped = std::isfinite(offset_s) && offset_s > 0.0 ? offset_s : 0.0;
  const long long micros =
      static_cast<long long>(kStudyStartSeconds) * 1000000LL + std::llround(clamped * 1e6);
  const long long day_micros = 86400LL * 1000000LL;
  const long long days = micros / day_micros;
  const long long in_day = micros % day_micros;
  int y = 0;
  int m = 0;
  int d = 0;
  civilFromDays(kStudyDayNumber + days, y, m, d);
  const long long seconds = in_day / 1000000LL;
  char date[64];
  char time[96];
  std::snprintf(date, sizeof date, "%04d%02d%02d", y, m, d);
  std::snprintf(time, sizeof time, "%02lld%02lld%02lld.%06lld", seconds / 3600, (seconds / 60) % 60,
                seconds % 60, in_day % 1000000LL);
  return DateTime{date, time};
}

std::string patientAge(int years) {
  const int clamped = years < 0 ? 0 : (years > 999 ? 999 : years);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%03dY", clamped);
  return buffer;
}

}  // namespace planelab::dicom
