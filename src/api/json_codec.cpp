#include <swr/json_codec.hpp>

#include "api/hex.hpp"
#include "api/text_block.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <charconv>
#include <cstring>
#include <limits>
#include <utility>

namespace swr {
namespace {

namespace json = boost::json;

using text_field = text task::*;
constexpr std::array<text_field, 7> text_fields = {
    &task::namespace_name, &task::repository, &task::job_id,    &task::status,
    &task::status_text,    &task::created_at, &task::updated_at};

// Where the decoder puts a page's strings while it parses: all characters in one buffer, and
// which task field each run of them belongs to. Once the page is complete, one block gets the
// characters and every field a view into it. Kept per thread, so a page decodes without
// growing it again.
struct decode_scratch {
    struct run {
        std::size_t task;
        text_field field;
        std::size_t offset, size;
    };
    std::string chars;
    std::vector<run> runs;
};

decode_scratch& thread_scratch() {
    thread_local decode_scratch s;
    return s;
}

// SAX handler filling a page. States follow the document: top -> root object -> tasks array ->
// task object. Values the model does not know are skipped, however deeply nested.
class page_handler {
public:
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    page_handler(page& out, decode_scratch& scratch, std::size_t max_tasks,
                 std::size_t reserve_hint)
        : out_(out),
          scratch_(scratch),
          max_tasks_(max_tasks),
          reserve_hint_(std::min(max_tasks, reserve_hint)) {}

    std::string message;

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }

    bool on_object_begin(json::error_code& ec) {
        if (skip_) return ++skip_, true;
        switch (state_) {
            case state::top: state_ = state::root; return true;
            case state::root:
                if (expect_ == expect::skip) return skip_ = 1, true;
                return fail(ec, expected_for_expect());
            case state::tasks:
                if (used_ >= max_tasks_) return fail(ec, "too many tasks", "tasks");
                next_task();
                state_ = state::task;
                task_seen_ = 0;
                return true;
            case state::task:
                if (expect_ == expect::skip) return skip_ = 1, true;
                return fail(ec, expected_for_expect());
            case state::done: break;
        }
        return true;
    }
    bool on_object_end(std::size_t, json::error_code& ec) {
        if (skip_) return --skip_, true;
        if (state_ == state::task) {
            // The id is what a listing is checked by (each once, in order): never made up.
            if (!(task_seen_ & 1u))
                return fail(ec, "missing", "tasks[" + std::to_string(used_ - 1) + "].id");
            state_ = state::tasks;
            expect_ = expect::none;
        } else if (state_ == state::root) {
            // A 200 without both is not a task listing (an error body sent as 200, say).
            if (!seen_total_) return fail(ec, "missing", "total");
            if (!seen_tasks_) return fail(ec, "missing", "tasks");
            state_ = state::done;
        }
        return true;
    }
    bool on_array_begin(json::error_code& ec) {
        if (skip_) return ++skip_, true;
        if (state_ == state::top) return fail(ec, "expected object", "$");
        if (state_ == state::root && expect_ == expect::tasks) {
            state_ = state::tasks;
            return true;
        }
        if (state_ == state::tasks) return fail(ec, "expected object", element_path());
        if (expect_ == expect::skip) return skip_ = 1, true;
        return fail(ec, expected_for_expect());
    }
    bool on_array_end(std::size_t, json::error_code&) {
        if (skip_) return --skip_, true;
        if (state_ == state::tasks) {
            state_ = state::root;
            expect_ = expect::none;
        }
        return true;
    }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        if (!skip_) key_.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
        if (skip_) return true;
        if (key_.empty()) {
            select_field(std::string_view(s.data(), s.size()));  // the common case: no copy
        } else {
            key_.append(s.data(), s.size());
            select_field(key_);
            key_.clear();
        }
        if (duplicate_) return fail(ec, "duplicate key");
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, json::error_code& ec) {
        if (skip_ || expect_ == expect::skip) return true;
        if (expect_ != expect::string) return scalar_mismatch(ec);
        if (!in_string_) str_start_ = scratch_.chars.size(), in_string_ = true;
        scratch_.chars.append(s.data(), s.size());
        return true;
    }
    bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
        if (skip_ || expect_ == expect::skip) return true;
        if (expect_ != expect::string) return scalar_mismatch(ec);
        if (!in_string_) str_start_ = scratch_.chars.size();
        scratch_.chars.append(s.data(), s.size());
        in_string_ = false;
        if (auto size = scratch_.chars.size() - str_start_)
            scratch_.runs.push_back({used_ - 1, str_, str_start_, size});
        return true;
    }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t v, json::string_view, json::error_code& ec) {
        return integer(v, ec);
    }
    bool on_uint64(std::uint64_t, json::string_view, json::error_code& ec) {
        if (skip_ || expect_ == expect::skip) return true;
        if (expect_ == expect::integer || expect_ == expect::total)
            return fail(ec, "integer out of range");
        return scalar_mismatch(ec);
    }
    bool on_double(double, json::string_view, json::error_code& ec) {
        if (skip_ || expect_ == expect::skip) return true;
        return scalar_mismatch(ec);
    }
    bool on_bool(bool, json::error_code& ec) {
        if (skip_ || expect_ == expect::skip) return true;
        return scalar_mismatch(ec);
    }
    bool on_null(json::error_code& ec) {
        if (skip_ || expect_ == expect::skip) return true;
        if (state_ == state::top) return fail(ec, "expected object", "$");
        if (state_ == state::tasks) return fail(ec, "expected object", element_path());
        // null leaves an optional field empty; total, tasks and a task's id are required.
        if (expect_ == expect::total || expect_ == expect::tasks ||
            (state_ == state::task && expect_ == expect::integer && int_ == &current().id))
            return fail(ec, "must not be null");
        // A string field is empty already (next_task); an integer one is set to 0.
        if (expect_ == expect::integer) *int_ = 0;
        return true;
    }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }

    /// Tasks decoded; the page may hold more, left from an earlier decode into it.
    std::size_t used() const noexcept { return used_; }

