#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>

int main(int argc, char** argv) {
    // Tests set the proxy variables they need: none may come from the machine running them
    // (a CI runner's NO_PROXY=127.0.0.1 would bypass the proxies the tests start).
    for (auto v :
         {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"})
        ::unsetenv(v);
    doctest::Context context;
    context.applyCommandLine(argc, argv);
    return context.run();
}
