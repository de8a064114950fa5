# High warning levels for the project's own targets; -Werror when SWR_WARNINGS_AS_ERRORS (CI).
add_library(swr_warnings INTERFACE)
target_compile_options(swr_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  # Options are aggregates meant for designated initializers that name only what differs.
  -Wno-missing-field-initializers
  # GCC 12 misreports Asio's coroutine frame allocator (operator new/delete pair).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>)
if(SWR_WARNINGS_AS_ERRORS)
  target_compile_options(swr_warnings INTERFACE -Werror)
endif()