private:
    enum class state { top, root, tasks, task, done };
    enum class expect { none, skip, total, tasks, integer, string };

    void select_field(std::string_view key) {
        in_string_ = false;
        if (state_ == state::root) {
            int_ = nullptr;
            field_ = key == "total" ? "total" : key == "tasks" ? "tasks" : "";
            expect_ = key == "total"   ? expect::total
                      : key == "tasks" ? expect::tasks
                                       : expect::skip;
            // A key given twice has no one reading (parsers differ: first, last, merged).
            bool& seen = expect_ == expect::total ? seen_total_ : seen_tasks_;
            if (expect_ != expect::skip && std::exchange(seen, true)) duplicate_ = true;
            return;
        }
        auto& t = current();
        // Dispatch on length first: one comparison per key in the common case.
        switch (key.size()) {
            case 2:
                if (key == "id") return set_int(&t.id, "id", 0);
                break;
            case 6:
                if (key == "job_id") return set_str(&task::job_id, "job_id", 1);
                if (key == "status") return set_str(&task::status, "status", 2);
                break;
            case 9:
                if (key == "namespace") return set_str(&task::namespace_name, "namespace", 3);
                break;
            case 10:
                if (key == "repository") return set_str(&task::repository, "repository", 4);
                if (key == "created_at") return set_str(&task::created_at, "created_at", 5);
                if (key == "updated_at") return set_str(&task::updated_at, "updated_at", 6);
                break;
            case 11:
                if (key == "status_text") return set_str(&task::status_text, "status_text", 7);
                break;
            case 12:
                if (key == "execution_id") return set_int(&t.execution_id, "execution_id", 8);
                break;
            default: break;
        }
        field_ = "";
        expect_ = expect::skip;
    }
    void seen(unsigned bit) {
        if (task_seen_ & (1u << bit)) duplicate_ = true;
        task_seen_ |= 1u << bit;
    }
    void set_int(std::int64_t* p, const char* name, unsigned bit) {
        expect_ = expect::integer, int_ = p, field_ = name;
        seen(bit);
    }
    void set_str(text_field f, const char* name, unsigned bit) {
        expect_ = expect::string, str_ = f, field_ = name;
        seen(bit);
    }

    bool integer(std::int64_t v, json::error_code& ec) {
        if (skip_ || expect_ == expect::skip) return true;
        if (expect_ == expect::integer) return *int_ = v, true;
        if (expect_ == expect::total) {
            if (v < 0) return fail(ec, "must be non-negative");
            out_.total = v;
            return true;
        }
        return scalar_mismatch(ec);
    }
    bool scalar_mismatch(json::error_code& ec) {
        if (state_ == state::top) return fail(ec, "expected object", "$");
        if (state_ == state::tasks) return fail(ec, "expected object", element_path());
        return fail(ec, expected_for_expect());
    }
    const char* expected_for_expect() const {
        switch (expect_) {
            case expect::total:
            case expect::integer: return "expected integer";
            case expect::tasks: return "expected array";
            case expect::string: return "expected string";
            default: return "unexpected value";
        }
    }
    std::string element_path() const { return "tasks[" + std::to_string(used_) + "]"; }
    std::string field_path() const {
        if (state_ == state::task) return "tasks[" + std::to_string(used_ - 1) + "]." + field_;
        return std::string(field_);
    }
    bool fail(json::error_code& ec, std::string_view rule, std::string path = {}) {
        message = (path.empty() ? field_path() : path) + ": " + std::string(rule);
        ec = make_error_code(errc::decode_failed);
        return false;
    }

    page& out_;
    decode_scratch& scratch_;
    std::size_t max_tasks_;
    std::size_t reserve_hint_;
    state state_ = state::top;
    expect expect_ = expect::none;
    std::size_t skip_ = 0;
    std::string key_;         // only for keys split across buffers
    const char* field_ = "";  // the field being read, for error messages
    std::int64_t* int_ = nullptr;
    text_field str_ = nullptr;   // the string field being read
    std::size_t str_start_ = 0;  // where its characters start in scratch_.chars
    bool in_string_ = false;
    bool seen_total_ = false, seen_tasks_ = false, duplicate_ = false;
    unsigned task_seen_ = 0;  // bit per known task field, for duplicate keys and a missing id
    std::size_t used_ = 0;    // tasks of this document so far (out_.tasks may hold more)

    task& current() { return out_.tasks[used_ - 1]; }
    // A page decoded into again keeps its tasks (decode_page has emptied their texts).
    void next_task() {
        if (used_ < out_.tasks.size()) {
            auto& t = out_.tasks[used_];
            t.id = t.execution_id = 0;
        } else {
            if (used_ == 0 && out_.tasks.capacity() < reserve_hint_)
                out_.tasks.reserve(reserve_hint_);
            out_.tasks.emplace_back();
        }
        ++used_;
    }
};

