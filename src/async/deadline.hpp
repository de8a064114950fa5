#pragma once
// A point in time a duration from now, that never overflows: a deadline of hours::max() (or any
// duration past the clock's end) means "no deadline", not a time point in the past.

#include <chrono>
#include <ratio>

namespace swr::detail {

/// now + d, saturated at time_point::max(); d <= 0 gives now.
template <class Clock, class Rep, class Period>
typename Clock::time_point saturating_after(typename Clock::time_point now,
                                            std::chrono::duration<Rep, Period> d) {
    using tp = typename Clock::time_point;
    using unit = std::chrono::duration<Rep, Period>;
    if (d <= d.zero()) return now;
    if constexpr (std::ratio_less_v<Period, typename Clock::period>) {
        // Finer than the clock: to the clock's unit first, which only shrinks the count.
        return saturating_after<Clock>(now, std::chrono::floor<typename Clock::duration>(d));
    } else {
        // Compare in d's (coarser) unit: casting a huge d to the clock's unit would overflow.
        if (d > std::chrono::floor<unit>(tp::max() - now)) return tp::max();
        return now + std::chrono::duration_cast<typename Clock::duration>(d);
    }
}

/// The deadline d from now on the steady clock; d == 0 means none (time_point::max()).
template <class Rep, class Period>
std::chrono::steady_clock::time_point deadline_after(std::chrono::duration<Rep, Period> d) {
    if (d.count() == 0) return std::chrono::steady_clock::time_point::max();
    return saturating_after<std::chrono::steady_clock>(std::chrono::steady_clock::now(), d);
}

}  // namespace swr::detail
