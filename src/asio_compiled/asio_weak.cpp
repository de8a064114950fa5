// Asio's, Asio.SSL's and Beast's compiled functions for the library, as weak symbols that give way
// to the program's own (docs/concepts.md, "Asio and Beast are the program's"). Each function
// is declared inline, as in a header-only program, and emitted because it is marked used: an
// inline function's local statics (the error categories) are unique objects, the same ones a
// header-only program has, and a program that compiles Asio and Beast separately replaces the
// function, statics and all, with its strong definition. Built with -fno-inline
// (src/CMakeLists.txt): no function here carries a copy of another, so every call reaches the
// definition the program's link keeps.
#include <boost/asio/detail/config.hpp>
#include <boost/beast/core/detail/config.hpp>

#undef BOOST_ASIO_DECL
#define BOOST_ASIO_DECL inline __attribute__((__used__))
#undef BOOST_BEAST_DECL
#define BOOST_BEAST_DECL inline __attribute__((__used__))

#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
