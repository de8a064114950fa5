// Asio, Asio.SSL and Beast compiled once for the project's own programs (src/CMakeLists.txt,
// target swr_asio_separate); never part of the installed libraries.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
