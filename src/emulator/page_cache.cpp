#include "emulator/page_cache.hpp"

#include <swr/json_codec.hpp>

namespace swr::emulator::detail {

std::string page_cache::body(std::int64_t execution, std::int64_t offset, std::int64_t limit,
                             std::chrono::milliseconds elapsed) {
    bool cacheable = data_.options().pace.count() == 0;
    if (cacheable) {
        std::lock_guard lk(m_);
        if (auto it = pages_.find({execution, offset, limit}); it != pages_.end())
            return *it->second;
    }
    auto body = encode_page(data_.make_page(execution, offset, limit, elapsed));
    if (cacheable) {
        std::lock_guard lk(m_);
        if (pages_.size() < max_pages)
            pages_.emplace(std::tuple{execution, offset, limit},
                           std::make_shared<const std::string>(body));
    }
    return body;
}

}  // namespace swr::emulator::detail
