#include "command_line.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>
#include <sstream>

namespace swr::cli {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours each count one.
std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::string_view undashed(std::string_view s) {
    while (s.starts_with('-')) s.remove_prefix(1);
    return s;
}

// "%g" without a trailing exponent for the usual values: 0.001, 0.01, 0, 5.
std::string number(double d) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%g", d);
    return buf.data();
}

// The long and short names of an option, with their dashes.
std::vector<std::string> names_of(const CLI::Option& o) {
    std::vector<std::string> out;
    for (const auto& s : o.get_snames()) out.push_back("-" + s);
    for (const auto& l : o.get_lnames()) out.push_back("--" + l);
    return out;
}

std::vector<std::string> option_names(const CLI::App& app) {
    std::vector<std::string> out;
    for (const auto* o : app.get_options()) {
        auto n = names_of(*o);
        out.insert(out.end(), n.begin(), n.end());
    }
    return out;
}

std::vector<std::string> command_names(CLI::App& root) {
    std::vector<std::string> out;
    for (const auto* s : root.get_subcommands([](CLI::App* a) { return !a->get_name().empty(); }))
        out.push_back(s->get_name());
    return out;
}

// What to say of `word`, left over by `app` (the root or the chosen command).
std::string unknown(const std::string& word, CLI::App& app, CLI::App& root) {
    const bool is_root = &app == &root;
    if (word.size() > 1 && word.starts_with('-')) {
        std::string flag = word.substr(0, word.find('='));
        if (!is_root)
            for (const auto* other : root.get_subcommands({}))
                if (other != &app && other->get_option_no_throw(flag) != nullptr)
                    return flag + ": not an option of '" + app.get_name() + "'";
        std::string msg = "unknown option '" + flag + "'";
        if (auto n = nearest(flag, option_names(app)); !n.empty())
            msg += " (did you mean '" + n + "'?)";
        return msg;
    }
    if (!is_root)
        return "unexpected argument '" + word + "' ('" + app.get_name() + "' takes flags)";
    auto commands = command_names(root);
    std::string msg = "unknown command '" + word + "' (expected " + either(commands) + ")";
    if (auto n = nearest(word, commands); !n.empty()) msg += "; did you mean '" + n + "'?";
    return msg;
}

}  // namespace

help_formatter::help_formatter(std::size_t width, std::size_t column) : width_(width) {
    column_width(column);
    label("SUBCOMMAND", "COMMAND");
    label("SUBCOMMANDS", "COMMANDS");
}

void help_formatter::annotate(const CLI::Option* opt, std::string note) {
    notes_[opt].push_back(std::move(note));
}

// CLI11's, but with one blank line between groups, not two, and none at the end.
std::string help_formatter::make_help(const CLI::App* app, std::string name,
                                      CLI::AppFormatMode mode) const {
    if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
    auto footer = make_footer(app);
    return make_description(app) + make_usage(app, std::move(name)) + make_positionals(app) +
           groups(app) + make_subcommands(app, mode) + (footer.empty() ? "" : "\n" + footer);
}

std::string help_formatter::make_description(const CLI::App* app) const {
    return wrap(app->get_description(), width_) + "\n";
}

std::string help_formatter::groups(const CLI::App* app) const {
    std::string out;
    for (const auto& group : app->get_groups()) {
        auto opts = app->get_options(
            [&](const CLI::Option* o) { return o->get_group() == group && o->nonpositional(); });
        if (!group.empty() && !opts.empty()) out += make_group(group, false, opts);
    }
    return out;
}

std::string help_formatter::make_option(const CLI::Option* opt, bool is_positional) const {
    std::ostringstream out;
    CLI::detail::format_help(out, make_option_name(opt, is_positional) + make_option_opts(opt),
                             wrap(make_option_desc(opt), width_ - column_width_), column_width_);
    return out.str();
}

std::string help_formatter::make_option_name(const CLI::Option* opt, bool is_positional) const {
    if (is_positional) return opt->get_name(true, false);
    std::string out;
    for (const auto& n : names_of(*opt)) out += (out.empty() ? "" : ", ") + n;
    return out;
}

std::string help_formatter::make_option_opts(const CLI::Option* opt) const {
    if (opt->get_type_size() == 0 || opt->get_positional()) return {};
    auto type = opt->get_type_name();
    return " " + type.substr(0, type.find(':'));
}

std::string help_formatter::make_option_desc(const CLI::Option* opt) const {
    std::string out = opt->get_description();
    auto add = [&](const std::string& note) {
        if (!out.empty()) out += ' ';
        out += "[" + note + "]";
    };
    // The validators' descriptions follow the type name: "N:1..100".
    auto type = opt->get_type_name();
    for (auto colon = type.find(':'); colon != std::string::npos;) {
        auto next = type.find(':', colon + 1);
        add(type.substr(colon + 1, next == std::string::npos ? next : next - colon - 1));
        colon = next;
    }
    if (opt->get_type_size() != 0 && !opt->get_default_str().empty())
        add("default: " + opt->get_default_str());
    if (!opt->get_envname().empty()) add("env: " + opt->get_envname());
    if (auto it = notes_.find(opt); it != notes_.end())
        for (const auto& n : it->second) add(n);
    // Sorted: CLI11 keeps these in sets of pointers, whose order is the heap's.
    auto listed = [](const std::set<CLI::Option*>& opts) {
        std::vector<std::string> names;
        for (const auto* o : opts) names.push_back(o->get_name());
        std::sort(names.begin(), names.end());
        std::string s;
        for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
        return s;
    };
    if (!opt->get_needs().empty()) add("needs " + listed(opt->get_needs()));
    if (!opt->get_excludes().empty()) add("excludes " + listed(opt->get_excludes()));
    return out;
}