std::string sanitize(std::string_view s, std::size_t max) {
    std::string out;
    for (char c : s.substr(0, max)) {
        auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? ' ' : c;
    }
    return out;
}

std::string string_field(const json::object& o, std::string_view key) {
    if (auto* v = o.if_contains(key)) {
        if (v->is_string()) return sanitize(v->get_string(), 1024);
        if (v->is_int64()) return std::to_string(v->get_int64());
    }
    return {};
}

}  // namespace

namespace {

// Empties every text of `out`, holding on to the block they viewed (the first one found) for
// place_texts to reuse when nothing else views it any more.
detail::text_block* first_block(const page& p) {
    for (const auto& t : p.tasks)
        for (auto f : text_fields)
            if (auto* b = detail::text_access::block(t.*f)) return b;
    return nullptr;
}

detail::block_hold take_page_block(page& out) {
    detail::block_hold hold(first_block(out));  // held before the texts let go of it
    for (auto& t : out.tasks)
        for (auto f : text_fields) detail::text_access::reset(t.*f);
    return hold;
}

// Gives each string of the page its text: held in place when short, else a view into one block
// holding all the longer ones (the held block when nothing else views it and it has room, else
// a new one of the exact size), whose count is set once for all of them.
void place_texts(page& out, const decode_scratch& scratch, detail::block_hold& spare) {
    std::size_t long_chars = 0, long_texts = 0;
    for (const auto& r : scratch.runs)
        if (r.size > text::inline_capacity) long_chars += r.size, ++long_texts;
    detail::text_block* block = nullptr;
    if (long_texts) {
        block = spare.sole();
        if (block && block->capacity >= long_chars)
            spare.take();  // its only holder is this function: nothing reads it while rewritten
        else
            block = detail::text_access::make_block(long_chars);
    }
    std::size_t at = 0;
    for (const auto& r : scratch.runs) {
        std::string_view chars(scratch.chars.data() + r.offset, r.size);
        auto& t = out.tasks[r.task].*r.field;
        if (r.size <= text::inline_capacity) {
            detail::text_access::set_inline(t, chars);
        } else {
            std::memcpy(detail::text_access::chars(block) + at, chars.data(), chars.size());
            detail::text_access::attach(t, block, at, chars.size());
            at += chars.size();
        }
    }
    if (block) block->refs.store(long_texts, std::memory_order_relaxed);
}

// The thread's scratch, emptied; released when `release` after an unusually large page.
struct scratch_lease {
    decode_scratch& s = thread_scratch();
    scratch_lease() { s.chars.clear(), s.runs.clear(); }
    ~scratch_lease() {
        if (s.chars.capacity() > (std::size_t{1} << 20)) s = decode_scratch{};
    }
};

}  // namespace

