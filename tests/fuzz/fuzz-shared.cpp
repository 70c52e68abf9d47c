// core/shared.hpp: the files and links IQs' results (§8.8, §8.5) and the
// file forms messages carry. Input: the <query> (or a file element) as XML
// text; the same text is also taken as a message body.
#include "fuzz-support.hpp"

#include "core/html.hpp"
#include "core/shared.hpp"
#include "xml-fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto text = hipchat::fuzz::text_of(data, size);
    if (const auto query = hipchat::test::parse_element(text)) {
        const auto files = parse_listed_files(*query);
        FUZZ_CHECK(files.size() <= max_listed);
        for (std::size_t i = 1; i < files.size(); ++i)
            FUZZ_CHECK(files[i - 1].date >= files[i].date);  // "newest first"
        const auto links = parse_listed_links(*query);
        FUZZ_CHECK(links.size() <= max_listed);
        for (const auto &link : links)
            FUZZ_CHECK(is_safe_url(link.url, false));  // "only http(s) addresses"
        (void)read_legacy_file(*query);
        (void)read_authenticated_file(*query);
    }
    (void)url_in_body(text, text.substr(0, 8));
    return 0;
}
