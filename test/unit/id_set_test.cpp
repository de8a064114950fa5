// The listing's set of seen task ids.
#include "paging/id_set.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <set>

using swr::detail::id_set;

TEST_CASE("id set: each id once, through growth, whatever its value") {
    id_set s;
    for (std::int64_t id = 1; id <= 10000; ++id) REQUIRE(s.insert(id));
    for (std::int64_t id = 1; id <= 10000; ++id) REQUIRE_FALSE(s.insert(id));
    CHECK(s.size() == 10000);
    for (std::int64_t id :
         {std::int64_t{0}, std::int64_t{-1}, std::numeric_limits<std::int64_t>::min(),
          std::numeric_limits<std::int64_t>::max()}) {
        CHECK(s.insert(id));
        CHECK_FALSE(s.insert(id));
    }
    CHECK(s.size() == 10004);
}

TEST_CASE("id set: agrees with std::set on random ids, repeats included") {
    std::mt19937_64 rng(7);
    id_set s;
    std::set<std::int64_t> reference;
    for (int i = 0; i < 50000; ++i) {
        // Few distinct high bits: ids that collide in the table's upper hash bits too.
        auto id = static_cast<std::int64_t>(rng() % 20000) << (i % 3 == 0 ? 32 : 0);
        CHECK(s.insert(id) == reference.insert(id).second);
    }
    CHECK(s.size() == reference.size());
}
