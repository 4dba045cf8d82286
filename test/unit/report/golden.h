// Golden files of the report tests (test/unit/report/golden/).
//
// To regenerate them after an intended change of the report's wording or layout:
//   PG_ADVISOR_UPDATE_GOLDEN=1 ./build/unit_tests --gtest_filter='Report*'
// then review the diff (git diff test/unit/report/golden) before committing it.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace pg_advisor::report::testing {

inline std::string source_dir() {
    std::string file = __FILE__;
    return file.substr(0, file.find_last_of('/'));
}

inline std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The first line where two texts differ, for a readable failure message.
inline std::string first_difference(const std::string &want, const std::string &got) {
    std::istringstream a(want), b(got);
    std::string la, lb;
    for (int line = 1;; line++) {
        bool ea = !std::getline(a, la), eb = !std::getline(b, lb);
        if (ea && eb) return "texts differ only in the final newline";
        if (ea || eb || la != lb)
            return "line " + std::to_string(line) + ":\n  golden: " + (ea ? "<end>" : la) +
                   "\n  actual: " + (eb ? "<end>" : lb);
    }
}

inline void expect_golden(const std::string &name, const std::string &actual) {
    std::string path = source_dir() + "/golden/" + name;
    if (std::getenv("PG_ADVISOR_UPDATE_GOLDEN")) {
        std::ofstream(path, std::ios::binary) << actual;
        return;
    }
    std::string want = read_file(path);
    ASSERT_FALSE(want.empty()) << "missing golden file " << path
                               << " (regenerate: see test/unit/report/golden.h)";
    EXPECT_TRUE(want == actual) << name << " differs from its golden file, "
                                << first_difference(want, actual)
                                << "\n(regenerate: see test/unit/report/golden.h)";
}

}  // namespace pg_advisor::report::testing
