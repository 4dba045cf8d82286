// Reading lint inputs (see input.h).
#include "cli/lint/input.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <system_error>

#include "core/sql/sql_lexer.h"

namespace pg_advisor::cli {

namespace fs = std::filesystem;

namespace {

bool query_ending(std::string_view command) {
    static const std::string_view kEnders[] = {"g",     "gx",           "gset", "gexec",
                                               "gdesc", "crosstabview", "watch"};
    return std::find(std::begin(kEnders), std::end(kEnders), command) != std::end(kEnders);
}

// A psql variable reference (:name, :'name', :"name") at pos: not a cast (::) or an
// assignment (:=); the caller leaves array slices ([1:n]) alone.
bool psql_variable_at(std::string_view text, size_t pos) {
    if (pos + 1 >= text.size() || (pos > 0 && text[pos - 1] == ':')) return false;
    unsigned char next = static_cast<unsigned char>(text[pos + 1]);
    return next == '\'' || next == '"' || (sql::is_ident_start(next) && next < 0x80);
}

bool sql_file(const fs::path &p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext != ".sql") return false;
    // golang-migrate's down migrations undo the up ones: not what a deploy runs
    std::string name = p.filename().string();
    return name.size() < 9 || name.compare(name.size() - 9, 9, ".down.sql") != 0;
}

}  // namespace

std::string blank_psql_meta_commands(std::string_view text) {
    std::string out(text);
    const size_t n = text.size();
    size_t pos = 0;
    int brackets = 0;  // inside [...]: a ':' is an array slice's
    while (pos < n) {
        unsigned char c = static_cast<unsigned char>(text[pos]);
        if (c == '\\' && pos + 1 < n && text[pos + 1] == ';') {
            out[pos] = ' ';  // \; : a ';' psql sends in the same query string
            pos += 2;
        } else if (c == '[' || c == ']') {
            brackets += c == '[' ? 1 : (brackets > 0 ? -1 : 0);
            pos++;
        } else if (c == ':' && brackets == 0 && psql_variable_at(text, pos)) {
            out[pos] = ' ';  // :name, :'name', :"name" -> name, 'name', "name"
            pos++;
        } else if (c == '\\') {
            size_t word = pos + 1;
            while (word < n && std::isalpha(static_cast<unsigned char>(text[word])))
                word++;
            size_t eol = text.find('\n', pos);
            if (eol == std::string_view::npos) eol = n;
            bool ends_query = query_ending(text.substr(pos + 1, word - pos - 1));
            for (size_t i = pos; i < eol; i++)
                out[i] = ' ';
            if (ends_query) out[pos] = ';';
            pos = eol;
        } else if (sql::is_ident_start(c)) {
            pos = sql::identifier_end(text, pos);
        } else if (sql::opens_construct(c)) {
            pos = sql::skip_token(text, pos);
        } else {
            pos++;
        }
    }
    return out;
}

bool expand_paths(const std::vector<std::string> &paths, std::vector<std::string> *files,
                  std::string *error) {
    for (const std::string &p : paths) {
        if (p == "-") {
            files->push_back(p);
            continue;
        }
        std::error_code ec;
        fs::file_status st = fs::status(p, ec);
        if (ec || !fs::exists(st)) {
            *error = p + ": no such file or directory";
            return false;
        }
        if (!fs::is_directory(st)) {
            files->push_back(p);
            continue;
        }
        std::vector<std::string> found;
        for (auto it = fs::recursive_directory_iterator(p, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file() && sql_file(it->path())) found.push_back(it->path().string());
        if (ec) {
            *error = p + ": " + ec.message();
            return false;
        }
        std::sort(found.begin(), found.end());
        files->insert(files->end(), found.begin(), found.end());
    }
    return true;
}

bool read_input(const std::string &path, std::string *text, std::string *error) {
    if (path == "-") {
        std::ostringstream buf;
        buf << std::cin.rdbuf();
        *text = buf.str();
        return true;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        *error = path + ": cannot be read";
        return false;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) {
        *error = path + ": read error";
        return false;
    }
    *text = buf.str();
    return true;
}

}  // namespace pg_advisor::cli
