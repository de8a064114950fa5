# SWR_SANITIZE=address,undefined | thread: applied to every target of the build.
if(SWR_SANITIZE)
  add_compile_options(-fsanitize=${SWR_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SWR_SANITIZE})
endif()
