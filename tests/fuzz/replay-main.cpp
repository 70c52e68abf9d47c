// main() for the fuzz targets in the gcc builds: runs the target once on each
// input file named, and on every file in each directory named (the seed
// corpus and the regression inputs, tests/fuzz/meson.build), the way
// libFuzzer would with the same arguments and -runs=0. A directory that does
// not exist holds no inputs (a target need not have regressions yet).
#include "fuzz-support.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

namespace {

void run_file(const std::filesystem::path &path, int &count)
{
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "running %s (%zu bytes)\n", path.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
    ++count;
}

}  // namespace

int main(int argc, char **argv)
{
    int count = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path path(argv[i]);
        std::error_code error;
        if (std::filesystem::is_directory(path, error)) {
            std::vector<std::filesystem::path> files;
            for (const auto &entry : std::filesystem::directory_iterator(path, error)) {
                const std::string name = entry.path().filename().string();
                if (entry.is_regular_file() && name.front() != '.' && name != "README")
                    files.push_back(entry.path());
            }
            std::sort(files.begin(), files.end());
            for (const auto &file : files)
                run_file(file, count);
        } else if (std::filesystem::exists(path, error)) {
            run_file(path, count);
        }
    }
    std::printf("%d inputs ran without a finding\n", count);
    return 0;
}
