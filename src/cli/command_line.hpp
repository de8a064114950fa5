#pragma once
// What swr-sign-tasks and swr-bench share on top of CLI11: help in one style (each flag's
// meaning, accepted values, default, environment variable, and the flags it needs or excludes,
// all read from the parser), value checks that read numbers one way only, and parse errors
// told in one line, with the nearest known flag or command for a mistyped one.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace swr::cli {

/// Help text: `  -o, --output FORMAT   meaning [table|json] [default: table] [env: X]`, the
/// description wrapped to fit `width` columns.
class help_formatter : public CLI::Formatter {
public:
    explicit help_formatter(std::size_t width = 100, std::size_t column = 30);

    /// A note CLI11 does not know about `opt`, shown in brackets after its description: an
    /// environment variable read outside the parser ("env: NAME"), "required", "repeatable".
    void annotate(const CLI::Option* opt, std::string note);

    std::string make_help(const CLI::App* app, std::string name,
                          CLI::AppFormatMode mode) const override;
    std::string make_description(const CLI::App* app) const override;
    std::string make_option(const CLI::Option* opt, bool is_positional) const override;
    std::string make_option_name(const CLI::Option* opt, bool is_positional) const override;
    std::string make_option_opts(const CLI::Option* opt) const override;
    std::string make_option_desc(const CLI::Option* opt) const override;
    std::string make_subcommand(const CLI::App* sub) const override;

private:
    std::string groups(const CLI::App* app) const;

    std::size_t width_;
    std::map<const CLI::Option*, std::vector<std::string>> notes_;
};

/// `text` broken into lines of at most `width` columns at spaces (a longer word stays whole).
std::string wrap(std::string_view text, std::size_t width);

/// An integer from `lo` to `hi`, in decimal only: the text is rewritten to its plain decimal
/// form, so that CLI11's own conversion (which reads `0x10` as 16 and `010` as 8) agrees.
/// Errors read "must be an integer from LO to HI (got 'X')", or "must be a non-negative
/// integer" when the range is 0 up to INT64_MAX.
CLI::Validator integer_in(std::int64_t lo, std::int64_t hi);

/// A finite number of seconds, at least `lo` and at most 10^9 (more would overflow the
/// milliseconds it becomes). Errors: "must be a number of seconds >= LO (got 'X')".
CLI::Validator seconds_at_least(double lo);

/// A finite number from `lo` to `hi`. Errors: "must be a number from LO to HI (got 'X')".
CLI::Validator number_in(double lo, double hi);

/// One of `values`, compared without regard to case and rewritten as listed. Errors: "must be
/// a, b or c (got 'X')".
CLI::Validator one_of(std::vector<std::string> values);

/// "a, b or c".
std::string either(const std::vector<std::string>& words);

/// The nearest of `candidates` to `word` by edit distance (a swap of two neighbours counts
/// one), if it is within a third of the word's length (at least 1); else empty.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

/// The subcommand the parse chose, or nullptr.
CLI::App* chosen(CLI::App& root);

/// One line for a person from a parse error CLI11 threw, `root` as the failed parse left it:
/// an unknown command or flag with the nearest known one (and a flag of another command said
/// to be so), a flag without its value, or the validator's own words.
std::string explain(const CLI::ParseError& e, CLI::App& root);

}  // namespace swr::cli
