#pragma once
// Kept for programs written against earlier versions: bulk watch lives in watch.hpp.
#include <swr/watch.hpp>
