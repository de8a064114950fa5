#include "wire/response_reader.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include <algorithm>
#include <utility>

namespace swr::detail {

namespace http = boost::beast::http;

void response_parser::on_field_impl(field name, string_view name_string, string_view value,
                                    error_code&) {
    // The first of a repeated field counts, as Beast's header container's find() had it.
    auto first = [&](std::string& to, bool& seen) {
        if (!std::exchange(seen, true)) to.assign(value.data(), value.size());
    };
    switch (name) {
        case field::retry_after: first(out_.retry_after, out_.has_retry_after); return;
        case field::transfer_encoding:
            // Nothing but chunked framing is understood.
            if (!std::exchange(seen_te_, true)) bad_te_ = !boost::beast::iequals(value, "chunked");
            return;
        case field::connection:
        case field::proxy_connection:
            for (auto token : http::token_list(value))
                if (boost::beast::iequals(token, "close")) close_ = true;
            return;
        case field::content_encoding:
            // No body encoding was asked for.
            if (!std::exchange(seen_ce_, true)) bad_ce_ = !boost::beast::iequals(value, "identity");
            return;
        case field::unknown: break;
        default: return;
    }
    // X-Request-Id and X-Subject-Token are not fields Beast knows by name.
    if (boost::beast::iequals(name_string, "X-Request-Id"))
        first(out_.request_id, seen_id_);
    else if (boost::beast::iequals(name_string, "X-Subject-Token"))
        first(out_.subject_token, seen_token_);
}

void response_parser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                        error_code& ec) {
    // The parser has already refused a length over the body limit; the limit may be set past
    // what a string can hold. Room is made for up to 1 MiB at once; a longer body grows.
    if (!content_length) return;
    if (*content_length > out_.body.max_size()) {
        ec = http::error::buffer_overflow;
        return;
    }
    auto room = std::min<std::uint64_t>(*content_length, std::uint64_t{1} << 20);
    if (room > out_.body.capacity()) out_.body.reserve(static_cast<std::size_t>(room));
}

response_reader::response_reader(const limit_options& limits, response& out)
    : limits_(limits), out_(out) {
    start_parser();
}

void response_reader::start_parser() {
    out_.clear();
    parser_.emplace(out_);
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    parser_->body_limit(limits_.max_body_bytes);
    parser_->eager(true);
}

response_reader::state response_reader::fail(errc e) { return fail(make_error_code(e)); }

response_reader::state response_reader::fail(error_code ec) {
    out_.clear();
    ec_ = ec;
    return state::failed;
}

response_reader::state response_reader::finish() {
    if (parser_->unknown_transfer_encoding()) return fail(errc::bad_response);
    if (parser_->unknown_content_encoding()) return fail(errc::decode_failed);
    out_.status = parser_->status();
    out_.keep_alive = parser_->keep_alive() && !parser_->need_eof() && !parser_->says_close();
    done_ = true;
    return state::done;
}

response_reader::state response_reader::put(boost::beast::flat_buffer& buf) {
    for (;;) {
        if (buf.size() == 0) return state::need_more;
        got_bytes_ = true;
        error_code ec;
        auto used = parser_->put(buf.data(), ec);
        buf.consume(used);
        if (ec == http::error::need_more) {
            // The parser needs a whole header, chunk header or trailer in the buffer: a full
            // buffer here is an endless line, not a reason to grow.
            if (buf.size() >= buffer_limit(limits_)) return fail(errc::header_too_large);
            return state::need_more;
        }
        if (ec == http::error::body_limit) return fail(errc::body_too_large);
        if (ec == http::error::header_limit) return fail(errc::header_too_large);
        if (ec) return fail(errc::bad_response);
        if (!parser_->is_done()) continue;  // headers done, body to follow in this buffer

        auto status = parser_->status();
        // HTTP has statuses 100..599 only; Beast reads any three digits.
        if (status < 100 || status > 599) return fail(errc::bad_response);
        if (status / 100 == 1) {
            // 101 would switch protocols under us; other 1xx are hints before the real answer.
            if (status == 101 || ++interim_ > max_interim) return fail(errc::bad_response);
            start_parser();
            continue;
        }
        leftover_ = buf.size() != 0;
        return finish();
    }
}

response_reader::state response_reader::on_read_error(const error_code& read_ec) {
    if (read_ec == boost::asio::error::eof && got_bytes_ && parser_->need_eof()) {
        // A close-delimited body ends at a clean close (TLS close_notify included); a body
        // that should have had a length never does.
        error_code ec;
        parser_->put_eof(ec);
        if (!ec && parser_->is_done()) {
            auto status = parser_->status();
            if (status < 200 || status > 599) return fail(errc::bad_response);
            return finish();
        }
    }
    if (got_bytes_) return fail(errc::bad_response);  // cut short: never handed back as data
    return fail(read_ec == boost::asio::error::eof ? error_code(http::error::end_of_stream)
                                                   : read_ec);
}

}  // namespace swr::detail
