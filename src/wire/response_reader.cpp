#include "wire/response_reader.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

namespace swr::detail {

namespace http = boost::beast::http;

response_reader::response_reader(const limit_options& limits, std::string body) : limits_(limits) {
    body.clear();
    start_parser(std::move(body));
}

void response_reader::start_parser(std::string body) {
    parser_.emplace(std::piecewise_construct, std::make_tuple(std::move(body)));
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    parser_->body_limit(limits_.max_body_bytes);
    parser_->eager(true);
}

response_reader::state response_reader::fail(errc e) {
    ec_ = make_error_code(e);
    return state::failed;
}

response_reader::state response_reader::finish() {
    msg_ = parser_->release();
    // Nothing but chunked framing is understood, and no body encoding was asked for.
    if (auto te = msg_.find(http::field::transfer_encoding);
        te != msg_.end() && !boost::beast::iequals(te->value(), "chunked"))
        return fail(errc::bad_response);
    if (auto ce = msg_.find(http::field::content_encoding);
        ce != msg_.end() && !boost::beast::iequals(ce->value(), "identity"))
        return fail(errc::decode_failed);
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

        auto status = parser_->get().result_int();
        // HTTP has statuses 100..599 only; Beast reads any three digits.
        if (status < 100 || status > 599) return fail(errc::bad_response);
        if (status / 100 == 1) {
            // 101 would switch protocols under us; other 1xx are hints before the real answer.
            if (status == 101 || ++interim_ > max_interim) return fail(errc::bad_response);
            auto body = std::move(parser_->release().body());
            start_parser(std::move(body));
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
            auto status = parser_->get().result_int();
            if (status < 200 || status > 599) return fail(errc::bad_response);
            return finish();
        }
    }
    if (got_bytes_) return fail(errc::bad_response);  // cut short: never handed back as data
    ec_ = read_ec == boost::asio::error::eof ? error_code(http::error::end_of_stream) : read_ec;
    return state::failed;
}

}  // namespace swr::detail
