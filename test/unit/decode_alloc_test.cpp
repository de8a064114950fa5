// Allocations while decoding into a page that is used again: counted by this executable's own
// operator new (so it is built without sanitizers, which bring theirs).
#include <swr/json_codec.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <new>

namespace {
long long allocations = 0;
}

void* operator new(std::size_t size) {
    ++allocations;
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

// A page of `n` tasks whose strings are all longer than any small-string buffer (ids of three
// digits: two such pages have strings of the same lengths).
swr::page sample(std::int64_t n, std::int64_t first_id) {
    swr::page p;
    p.total = 1000;
    for (std::int64_t i = 0; i < n; ++i) {
        swr::task t;
        t.id = first_id + i;
        t.execution_id = 8;
        t.namespace_name = "a-namespace-of-some-length";
        t.repository = "service-" + std::to_string(first_id + i) + "/an-api-of-some-length";
        t.job_id = "2d7c874a7407d6c40f016254";
        t.status = "Success-with-a-longer-text";
        t.status_text = "signed and verified by the signing service";
        t.created_at = "2020-12-01T07:06:35.123456Z";
        t.updated_at = "2020-12-01T07:06:36.123456Z";
        p.tasks.push_back(t);
    }
    return p;
}

}  // namespace

TEST_CASE("decode allocations: a fresh page takes two, a page decoded into again none") {
    for (std::int64_t n : {10, 100}) {
        CAPTURE(n);
        const auto body1 = swr::encode_page(sample(n, 100)),
                   body2 = swr::encode_page(sample(n, 500));
        {
            swr::page warm;  // the thread's scratch grows to the page's size once
            REQUIRE_FALSE(swr::decode_page(body1, warm));
        }
        swr::page p;
        allocations = 0;
        REQUIRE_FALSE(swr::decode_page(body1, p));
        // The task vector, and one block for every string of the page, whatever the count.
        CHECK(allocations == 2);
        allocations = 0;
        REQUIRE_FALSE(swr::decode_page(body2, p));
        CHECK(allocations == 0);
        CHECK(p == sample(n, 500));

        // A copy shares the strings: only its task vector is new.
        allocations = 0;
        const swr::page copy = p;
        CHECK(allocations == 1);
        // The block is shared now: decoding into `p` again takes a new one, `copy` keeps its own.
        allocations = 0;
        REQUIRE_FALSE(swr::decode_page(body1, p));
        CHECK(allocations == 1);
        CHECK(copy == sample(n, 500));
        CHECK(p == sample(n, 100));
    }
}
