# SWR_SANITIZE=address,undefined | thread: applied to every target of the build.
if(SWR_SANITIZE)
  add_compile_options(-fsanitize=${SWR_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SWR_SANITIZE})
  if(SWR_SANITIZE MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # libstdc++'s atomic_thread_fence (used by Asio) is not modelled by TSan; GCC says so per TU.
    add_compile_options(-Wno-tsan)
  endif()
endif()