error_code decode_page(std::string_view body, page& out, std::string* message,
                       const decode_limits& limits) {
    // The tasks (and their texts' block, when the page alone holds it) stay for reuse.
    out.total.reset();
    auto spare = take_page_block(out);
    scratch_lease scratch;
    auto fail = [&](std::string why) {
        out = page{};
        if (message) *message = std::move(why);
        return make_error_code(errc::decode_failed);
    };
    if (body.size() > limits.max_bytes)
        return fail("$: body of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                    std::to_string(limits.max_bytes));
    json::parse_options opt;
    opt.max_depth = limits.max_depth;
    // A task takes at least ~200 bytes of JSON in practice: reserve once instead of regrowing.
    json::basic_parser<page_handler> p(opt, out, scratch.s, limits.max_tasks,
                                       body.size() / 200 + 1);
    try {
        json::error_code ec;
        auto used = p.write_some(false, body.data(), body.size(), ec);
        if (!ec && body.find_first_not_of(" \t\r\n", used) != std::string_view::npos)
            return fail("$: unexpected characters after the JSON value");
        if (ec) {
            if (!p.handler().message.empty()) return fail(std::move(p.handler().message));
            return fail("$: invalid JSON (" + ec.message() + ")");
        }
        out.tasks.resize(p.handler().used());
        // A text's size and its place in the page's block are 32-bit.
        if (scratch.s.chars.size() > detail::text_access::max_size)
            return fail("$: the strings of the page exceed 4 GiB");
        place_texts(out, scratch.s, spare);
        return {};
    } catch (...) {
        out = page{};  // an allocation that failed leaves no partial page either
        throw;
    }
}

service_error_body decode_error_body(std::string_view body) {
    service_error_body out;
    json::error_code ec;
    json::parse_options opt;
    opt.max_depth = 16;
    auto v = json::parse(json::string_view(body.data(), body.size()), ec, {}, opt);
    if (!ec && v.is_object()) {
        const auto& o = v.get_object();
        out.error_code = string_field(o, "error_code");
        out.error_msg = string_field(o, "error_msg");
        out.encoded_authorization_message = string_field(o, "encoded_authorization_message");
        if (out.error_code.empty()) out.error_code = string_field(o, "code");
        if (out.error_msg.empty()) out.error_msg = string_field(o, "message");
        if (auto* e = o.if_contains("error"); e && e->is_object()) {
            if (out.error_code.empty()) out.error_code = string_field(e->get_object(), "code");
            if (out.error_msg.empty()) out.error_msg = string_field(e->get_object(), "message");
        }
        if (!out.error_code.empty() || !out.error_msg.empty()) return out;
    }
    out.error_msg = sanitize(body, 1024);
    return out;
}

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (u < 0x20) {
                    out += "\\u00";
                    detail::append_hex(out, u);
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

void encode_task(const task& t, std::string& out) {
    out += "{\"id\":";
    out += std::to_string(t.id);
    out += ",\"execution_id\":";
    out += std::to_string(t.execution_id);
    auto field = [&](std::string_view name, std::string_view v) {
        out += ",\"";
        out += name;
        out += "\":";
        append_json_string(out, v);
    };
    field("namespace", t.namespace_name);
    field("repository", t.repository);
    field("job_id", t.job_id);
    field("status", t.status);
    field("status_text", t.status_text);
    field("created_at", t.created_at);
    field("updated_at", t.updated_at);
    out += '}';
}

std::string encode_page(const page& p) {
    std::string out;
    out.reserve(64 + p.tasks.size() * 300);
    out += '{';
    if (p.total) {
        out += "\"total\":";
        out += std::to_string(*p.total);
        out += ',';
    }
    out += "\"tasks\":[";
    for (std::size_t i = 0; i < p.tasks.size(); ++i) {
        if (i) out += ',';
        encode_task(p.tasks[i], out);
    }
    out += "]}";
    return out;
}

}  // namespace swr
