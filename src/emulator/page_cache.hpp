#pragma once
// The encoded pages of a data set. Static data (no pace) gives the same page every time, so it
// is encoded once per (execution, offset, limit): benchmarks then measure the client, not the
// emulator's JSON. Thread-safe.

#include <swr/emulator/data_set.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

namespace swr::emulator::detail {

class page_cache {
public:
    explicit page_cache(const data_set& data) : data_(data) {}

    /// The JSON of the page at `elapsed` (which only paced data depends on).
    std::string body(std::int64_t execution, std::int64_t offset, std::int64_t limit,
                     std::chrono::milliseconds elapsed);

private:
    static constexpr std::size_t max_pages = 4096;

    const data_set& data_;
    std::mutex m_;
    std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t>,
             std::shared_ptr<const std::string>>
        pages_;  // under m_
};

}  // namespace swr::emulator::detail