std::string help_formatter::make_subcommand(const CLI::App* sub) const {
    std::ostringstream out;
    CLI::detail::format_help(out, sub->get_name(),
                             wrap(sub->get_description(), width_ - column_width_), column_width_);
    return out.str();
}

std::string wrap(std::string_view text, std::size_t width) {
    std::string out;
    std::size_t line = 0;  // columns on the current line
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '\n') {
            out += '\n';
            line = 0;
            ++i;
            continue;
        }
        if (text[i] == ' ') {
            ++i;
            continue;
        }
        // A word; a bracketed note is one word, so that "[default: 5]" stays on one line.
        std::size_t end = i;
        if (text[i] == '[') {
            end = text.find(']', i);
            end = end == std::string_view::npos ? text.size() : end + 1;
            while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
        } else {
            while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
        }
        auto word = text.substr(i, end - i);
        if (line > 0 && line + 1 + word.size() > width) {
            out += '\n';
            line = 0;
        }
        if (line > 0) {
            out += ' ';
            ++line;
        }
        out += word;
        line += word.size();
        i = end;
    }
    return out;
}

CLI::Validator integer_in(std::int64_t lo, std::int64_t hi) {
    const bool natural = lo == 0 && hi == INT64_MAX;
    std::string rule =
        natural ? "must be a non-negative integer"
                : "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
    std::string desc = natural ? ">= 0" : std::to_string(lo) + ".." + std::to_string(hi);
    return CLI::Validator(
        [lo, hi, rule](std::string& s) -> std::string {
            std::int64_t x = 0;
            auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
            if (s.empty() || ec != std::errc() || p != s.data() + s.size() || x < lo || x > hi)
                return rule + " (got '" + s + "')";
            s = std::to_string(x);
            return {};
        },
        desc);
}

namespace {

/// The whole of `s` as a finite decimal number; nullopt for anything else.
std::optional<double> finite_number(const std::string& s) {
    double d = 0;
    std::size_t used = 0;
    try {
        d = std::stod(s, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (used != s.size() || !std::isfinite(d)) return std::nullopt;
    return d;
}

}  // namespace

CLI::Validator seconds_at_least(double lo) {
    std::string rule = "must be a number of seconds >= " + number(lo);
    return CLI::Validator(
        [lo, rule](std::string& s) -> std::string {
            auto n = finite_number(s);
            if (!n || *n < lo) return rule + " (got '" + s + "')";
            const double d = *n;
            if (d > 1e9) return "must be at most 1000000000 seconds (got '" + s + "')";
            std::array<char, 40> buf{};
            std::snprintf(buf.data(), buf.size(), "%.17g", d);
            s = buf.data();
            return {};
        },
        ">= " + number(lo));
}

CLI::Validator number_in(double lo, double hi) {
    auto plain = [](double d) {
        std::array<char, 40> buf{};
        std::snprintf(buf.data(), buf.size(), "%.15g", d);
        return std::string(buf.data());
    };
    std::string rule = "must be a number from " + plain(lo) + " to " + plain(hi);
    return CLI::Validator(
        [lo, hi, rule](std::string& s) -> std::string {
            auto n = finite_number(s);
            if (!n || *n < lo || *n > hi) return rule + " (got '" + s + "')";
            return {};
        },
        plain(lo) + ".." + plain(hi));
}

CLI::Validator one_of(std::vector<std::string> values) {
    std::string desc;
    for (const auto& v : values) desc += (desc.empty() ? "" : "|") + v;
    std::string rule = "must be " + either(values);
    return CLI::Validator(
        [values = std::move(values), rule](std::string& s) -> std::string {
            for (const auto& v : values)
                if (lower(s) == lower(v)) {
                    s = v;
                    return {};
                }
            auto n = nearest(s, values);
            return rule + " (got '" + s + "'" + (n.empty() ? "" : "; did you mean '" + n + "'?") +
                   ")";
        },
        desc);
}

std::string either(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
        out += words[i];
    }
    return out;
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
    auto w = lower(undashed(word));
    std::size_t best = (w.size() + 1) / 3 + 1;  // the first distance not accepted
    std::string found;
    for (const auto& c : candidates) {
        auto d = distance(w, lower(undashed(c)));
        if (d < best) {
            best = d;
            found = c;
        }
    }
    return found;
}

CLI::App* chosen(CLI::App& root) {
    auto subs = root.get_subcommands();
    return subs.empty() ? nullptr : subs.front();
}

std::string explain(const CLI::ParseError& e, CLI::App& root) {
    CLI::App* sub = chosen(root);
    const bool extras = dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr;
    const bool required = dynamic_cast<const CLI::RequiredError*>(&e) != nullptr;
    if (extras || required) {
        // Left over: an unknown command or flag (the root's are looked at first).
        if (auto left = root.remaining(); !left.empty()) return unknown(left.front(), root, root);
        if (sub != nullptr)
            if (auto left = sub->remaining(); !left.empty())
                return unknown(left.front(), *sub, root);
        if (required && sub == nullptr)
            return "a command is required: " + either(command_names(root));
    }
    std::string what = e.what();
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
        // "--limit: 1 required N missing", "all was given a disallowed flag override".
        if (auto at = what.find(" was given a disallowed flag override"); at != std::string::npos)
            return "--" + std::string(undashed(what.substr(0, at))) + ": takes no value";
        auto colon = what.find(':');
        if (colon != std::string::npos && what.starts_with('-') && what.ends_with(" missing"))
            return what.substr(0, colon) + ": requires a value";
    }
    return what;
}

}  // namespace swr::cli
