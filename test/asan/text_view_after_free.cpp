// The misuse swr/text.hpp warns of, which ASan must catch: a std::string_view kept after the
// last text viewing its block is gone. Built only with ASan; the test passes when ASan reports
// the read as a heap-use-after-free.
#include <swr/json_codec.hpp>

#include <cstdio>
#include <string_view>

int main() {
    std::string_view view;
    {
        swr::page p;
        if (swr::decode_page(R"({"total":1,"tasks":[{"id":1,"repository":"library/an-image"}]})",
                             p))
            return 2;
        view = p.tasks[0].repository;  // a view, not a text: nothing keeps the block alive
    }
    volatile char c = view[0];  // the block was freed with the page
    std::printf("read %c after the page was gone: ASan did not catch it\n", c);
    return 1;
}
