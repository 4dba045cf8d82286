// Writes the report of the unit tests' sample review, to look at by eye:
//   report_sample /tmp/sample.html              the HTML page
//   report_sample --export /tmp/review          every exported file under that directory
//   report_sample --no-capture|--all-clear ...  the same for the empty reports
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "../unit/report/report_fixture.h"
#include "core/report/report.h"

using namespace pg_advisor::report;

namespace {

bool write(const std::filesystem::path &path, const std::string &content) {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
    return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char **argv) {
    testing::Sample sample;
    int arg = 1;
    if (arg < argc && std::strcmp(argv[arg], "--no-capture") == 0) {
        testing::make_no_capture(sample);
        arg++;
    } else if (arg < argc && std::strcmp(argv[arg], "--all-clear") == 0) {
        testing::make_all_clear(sample);
        arg++;
    }
    bool export_all = arg < argc && std::strcmp(argv[arg], "--export") == 0;
    if (export_all) arg++;
    if (arg + 1 != argc) {
        std::fprintf(stderr, "usage: %s [--no-capture|--all-clear] [--export DIR | FILE.html]\n",
                     argv[0]);
        return 2;
    }
    if (!export_all) return write(argv[arg], render_html(sample.input)) ? 0 : 1;
    for (const ReportFile &f : export_files(sample.input)) {
        std::filesystem::path path = std::filesystem::path(argv[arg]) / f.path;
        if (!write(path, f.content)) return 1;
        std::printf("%s\n", path.c_str());
    }
    return 0;
}
